// Package match is ruleforge's runtime: string matchers, the event model
// and the compiled Ruleset that reports which rules match an event.
//
// # Events
//
// An [Event] looks values up by [Path]. [Map] adapts decoded JSON
// (map[string]any) and finds a dotted path both as nested objects
// ({"process":{"name":…}}) and as flattened keys ({"process.name":…}), in
// any mix. [Doc] gives the same answers faster: it notes once per event
// whether any key has a dot and, when none does, skips the probes for
// flattened keys. [ParseJSON] decodes raw JSON into a Doc, keeping numbers
// as json.Number.
//
// # Matchers
//
// Every string comparison is a [Matcher] chosen when the rule is compiled:
//
//	kind           glob     cost
//	Exact          x        one comparison
//	Prefix         x*       one comparison
//	Suffix         *x       one comparison
//	Contains       *x*      a substring search
//	Both           x*y      two comparisons
//	Glob           general  gobwas/glob
//
// A case-insensitive matcher holds its text folded (Unicode simple case
// folding, see [Fold]) and folds the event value code point by code point
// as it compares, with an ASCII fast path, so matching allocates nothing.
// "?" in a glob is exactly one code point, never one byte. An invalid UTF-8
// byte in a value matches only the same byte.
//
// # Tests and trees
//
// A compiled predicate is a [Test]; see its documentation for how it treats
// missing fields, arrays, numbers and booleans. A rule compiles to a tree
// of [Node]s evaluated left to right with short circuits. A [Ruleset] is
// immutable and safe for concurrent use; Match with a reused destination
// slice allocates nothing for rules that use no case-insensitive general
// glob on a value that needs folding (those borrow a pooled buffer).
package match
