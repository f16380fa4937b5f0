// Package eql reads Elastic EQL rules and lowers them to ruleforge's IR
// ([ir.Expr], [ir.Rule]).
//
// [Parse] reads one query, [ParseRule] a bare query file (.eql) and
// [ParseTOML] a rule file in Elastic's detection-rules TOML format. The
// language is Elasticsearch's EQL; this package lowers the subset below and
// rejects the rest with an "unsupported: …" error at its position.
//
// # Language
//
//	construct                       lowers to
//	<category> where <cond>         (and event.category equal "<category>" <cond>)
//	"<category>" where <cond>       the same
//	any where <cond>                <cond>
//	a and b, a or b, not a, (a)     and, or, not; or < and < not < comparison
//	f == v                          f equal v, case sensitive
//	f != v                          (not f equal v)
//	f == null, f != null            (not f exists), f exists
//	f < v, f <= v, f > v, f >= v    f lt v, f le v, f gt v, f ge v (v a number
//	                                or a string)
//	v == f, v < f, …                f equal v, f gt v, …: a constant on the left
//	                                swaps the operands
//	f in (v1, v2, …)                f equal (v1, v2, …), case sensitive
//	f in~ (v1, v2, …)               f equal~ (v1, v2, …), case insensitive
//	f not in (…), not f in (…)      (not f in …)
//	f : "p", f : ("p1", "p2", …)    f glob~ ("p1", "p2", …), case insensitive
//	f : v (v not a string)          f equal~ v
//	null in a list of in or :       or'ed with (not f exists)
//	f like "p", f like ("p1", …)    f glob ("p1", …), case sensitive
//	f like~ "p", f like~ (…)        f glob~ (…), case insensitive
//	f regex "r", f regex ("r1", …)  f regex ("^(?s:r1)$", …): r1 translated from
//	                                Lucene's syntax to RE2's, case sensitive
//	f regex~ "r", f regex~ (…)      f regex~ (…), case insensitive
//	startsWith(f, "s")              f prefix "s"
//	endsWith(f, "p")                f suffix "p"
//	stringContains(f, "p")          f contains "p"
//	startsWith~(f, "s"), …          f prefix~ "s", …: case insensitive
//	cidrMatch(f, "r1", "r2", …)     f cidr ("r1", "r2", …)
//	true, false (as a condition)    the constants true and false
//
// Values are strings, numbers (integers and decimals, with an optional
// exponent and sign: -1, 2.5, 1e3), true, false and null. Strings are
// written in double quotes with the escapes \\ \" \' \t \n \r \b \f and
// \u{h…} (1 to 8 hex digits naming a Unicode code point); any other escape
// is an error. """triple-quoted""" strings are raw: no escapes at all. Both
// kinds end on their line. Single-quoted and ?"…" strings are errors, as in
// Elasticsearch.
//
// A field is a name or a dotted path of names (process.parent.name). A name
// has letters, digits, "_" and "@" and does not start with a digit; any
// other name is quoted in backticks (`my field`.x is "my field.x"; a
// backtick inside is written twice). After a dot a reserved word is a name
// too (event.sequence). ?field, Elasticsearch's optional field, reads the
// same as field.
//
// Reserved words are lower case and case sensitive, as in Elasticsearch:
// and, any, by, false, in, in~, join, like, like~, maxspan, not, null, of,
// or, regex, regex~, sample, sequence, true, until, where, with. Comments
// are // to the end of the line and /* … */, which nest.
//
// Function names are case insensitive (startswith~, STARTSWITH). Parsed
// but not lowered, each an "unsupported: …" error at its position: other
// functions (length, substring, between, …), a call of one of the functions
// above as an operand (startsWith(f, "x") == true), with a field, a null or
// a call as an argument (startsWith(f, g)) or with a constant first,
// arithmetic (+ - * / % and a sign before anything but a number), array
// indexes (f[0]), pipes (| head 5), fields in value lists and comparisons
// of two fields. Sequences, samples and joins are rejected as a whole at
// their keyword.
//
// # Semantics
//
// ==, !=, in, like, regex and the functions without "~" compare
// case-sensitively; :, in~, like~, regex~ and the functions with "~"
// case-insensitively. ==, != and in have no wildcards. : and like have
// the same ones: "*" matches any run of code points, possibly empty, and
// "?" exactly one code point. They cannot be escaped, and a backslash is an
// ordinary character in a pattern: the query text "C:\\*" is the string
// C:\* after unescaping, a literal "C:\" followed by a star.
//
// The functions take their strings as Elasticsearch runs them: startsWith
// as a prefix query, so its string is literal; endsWith and stringContains
// as wildcard queries, so theirs is a pattern where "*" and "?" are
// wildcards and a backslash makes the next character literal
// (stringContains(f, "a\\*") looks for "a*"). cidrMatch takes IPv4 and
// IPv6 addresses and CIDR ranges; a bad one is an error.
//
// <, <=, > and >= compare numbers numerically and strings by code point.
//
// regex takes Lucene regular expressions, as Elasticsearch does, and
// matches whole values. They are translated to RE2 (see [regexp/syntax]):
// . ? * + {n,m} | ( ) [a-z] [^a-z] \d \s \w "quoted text" and \ escapes,
// # (nothing), @ (any string) and <n-m> (decimal numbers n to m). Lucene
// reads ^, $ and many other characters literally, and so does the
// translation. Intersection (&), complement (~; write \~ for a literal),
// named automata (<name>) and repetition counts over 1000 have no RE2 form
// and are unsupported. regex~ folds case
// with Unicode simple folding; Elasticsearch folds ASCII letters only.
//
// A comparison is true when the field is present and its value, or for an
// array any element of it, compares true with any of the values. A
// comparison on a missing field is false, and not makes it true: not
// user.id : "S-1-5-18" matches events that have no user.id. "process where"
// therefore means event.category is, or as an array contains, "process".
// Fields are looked up nested ({"process": {"name": …}}) or dotted
// ({"process.name": …}).
//
// # Limits
//
// Nesting is limited to [MaxDepth] levels: each open parenthesis (of a
// group, a list or a call) and each not in effect counts one. Deeper
// queries are an error ("nesting deeper than 1000"), found before parsing,
// so no query can exhaust the stack.
//
// # Errors
//
// Errors are *ir.Error, printed as file:line:col: message, and point at the
// offending token; for TOML files they point into the file, inside the
// query's string. Messages say what was found and what was expected:
//
//	rules/x.eql:1:15: unexpected "==" (expected a value)
package eql
