// Package matcher holds the string matchers a compiled test compares an
// event's values with, shared by package compile, which picks them, and
// package match, whose rule index reads what they need (Needer) and
// probes with the same tries and automata (Anchored, Automaton).
//
// Every string comparison is a [Matcher] chosen when the rule is compiled:
//
//	kind           glob     cost
//	Exact          x        one comparison
//	Prefix         x*       one comparison
//	Suffix         *x       one comparison
//	Contains       *x*      a substring search
//	Both           x*y      two comparisons
//	Segments       x*y*z    one pass, leftmost place for each middle text
//	Glob           general  gobwas/glob
//	Set            many     a hash set, two tries and one automaton
//
// [Merge] replaces a test's many case-insensitive exact, prefix, suffix and
// substring texts (at least [MinSet]) with one [Set].
//
// A case-insensitive matcher holds its text folded (Unicode simple case
// folding, see [Fold]) and folds the event value code point by code point
// as it compares, with an ASCII fast path, so matching allocates nothing.
// "?" in a glob is exactly one code point, never one byte. An invalid UTF-8
// byte in a value matches only the same byte.
package matcher
