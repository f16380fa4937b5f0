package sigma

import (
	"strings"
	"testing"
)

// limitRule is a rule whose search sel has the field F with the given
// values (a YAML flow list) and the given condition.
func limitRule(values, condition string) string {
	return ruleWith("  sel:\n    F: " + values + "\n  condition: " + condition + "\n")
}

// TestLimits checks, for each limit, that a rule just over its default is
// an error with the exact text, and that the option raising the limit
// lets the same rule load.
func TestLimits(t *testing.T) {
	small := limitRule("a", "sel")
	tests := []struct {
		name  string
		src   string
		want  string
		raise Option
	}{
		{"MaxRuleSize", small + "#" + strings.Repeat("x", MaxRuleSize-len(small)),
			`x.yml:1:1: rule is 16777217 bytes, more than the limit of 16777216`, WithMaxRuleSize(MaxRuleSize + 1)},
		{"MaxConditionSize", limitRule("a", "sel"+strings.Repeat(" ", MaxConditionSize+1-len("sel or sel"))+" or sel"),
			`x.yml:8:14: condition is 4097 bytes, more than the limit of 4096`, WithMaxConditionSize(MaxConditionSize + 1)},
		{"MaxConditionDepth", limitRule("a", strings.Repeat("(", MaxConditionDepth+1)+"sel"+strings.Repeat(")", MaxConditionDepth+1)),
			`x.yml:8:214: condition nested deeper than 200`, WithMaxConditionDepth(MaxConditionDepth + 1)},
		{"MaxConditionDepth of not", limitRule("a", strings.Repeat("not ", MaxConditionDepth+1)+"sel"),
			`x.yml:8:814: condition nested deeper than 200`, WithMaxConditionDepth(MaxConditionDepth + 1)},
		{"MaxValues", limitRule("[1"+strings.Repeat(",1", MaxValues)+"]", "sel"),
			`x.yml:7:5: search "sel": field "F" has 200001 values, more than the limit of 200000`, WithMaxValues(MaxValues + 1)},
		{"MaxRuleValues", "x: &a [1" + strings.Repeat(",1", 9999) + "]\n" +
			ruleWith("  sel:\n"+manyFields("    F%d: *a\n", MaxRuleValues/10000+1)+"  condition: sel\n"),
			`x.yml:108:5: rule has more than 1000000 values`, WithMaxRuleValues(MaxRuleValues + 10000)},
		{"MaxExprSize", limitRule("[1"+strings.Repeat(",1", MaxValues-1)+"]", "sel"+strings.Repeat(" or sel", MaxExprSize/MaxValues)),
			`x.yml:8:14: condition expands to more than 2097152 nodes and values`, WithMaxExprSize(MaxExprSize + MaxValues)},
	}
	for _, tt := range tests {
		_, err := ParseRule("x.yml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: got error %v, want %s", tt.name, err, tt.want)
		}
		if _, err := ParseRule("x.yml", []byte(tt.src), tt.raise); err != nil {
			t.Errorf("%s: with the limit raised: %v", tt.name, err)
		}
	}
}

// TestLimitOptions checks that each option lowers its limit, in rules and
// in filters, and that a limit below 1 is the default.
func TestLimitOptions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opt  Option
		want string // error, or "" for none
	}{
		{"rule size", limitRule("a", "sel"), WithMaxRuleSize(114), `x.yml:1:1: rule is 115 bytes, more than the limit of 114`},
		{"rule size at the limit", limitRule("a", "sel"), WithMaxRuleSize(115), ""},
		{"rule size default", limitRule("a", "sel"), WithMaxRuleSize(0), ""},
		{"condition size", limitRule("a", "sel or sel"), WithMaxConditionSize(9), `x.yml:8:14: condition is 10 bytes, more than the limit of 9`},
		{"condition size at the limit", limitRule("a", "sel or sel"), WithMaxConditionSize(10), ""},
		{"condition depth", limitRule("a", "not (sel)"), WithMaxConditionDepth(1), `x.yml:8:18: condition nested deeper than 1`},
		{"condition depth at the limit", limitRule("a", "not (sel)"), WithMaxConditionDepth(2), ""},
		{"values", limitRule("[a, b, c]", "sel"), WithMaxValues(2), `x.yml:7:5: search "sel": field "F" has 3 values, more than the limit of 2`},
		{"values at the limit", limitRule("[a, b]", "sel"), WithMaxValues(2), ""},
		{"values of windash", ruleWith("  sel:\n    F|windash: -a\n  condition: sel\n"), WithMaxValues(4),
			`x.yml:7:16: search "sel": field "F": modifier "windash" expands the values to more than 4`},
		{"values of windash at the limit", ruleWith("  sel:\n    F|windash: -a\n  condition: sel\n"), WithMaxValues(5), ""},
		{"values of contains|windash", ruleWith("  sel:\n    F|contains|windash: [-a, -b]\n  condition: sel\n"), WithMaxValues(9),
			`x.yml:7:5: search "sel": field "F" expands to more than 9 values`},
		{"rule values", ruleWith("  sel:\n    F: [a, b]\n    G: [c, d]\n  condition: sel\n"), WithMaxRuleValues(3), `x.yml:8:5: rule has more than 3 values`},
		{"rule values at the limit", ruleWith("  sel:\n    F: [a, b]\n    G: [c, d]\n  condition: sel\n"), WithMaxRuleValues(4), ""},
		{"expression size", limitRule("[a, b]", "sel or sel"), WithMaxExprSize(5), `x.yml:8:14: condition expands to more than 5 nodes and values`},
		{"expression size at the limit", limitRule("[a, b]", "sel or sel"), WithMaxExprSize(6), ""},
	}
	for _, tt := range tests {
		_, err := ParseRule("x.yml", []byte(tt.src), Routing(false), tt.opt)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got error %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestExpandLimit checks that the values placeholders expand to count
// against MaxValues and its option.
func TestExpandLimit(t *testing.T) {
	src := ruleWith("  sel:\n    F|expand: '%a%%a%'\n  condition: sel\n")
	ph := Placeholders(map[string][]string{"a": {"1", "2", "3"}})
	want := `x.yml:7:15: search "sel": field "F": placeholders expand to more than 8 values`
	if _, err := ParseRule("x.yml", []byte(src), ph, WithMaxValues(8)); err == nil || err.Error() != want {
		t.Errorf("got error %v, want %s", err, want)
	}
	if _, err := ParseRule("x.yml", []byte(src), ph, WithMaxValues(9)); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

// TestFilterLimits checks that ParseFilter takes the limit options.
func TestFilterLimits(t *testing.T) {
	src := "title: f\nlogsource:\n  product: windows\nfilter:\n  rules: any\n  sel:\n    F: [a, b, c]\n  condition: not (sel)\n"
	tests := []struct {
		opt  Option
		want string
	}{
		{WithMaxRuleSize(10), `f.yml:1:1: rule is 107 bytes, more than the limit of 10`},
		{WithMaxValues(2), `f.yml:7:5: search "sel": field "F" has 3 values, more than the limit of 2`},
		{WithMaxRuleValues(2), `f.yml:7:5: rule has more than 2 values`},
		{WithMaxConditionSize(8), `f.yml:8:14: condition is 9 bytes, more than the limit of 8`},
		{WithMaxConditionDepth(1), `f.yml:8:18: condition nested deeper than 1`},
		{WithMaxExprSize(3), `f.yml:8:14: condition expands to more than 3 nodes and values`},
	}
	for _, tt := range tests {
		if _, err := ParseFilter("f.yml", []byte(src)); err != nil {
			t.Fatal(err)
		}
		_, err := ParseFilter("f.yml", []byte(src), tt.opt)
		if err == nil || err.Error() != tt.want {
			t.Errorf("got error %v, want %s", err, tt.want)
		}
	}
}
