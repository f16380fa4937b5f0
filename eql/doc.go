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
//	f in (v1, v2, …)                f equal (v1, v2, …), case sensitive; null
//	                                in the list is left out
//	f in~ (v1, v2, …)               f equal~ (v1, v2, …), case insensitive
//	f not in (…), not f in (…)      (not f in …)
//	f : "p", f : ("p1", "p2", …)    f glob~ ("p1", "p2", …), case insensitive
//	f : v (v not a string)          f equal~ v
//	f : null, null in a : list      or'ed with (not f exists)
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
//	a + b, a - b, a * b, a / b      add(a, b), subtract(a, b), multiply(a, b),
//	a % b, -a                       divide(a, b), modulo(a, b), negate(a)
//	length(s), concat(v1, …), …     the function of the same name: a computed
//	                                value (ir.Term), see Functions
//	e == v, e < v, e in (…), e : v  e equal v, e lt v, …: any comparison of a
//	e like …, e regex …             computed value e with constants
//	e == null, e != null            (not e glob "*"), e glob "*": e is null, is
//	                                not null
//	f == g, e < g, e != g, …        f equal g, e lt g, (not e equal g): a field
//	                                or a computed value compared with another
//	f in (g, e, "v", …)             (or f equal "v" f equal g f equal e …)
//	startsWith(e, g), …             e prefix g, …: any other arguments, compared
//	                                literally (no wildcards)
//	c == true, c != false           c: c a condition (startsWith(…), (a == 1))
//	c == false, c != true           (not c)
//	e + 1 > 5, 10 - e == 3, -e < 2  e gt 4, e equal 7, e gt -2: integer constants
//	                                move to the other side, as Elasticsearch's
//	                                optimizer moves them
//	constants                       folded: length("abc") == 3 is true,
//	                                concat("a", 1) is "a1", 1 < 2 is true;
//	                                by the runtime's own evaluator and
//	                                matchers, so the result is what the
//	                                compiled rule computes
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
// same as field: a missing field is null.
//
// Reserved words are lower case and case sensitive, as in Elasticsearch:
// and, any, by, false, in, in~, join, like, like~, maxspan, not, null, of,
// or, regex, regex~, sample, sequence, true, until, where, with. Comments
// are // to the end of the line and /* … */, which nest.
//
// Parsed but not lowered, each an "unsupported: …" error at its position:
// array indexes (f[0]), pipes (| head 5), a condition used as a value
// (concat(startsWith(f, "x")), (a == 1) < 2), pipes other than head and
// tail after a sequence, and joins, rejected as a whole at their keyword.
//
// # Sequences and samples
//
// A sequence or sample query makes a stateful rule (ir.Rule.State, run
// by package state): each term is an event query compiled as a stage,
// and package state's sequence machine runs the stages' hits in input
// order with Elasticsearch's semantics. The rule's State is a
// state.Sequence: a description of the query (internal/sequence's Spec),
// so that this package does not import the runtime. The evidence is Elasticsearch's
// x-pack/plugin/eql execution/sequence package and its QA tests:
//
//		sequence [by k…] [with maxspan=N(ms|s|m|h|d)] [A] [by x…] [with runs=N] ![M] … [until [U]]
//		sample [by k…] [A] [B] …
//
//	  - Join keys: the sequence's first, then the term's own, compared by
//	    position (so keys of different names join); every term has as
//	    many. Values compare exactly (strings case-sensitively, numbers as
//	    numbers); an array joins on each of its values; a missing or null
//	    key drops the event from that stage, unless written ?field, when it
//	    joins as null with null.
//	  - One pending sequence per key and stage: a hit on stage n takes the
//	    newest pending sequence at stage n-1 strictly before it and drops
//	    the older ones (SequenceMatcher.match, OrdinalGroup.trimBefore),
//	    so the most recent wins, one event never fills two consecutive
//	    stages, and it can end one sequence and start the next.
//	  - with maxspan: the last event at most maxspan after the first, the
//	    bound inclusive (SequenceMatcher.exceedsMaxSpan); a sequence that
//	    exceeds it is dropped. Pending state expires with event time.
//	  - until [U]: a hit drops the pending sequences of its key, those its
//	    own event advanced included (KeyToSequences.until).
//	  - with runs=N: the term N times (1 to MaxRuns).
//	  - ![M], missing events, need maxspan and one positive term
//	    (TumblingWindow.doCheckMissingEvents): a middle one discards the
//	    sequence when an event of its key lies strictly between the events
//	    around it; a leading one when the newest before the first event is
//	    within maxspan of the last; a trailing one when one comes after
//	    the last event and within maxspan of the first (of the leading
//	    event, with both). A trailing window is decided only when event
//	    time passes it, and the result's event is the one that passed it
//	    (reporting earlier is Elasticsearch issue 145323); at the end of
//	    the input an open window reports nothing.
//	  - head N and tail N pipes limit one batch run's results: a stream
//	    reports every sequence.
//	  - sample by: per key, the first event for each term, in any order,
//	    one event for one term; a full sample is reported and the key
//	    starts anew (a stream has no end at which to stop). A sample is
//	    found whenever the events so far allow one: an event that could
//	    fill several stages takes the one that leaves the others theirs.
//
// Each result's output names the events in stage order ("sequence",
// null for a missing event) and the key values ("join"). Events must come
// in time order; package state says what happens with those that do not.
//
// Known differences from Elasticsearch's sequences: events are ordered by
// their place in the input, where Elasticsearch sorts by timestamp and
// then a tiebreaker field; an event older than one before it (counted as
// out of order) still never extends a sequence whose last event is later
// than it, nor displaces a pending sequence that ends later, so a
// sequence's events are always in time order; an Elastic rule's timestamp_override (often
// event.ingested) is not read: event time is @timestamp; Elasticsearch
// returns at most max_samples_per_key samples per key in a query's window,
// a stream reports every sample; Elastic's detection engine runs a rule
// over its look-back (from, often now-9m), which bounds a sequence without
// maxspan, where a stream keeps it pending until it completes, until drops
// it or the key limit evicts it.
//
// # Functions
//
// Function names are case insensitive (startswith~, STARTSWITH). Those with
// a "~" form are case insensitive in it. An argument that is null makes
// the result null, but for number's base, where null is the default.
//
//	function                        arguments               result
//	add, subtract, multiply         two numbers             a number
//	divide                          two numbers             a number; integers
//	                                                        divide to an integer
//	modulo                          two numbers             a number
//	between, between~               source, left, right     the text of source
//	                                strings, greedy boolean between left and right
//	cidrMatch                       a field, one or more    a condition
//	                                CIDR ranges
//	concat                          one or more values      a string
//	endsWith, endsWith~             two strings             a condition
//	indexOf, indexOf~               two strings, a start    a number, or null
//	                                integer
//	length                          a string                a number
//	number                          a string, a constant    a number, or null
//	                                base (2 to 36)
//	startsWith, startsWith~         two strings             a condition
//	string                          a value                 a string
//	stringContains, stringContains~ two strings             a condition
//	substring                       a string, one or two    a string
//	                                integers
//
// Arithmetic takes numbers only: a string or a boolean constant where a
// number is expected is an error, as is a constant division by zero.
// Integer arithmetic stays integral (divide(4, 3) is 1, divide(4.0, 3) is
// 1.333…). String offsets and lengths count UTF-16 code units, as Java's
// strings do; substring takes Python-style offsets (negative ones count
// from the end). The computed values are evaluated when an event is
// matched; see package match.
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
// The functions over a field and constants take their strings as
// Elasticsearch runs them: startsWith as a prefix query, so its string is
// literal; endsWith and stringContains as wildcard queries, so theirs is a
// pattern where "*" and "?" are wildcards and a backslash makes the next
// character literal (stringContains(f, "a\\*") looks for "a*"). Over
// anything else they are scripts and compare literally. cidrMatch takes
// IPv4 and IPv6 addresses and CIDR ranges; a bad one is an error.
//
// <, <=, > and >= compare numbers numerically and strings by code point.
// Numbers compare exactly ([ir.Compare]): an integer literal is a long
// (above int64, up to 2^64-1, an unsigned long) and compares with event
// integers without rounding through a double, so a == 9007199254740993 does
// not match 9007199254740992 and a > 9223372036854775807 matches
// 9223372036854775808; 5 == 5.0. A literal that overflows a double (1e400)
// is an error. An event number that overflows a double, which Elasticsearch
// would refuse to index ("[double] supports only finite values",
// NumberFieldMapper.NumberType.DOUBLE), is +Inf or -Inf here: for 1e400
// both a > 5 and a != 5 hold (see package match, Numbers).
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
// array any element of it, compares true with any of the values. Fields are
// looked up nested ({"process": {"name": …}}) or dotted ({"process.name":
// …}).
//
// # Null
//
// Elasticsearch runs a comparison of a field with constants as a query on
// the field (term, terms, range, prefix, wildcard, regexp) and everything
// else (a function of fields, arithmetic, a comparison with another field)
// as a script. The two treat a missing field differently, and so does the
// lowering:
//
//	query                                 missing f   not (query), missing f
//	f == "x", f : "x*", f in ("x"), f < 5 false       true
//	startsWith(f, "x"), cidrMatch(f, …)   false       true
//	f != "x"                              true        false
//	f == null                             true        false
//	length(f) > 3, f + g > 5, f == g      false       false
//	startsWith(f, g), endsWith(e, "x")    false       false
//	length(f) == null                     true        false
//	startsWith(f, null), f in (null)      false       false
//
// A query on a missing field is false and not makes it true (not
// user.id : "S-1-5-18" matches events that have no user.id; "process
// where" means event.category is, or as an array contains, "process").
// A script whose input is missing or null, or whose function is undefined
// for its input (division by zero, indexOf that finds nothing), has the
// value null, which does not match, and not of null is null too. The
// lowering writes that out: not P, for a script P, becomes (and D (not P)),
// D the condition that P's operands are not null (f exists for a field,
// e glob "*" for a computed value e). An even run of nots cancels out.
//
// The evidence, in Elasticsearch's source (x-pack/plugin/ql and
// x-pack/plugin/eql): ExpressionTranslators.Nots translates not P to the
// script not(P) when P translates to a ScriptQuery, and to a negated query
// (must_not) otherwise; the script's not(null) is null, and the script
// query's null-safe filter turns null into no match
// (InternalEqlScriptUtils.multiValueDocValues: "missing value means
// null"). EQL's optimizer (EqlBooleanSimplification) does not push not
// into and, or or comparisons, so a not over an and or an or is a
// must_not, under which a script that did not match does; it does remove
// double negations, and rewrites c == true to c and c == false to not c
// (BooleanFunctionEqualsElimination), f == null to an is-null test and
// f != null to not of it (ReplaceNullChecks). InComparisons leaves null out
// of a terms query.
//
// Known differences from Elasticsearch:
//
//   - Elasticsearch rejects a comparison whose right side is a field or
//     computed from one ("Comparisons against fields are not (currently)
//     supported"): f == g, length(f) > length(g). It is lowered here, with a
//     script's null semantics; Elastic's endpoint and the eql Python
//     library accept it too.
//   - Elasticsearch rejects cidrMatch of anything but an IP field, and
//     checks field types against the index mapping; here fields have no
//     type, and a function given a value of the wrong type at match time
//     returns null.
//   - A script over an array field: Elasticsearch tries every combination
//     of the values of every field it reads; here the elements of the
//     field are tried when the compared value reads exactly one field, and
//     otherwise each field gives its first value. Under not, Elasticsearch
//     matches when some element makes P false; here when none makes it
//     true.
//   - Elasticsearch moves integer constants across a comparison (e + 1 >
//     5 is e > 4) only when e is an integer field; here whatever e is.
//     The results differ only under not, for a missing e.
//   - Elasticsearch fails the query on an integer overflow, a division by
//     zero or number() of a string that is not a number at search time;
//     here the value is null. Constant ones are errors here too.
//   - number(f) of a field holding "0x1F" is null (package match reads
//     base 10 unless base 16 is given); Elasticsearch detects the 0x
//     prefix, and so does the folding of number("0x1F"). Floats are
//     written in Go's shortest form: string(f) of 4.0 is "4", not "4.0".
//   - ":" with null is or'ed with (not f exists), and f < null is null;
//     neither is checked against Elasticsearch.
//
// # Limits
//
// Input over a limit is an error, found before the work it would cause, so
// that no rule can exhaust the stack or take much time or memory. Each
// limit is a constant, and an option given to [Parse], [ParseRule] or
// [ParseTOML] changes it (n < 1 restores the default):
//
//	limit          default  option             bounds
//	MaxQuerySize   256 KiB  WithMaxQuerySize   bytes of one query (a .eql file is one)
//	MaxDepth       1000     WithMaxDepth       nesting: each open parenthesis (of a
//	                                           group, a list or a call) and each not
//	                                           in effect counts one
//	MaxStringLen   64 KiB   WithMaxStringLen   bytes of one string, escapes decoded
//	MaxListValues  100000   WithMaxListValues  values of one list (in, :, like, regex
//	                                           and their ~ forms), arguments of one call
//	MaxFileSize    1 MiB    WithMaxFileSize    bytes of one TOML file
//	MaxTOMLDepth   16       WithMaxTOMLDepth   parts of one TOML key; nesting of TOML
//	                                           arrays and inline tables
//
// Nesting and lists are checked before the query is parsed, so a query of
// 10,000 nested parentheses is a quick error, and TOML keys and nesting
// before the file is decoded. The defaults are several times what
// Elastic's rules need (their largest query is 47 KB, their longest list
// 2,609 values, their deepest key 4 parts). The errors:
//
//	x.eql:1:1: query is 262145 bytes, more than the limit of 262144
//	x.eql:1:1011: nesting deeper than 1000
//	x.eql:1:16: string is 65537 bytes, more than the limit of 65536
//	x.eql:1:16: list has more than 100000 values
//	x.eql:1:20: cidrMatch has more than 100000 arguments
//	x.toml:1:1: file is 1048577 bytes, more than the limit of 1048576
//	x.toml:5:33: key has more than 16 parts
//	x.toml:5:21: arrays and inline tables nested deeper than 16
//
// # Errors
//
// Errors are *ir.Error, printed as file:line:col: message, and point at the
// offending token; for TOML files they point into the file, inside the
// query's string. A syntax error points at the first token no query can
// have there: the tokens before it begin a valid query. Messages say what
// was found and what was expected:
//
//	rules/x.eql:1:15: unexpected "==" (expected a value)
package eql
