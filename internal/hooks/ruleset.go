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
