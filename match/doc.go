// Package match is ruleforge's runtime: the event model and the compiled
// Ruleset that reports which rules match an event.
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
// # Rules
//
// A [Ruleset] (built by package compile) holds each rule's compiled plan:
// a tree of tests evaluated left to right with short circuits, each test
// reading one field and comparing its value with string matchers
// (exact, prefix, suffix, contains, globs, hash sets and automata: see
// internal/matcher), numbers, booleans or bounds (internal/plan). A
// Ruleset is immutable and safe for concurrent use; Match with a reused
// destination slice allocates nothing for rules that use no
// case-insensitive general glob on a value that needs folding (those
// borrow a pooled buffer). A test on a missing field is false; a test on
// an array passes when an element passes.
//
// # Numbers
//
// Numbers compare by their exact values through [ir.Compare], the one
// comparison the compiler, the rule index and the reference evaluator
// share: an event's JSON number text (json.Number, or the text a [Record]
// keeps) and a string that spells a number in decimal are read by
// [ir.ParseNumber], so 9007199254740993 (2^53+1) is not 9007199254740992
// and 9223372036854775808 (2^63, a uint64) is greater than
// 9223372036854775807; Go integers (int, int64, uint64, …) are exact too,
// and an integer equals a float of the same value (5 == 5.0). Out of range,
// where Elasticsearch would refuse the document at index time (a long
// field rejects a value outside int64, a double field a value that is not
// finite: NumberFieldMapper.NumberType.LONG and DOUBLE), an event cannot be
// refused, so the value is defined instead: an integer beyond uint64 is
// its nearest float64, and a number that overflows a float64 (1e400) is
// +Inf or -Inf, above or below every finite number, so a > 5 and a != 5
// agree for 1e400. NaN equals and orders with nothing. Computed values
// (EQL functions and arithmetic) are int64 or float64, as EQL's long and
// double. The index keys numbers by their float64, a gate that can only
// admit more rules than match, never fewer; the Test decides exactly.
//
// # Slots and records
//
// A Ruleset numbers the distinct paths its tests read, its slots. For
// each event it reads each slot at most once, into a [Record]: a [Doc]
// without dotted keys in one walk over a trie of the slots' paths, which
// visits only the keys some rule reads; any other event by looking each
// slot's path up, the first time a test asks. [Ruleset.Match] fills a
// pooled Record per event; [Ruleset.NewRecord], [Record.Reset] and
// [Ruleset.MatchRecord] let a caller keep events in their pre-parsed form
// for one ruleset. [Record.ResetJSON] fills a Record straight from JSON
// text in one pass over it (nested and dotted keys alike, as [Map] looks
// them up). [Ruleset.NewRecordWith] makes a Record that also holds paths
// no rule reads, for a caller that reads them or adds values there
// ([Record.Add]): package normalize adds the ECS view of Windows events
// this way (through an allocation-free form of Add, internal/hooks).
//
// # The rule index
//
// A Ruleset has an index over its rules (package compile turns it off
// for the reference the index is tested against). Each
// rule gets a gate: up to three clauses, each a set of keys, one of which
// an event must hold for the rule to match it. A key is a folded text that
// a field's value must equal, start with, end with or contain, or a number
// it must equal, or the field's presence; the text is what a matcher
// needs (an exact value, the longest literal of a glob, the literals one
// of which a regular expression requires). Gates follow the plan: a test
// gives one clause (a key per comparison, or, for presence, bounds,
// booleans, CIDR ranges, a computed right operand and patterns with no
// literal, the field's presence, since a test on a field is false where
// it has no value); and keeps the cheapest clauses of its operands; or
// unites one clause of each operand; not takes the gate of its operand's
// negation (De Morgan's laws: ¬¬x is x, a negated test has none); keyword
// tests and computed left operands give none, and a rule without a gate
// is evaluated for every event. Keys that many rules hold or that are
// short are costly (they fire often) and chosen last.
//
// Per event, each slot's value is probed once for all rules: a hash set of
// exact texts, a prefix trie and a suffix trie walked from the value's
// ends, an Aho–Corasick automaton (a DFA over byte classes) for the
// substrings, and a hash set of numbers. Paths with keys of some rule's
// first clause are probed first; each of the others only when a rule whose
// first clause held has a later clause with keys there. What a probe costs
// per event is kept down three ways: a slot whose keys are all among
// another slot's (a Windows field and its ECS name) shares that slot's
// probe, so the string the ECS view copies there is probed once; the keys
// a probe found in a short string (with the number it spells) are kept in
// a fixed table of the matching goroutine's working memory and fired again
// when the string recurs (most of a Windows event's strings do); and an
// automaton state reached again reports nothing new, nor do the states its
// suffix links lead to: in the event for a longer string, in the string
// for one to cache. A number is probed as a text only where a key could be
// in its digits. Only the rules whose every clause holds (the candidates)
// are evaluated, in rule order, so Match returns the same indices as
// without the index. A gate drops a later clause that holds a key many
// rules hold (each clause a key satisfies costs every firing of it); such
// clauses, and more of the gate's up to eight, are a rule's checks: read
// for a candidate once the probes are done (did one of the keys fire?),
// they spare it its evaluation when one fails, at no cost to the probes.
// A candidate's kills spare it too: a "not filter" operand whose filter
// compares texts that the probes found, in the string it reads, makes it
// false (kills.go); and a candidate's evaluation tries the operands its
// gate implies (they nearly always hold then) after the others.
// Keyword tests (any value) are indexed when at least 16 rules have them
// (their keys are sought in one pass over the JSON text of an event that
// Record.ResetJSON read, rather than in each of its values); with fewer,
// those rules are evaluated, their keyword test last. [Ruleset.Gate] and
// [Ruleset.IndexStats] describe the index; ruleforge explain prints them.
//
// # Why a rule matched
//
// [Ruleset.Explain] evaluates one rule's plan for an event again, without
// the index, and returns the positive tests that decided the match, each a
// [Reason]: the field, the path its value was read at, the value (the
// element of an array that passed) and the comparison that passed (the
// member of a Set); of an or, the first operand that holds; under a not,
// nothing. ruleforge match -explain prints them with each hit.
package match
