package sigma

import (
	"strings"
	"testing"
)

// TestParseCondition compares parsed conditions with their canonical
// form, and parses that form back.
func TestParseCondition(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"sel", "sel"},
		{"  sel  ", "sel"},
		{"a and b", "(a and b)"},
		{"a or b", "(a or b)"},
		{"a and b and c", "(a and b and c)"},
		{"a or b and c", "(a or (b and c))"},
		{"a and b or c", "((a and b) or c)"},
		{"not a and b", "(not a and b)"},
		{"not a or not b", "(not a or not b)"},
		{"not not a", "not not a"},
		{"not (a or b)", "not (a or b)"},
		{"(a or b) and c", "((a or b) and c)"},
		{"((a))", "a"},
		{"a AND b OR NOT c", "((a and b) or not c)"},
		{"a And b oR c", "((a and b) or c)"},
		{"1 of sel*", "1 of sel*"},
		{"any of sel*", "1 of sel*"},
		{"ANY OF sel*", "1 of sel*"},
		{"all of sel*", "all of sel*"},
		{"All Of them", "all of them"},
		{"1 of THEM", "1 of them"},
		{"1   of\tsel", "1 of sel"},
		{"1 of selection_1_*", "1 of selection_1_*"},
		{"1 of *_sel", "1 of *_sel"},
		{"all of *", "all of *"},
		{"1 of sel*x*y", "1 of sel*x*y"},
		{"sel-1 and sel.2", "(sel-1 and sel.2)"},
		{"sélection", "sélection"},
		{"1", "1"},
		{"all", "all"},
		{"any and all", "(any and all)"},
		{"selection and not 1 of filter_main_* and not 1 of filter_optional_*",
			"(selection and not 1 of filter_main_* and not 1 of filter_optional_*)"},
		{"sel\nand\n  not f", "(sel and not f)"},
	}
	for _, tt := range tests {
		n, err := parseCondition(tt.in, MaxConditionDepth)
		if err != nil {
			t.Errorf("parseCondition(%q): %s at %d", tt.in, err.msg, err.off)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("parseCondition(%q) = %s, want %s", tt.in, got, tt.want)
		}
		// The dump reads back as the same tree.
		n2, err := parseCondition(n.String(), MaxConditionDepth)
		if err != nil || n2.String() != n.String() {
			t.Errorf("round trip of %q through %q: %v", tt.in, n.String(), n2)
		}
	}
}

// TestParseConditionErrors lists conditions that must not parse, with the
// byte offset and message of the error.
func TestParseConditionErrors(t *testing.T) {
	tests := []struct {
		in  string
		off int
		msg string
	}{
		{"", 0, `invalid condition: unexpected end of condition (expected a search name, "not", "(", "1 of" or "all of")`},
		{"(a", 2, `invalid condition: unexpected end of condition (expected ")")`},
		{"a)", 1, `invalid condition: unexpected ")" (expected "and", "or" or the end)`},
		{"a b", 2, `invalid condition: unexpected "b" (expected "and", "or" or the end)`},
		{"a and", 5, `invalid condition: unexpected end of condition (expected a search name, "not", "(", "1 of" or "all of")`},
		{"a or or b", 5, `invalid condition: unexpected "or" (expected a search name, "not", "(", "1 of" or "all of")`},
		{"not", 3, `invalid condition: unexpected end of condition (expected a search name, "not", "(", "1 of" or "all of")`},
		{"them", 0, `invalid condition: unexpected "them" (expected a search name, "not", "(", "1 of" or "all of")`},
		{"of", 0, `invalid condition: unexpected "of" (expected a search name, "not", "(", "1 of" or "all of")`},
		{"1 of", 4, `invalid condition: unexpected end of condition (expected a search name, a pattern or "them")`},
		{"1 of (a)", 5, `invalid condition: unexpected "(" (expected a search name, a pattern or "them")`},
		{"1 of and", 5, `invalid condition: unexpected "and" (expected a search name, a pattern or "them")`},
		{"2 of a", 0, `invalid condition: unsupported quantifier "2" (expected "1", "any" or "all")`},
		{"none of a", 0, `invalid condition: unsupported quantifier "none" (expected "1", "any" or "all")`},
		{"sel*", 0, `invalid condition: pattern "sel*" needs "1 of" or "all of" before it`},
		{"a and b*", 6, `invalid condition: pattern "b*" needs "1 of" or "all of" before it`},
		{"a = b", 2, `invalid condition: unexpected character '='`},
		{"a, b", 1, `invalid condition: unexpected character ','`},
		{`"a"`, 0, `invalid condition: unexpected character '"'`},
		{"a | count() > 5", 2, "unsupported: aggregation"},
		{"(a | count() by b) > 5", 3, "unsupported: aggregation"},
		{"é é", 3, `invalid condition: unexpected "é" (expected "and", "or" or the end)`},
		{strings.Repeat("not ", MaxConditionDepth+1) + "a", 4 * MaxConditionDepth, "condition nested deeper than 200"},
		{strings.Repeat("(", MaxConditionDepth+1) + "a", MaxConditionDepth, "condition nested deeper than 200"},
	}
	for _, tt := range tests {
		n, err := parseCondition(tt.in, MaxConditionDepth)
		if err == nil {
			t.Errorf("parseCondition(%q) = %s, want an error", tt.in, n)
			continue
		}
		if err.off != tt.off || err.msg != tt.msg {
			t.Errorf("parseCondition(%q): %q at %d, want %q at %d", tt.in, err.msg, err.off, tt.msg, tt.off)
		}
	}
}

// TestConditionPositions checks where condition errors land in the YAML
// source for each scalar style.
func TestConditionPositions(t *testing.T) {
	det := "  sel:\n    F: a\n"
	tests := []struct {
		name, cond, want string
	}{
		{"plain", "  condition: sel and foo\n", "x.yml:8:22"},
		{"single quoted", "  condition: 'sel and foo'\n", "x.yml:8:23"},
		{"single quoted with spaces", "  condition: 'sel   and  foo'\n", "x.yml:8:26"},
		{"double quoted", "  condition: \"sel and foo\"\n", "x.yml:8:23"},
		{"literal block", "  condition: |\n    sel and\n      foo\n", "x.yml:10:7"},
		{"folded block", "  condition: >-\n    sel and\n    foo\n", "x.yml:10:5"},
		{"plain multi-line", "  condition: sel\n    and\n    foo\n", "x.yml:10:5"},
		{"flow list", "  condition: [sel, sel and foo]\n", "x.yml:8:28"},
		{"escape that changes the text", "  condition: \"sel\\tand foo\"\n", "x.yml:8:14"},
		{"after a unicode name", "  é:\n    F: b\n  condition: é and foo\n", "x.yml:10:21"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRule("x.yml", []byte(ruleWith(det+tt.cond)))
			if err == nil {
				t.Fatal("no error")
			}
			if got, _, _ := strings.Cut(err.Error(), ": "); got != tt.want {
				t.Errorf("error at %s, want %s (%v)", got, tt.want, err)
			}
		})
	}
}
