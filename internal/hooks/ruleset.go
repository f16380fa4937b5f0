package hooks

import "github.com/ruleforge/ruleforge/internal/plan"

// RulesetPlan returns the compiled plan of rule i of the *match.Ruleset
// rs, for the tests that evaluate it alone against a reference (the
// public Ruleset.Plan prints it). Set by package match.
var RulesetPlan func(rs any, i int) *plan.Node

// RulesetShared returns the number of subtrees the rules of the
// *match.Ruleset rs share, for the tests of the optimizer. Set by package
// match.
var RulesetShared func(rs any) int

// RulesetReadsAnyField reports whether a rule of the *match.Ruleset rs
// tests every value of an event (a Sigma keyword search), so that a value
// at any path can decide a match, not only those at its paths. Set by
// package match, for package normalize.
var RulesetReadsAnyField func(rs any) bool
