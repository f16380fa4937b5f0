package main

import (
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// loadRules reads and compiles the rules under paths. Every rule that
// fails to parse or compile is reported on stderr and left out; bad counts
// them.
func loadRules(paths []string, stderr io.Writer) (rs *match.Ruleset, total, bad int) {
	rules, errs := ruleforge.Load(paths...)
	for _, err := range errs {
		fmt.Fprintln(stderr, err)
	}
	good := rules[:0:0]
	for _, r := range rules {
		if _, err := compile.Compile([]*ir.Rule{r}); err != nil {
			fmt.Fprintln(stderr, err)
			bad++
			continue
		}
		good = append(good, r)
	}
	rs, err := compile.Compile(good)
	if err != nil { // cannot happen: each rule compiled alone
		fmt.Fprintln(stderr, err)
		rs, _ = compile.Compile(nil)
	}
	return rs, len(rules) + len(errs), bad + len(errs)
}
