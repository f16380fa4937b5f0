// Package hooks connects packages of the module without widening their
// public API: package match registers how a Ruleset is built from the
// plans package compile makes, and package compile registers the switches
// that turn its stages off, for the differential tests of other packages
// (compiled with and without the optimizer, the matchers' classifier and
// the rule index, every event must get the same answer). Each hook is set
// in its package's init, so it is set wherever that package is linked.
package hooks

import (
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// RulesetConfig is how NewRuleset builds a ruleset.
type RulesetConfig struct {
	Unindexed bool         // no rule index: every rule is evaluated for every event, the reference the index is tested against
	Reads     []*plan.Path // paths the ruleset reads besides the rules' (compile.Reads)
}

// NewRuleset builds a *match.Ruleset, returned as any since this package
// cannot name it, from rules and their plans (rule i's is plans[i]). Set
// by package match.
var NewRuleset func(rules []*ir.Rule, plans []*plan.Node, cfg RulesetConfig) (any, error)

// Switches turn stages of the compiler off; the zero value changes
// nothing.
type Switches struct {
	NoOptimize   bool // no optimizer passes, and so no shared subtrees and no index
	NoSpecialize bool // the general glob matcher for every pattern
	NoIndex      bool // no rule index
}

// CompileOption returns a compile.Option, as any since this package cannot
// name it, that applies s. Set by package compile.
var CompileOption func(s Switches) any

// RecordDotted reports whether the *match.Record r, after ResetJSON,
// found a value at one of its paths through a key that holds dots
// ({"process.name": …} for process.name). Set by package match, for
// package normalize.
var RecordDotted func(r any) bool

// RecordHolds reports whether the *match.Record r holds a value at p and
// whether that value is an object, without decoding a value that
// ResetJSON left in the text. Set by package match, for package normalize.
var RecordHolds func(r any, p *plan.Path) (present, object bool)
