package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/state"
)

// runExplain is "ruleforge explain PATH…": the IR of each rule and its
// compiled plan.
func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	loader := loaderFlags(fs)
	paths, err := parseArgs(fs, args)
	if err != nil {
		return parseStatus(err)
	}
	if len(paths) == 0 {
		fmt.Fprintf(stderr, "ruleforge explain: no rule paths\n%s", usage)
		return exitUsage
	}
	ld, ok := loader(stderr)
	if !ok {
		return exitBad
	}
	rules, errs := ld.Load(paths...)
	status := exitOK
	for _, err := range errs {
		fmt.Fprintln(stderr, err)
		status = exitBad
	}
	// The rules are compiled together, as match runs them: the plans show
	// what they share and the gates are the ones the ruleset's index chose.
	// A stateful rule shows each stage's IR, plan and gate. A rule that
	// fails to compile is left out (state.Compile) and named on stderr.
	p, err := state.Compile(rules)
	var list ir.ErrorList
	if !errors.As(err, &list) && err != nil { // about no rule: nothing compiled
		list.Add(err)
		p, _ = state.Compile(nil)
	}
	for _, e := range list {
		fmt.Fprintln(stderr, e)
		status = exitBad
	}
	statefulAt := map[*ir.Rule]int{}
	for k := range p.Len() {
		statefulAt[p.Rule(k)] = k
	}
	for _, r := range rules {
		fmt.Fprint(stdout, r.Dump())
		if d, ok := r.State.(interface{ Dump() string }); ok {
			// What the stateful rule runs over its stages (a correlation's
			// type, window and condition); its stages follow.
			fmt.Fprintf(stdout, "state:\n%s\n", indent(d.Dump()))
		}
		if r.State == nil {
			if i := p.Index(r); i >= 0 {
				fmt.Fprintf(stdout, "plan:\n%s", indent(p.Ruleset().Plan(i)))
				fmt.Fprint(stdout, gate(p.Ruleset(), i))
			}
			continue
		}
		k, ok := statefulAt[r]
		if !ok {
			continue
		}
		for j, st := range r.State.Stages() {
			fmt.Fprintf(stdout, "%s stage %d of %d", r.State.Kind(), j+1, len(r.State.Stages()))
			for n, key := range st.Keys {
				sep := ", "
				if n == 0 {
					sep = " by "
				}
				fmt.Fprint(stdout, sep+key.Name)
			}
			i := p.Stage(k, j)
			if i < 0 {
				fmt.Fprintf(stdout, ": the hits of %q\n\n", st.Ref)
				continue
			}
			fmt.Fprintf(stdout, ":\n  %s\n", st.Expr)
			fmt.Fprintf(stdout, "plan:\n%s", indent(p.Ruleset().Plan(i)))
			fmt.Fprint(stdout, gate(p.Ruleset(), i))
		}
	}
	if err == nil && len(rules) > 1 {
		st := p.Ruleset().IndexStats()
		fmt.Fprintf(stdout, "index: %d rules, %d with a gate, %d keys over %d paths, %d automaton states\n",
			st.Rules, st.Gated, st.Keys, st.Paths, st.States)
	}
	return status
}

// gate describes the index gate of rule i of rs.
func gate(rs *match.Ruleset, i int) string {
	clauses, ok := rs.Gate(i)
	if !ok {
		return "gate: none; evaluated for every event (no test the rule needs has a text or number to look for)\n\n"
	}
	var b strings.Builder
	b.WriteString("gate: evaluated only for events holding a key of every clause (texts folded)\n")
	for n, keys := range clauses {
		fmt.Fprintf(&b, "  clause %d of %d, any of %d:\n", n+1, len(clauses), len(keys))
		for _, k := range keys {
			b.WriteString("    " + k + "\n")
		}
	}
	b.WriteString("\n")
	return b.String()
}

// indent prefixes every line of s with two spaces.
func indent(s string) string {
	out := make([]byte, 0, len(s)+64)
	start := true
	for i := 0; i < len(s); i++ {
		if start && s[i] != '\n' {
			out = append(out, ' ', ' ')
		}
		out = append(out, s[i])
		start = s[i] == '\n'
	}
	return string(out)
}
