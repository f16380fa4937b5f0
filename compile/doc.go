// Package compile turns IR rules into an executable, immutable
// [match.Ruleset].
//
// The pipeline, for each rule:
//
//	check     the tree is well formed and at most MaxDepth deep
//	Simplify  the optimizer passes, one file each, run to a fixpoint
//	          (at most 16 rounds):
//	            flatten      and(and(a,b),c) → and(a,b,c); not(not x) → x
//	            foldConst    and(false,…) → false, or(true,…) → true, …
//	            dedup        and(a,a) → a
//	            mergeValues  or(f:"a", f:"b") → f:("a","b")
//	build     predicates become tests (internal/plan); each string pattern gets the
//	          cheapest matcher (classify): exact, prefix, suffix, contains,
//	          prefix+suffix, or a general glob, with case folded once here;
//	          a test's many case-insensitive texts become one matcher.Set
//	order     the operands of every and/or sorted by estimated cost,
//	          cheapest first: the order plans print in and -explain
//	          reports reasons in
//
// and, across the rules of one ruleset:
//
//	share     identical subtrees merged; every node used more than once
//	          gets a memo slot, so Ruleset.Match evaluates it at most once
//	          per event (Sigma's log source routes, common tests)
//	evalOrder each and/or's evaluation order (plan.Node.Run): by expected
//	          cost per odds of deciding it, so short circuits skip the
//	          expensive ones (a regular expression after the image names)
//	index     the match.Ruleset builds the rule index: each rule's gate
//	          of necessary texts, probed once per event for all rules, so
//	          that only the rules whose gate holds are evaluated
//
// Prefix, suffix and contains predicates are anchored into whole-value
// globs first ("x" contains → "*x*"), so wildcards inside their values keep
// working and the classifier sees one form. Tests turn the passes (with
// order, share and the index), the classifier or the index alone off
// (internal/hooks.Switches), compile rules both ways and check that every
// event gets the same answer.
package compile
