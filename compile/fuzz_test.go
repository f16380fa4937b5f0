package compile

import (
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// decoder builds an IR expression from fuzz bytes: each byte picks a node
// kind, a field, a comparison and a word.
type decoder struct {
	prog  []byte
	words []string
}

// next returns the next program byte (0 when the program is used up).
func (d *decoder) next() byte {
	if len(d.prog) == 0 {
		return 0
	}
	b := d.prog[0]
	d.prog = d.prog[1:]
	return b
}

// expr decodes one expression, at most depth deep.
func (d *decoder) expr(depth int) *ir.Expr {
	b := d.next()
	if depth > 6 {
		b &^= 3
	}
	switch b % 8 {
	case 1:
		return ir.Not(d.expr(depth + 1))
	case 2:
		return ir.And(d.expr(depth+1), d.expr(depth+1))
	case 3:
		return ir.Or(d.expr(depth+1), d.expr(depth+1))
	case 4:
		return ir.Const(b&8 != 0)
	}
	fields := []string{"a", "b", "c.d"}
	cmps := []ir.Cmp{ir.CmpGlob, ir.CmpPrefix, ir.CmpSuffix, ir.CmpContains, ir.CmpEqual, ir.CmpExists, ir.CmpLT, ir.CmpGE}
	p := &ir.Pred{Field: ir.F(fields[int(b>>3)%len(fields)]), Cmp: cmps[int(b>>5)%len(cmps)], CaseSensitive: b&4 != 0}
	if p.Cmp == ir.CmpExists {
		return ir.P(p)
	}
	w := ""
	if len(d.words) > 0 {
		w = d.words[int(d.next())%len(d.words)]
	}
	switch {
	case p.Cmp == ir.CmpEqual || p.Cmp.IsOrder():
		p.Values = []ir.Value{ir.Str(w)}
	default:
		p.Values = []ir.Value{ir.Glob(pat(w))}
	}
	return ir.P(p)
}

// FuzzCompileMatch compiles a generated rule with and without the
// optimizer and checks both against the reference evaluation on an event
// built from the same words.
func FuzzCompileMatch(f *testing.F) {
	f.Add([]byte{2, 0, 8, 1, 16}, "mofcomp.exe|*.mof|MOFCOMP.EXE|x.mof")
	f.Add([]byte{3, 1, 5, 13, 21}, "a*b|ab|AB|")
	f.Add([]byte{2, 2, 0, 0, 0, 3, 4, 12}, "ü*|Ü|?|k|\u212a")
	f.Fuzz(func(t *testing.T, prog []byte, text string) {
		if len(prog) > 64 || len(text) > 256 {
			return
		}
		words := strings.Split(text, "|")
		d := &decoder{prog: prog, words: words}
		x := d.expr(0)
		ev := match.Map{}
		for i, f := range []string{"a", "b", "c.d"} {
			if i < len(words) {
				ev[f] = strings.ReplaceAll(strings.ReplaceAll(words[i], "*", "x"), "?", "y")
			}
		}
		if len(words) > 3 {
			ev["b"] = []any{ev["b"], words[3]}
		}
		r := &ir.Rule{Meta: ir.Meta{ID: "fuzz"}, Expr: x}
		want := refeval.Eval(x, ev)
		for _, opts := range [][]Option{nil, {switches(hooks.Switches{NoOptimize: true, NoSpecialize: true})}} {
			rs, err := Compile([]*ir.Rule{r}, opts...)
			if err != nil {
				t.Fatalf("compile %s: %v", x, err)
			}
			if got := hooks.RulesetPlan(rs, 0).Eval(ev); got != want {
				t.Fatalf("%s on %v: compiled %v, reference %v", x, ev, got, want)
			}
		}
	})
}
