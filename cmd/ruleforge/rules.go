package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/sigma"
	"github.com/ruleforge/ruleforge/state"
)

// loadRules reads and compiles the rules under paths, single-event and
// stateful (package state). Every rule that fails to parse or compile is
// reported on stderr and left out; bad counts them. The rules that are
// still unsupported are summed up by reason on one line at the end.
func loadRules(loader ruleforge.Loader, paths []string, stderr io.Writer) (p *state.Program, total, bad int) {
	defer loadGC()()
	rules, errs := loader.Load(paths...)
	return compileRules(rules, errs, stderr)
}

// compileRules reports errs, the rules that failed to load, and compiles
// rules as loadRules does.
func compileRules(rules []*ir.Rule, errs ir.ErrorList, stderr io.Writer) (p *state.Program, total, bad int) {
	unsupported := map[string]int{}
	report := func(err error) {
		fmt.Fprintln(stderr, err)
		if _, reason, ok := strings.Cut(err.Error(), ": unsupported: "); ok {
			reason, _, _ = strings.Cut(reason, " (")
			unsupported[reason]++
		}
	}
	for _, err := range errs {
		report(err)
	}
	for _, w := range ruleforge.DuplicateIDs(rules) {
		fmt.Fprintln(stderr, w)
	}
	p, err := state.Compile(rules) // leaves out the rules that fail, and says why
	var list ir.ErrorList
	if !errors.As(err, &list) && err != nil { // about no rule: nothing runs
		list.Add(err)
		bad = len(rules)
		p, _ = state.Compile(nil)
	}
	for _, err := range list {
		report(err)
	}
	bad = max(bad, len(list))
	if len(unsupported) > 0 {
		reasons := make([]string, 0, len(unsupported))
		for r := range unsupported {
			reasons = append(reasons, r)
		}
		sort.Slice(reasons, func(i, j int) bool {
			if a, b := unsupported[reasons[i]], unsupported[reasons[j]]; a != b {
				return a > b
			}
			return reasons[i] < reasons[j]
		})
		var parts []string
		for _, r := range reasons {
			parts = append(parts, fmt.Sprintf("%d %s", unsupported[r], r))
		}
		fmt.Fprintf(stderr, "ruleforge: unsupported: %s\n", strings.Join(parts, ", "))
	}
	return p, len(rules) + len(errs), bad + len(errs)
}

// loaderFlags registers the flags that configure rule loading on fs and
// returns a function that builds the Loader once fs is parsed, reporting
// on w a file that a flag names and that cannot be read (false).
func loaderFlags(fs *flag.FlagSet) func(w io.Writer) (ruleforge.Loader, bool) {
	routing := fs.Bool("routing", true, "route Sigma rules by log source (false: test every rule against every event)")
	schema := schemaFlags(fs)
	return func(w io.Writer) (ruleforge.Loader, bool) {
		opts, pipelines, ok := schema(w)
		return ruleforge.Loader{Sigma: append([]sigma.Option{sigma.Routing(*routing)}, opts...), Pipelines: pipelines}, ok
	}
}

// ruleCountOf returns the rules of p as loaded: the visible single-event
// rules and the stateful ones.
func ruleCountOf(p *state.Program) int {
	n := p.Len()
	for i := range p.Ruleset().Len() {
		if p.Visible(i) {
			n++
		}
	}
	return n
}
