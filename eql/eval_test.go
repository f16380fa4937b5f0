package eql_test

import (
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// evalTests pair a query with events (JSON objects) that must match it and
// events that must not. {} is the event without the fields the query reads.
var evalTests = []struct {
	query       string
	match, miss []string
}{
	// length counts UTF-16 code units; an array field is tried element by
	// element; a missing field, null or a non-string is null.
	{`any where length(a) == 3`,
		[]string{`{"a": "abc"}`, `{"a": "a😀"}`, `{"a": ["x", "abc"]}`, `{"a.b": 1, "a": "xyz"}`},
		[]string{`{}`, `{"a": null}`, `{"a": "ab"}`, `{"a": []}`, `{"a": 123}`, `{"a": "é😀é"}`}},
	{`any where length(a) > 0`, []string{`{"a": "x"}`}, []string{`{"a": ""}`, `{}`}},
	{`any where not length(a) > 3`, []string{`{"a": "abc"}`, `{"a": ""}`}, []string{`{}`, `{"a": null}`, `{"a": "abcd"}`}},
	{`any where not not length(a) > 3`, []string{`{"a": "abcd"}`}, []string{`{}`, `{"a": "abc"}`}},
	{`any where length(a) != 3`, []string{`{"a": "ab"}`}, []string{`{}`, `{"a": "abc"}`}},
	{`any where not length(a) != 3`, []string{`{"a": "abc"}`}, []string{`{}`, `{"a": "ab"}`}},
	{`any where length(a) == null`, []string{`{}`, `{"a": null}`}, []string{`{"a": ""}`}},
	{`any where length(?a) != null`, []string{`{"a": ""}`}, []string{`{}`}},
	{`any where length(a) in (1, 2)`, []string{`{"a": "ab"}`}, []string{`{"a": "abc"}`, `{}`}},
	{`any where length(a) not in (1, 2)`, []string{`{"a": "abc"}`}, []string{`{"a": "ab"}`, `{}`}},
	{`any where not length(a) in (1, null)`, nil, []string{`{"a": "ab"}`, `{"a": "a"}`, `{}`}},
	// Arithmetic: integers stay integers, division by zero is null.
	{`any where a + b > 5`, []string{`{"a": 3, "b": 3}`, `{"a": 2.5, "b": 3}`}, []string{`{"a": 2, "b": 3}`, `{"a": 9}`, `{"a": "3", "b": 3}`}},
	{`any where not a + b > 5`, []string{`{"a": 2, "b": 3}`}, []string{`{"a": 3, "b": 3}`, `{"a": 9}`, `{}`}},
	{`any where a + 1 > 5`, []string{`{"a": 5}`, `{"a": [1, 5]}`}, []string{`{"a": 4}`, `{}`}},
	{`any where not a + 1 > 5`, []string{`{"a": 4}`, `{}`}, []string{`{"a": 5}`}},
	{`any where a - 1 == 81`, []string{`{"a": 82}`}, []string{`{"a": 81}`}},
	{`any where 10 - a == 3`, []string{`{"a": 7}`}, []string{`{"a": -7}`}},
	{`any where -a < -3`, []string{`{"a": 4}`}, []string{`{"a": 3}`, `{}`}},
	{`any where a * 2 == 164`, []string{`{"a": 82}`}, []string{`{"a": 81}`}},
	{`any where multiply(a, 0.5) == 2`, []string{`{"a": 4}`}, []string{`{"a": 5}`}},
	{`any where a / 2 == 41`, []string{`{"a": 82}`, `{"a": 83}`}, []string{`{"a": 84}`, `{"a": 83.0}`}},
	{`any where divide(4, a) == 1`, []string{`{"a": 3}`, `{"a": 4}`}, []string{`{"a": 5}`, `{"a": 0}`}},
	{`any where divide(4.0, a) == 1`, []string{`{"a": 4}`}, []string{`{"a": 3}`}},
	{`any where divide(a, -2) == -2`, []string{`{"a": 4}`, `{"a": 5}`}, []string{`{"a": 6}`}},
	{`any where divide(a, b) >= 0`, []string{`{"a": 1, "b": 2}`}, []string{`{"a": 1, "b": 0}`, `{"a": 1.5, "b": 0}`}},
	{`any where not divide(a, b) >= 0`, []string{`{"a": -4, "b": 2}`}, []string{`{"a": 1, "b": 0}`, `{"a": 1}`}},
	{`any where a % 40 == 2`, []string{`{"a": 82}`}, []string{`{"a": 83}`}},
	{`any where modulo(a, 6) == -4`, []string{`{"a": -10}`}, []string{`{"a": 10}`}},
	{`any where modulo(a, 0.5) == 0`, []string{`{"a": 10}`}, []string{`{"a": 10.25}`}},
	{`any where subtract(a, b) == 4`, []string{`{"a": 10, "b": 6}`, `{"a": 4.5, "b": 0.5}`}, []string{`{"a": 10}`}},
	{`any where add(a, null) == 1`, nil, []string{`{"a": 1}`, `{}`}},
	// Comparisons of two fields: null when either is missing.
	{`any where a == b`, []string{`{"a": "x", "b": "x"}`, `{"a": 1, "b": 1.0}`, `{"a": ["y", "x"], "b": "x"}`}, []string{`{"a": "x", "b": "X"}`, `{"a": "x"}`, `{}`}},
	{`any where a != b`, []string{`{"a": "x", "b": "y"}`}, []string{`{"a": "x", "b": "x"}`, `{"a": "x"}`, `{"b": "x"}`}},
	{`any where a < b`, []string{`{"a": 1, "b": 2}`, `{"a": "a", "b": "b"}`}, []string{`{"a": 2, "b": 1}`, `{"a": 1}`}},
	{`any where a >= b + 1`, []string{`{"a": 3, "b": 2}`}, []string{`{"a": 2, "b": 2}`}},
	{`any where a in (b, "z")`, []string{`{"a": "x", "b": "x"}`, `{"a": "z"}`}, []string{`{"a": "y", "b": "x"}`, `{}`}},
	{`any where a not in (b, "z")`, []string{`{"a": "y", "b": "x"}`}, []string{`{"a": "y"}`, `{"a": "z", "b": "x"}`, `{}`}},
	{`any where a in~ (b)`, []string{`{"a": "X", "b": "x"}`}, []string{`{"a": "y", "b": "x"}`}},
	// Queries on a field: not of a missing field matches.
	{`any where a in ("x", null)`, []string{`{"a": "x"}`}, []string{`{}`, `{"a": null}`}},
	{`any where not a in ("x", null)`, []string{`{}`, `{"a": "y"}`}, []string{`{"a": "x"}`}},
	{`any where a in (null)`, nil, []string{`{}`, `{"a": "x"}`}},
	{`any where not a in (null)`, nil, []string{`{}`, `{"a": "x"}`}},
	{`any where not a > 5`, []string{`{}`, `{"a": 5}`}, []string{`{"a": 6}`}},
	{`any where ?a == null`, []string{`{}`, `{"a": null}`}, []string{`{"a": 0}`}},
	// concat, string.
	{`any where concat(a, "-", b) == "x-1"`, []string{`{"a": "x", "b": 1}`, `{"a": "x", "b": "1"}`}, []string{`{"a": "x"}`, `{"a": "x", "b": null}`, `{"a": "X", "b": 1}`}},
	{`any where concat(a, b) : "X*"`, []string{`{"a": "x", "b": "y"}`}, []string{`{"a": "y", "b": "x"}`}},
	{`any where concat(a, true) like "*true"`, []string{`{"a": "x"}`}, []string{`{}`}},
	{`any where concat(a, "x") regex~ "A.X"`, []string{`{"a": "ab"}`}, []string{`{"a": "abc"}`}},
	{`any where string(a) == "42"`, []string{`{"a": 42}`, `{"a": "42"}`}, []string{`{"a": 42.5}`, `{}`}},
	{`any where string(a) == "true"`, []string{`{"a": true}`}, []string{`{"a": false}`}},
	{`any where endsWith(string(a), string(b))`, []string{`{"a": "10.0.0.1", "b": "0.1"}`}, []string{`{"a": "10.0.0.1", "b": "0.2"}`, `{"a": "10.0.0.1"}`}},
	{`any where not endsWith(string(a), string(b))`, []string{`{"a": "10.0.0.1", "b": "0.2"}`}, []string{`{"a": "10.0.0.1", "b": "0.1"}`, `{"a": "10.0.0.1"}`, `{}`}},
	// between.
	{`any where between(p, "System32\\", ".exe") == "cmd"`, []string{`{"p": "C:\\Windows\\System32\\cmd.exe"}`}, []string{`{"p": "C:\\Windows\\system32\\cmd.exe"}`, `{}`}},
	{`any where between~(p, "system32\\", ".EXE") == "cmd"`, []string{`{"p": "C:\\Windows\\System32\\cmd.exe"}`}, nil},
	{`any where between(p, "\\", "\\") == "Windows"`, []string{`{"p": "C:\\Windows\\System32\\cmd.exe"}`}, nil},
	{`any where between(p, "\\", "\\", true) == "Windows\\System32"`, []string{`{"p": "C:\\Windows\\System32\\cmd.exe"}`}, nil},
	{`any where between(p, "x", "y") == ""`, []string{`{"p": "abc"}`, `{"p": ""}`}, []string{`{}`}},
	// indexOf.
	{`any where indexOf(d, ".") == 9`, []string{`{"d": "subdomain.example.com"}`}, []string{`{"d": "example.com"}`, `{}`}},
	{`any where indexOf(d, ".", 10) == 17`, []string{`{"d": "subdomain.example.com"}`}, nil},
	{`any where indexOf(d, ".", -6) == 9`, []string{`{"d": "subdomain.example.com"}`}, nil},
	{`any where indexOf(d, "", 10) == 10`, []string{`{"d": "subdomain.example.com"}`}, nil},
	{`any where indexOf(d, "D") == 3`, nil, []string{`{"d": "subdomain.example.com"}`}},
	{`any where indexOf~(d, "D") == 3`, []string{`{"d": "subdomain.example.com"}`}, nil},
	{`any where indexOf(d, "😀") == 1`, []string{`{"d": "a😀"}`}, nil},
	{`any where indexOf(d, "b") == 3`, []string{`{"d": "a😀b"}`}, nil},
	{`any where not indexOf(d, "z") >= 0`, nil, []string{`{"d": "abc"}`, `{}`}},
	{`any where not indexOf(d, ".", 30) >= 0`, nil, []string{`{"d": "subdomain.example.com"}`}},
	// number.
	{`any where number(a) == 1337`, []string{`{"a": "1337"}`, `{"a": "  1337  "}`, `{"a": "+1337"}`}, []string{`{"a": "1337x"}`, `{"a": ""}`, `{}`}},
	{`any where number(a) == 42.5`, []string{`{"a": "42.5"}`}, nil},
	{`any where number(a, 16) == 31`, []string{`{"a": "1F"}`, `{"a": "0x1F"}`, `{"a": "1f"}`}, []string{`{"a": "1G"}`}},
	{`any where number(a, null) == -1337`, []string{`{"a": "-1337"}`}, nil},
	{`any where not number(a) > 0`, []string{`{"a": "-1"}`}, []string{`{"a": "x"}`, `{}`}},
	// substring: offsets in UTF-16 code units, negative ones from the end.
	{`any where substring(a, 6) == "regsvr32.exe"`, []string{`{"a": "start regsvr32.exe"}`}, nil},
	{`any where substring(a, 0, 5) == "start"`, []string{`{"a": "start regsvr32.exe"}`}, nil},
	{`any where substring(a, -4) == ".exe"`, []string{`{"a": "start regsvr32.exe"}`}, nil},
	{`any where substring(a, -4, -1) == ".ex"`, []string{`{"a": "start regsvr32.exe"}`}, nil},
	{`any where substring(a, 10, 2) == ""`, []string{`{"a": "start regsvr32.exe"}`}, []string{`{}`}},
	{`any where substring(a, 1, 3) == "😀"`, []string{`{"a": "a😀b"}`}, nil},
	{`any where substring(a, 0, -1) == "abc"`, []string{`{"a": "abcd"}`, `{"a": ["x", "abcd"]}`}, []string{`{"a": "abc"}`}},
	// startsWith, endsWith, stringContains over a field and a constant:
	// queries (endsWith and stringContains with wildcards).
	{`any where startsWith(a, "x*")`, []string{`{"a": "x*y"}`}, []string{`{"a": "xy"}`, `{"a": "X*y"}`}},
	{`any where startsWith~(a, "É")`, []string{`{"a": "école"}`, `{"a": "École"}`}, []string{`{"a": "ecole"}`}},
	{`any where endsWith(a, "*.exe")`, []string{`{"a": "a.exe"}`}, []string{`{"a": "a.EXE"}`}},
	{`any where stringContains(a, "a\\*")`, []string{`{"a": "xa*y"}`}, []string{`{"a": "xaby"}`}},
	{`any where not startsWith(a, "x")`, []string{`{}`, `{"a": "y"}`}, []string{`{"a": "xy"}`}},
	{`any where startsWith(a, "x") == true`, []string{`{"a": "xy"}`}, []string{`{}`}},
	{`any where startsWith(a, "x") == false`, []string{`{}`, `{"a": "y"}`}, []string{`{"a": "xy"}`}},
	// … and over anything else: scripts, literal, null when an input is.
	{`any where startsWith~(a, b)`, []string{`{"a": "Cmd.exe", "b": "CMD"}`}, []string{`{"a": "cmd"}`, `{"a": "x", "b": "y"}`}},
	{`any where startsWith(a, b)`, nil, []string{`{"a": "Cmd.exe", "b": "CMD"}`}},
	{`any where not startsWith~(a, b)`, []string{`{"a": "x", "b": "y"}`}, []string{`{"a": "x"}`, `{"b": "y"}`, `{"a": "Cmd", "b": "cmd"}`}},
	{`any where startsWith(a, b) == false`, []string{`{"a": "x", "b": "y"}`}, []string{`{"a": "x"}`}},
	{`any where stringContains(a, b)`, []string{`{"a": "a*b", "b": "*"}`}, []string{`{"a": "ab", "b": "*"}`}},
	{`any where endsWith~(a, concat(b, "."))`, []string{`{"a": "HOST.", "b": "host"}`}, []string{`{"a": "host", "b": "host"}`}},
	{`any where startsWith("regsvr32.exe", a)`, []string{`{"a": "regsvr32"}`}, []string{`{"a": "explorer"}`, `{}`}},
	{`any where not startsWith("regsvr32.exe", a)`, []string{`{"a": "explorer"}`}, []string{`{}`, `{"a": "reg"}`}},
	{`any where startsWith(substring(a, 1), "b")`, []string{`{"a": "abc"}`}, []string{`{"a": "acb"}`, `{}`}},
	{`any where startsWith(a, null)`, nil, []string{`{"a": "x"}`, `{}`}},
	{`any where not startsWith(a, null)`, nil, []string{`{"a": "x"}`, `{}`}},
	// From Elastic's rules.
	{`any where endswith~(user.name, "$") and not startswith~(winlog.computer_name, substring(user.name, 0, -1))`,
		[]string{`{"user": {"name": "DC01$"}, "winlog": {"computer_name": "WS02.corp"}}`},
		[]string{`{"user": {"name": "DC01$"}, "winlog": {"computer_name": "dc01.corp"}}`, `{"user": {"name": "DC01$"}}`}},
	{`any where length(registry.data.strings) > 0`,
		[]string{`{"registry": {"data": {"strings": ["", "x"]}}}`, `{"registry.data.strings": "x"}`},
		[]string{`{"registry": {"data": {"strings": [""]}}}`, `{"registry": {"data": {}}}`}},
	// cidrMatch: a terms query on the field.
	{`any where cidrMatch(a, "10.0.0.0/8", "::1")`, []string{`{"a": "10.1.2.3"}`, `{"a": "::1"}`, `{"a": ["1.1.1.1", "10.0.0.1"]}`}, []string{`{"a": "11.0.0.1"}`, `{}`}},
	{`any where not cidrMatch(a, "10.0.0.0/8")`, []string{`{}`, `{"a": "11.0.0.1"}`}, []string{`{"a": "10.0.0.1"}`}},
	{`any where not cidrMatch(a, "10.0.0.0/8", null)`, nil, []string{`{}`, `{"a": "11.0.0.1"}`}},
	// not over and/or is a query negation: a null script in it is false.
	{`any where not (length(a) > 3 and b == 1)`, []string{`{}`, `{"b": 1}`}, []string{`{"a": "abcd", "b": 1}`}},
	{`any where not (length(a) > 3 or b == 1)`, []string{`{}`}, []string{`{"b": 1}`}},
	{`any where (length(a) > 3) == false`, []string{`{"a": "abc"}`}, []string{`{}`}},
	// Constant conditions.
	{`any where length("abc") == 3 and add(1, 2) == 3 and concat("a", 1) == "a1"`, []string{`{}`}, nil},
	{`any where "abc" : "A*" and "abc" regex~ "A.*" and not "abc" like "A*"`, []string{`{}`}, nil},
	{`any where number("0xdeadbeef") == 3735928559`, []string{`{}`}, nil},
	{`any where startsWith~("regsvr32.exe", "Regsvr32") and not stringContains("abc", "B")`, []string{`{}`}, nil},
	{`any where 1 < 2 and "a" < "b" and not 1 == "1"`, []string{`{}`}, nil},
	{`any where length(null) == null and not (length(null) > 1)`, nil, []string{`{}`}},
	{`any where length(null) == null`, []string{`{}`}, nil},
	{`any where a < null or not a < null`, nil, []string{`{}`, `{"a": 1}`}},
}

func TestEval(t *testing.T) {
	for _, tt := range evalTests {
		x, err := eql.Parse("q.eql", tt.query)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.query, err)
			continue
		}
		rs, err := compile.Compile([]*ir.Rule{{Meta: ir.Meta{ID: "q"}, Expr: x}})
		if err != nil {
			t.Errorf("%s: compile %s: %v", tt.query, x, err)
			continue
		}
		for _, want := range []bool{true, false} {
			events := tt.match
			if !want {
				events = tt.miss
			}
			for _, src := range events {
				ev, err := match.ParseJSON([]byte(src))
				if err != nil {
					t.Fatalf("%s: event %s: %v", tt.query, src, err)
				}
				if got := len(rs.Match(ev, nil)) == 1; got != want {
					t.Errorf("%s\n  lowered %s\n  event %s: compiled match %v, want %v", tt.query, x, src, got, want)
				}
				if got := refeval.Eval(x, ev); got != want {
					t.Errorf("%s\n  lowered %s\n  event %s: reference match %v, want %v", tt.query, x, src, got, want)
				}
			}
		}
	}
}
