package eql

import (
	"errors"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// parseTests pair a query with the String form of its lowering.
var parseTests = []struct {
	query, want string
}{
	{`process where process.name == "cmd.exe"`, `(and event.category equal "process" process.name equal "cmd.exe")`},
	{`any where process.name == "cmd.exe"`, `process.name equal "cmd.exe"`},
	{`"process" where true`, `(and event.category equal "process" true)`},
	{`any where false`, `false`},
	{`any where a == "x" and b == "y" or c == "z"`, `(or (and a equal "x" b equal "y") c equal "z")`},
	{`any where a == "x" or b == "y" and c == "z"`, `(or a equal "x" (and b equal "y" c equal "z"))`},
	{`any where (a == "x" or b == "y") and c == "z"`, `(and (or a equal "x" b equal "y") c equal "z")`},
	{`any where not a == "x"`, `(not a equal "x")`},
	{`any where not not a == "x"`, `(not (not a equal "x"))`},
	{`any where not (a == "x" and b == "y")`, `(not (and a equal "x" b equal "y"))`},
	{`any where a != "x"`, `(not a equal "x")`},
	{`any where a == 1`, `a equal 1`},
	{`any where a == -1.5`, `a equal -1.5`},
	{`any where a == +2`, `a equal 2`},
	{`any where a == - -3`, `a equal 3`},
	{`any where a == 1e3`, `a equal 1000`},
	{`any where a == .5`, `a equal 0.5`},
	{`any where a == true`, `a equal true`},
	{`any where a != false`, `(not a equal false)`},
	{`any where a == null`, `(not a exists)`},
	{`any where a != null`, `a exists`},
	{`any where null == a`, `(not a exists)`},
	{`any where "x" == a`, `a equal "x"`},
	{`any where a == ("x")`, `a equal "x"`},
	{`any where a in ("x", "y")`, `a equal ("x", "y")`},
	{`any where a in~ ("X", "y")`, `a equal~ ("X", "y")`},
	{`any where a not in ("x", 1)`, `(not a equal ("x", 1))`},
	{`any where not a in ("x")`, `(not a equal "x")`},
	{`any where a in ("x", null)`, `a equal "x"`},
	{`any where a in (null)`, `false`},
	{`any where a : "x"`, `a glob~ "x"`},
	{`any where a : "*.EXE"`, `a glob~ "*.EXE"`},
	{`any where a : ("x*", "?y", "a**b")`, `a glob~ ("x*", "?y", "a*b")`},
	{`any where a : "C:\\*"`, `a glob~ "C:\\*"`},
	{`any where a : """C:\*"""`, `a glob~ "C:\\*"`},
	{`any where a : 1`, `a equal~ 1`},
	{`any where a : ("x", 1, true, null)`, `(or a glob~ "x" a equal~ (1, true) (not a exists))`},
	{`any where a : null`, `(not a exists)`},
	{`any where a : ""`, `a glob~ ""`},
	{`any where a == "\\ \" \' \t \n \r \b \f"`, "a equal \"\\ \\\" ' \t \n \r \b \f\""},
	{`any where a == "\u{41}\u{1F600}\u{000000e9}"`, `a equal "A😀é"`},
	{`any where a == """a"b\n"""`, `a equal "a\"b\n"`},
	{`any where a == """x"""""`, `a equal "x\"\""`},
	{`any where a.b.c == 1`, `a.b.c equal 1`},
	{"any where `my field`.x == 1", `my field.x equal 1`},
	{"any where `a``b` == 1", "a`b equal 1"},
	{"any where x.`y.z` == 1", `x.y.z equal 1`},
	{`any where ?a.b == 1`, `a.b equal 1`},
	{`any where @timestamp == 1`, `@timestamp equal 1`},
	{`any where event.sequence == 1`, `event.sequence equal 1`},
	{`any where _a1.b_2 == 1`, `_a1.b_2 equal 1`},
	{"any where a == 1 // comment\n and b == 2", `(and a equal 1 b equal 2)`},
	{`any where /* a /* nested */ comment */ a == 1`, `a equal 1`},
	{"any where\r\n\ta == 1", `a equal 1`},
	{`any where ((a == 1))`, `a equal 1`},
	{`any where (true)`, `true`},
	{`any where a == "é"`, `a equal "é"`},
	{`any where a in ("x") and b : "y" and c == 1 and d != null`, `(and a equal "x" b glob~ "y" c equal 1 d exists)`},
	// Ordering operators; a constant on the left flips the operator.
	{`any where a < 1`, `a lt 1`},
	{`any where a <= -1.5`, `a le -1.5`},
	{`any where a > "x"`, `a gt "x"`},
	{`any where a >= 1e3`, `a ge 1000`},
	{`any where 5 < a`, `a gt 5`},
	{`any where 5 <= a`, `a ge 5`},
	{`any where "m" > a`, `a lt "m"`},
	{`any where "m" >= a`, `a le "m"`},
	{`any where not a < 1`, `(not a lt 1)`},
	{`any where 1 == a`, `a equal 1`},
	{`any where "x" != a`, `(not a equal "x")`},
	// like: wildcards as for ":", case sensitive; like~ case insensitive.
	{`any where a like "x"`, `a glob "x"`},
	{`any where a like "*.EXE"`, `a glob "*.EXE"`},
	{`any where a like ("x*", "?y", "C:\\*")`, `a glob ("x*", "?y", "C:\\*")`},
	{`any where a like~ "*.exe"`, `a glob~ "*.exe"`},
	{`any where a like~ ("x", "y")`, `a glob~ ("x", "y")`},
	{`any where not a like "x"`, `(not a glob "x")`},
	// regex: Lucene syntax, translated to RE2 and anchored.
	{`any where a regex "x.*"`, `a regex "^(\?s:x.\*)$"`},
	{`any where a regex~ ("x", "[0-9]+")`, `a regex~ ("^(\?s:x)$", "^(\?s:[0-9]+)$")`},
	{`any where a regex """\d{2}"""`, `a regex "^(\?s:[0-9]{2})$"`},
	// Functions, with case-insensitive names and ~ forms.
	{`any where startsWith(a, "x*")`, `a prefix "x\*"`},
	{`any where startswith~(a, "X")`, `a prefix~ "X"`},
	{`any where STARTSWITH(a, "")`, `a prefix ""`},
	{`any where endsWith(a, ".exe")`, `a suffix ".exe"`},
	{`any where endswith~(a, "*.EXE")`, `a suffix~ "*.EXE"`},
	{`any where endsWith(a, "x\\*?")`, `a suffix "x\*?"`},
	{`any where stringContains(a, "x")`, `a contains "x"`},
	{`any where stringContains~(a, "a*b?c")`, `a contains~ "a*b?c"`},
	{`any where stringContains(a, "principal=\\*")`, `a contains "principal=\*"`},
	{`any where stringContains(a, "x\\")`, `a contains "x\\"`},
	{`any where cidrMatch(a, "10.0.0.0/8")`, `a cidr "10.0.0.0/8"`},
	{`any where cidrmatch(a, "10.0.0.0/8", "192.168.1.1", "::1", "fe80::/10")`, `a cidr ("10.0.0.0/8", "192.168.1.1", "::1", "fe80::/10")`},
	{`any where not startsWith(a, "x")`, `(not a prefix "x")`},
	{`any where (endsWith(a, "x"))`, `a suffix "x"`},
	{`any where startsWith(?a.b, "x") and stringContains(c, "y")`, `(and a.b prefix "x" c contains "y")`},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		x, err := Parse("q.eql", tt.query)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.query, err)
			continue
		}
		if got := x.String(); got != tt.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.query, got, tt.want)
		}
	}
}

// errorTests pair a query that must fail with its exact error.
var errorTests = []struct {
	query, want string
}{
	{``, `q.eql:1:1: unexpected end of query (expected an event category or "any")`},
	{`   // only a comment`, `q.eql:1:21: unexpected end of query (expected an event category or "any")`},
	{`process`, `q.eql:1:8: unexpected end of query (expected "where")`},
	{`process where`, `q.eql:1:14: unexpected end of query (expected a value)`},
	{`where a == 1`, `q.eql:1:1: unexpected "where" (expected an event category or "any")`},
	{`process where ==`, `q.eql:1:15: unexpected "==" (expected a value)`},
	{`any where a ==`, `q.eql:1:15: unexpected end of query (expected a value)`},
	{`any where a == == 1`, `q.eql:1:16: unexpected "==" (expected a value)`},
	{`any where a b`, `q.eql:1:13: unexpected "b" (expected an operator or end of query)`},
	{`any where (a == 1`, `q.eql:1:18: unexpected end of query (expected an operator or ")")`},
	{`any where a == 1)`, `q.eql:1:17: unexpected ")" (expected an operator or end of query)`},
	{`any where a in "x"`, `q.eql:1:16: unexpected string "x" (expected "(")`},
	{`any where a in ("x" "y")`, `q.eql:1:21: unexpected string "y" (expected "," or ")")`},
	// After ":", like and regex a "(" opens a list of operands, as in
	// EqlBase.g4's predicate rule, never a parenthesised condition.
	{`any where a : (b or c)`, `q.eql:1:18: unexpected "or" (expected "," or ")")`},
	{`any where a in ()`, `q.eql:1:17: unexpected ")" (expected a value)`},
	{`any where a not "x"`, `q.eql:1:17: unexpected string "x" (expected "in" or "in~")`},
	{`any where a.`, `q.eql:1:13: unexpected end of query (expected a field name)`},
	{`any where a.1 == 1`, `q.eql:1:12: unexpected ".1" (expected an operator or end of query)`},
	{`any where ? == 1`, `q.eql:1:13: unexpected "==" (expected a field name)`},
	{`any where a = 1`, `q.eql:1:13: unexpected "=" (expected "==")`},
	{`any where a == 1 && b == 2`, `q.eql:1:18: unexpected "&&" (expected "and")`},
	{`any where a == 1 || b == 2`, `q.eql:1:18: unexpected "||" (expected "or")`},
	{`any where !a`, `q.eql:1:11: unexpected "!" (expected "!=" or "not")`},
	{`any where a == 'x'`, `q.eql:1:16: unexpected single quote (strings are written in double quotes)`},
	{`any where a == ?"x"`, `q.eql:1:16: unexpected "?" before a string (raw strings are written """…""")`},
	{`any where a == "x`, `q.eql:1:16: unterminated string (expected " before the end of the line)`},
	{"any where a == \"x\ny\"", `q.eql:1:16: unterminated string (expected " before the end of the line)`},
	{`any where a == """x`, `q.eql:1:16: unterminated string (expected """ before the end of the line)`},
	{`any where a == "\q"`, `q.eql:1:17: bad escape "\q" (expected one of \\ \" \' \t \n \r \b \f \u{…})`},
	{`any where a == "\u0041"`, `q.eql:1:17: bad escape "\u0041" (expected \u{…} with 1 to 8 hex digits)`},
	{`any where a == "\u{}"`, `q.eql:1:17: bad escape "\u{}" (expected \u{…} with 1 to 8 hex digits)`},
	{`any where a == "\u{123456789}"`, `q.eql:1:17: bad escape "\u{12345678" (expected \u{…} with 1 to 8 hex digits)`},
	{`any where a == "\u{D800}"`, `q.eql:1:17: bad escape "\u{D800}" (not a Unicode code point)`},
	{`any where a == "\u{110000}"`, `q.eql:1:17: bad escape "\u{110000}" (not a Unicode code point)`},
	{`any where a == "\u{zz}"`, `q.eql:1:17: bad escape "\u{zz}" (expected \u{…} with 1 to 8 hex digits)`},
	{`any where a == 1 /* unterminated`, `q.eql:1:18: unterminated comment (expected "*/")`},
	{"any where `` == 1", `q.eql:1:11: empty quoted name (expected a name between the backticks)`},
	{"any where `a == 1", "q.eql:1:11: unterminated quoted name (expected a closing \"`\")"},
	{`any where a == #`, `q.eql:1:16: unexpected character "#"`},
	{"any where a == \xff", `q.eql:1:16: invalid UTF-8 encoding`},
	{`any where a == 1e999`, `q.eql:1:16: number 1e999 out of range`},
	{`any where AND`, `q.eql:1:11: unexpected field AND (expected a condition)`},
	{`process where a == 1 AND b == 2`, `q.eql:1:22: unexpected "AND" (expected an operator or end of query; reserved words are lower case)`},
	{`any where a`, `q.eql:1:11: unexpected field a (expected a condition)`},
	{`any where "x"`, `q.eql:1:11: unexpected string "x" (expected a condition)`},
	{`any where 1`, `q.eql:1:11: unexpected number 1 (expected a condition)`},
	{`any where null`, `q.eql:1:11: unexpected null (expected a condition)`},
	{`any where (a)`, `q.eql:1:11: unexpected field a (expected a condition)`},
	{`any where a : b`, `q.eql:1:15: unexpected field b (expected a constant)`},
	{`any where cidrMatch(a, length(b))`, `q.eql:1:24: unexpected length(…) (expected a string)`},
	// Ordering operators: a field and a number or a string.
	{`any where true >= a`, `q.eql:1:11: unexpected true (expected a number or a string)`},
	{`any where (a == 1) < 2`, `q.eql:1:11: unsupported: condition as an operand of <`},
	// like and regex: a field and strings.
	{`any where a like 1`, `q.eql:1:18: unexpected number 1 (expected a string)`},
	{`any where a like~ ("x", null)`, `q.eql:1:25: unexpected null (expected a string)`},
	{`any where a like b`, `q.eql:1:18: unexpected field b (expected a constant)`},
	{`any where a regex ("x", b)`, `q.eql:1:25: unexpected field b (expected a constant)`},
	{`any where a regex 1`, `q.eql:1:19: unexpected number 1 (expected a string)`},
	{`any where a regex "a(b"`, `q.eql:1:19: bad regex "a(b": unexpected end (expected ")")`},
	{`any where a regex~ ("x", "[b")`, `q.eql:1:26: bad regex "[b": unexpected end (expected "]")`},
	{`any where a regex "a)b"`, `q.eql:1:19: bad regex "a)b": unexpected ")"`},
	{`any where a regex "\\n"`, `q.eql:1:19: bad regex "\\n": bad escape "\n"`},
	{`any where a regex "a&b"`, `q.eql:1:19: unsupported: intersection "&" in regex "a&b"`},
	{`any where a regex "~a"`, `q.eql:1:19: unsupported: complement "~" (write \~ for a literal ~) in regex "~a"`},
	{`any where a regex "<ip>"`, `q.eql:1:19: unsupported: named automaton "<ip>" in regex "<ip>"`},
	{`any where a regex "a{1001}"`, `q.eql:1:19: unsupported: repetition count 1001 (RE2 allows at most 1000) in regex "a{1001}"`},
	// Functions.
	{`any where startsWith(a)`, `q.eql:1:11: startsWith takes two strings (found 1 argument)`},
	{`any where endsWith(a, "x", "y")`, `q.eql:1:11: endsWith takes two strings (found 3 arguments)`},
	{`any where stringContains()`, `q.eql:1:11: stringContains takes two strings (found 0 arguments)`},
	{`any where cidrMatch(a)`, `q.eql:1:11: cidrMatch takes a field and one or more CIDR ranges (found 1 argument)`},
	{`any where cidrMatch~(a, "10.0.0.0/8")`, `q.eql:1:11: unexpected "cidrMatch~" (cidrMatch has no case-insensitive form)`},
	{`any where startsWith(endsWith(a, "x"), "y")`, `q.eql:1:22: unsupported: endsWith(…) as an argument of startsWith`},
	{`any where startsWith(a == 1, "y")`, `q.eql:1:22: unsupported: condition as an argument of startsWith`},
	{`any where stringContains(a, 1)`, `q.eql:1:29: unexpected number 1 (expected a string)`},
	{`any where stringContains(a, b == 1)`, `q.eql:1:29: unsupported: condition as an argument of stringContains`},
	{`any where cidrMatch(a, "10.0.0.0/33")`, `q.eql:1:24: unexpected string "10.0.0.0/33" (expected an IP address or a CIDR range such as 10.0.0.0/8)`},
	{`any where cidrMatch(a, "10.0.0.0/8", "fe80::1%eth0")`, `q.eql:1:38: unexpected string "fe80::1%eth0" (expected an IP address or a CIDR range such as 10.0.0.0/8)`},
	{`any where cidrMatch(a, "10.0.0.0/8", "x")`, `q.eql:1:38: unexpected string "x" (expected an IP address or a CIDR range such as 10.0.0.0/8)`},
	{`any where a == startsWith(b, "x")`, `q.eql:1:16: unsupported: startsWith(…) as an operand of ==`},
	{`any where startsWith(a, "x") in (true)`, `q.eql:1:11: unsupported: startsWith(…) as an operand of in`},
	{`any where a in (startsWith(b, "x"))`, `q.eql:1:17: unsupported: startsWith(…) in a value list`},
	{`any where a : startsWith(b, "x")`, `q.eql:1:15: unexpected startsWith(…) (expected a constant)`},
	{`any where -startsWith(b, "x")`, `q.eql:1:12: unsupported: startsWith(…) as an operand of -`},
	{`any where a[0] == 1`, `q.eql:1:12: unsupported: array index [0]`},
	{`any where a == 1 | head 5`, `q.eql:1:18: unsupported: pipe head`},
	{`any where a == 1 | unique a, b`, `q.eql:1:18: unsupported: pipe unique`},
	{`sequence [process where true] [file where true]`, `q.eql:1:1: unsupported: sequence outside a rule (it spans several events: use ParseRule or ParseTOML)`},
	{`sequence by host.id with maxspan=1m [process where true]`, `q.eql:1:1: a sequence needs at least 2 stages (or with runs=2 or more)`},
	{`sample by host.id [process where true]`, `q.eql:1:1: a sample needs at least 2 stages`},
	{`join [process where true] [file where true]`, `q.eql:1:1: unsupported: join`},
	{"\n\n  any where\n    a == 1 and\n    b ==", `q.eql:5:9: unexpected end of query (expected a value)`},
}

func TestParseErrors(t *testing.T) { testErrors(t, errorTests) }

// testErrors checks that each query fails to parse with its exact error.
func testErrors(t *testing.T, tests []struct{ query, want string }) {
	t.Helper()
	for _, tt := range tests {
		x, err := Parse("q.eql", tt.query)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want error %s", tt.query, x, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("Parse(%q)\n got error %s\nwant error %s", tt.query, got, tt.want)
		}
		checkError(t, tt.query, err)
	}
}

// checkError checks that err is an *ir.Error whose position is inside src
// and agrees with its offset.
func checkError(t *testing.T, src string, err error) {
	t.Helper()
	var e *ir.Error
	if !errors.As(err, &e) {
		t.Errorf("error %v is a %T, want *ir.Error", err, err)
		return
	}
	p := e.Pos
	if p.Offset < 0 || p.Offset > len(src) || p.Line < 1 || p.Col < 1 {
		t.Errorf("error %v: bad position %+v for a source of %d bytes", err, p, len(src))
		return
	}
	before := src[:p.Offset]
	line := 1 + strings.Count(before, "\n")
	col := p.Offset - strings.LastIndexByte(before, '\n')
	if p.Line != line || p.Col != col {
		t.Errorf("error %v: position %d:%d, offset %d is at %d:%d", err, p.Line, p.Col, p.Offset, line, col)
	}
}

func TestParseNoFile(t *testing.T) {
	_, err := Parse("", "process where ==")
	if got, want := err.Error(), `1:15: unexpected "==" (expected a value)`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestParseDepth(t *testing.T) {
	nest := func(open string, n int, inner, close string) string {
		return "any where " + strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	tests := []struct {
		query string
		want  string // error, or "" for none
	}{
		{nest("(", MaxDepth, "a == 1", ")"), ""},
		{nest("(", MaxDepth+1, "a == 1", ")"), "1:1011: nesting deeper than 1000"},
		{nest("(", 10000, "a == 1", ")"), "1:1011: nesting deeper than 1000"},
		{nest("not ", MaxDepth, "a == 1", ""), ""},
		{nest("not ", MaxDepth+1, "a == 1", ""), "1:4011: nesting deeper than 1000"},
		{nest("not ", 10000, "a == 1", ""), "1:4011: nesting deeper than 1000"},
		{nest("not (", MaxDepth/2, "a == 1", ")"), ""},
		{nest("not (", MaxDepth/2, "not a == 1", ")"), "1:2511: nesting deeper than 1000"},
		{nest("f(", 10000, "a", ")"), "1:2012: nesting deeper than 1000"},
		{nest("a in (", 10000, "1", ")"), "1:6016: nesting deeper than 1000"},
		// "not" ends at and/or: a long chain is shallow.
		{"any where " + strings.Repeat("not a == 1 and ", 5000) + "true", ""},
		// "not in" is not a nesting "not".
		{"any where " + strings.Repeat("(a not in (1) and ", 999) + "true" + strings.Repeat(")", 999), ""},
	}
	for _, tt := range tests {
		_, err := Parse("", tt.query)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Parse(%.40q…): got error %q, want %q", tt.query, got, tt.want)
		}
	}
}

func TestParseRule(t *testing.T) {
	tests := []struct {
		file, src string
		want      string // Dump
	}{
		{"rules/proc.eql", "process where a == 1", `rule eql "proc"
  title: "proc"
  source: rules/proc.eql:1:1
  (and
    event.category equal "process"
    a equal 1)
`},
		{"x/a.b.eql", "// header\n\n  any where true\n", `rule eql "a.b"
  title: "a.b"
  source: x/a.b.eql:3:3
  true
`},
	}
	for _, tt := range tests {
		r, err := ParseRule(tt.file, []byte(tt.src))
		if err != nil {
			t.Errorf("ParseRule(%q): %v", tt.file, err)
			continue
		}
		if r.Lang != ir.LangEQL {
			t.Errorf("ParseRule(%q): Lang %v", tt.file, r.Lang)
		}
		if got := r.Dump(); got != tt.want {
			t.Errorf("ParseRule(%q)\n got %s\nwant %s", tt.file, got, tt.want)
		}
	}
	_, err := ParseRule("rules/bad.eql", []byte("process where\n  a =="))
	if got, want := err.Error(), "rules/bad.eql:2:7: unexpected end of query (expected a value)"; got != want {
		t.Errorf("got error %s, want %s", got, want)
	}
}
