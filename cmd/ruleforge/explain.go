package main

import (
	"strings"

	"flag"
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// runExplain is "ruleforge explain PATH…": the IR of each rule and its
// compiled plan.
func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	loader := loaderFlags(fs)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "ruleforge explain: no rule paths\n%s", usage)
		return exitUsage
	}
	ld, ok := loader(stderr)
	if !ok {
		return exitBad
	}
	rules, errs := ld.Load(fs.Args()...)
	status := exitOK
	for _, err := range errs {
		fmt.Fprintln(stderr, err)
		status = exitBad
	}
	// The rules are compiled together, as match runs them: the plans show
	// what they share and the gates are the ones the ruleset's index chose.
	rs, err := compile.Compile(rules)
	for i, r := range rules {
		fmt.Fprint(stdout, r.Dump())
		if d, ok := r.State.(interface{ Dump() string }); ok {
			// A stateful rule's plan is its stages' (package state runs it).
			fmt.Fprintf(stdout, "state:\n%s\n", indent(d.Dump()))
			continue
		}
		one, plan := rs, i
		if err != nil { // some rule is bad: compile each alone to name it
			var cerr error
			if one, cerr = compile.Compile([]*ir.Rule{r}); cerr != nil {
				fmt.Fprintln(stderr, cerr)
				status = exitBad
				continue
			}
			plan = 0
		}
		fmt.Fprintf(stdout, "plan:\n%s", indent(one.Plan(plan).String()))
		fmt.Fprint(stdout, gate(one, plan))
	}
	if err == nil && len(rules) > 1 {
		st := rs.IndexStats()
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
