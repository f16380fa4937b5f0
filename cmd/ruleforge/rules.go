package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// loadRules reads and compiles the rules under paths. Every rule that
// fails to parse or compile is reported on stderr and left out; bad counts
// them.
func loadRules(loader ruleforge.Loader, paths []string, stderr io.Writer) (rs *match.Ruleset, total, bad int) {
	rules, errs := loader.Load(paths...)
	return compileRules(rules, errs, stderr)
}

// compileRules reports errs, the rules that failed to load, and compiles
// rules, reporting and leaving out those that fail.
func compileRules(rules []*ir.Rule, errs []error, stderr io.Writer) (rs *match.Ruleset, total, bad int) {
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

// loaderFlags registers the flags that configure rule loading on fs and
// returns a function that builds the Loader once fs is parsed.
func loaderFlags(fs *flag.FlagSet) func() ruleforge.Loader {
	routing := fs.Bool("routing", true, "route Sigma rules by log source (false: test every rule against every event)")
	return func() ruleforge.Loader {
		return ruleforge.Loader{Sigma: []sigma.Option{sigma.Routing(*routing)}}
	}
}
