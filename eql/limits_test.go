package eql

import (
	"strings"
	"testing"
	"time"
)

// limitTests are, for each limit, a query just over its default and the
// exact error, and an option that raises the limit so that the same query
// parses. Each query is cheap to parse even when it passes.
var limitTests = []struct {
	name  string
	query string
	want  string // error with the default limits
	raise Option
}{
	{"depth", "any where " + strings.Repeat("(", MaxDepth+1) + "a == 1" + strings.Repeat(")", MaxDepth+1),
		"x.eql:1:1011: nesting deeper than 1000", WithMaxDepth(MaxDepth + 1)},
	{"depth of not", "any where " + strings.Repeat("not ", MaxDepth+1) + "a == 1",
		"x.eql:1:4011: nesting deeper than 1000", WithMaxDepth(MaxDepth + 1)},
	{"query size", "any where true" + strings.Repeat(" ", MaxQuerySize-13),
		"x.eql:1:1: query is 262145 bytes, more than the limit of 262144", WithMaxQuerySize(MaxQuerySize + 1)},
	{"string", `any where a == "` + strings.Repeat("x", MaxStringLen+1) + `"`,
		"x.eql:1:16: string is 65537 bytes, more than the limit of 65536", WithMaxStringLen(MaxStringLen + 1)},
	{"raw string", `any where a : """` + strings.Repeat("x", MaxStringLen+1) + `"""`,
		"x.eql:1:15: string is 65537 bytes, more than the limit of 65536", WithMaxStringLen(MaxStringLen + 1)},
	// Escapes count once decoded: 65536 bytes, at the limit.
	{"escaped string", `any where a == "` + strings.Repeat(`\\`, MaxStringLen) + `"`, "", nil},
}

func TestLimits(t *testing.T) {
	for _, tt := range limitTests {
		_, err := Parse("x.eql", tt.query)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got error %q, want %q", tt.name, got, tt.want)
		}
		if tt.raise == nil {
			continue
		}
		if _, err := Parse("x.eql", tt.query, tt.raise); err != nil {
			t.Errorf("%s: with the limit raised: %v", tt.name, err)
		}
		// ParseRule takes the same options.
		if _, err := ParseRule("x.eql", []byte(tt.query), tt.raise); err != nil {
			t.Errorf("%s: ParseRule with the limit raised: %v", tt.name, err)
		}
	}
}

// TestLimitOptions checks that each option lowers its limit, and that a
// limit below 1 is the default.
func TestLimitOptions(t *testing.T) {
	tests := []struct {
		query string
		opt   Option
		want  string // error, or "" for none
	}{
		{"any where ((a == 1))", WithMaxDepth(2), ""},
		{"any where ((a == 1))", WithMaxDepth(1), "x.eql:1:12: nesting deeper than 1"},
		{"any where ((a == 1))", WithMaxDepth(0), ""},
		{"any where true", WithMaxQuerySize(14), ""},
		{"any where true", WithMaxQuerySize(13), "x.eql:1:1: query is 14 bytes, more than the limit of 13"},
		{"any where true", WithMaxQuerySize(-1), ""},
		{`any where a == "abc"`, WithMaxStringLen(3), ""},
		{`any where a == "abc"`, WithMaxStringLen(2), "x.eql:1:16: string is 3 bytes, more than the limit of 2"},
		{`any where a == "\u{1F600}"`, WithMaxStringLen(3), "x.eql:1:16: string is 4 bytes, more than the limit of 3"},
		{`any where a in (1, 2, 3)`, WithMaxListValues(3), ""},
		{`any where a in (1, 2, 3, 4)`, WithMaxListValues(3), "x.eql:1:16: list has more than 3 values"},
		{`any where a not in~ ("a", "b", "c", "d")`, WithMaxListValues(3), "x.eql:1:21: list has more than 3 values"},
		{`any where a : ("a", "b", "c", "d")`, WithMaxListValues(3), "x.eql:1:15: list has more than 3 values"},
		{`any where a like~ ("a", "b", "c", "d")`, WithMaxListValues(3), "x.eql:1:19: list has more than 3 values"},
		{`any where a regex ("a", "b", "c", "d")`, WithMaxListValues(3), "x.eql:1:19: list has more than 3 values"},
		{`any where cidrMatch(a, "10.0.0.0/8", "::1")`, WithMaxListValues(3), ""},
		{`any where cidrMatch(a, "10.0.0.0/8", "::1", "1.2.3.4")`, WithMaxListValues(3), "x.eql:1:20: cidrMatch has more than 3 arguments"},
		// A nested list counts on its own.
		{`any where concat(a, b, length(c)) in ("x", "y", "z")`, WithMaxListValues(3), ""},
		{`any where a in (1, 2, 3, 4)`, WithMaxListValues(0), ""},
	}
	for _, tt := range tests {
		_, err := Parse("x.eql", tt.query, tt.opt)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Parse(%q): got error %q, want %q", tt.query, got, tt.want)
		}
	}
}

// TestMaxListValues checks the default list limit. A list over it fails
// before it is parsed, within maxListReject (a check against a
// quadratic scan; TestParseLinear checks linearity without a clock); a
// list at a raised limit parses, which takes a second or two.
func TestMaxListValues(t *testing.T) {
	// maxListReject is wall-clock time: under the race detector on a
	// loaded machine (load 20, 2 cores) the test took 5-14 s and once
	// failed this check at 5 s, the only one in it that can vary.
	maxListReject := 5 * time.Second
	if raceEnabled {
		maxListReject *= 4
	}
	list := "1" + strings.Repeat(",1", MaxListValues)
	for _, tt := range []struct{ query, want string }{
		{"any where a in (" + list + ")", "x.eql:1:16: list has more than 100000 values"},
		{"any where a : (" + list + ")", "x.eql:1:15: list has more than 100000 values"},
		{"any where cidrMatch(a, " + list + ")", "x.eql:1:20: cidrMatch has more than 100000 arguments"},
	} {
		start := time.Now()
		_, err := Parse("x.eql", tt.query)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%.30q…): got error %v, want %s", tt.query, err, tt.want)
		}
		if d := time.Since(start); d > maxListReject {
			t.Errorf("Parse(%.30q…) took %v", tt.query, d)
		}
	}
	if testing.Short() {
		t.Skip("parsing a long list takes a while")
	}
	q := "any where a in (" + list + ")"
	x, err := Parse("x.eql", q, WithMaxListValues(MaxListValues+1))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(x.Pred.Values); n != MaxListValues+1 {
		t.Errorf("got %d values, want %d", n, MaxListValues+1)
	}
}

// TestDeepQuick checks that 10,000 nested parentheses, of every kind, are
// a quick error.
func TestDeepQuick(t *testing.T) {
	for _, open := range []string{"(", "a in (", "f(", "not "} {
		q := "any where " + strings.Repeat(open, 10000) + "a" + strings.Repeat(")", 10000)
		start := time.Now()
		_, err := Parse("x.eql", q)
		if err == nil || !strings.Contains(err.Error(), "nesting deeper than 1000") {
			t.Errorf("%q × 10000: got error %v, want nesting deeper than 1000", open, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%q × 10000: took %v", open, d)
		}
	}
}

// tomlLimitTests are TOML files just over a limit and the exact error, and
// an option that raises the limit so that the file loads.
var tomlLimitTests = []struct {
	name string
	src  string
	want string
	opt  Option
}{
	{"file size", tomlRule(`"any where true"`) + "#" + strings.Repeat("x", MaxFileSize-len(tomlRule(`"any where true"`))),
		"r.toml:1:1: file is 1048577 bytes, more than the limit of 1048576", WithMaxFileSize(MaxFileSize + 1)},
	{"key parts", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = \"any where true\"\n[x" + strings.Repeat(".a", MaxTOMLDepth) + "]\n",
		"r.toml:5:33: key has more than 16 parts", WithMaxTOMLDepth(MaxTOMLDepth + 1)},
	{"dotted key", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = \"any where true\"\nx" + strings.Repeat(` . "a.b"`, MaxTOMLDepth) + " = 1\n",
		"r.toml:5:123: key has more than 16 parts", WithMaxTOMLDepth(MaxTOMLDepth + 1)},
	{"arrays", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = \"any where true\"\nx = " + strings.Repeat("[", MaxTOMLDepth+1) + strings.Repeat("]", MaxTOMLDepth+1) + "\n",
		"r.toml:5:21: arrays and inline tables nested deeper than 16", WithMaxTOMLDepth(MaxTOMLDepth + 1)},
	{"inline tables", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = \"any where true\"\nx = [\n" + strings.Repeat("{a=", MaxTOMLDepth) + "1" + strings.Repeat("}", MaxTOMLDepth) + "]\n",
		"r.toml:6:46: arrays and inline tables nested deeper than 16", WithMaxTOMLDepth(MaxTOMLDepth + 1)},
	{"query size", tomlRule(`"""any where true` + strings.Repeat(" ", MaxQuerySize-13) + `"""`),
		"r.toml:4:12: query is 262145 bytes, more than the limit of 262144", WithMaxQuerySize(MaxQuerySize + 1)},
	{"query depth", tomlRule(`"any where ` + strings.Repeat("(", MaxDepth+1) + "a == 1" + strings.Repeat(")", MaxDepth+1) + `"`),
		"r.toml:4:1020: nesting deeper than 1000", WithMaxDepth(MaxDepth + 1)},
}

func TestTOMLLimits(t *testing.T) {
	for _, tt := range tomlLimitTests {
		_, err := ParseTOML("r.toml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got error %v, want %s", tt.name, err, tt.want)
		}
		if err != nil {
			checkError(t, tt.src, err)
		}
		if _, err := ParseTOML("r.toml", []byte(tt.src), tt.opt); err != nil {
			t.Errorf("%s: with the limit raised: %v", tt.name, err)
		}
	}
}

// TestTOMLDepthFalsePositives checks that what looks nested but is not
// passes a TOML depth limit of 1.
func TestTOMLDepthFalsePositives(t *testing.T) {
	src := "# a.b.c [[[ {{{\n[rule]\nlanguage = \"eql\" # x.y.z\nrule_id = 'a.b.c[{'\ntags = [\"a.b.c\", \"[[{{\"]\n" +
		"query = '''\nany where a == \"x.y.z\"\n'''\n[[rule.threat]]\n"
	if _, err := ParseTOML("r.toml", []byte(src), WithMaxTOMLDepth(2)); err != nil {
		t.Errorf("depth 2: %v", err)
	}
	want := "r.toml:9:7: key has more than 1 parts"
	if _, err := ParseTOML("r.toml", []byte(src), WithMaxTOMLDepth(1)); err == nil || err.Error() != want {
		t.Errorf("depth 1: got error %v, want %s", err, want)
	}
}

// TestTOMLDeepQuick checks that deep TOML, which the decoder takes time
// quadratic in, is a quick error.
func TestTOMLDeepQuick(t *testing.T) {
	for _, v := range []string{"x = " + strings.Repeat("[", 100000), "x = " + strings.Repeat("{a=", 100000), "x" + strings.Repeat(".a", 100000) + " = 1"} {
		start := time.Now()
		_, err := ParseTOML("r.toml", []byte(v))
		if err == nil || !strings.Contains(err.Error(), "than 16") {
			t.Errorf("%.20q…: got error %v, want one over the limit of 16", v, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%.20q…: took %v", v, d)
		}
	}
}
