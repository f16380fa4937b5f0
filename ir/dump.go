package ir

import (
	"fmt"
	"sort"
	"strings"
)

// String renders the expression on one line: predicates as Pred.String,
// operators as "(and x y)", "(or x y)", "(not x)", constants as true/false.
func (x *Expr) String() string {
	var b strings.Builder
	x.write(&b, -1)
	return b.String()
}

// write prints x; depth < 0 means one line, otherwise an indented tree.
func (x *Expr) write(b *strings.Builder, depth int) {
	if x == nil {
		b.WriteString("<nil>")
		return
	}
	switch x.Op {
	case OpPred:
		if x.Pred == nil {
			b.WriteString("<nil pred>")
			return
		}
		b.WriteString(x.Pred.String())
	case OpTrue, OpFalse:
		b.WriteString(x.Op.String())
	default:
		b.WriteByte('(')
		b.WriteString(x.Op.String())
		for _, a := range x.Args {
			if depth < 0 {
				b.WriteByte(' ')
				a.write(b, -1)
				continue
			}
			b.WriteByte('\n')
			b.WriteString(strings.Repeat("  ", depth+1))
			a.write(b, depth+1)
		}
		b.WriteByte(')')
	}
}

// Dump renders the rule deterministically over several lines: metadata,
// the paths of every field that has more than its name, and the expression
// as an indented tree. Golden tests compare dumps.
func (r *Rule) Dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rule %s %q\n", r.Lang, r.ID)
	fmt.Fprintf(&b, "  title: %q\n", r.Title)
	if r.Severity != "" {
		fmt.Fprintf(&b, "  severity: %s\n", r.Severity)
	}
	if r.Status != "" {
		fmt.Fprintf(&b, "  status: %s\n", r.Status)
	}
	if r.RiskScore != nil {
		fmt.Fprintf(&b, "  risk_score: %d\n", *r.RiskScore)
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(&b, "  tags: %s\n", strings.Join(r.Tags, ", "))
	}
	if len(r.Attack) > 0 {
		fmt.Fprintf(&b, "  attack: %s\n", strings.Join(r.Attack, ", "))
	}
	if ls := r.Logsource; ls != (Logsource{}) {
		fmt.Fprintf(&b, "  logsource: category=%s product=%s service=%s\n", ls.Category, ls.Product, ls.Service)
	}
	list := func(key string, vs []string) {
		if len(vs) > 0 {
			fmt.Fprintf(&b, "  %s: %s\n", key, strings.Join(vs, " | "))
		}
	}
	list("author", r.Author)
	list("references", r.References)
	list("false_positives", r.FalsePositives)
	tactics := make([]string, len(r.Tactics))
	for i, t := range r.Tactics {
		tactics[i] = t.String()
	}
	list("tactics", tactics)
	list("techniques", r.Techniques)
	list("index", r.Index)
	if r.Source.IsValid() {
		fmt.Fprintf(&b, "  source: %s\n", r.Source)
	}
	fields := map[string][]string{}
	Walk(r.Expr, func(x *Expr) bool {
		if x.Op == OpPred && x.Pred != nil && len(x.Pred.Field.Paths) > 0 && !x.Pred.Field.Any {
			fields[x.Pred.Field.Name] = x.Pred.Field.Paths
		}
		return true
	})
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  field %s: %s\n", n, strings.Join(fields[n], " | "))
	}
	b.WriteString("  ")
	r.Expr.write(&b, 1)
	b.WriteByte('\n')
	return b.String()
}
