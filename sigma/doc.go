// Package sigma loads Sigma rules (YAML, Sigma specification v2) and lowers
// them to ruleforge's intermediate representation, package ir.
//
// [ParseRule] decodes a rule with the YAML rule parser and the condition
// parser of github.com/bradleyjkemp/sigma-go and lowers the result itself.
// sigma-go's evaluator is not used: it lower-cases both sides at match
// time, treats "*" and "?" as plain text and expands "%name%" placeholders
// without being asked, none of which is Sigma's meaning.
//
// # Searches
//
// A search that is a mapping is the AND of its fields; a list of mappings
// is the OR of the mappings. A field with a list of values matches any of
// them: one [ir.Pred] holding all the values of a kind. Keyword searches (a
// list of plain values) are not supported yet.
//
// # Modifiers
//
// Modifiers may come in any order; at most one of contains, startswith and
// endswith. Every comparison ignores case.
//
//	modifier     meaning                                    ir
//	(none)       the value matches the whole field          CmpGlob; numbers and booleans CmpEqual
//	contains     the value matches part of the field        CmpContains
//	startswith   the value matches the start of the field   CmpPrefix
//	endswith     the value matches the end of the field     CmpSuffix
//	all          every value matches, not any one           AND of one-value predicates
//
// Every other modifier (base64, base64offset, cased, cidr, exists, expand,
// fieldref, gt, gte, lt, lte, re, utf16, utf16le, utf16be, wide, windash, …)
// is an error naming the search, the field and the modifier.
//
// # Values
//
// String values are patterns: "*" matches any run of characters (possibly
// none) and "?" exactly one, with and without contains, startswith and
// endswith. A backslash escapes "*", "?" and itself: "\*", "\?" and "\\"
// stand for a literal "*", "?" and "\". A backslash before any other
// character, or at the end, is a literal backslash. So 'C:\Windows\*' is
// the text C:\Windows* (the star escaped), 'C:\Windows\\*' is the text
// C:\Windows\ followed by a wildcard, and '\\server' is \server, as in
// pySigma.
// Placeholders such as %temp% are literal text.
//
//	value              without a modifier           with contains/startswith/endswith
//	'text'             CmpGlob pattern              the comparison, pattern
//	''                 present and empty            the comparison, empty pattern
//	4688, 1.5          CmpEqual number              the comparison, the number's decimal text
//	true, false        CmpEqual boolean             an error
//	null (or nothing)  the field is absent          an error
//
// A list mixing kinds gives one predicate per comparison (numbers and
// booleans share CmpEqual), ORed, in the order each kind first appears; a
// null in it adds "the field is absent". With the all modifier every value
// is its own predicate and the predicates are ANDed. An empty list is an
// error. Unquoted YAML timestamps are an error: quote them to match text.
//
// # Fields
//
// A field name with a dot is a path in the event. Any other name N is
// looked up, first found wins, at:
//
//  1. N, at the top level of the event;
//  2. Event.EventData.N and Event.System.N, a Windows event record
//     rendered as JSON (Provider_Name also at
//     Event.System.Provider.#attributes.Name);
//  3. its ECS path as pySigma's ecs_windows pipeline maps it, by the rule's
//     log source category or service where the mapping depends on it
//     (CommandLine is process.command_line in process_creation rules), and
//     winlog.event_data.N in other Windows rules.
//
// # Conditions
//
// and, or, not, parentheses, "1 of X", "all of X" (X a search name or a
// pattern where "*" matches any run of characters; matching searches are
// taken in name order) and "1 of them"/"all of them" (every search whose
// name does not start with "_"). A list of conditions is their OR. A
// condition naming an undefined search, or a pattern that matches no
// search, is an error. Aggregations ("| count() > 5"), "any of", the
// deprecated timeframe, correlation rules and filter rules are errors.
//
// # Errors and limits
//
// Errors are *ir.Error values printed "file:line:col: message"; lines and
// columns are 1-based, columns count bytes. A rule must be one YAML
// document; duplicate keys are errors (YAML does not allow them). The
// limits MaxRuleSize, MaxConditionSize, MaxValues, MaxRuleValues and
// MaxExprSize bound the work one rule can cause.
//
// The lowered rule's Source is the position of its "detection:" key.
//
// # Limits of sigma-go's condition grammar
//
// Conditions are parsed by sigma-go, whose grammar rejects some valid
// Sigma: "any of", upper-case AND/OR/NOT, more than one space in "1 of",
// search names with characters other than letters, digits and "_", and
// name patterns whose first run of letters and "_" is not followed by a
// "*" (sel_1*, *_sel). These are reported as invalid conditions.
package sigma
