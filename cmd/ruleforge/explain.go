package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
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
	rules, errs := loader().Load(fs.Args()...)
	status := exitOK
	for _, err := range errs {
		fmt.Fprintln(stderr, err)
		status = exitBad
	}
	for _, r := range rules {
		fmt.Fprint(stdout, r.Dump())
		rs, err := compile.Compile([]*ir.Rule{r})
		if err != nil {
			fmt.Fprintln(stderr, err)
			status = exitBad
			continue
		}
		fmt.Fprintf(stdout, "plan:\n%s\n", indent(rs.Plan(0).String()))
	}
	return status
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
