package sigma

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestErrors checks the exact error, position included, of rules that must
// not load. Rules built with ruleWith start their detection on line 6.
func TestErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// Modifiers.
		{"unknown modifier", ruleWith(`
  selection:
    CommandLine|base65|contains: foo
  condition: selection
`), `x.yml:7:5: search "selection": unknown modifier "base65" on field "CommandLine"`},
		{"fieldref without a field name", ruleWith(`
  sel:
    - Image: a
    - User|fieldref: ''
  condition: sel
`), `x.yml:8:22: search "sel": field "User": modifier "fieldref" needs a field name, not a string`},
		{"time part not a whole number", ruleWith(`
  sel:
    UtcTime|hour: 3.5
  condition: sel
`), `x.yml:7:19: search "sel": field "UtcTime": modifier "hour" needs a whole number, not a number`},
		{"time part with contains", ruleWith(`
  sel:
    UtcTime|hour|contains: 3
  condition: sel
`), `x.yml:7:28: search "sel": field "UtcTime": modifier "contains" does not apply to a time part`},
		{"empty modifier", ruleWith(`
  sel:
    Image|: a
  condition: sel
`), `x.yml:7:5: search "sel": unknown modifier "" on field "Image"`},
		{"upper-case modifier", ruleWith(`
  sel:
    Image|Contains: a
  condition: sel
`), `x.yml:7:5: search "sel": unknown modifier "Contains" on field "Image"`},
		{"conflicting modifiers", ruleWith(`
  sel:
    CommandLine|contains|endswith: x
  condition: sel
`), `x.yml:7:5: search "sel": modifiers "contains" and "endswith" on field "CommandLine" conflict`},
		{"duplicate modifier", ruleWith(`
  sel:
    CommandLine|contains|contains: x
  condition: sel
`), `x.yml:7:5: search "sel": duplicate modifier "contains" on field "CommandLine"`},
		{"duplicate all", ruleWith(`
  sel:
    CommandLine|all|contains|all: [x, y]
  condition: sel
`), `x.yml:7:5: search "sel": duplicate modifier "all" on field "CommandLine"`},
		{"position counts bytes", ruleWith(`
  sél: {F|nope: 1}
  condition: 1 of them
`), `x.yml:6:10: search "sél": unknown modifier "nope" on field "F"`},
		{"regex RE2 cannot take", ruleWith(`
  sel:
    CommandLine|re: 'a(?=b)'
  condition: sel
`), "x.yml:7:21: search \"sel\": field \"CommandLine\": regular expression \"a(?=b)\": invalid or unsupported Perl syntax: `(?=` (RE2 syntax: no lookaround, no backreferences)"},
		{"regex backreference", ruleWith(`
  sel:
    CommandLine|re: '(a)\1'
  condition: sel
`), "x.yml:7:21: search \"sel\": field \"CommandLine\": regular expression \"(a)\\\\1\": invalid escape sequence: `\\1` (RE2 syntax: no lookaround, no backreferences)"},
		{"regex repeat count: no RE2 hint", ruleWith(`
  sel:
    CommandLine|re: 'a{2000}'
  condition: sel
`), "x.yml:7:21: search \"sel\": field \"CommandLine\": regular expression \"a{2000}\": invalid repeat count: `{2000}`"},
		{"regex error in a list", ruleWith(`
  sel:
    CommandLine|re|i:
      - 'ok'
      - '(unclosed'
  condition: sel
`), "x.yml:9:9: search \"sel\": field \"CommandLine\": regular expression \"(unclosed\": missing closing ): `(unclosed`"},
		{"re after contains", ruleWith(`
  sel:
    F|contains|re: x
  condition: sel
`), `x.yml:7:20: search "sel": field "F": modifier "re" must come before "contains"`},
		{"flag without re", ruleWith(`
  sel:
    F|i: x
  condition: sel
`), `x.yml:7:10: search "sel": field "F": modifier "i" needs "re" before it`},
		{"cased regex", ruleWith(`
  sel:
    F|re|cased: x
  condition: sel
`), `x.yml:7:17: search "sel": field "F": modifier "cased" does not apply to a regular expression`},
		{"base64 of a wildcard", ruleWith(`
  sel:
    F|base64: 'a*'
  condition: sel
`), `x.yml:7:15: search "sel": field "F": modifier "base64" does not apply to a value with wildcards`},
		{"base64 after contains", ruleWith(`
  sel:
    F|contains|base64: 'abc'
  condition: sel
`), `x.yml:7:24: search "sel": field "F": modifier "base64" does not apply to a value with wildcards (put it before "contains")`},
		{"base64offset of nothing", ruleWith(`
  sel:
    F|base64offset|contains: ''
  condition: sel
`), `x.yml:7:30: search "sel": field "F": modifier "base64offset" leaves nothing of an empty or one-byte value`},
		{"windash on a number", ruleWith(`
  sel:
    F|windash: true
  condition: sel
`), `x.yml:7:16: search "sel": field "F": modifier "windash" does not apply to true`},
		{"bad cidr", ruleWith(`
  sel:
    DestinationIp|cidr: ['10.0.0.0/8', '10.0.0.0/33']
  condition: sel
`), `x.yml:7:40: search "sel": field "DestinationIp": bad CIDR range "10.0.0.0/33": netip.ParsePrefix("10.0.0.0/33"): prefix length out of range`},
		{"cidr after windash", ruleWith(`
  sel:
    F|windash|cidr: 10.0.0.0/8
  condition: sel
`), `x.yml:7:21: search "sel": field "F": modifier "cidr" must come before "windash"`},
		{"lt of text", ruleWith(`
  sel:
    F|lt: abc
  condition: sel
`), `x.yml:7:11: search "sel": field "F": modifier "lt" needs a number, not a string`},
		{"exists of text", ruleWith(`
  sel:
    F|exists: 'yes'
  condition: sel
`), `x.yml:7:15: search "sel": field "F": modifier "exists" needs true or false, not a string`},
		{"exists of a keyword", ruleWith(`
  sel:
    '|exists': true
  condition: sel
`), `x.yml:7:16: search "sel": modifier "exists" needs a field`},
		{"expand of a number", ruleWith(`
  sel:
    F|expand: 5
  condition: sel
`), `x.yml:7:15: search "sel": field "F": modifier "expand" does not apply to a number`},

		// Values.
		{"empty list", ruleWith(`
  sel:
    F: []
  condition: sel
`), `x.yml:7:5: search "sel": field "F" has an empty list of values`},
		{"null with contains", ruleWith(`
  sel:
    F|contains: null
  condition: sel
`), `x.yml:7:17: search "sel": field "F": modifier "contains" does not apply to null`},
		{"boolean with endswith", ruleWith(`
  sel:
    F|endswith: [a, true]
  condition: sel
`), `x.yml:7:21: search "sel": field "F": modifier "endswith" does not apply to true`},
		{"not a number", ruleWith(`
  sel:
    F: .nan
  condition: sel
`), `x.yml:7:8: search "sel": field "F": unsupported: number NaN`},
		{"infinity", ruleWith(`
  sel:
    F|contains: -.inf
  condition: sel
`), `x.yml:7:17: search "sel": field "F": unsupported: number -Inf`},
		{"map value", ruleWith(`
  sel:
    F: {a: b}
  condition: sel
`), `x.yml:7:8: search "sel": field "F": value is a mapping`},
		{"list in a list", ruleWith(`
  sel:
    F: [a, [b]]
  condition: sel
`), `x.yml:7:12: search "sel": field "F": value is a YAML list inside a list`},
		{"timestamp", ruleWith(`
  sel:
    F: 2024-01-02
  condition: sel
`), `x.yml:7:8: search "sel": field "F": unsupported: timestamp value 2024-01-02 (quote it to match text)`},
		{"too many values", ruleWith(`
  sel:
    F: [` + strings.Repeat("1,", MaxValues) + `1]
  condition: sel
`), fmt.Sprintf(`x.yml:7:5: search "sel": field "F" has %d values, more than the limit of %d`, MaxValues+1, MaxValues)},
		{"too many values in the rule", ruleWith(`
  sel:
` + manyFields("    F%d: [1"+strings.Repeat(",1", MaxValues-1)+"]\n", MaxRuleValues/MaxValues+1) + `
  condition: sel
`), fmt.Sprintf(`x.yml:%d:5: rule has more than %d values`, 7+MaxRuleValues/MaxValues, MaxRuleValues)},
		{"aliases count", "x: &a [" + strings.Repeat("1,", 999) + "1]\n" + ruleWith(`
  sel:
`+manyFields("    F%d: *a\n", MaxRuleValues/1000+1)+`
  condition: sel
`), fmt.Sprintf(`x.yml:%d:5: rule has more than %d values`, 8+MaxRuleValues/1000, MaxRuleValues)},

		// Searches.
		{"null keyword", ruleWith(`
  keywords:
    - foo
    - null
  condition: keywords
`), `x.yml:8:7: search "keywords": null is not a keyword`},
		{"mixed list", ruleWith(`
  sel:
    - foo
    - F: a
  condition: sel
`), `x.yml:8:7: search "sel" mixes mappings and keywords`},
		{"scalar search", ruleWith(`
  sel: foo
  condition: sel
`), `x.yml:6:8: search "sel" is a YAML scalar, not a mapping or a list`},
		{"null search", ruleWith(`
  sel:
  condition: sel
`), `x.yml:6:7: search "sel" is a YAML null, not a mapping or a list`},
		{"empty list search", ruleWith(`
  sel: []
  condition: sel
`), `x.yml:6:3: search "sel" is an empty list`},
		{"empty map search", ruleWith(`
  sel: {}
  condition: sel
`), `x.yml:6:8: search "sel" has an empty mapping`},
		{"empty map in a list", ruleWith(`
  sel:
    - F: a
    - {}
  condition: sel
`), `x.yml:8:7: search "sel" has an empty mapping`},
		{"list in a search list", ruleWith(`
  sel:
    - [a]
  condition: sel
`), `x.yml:7:7: search "sel": list item is a YAML list, not a mapping or a keyword`},
		{"duplicate field", ruleWith(`
  sel:
    F|contains: a
    G: b
    F|contains: c
  condition: sel
`), `x.yml:9:5: search "sel": duplicate key "F|contains" (first at line 7)`},
		{"duplicate search", ruleWith(`
  sel:
    F: a
  sel:
    F: b
  condition: sel
`), `x.yml:8:3: duplicate key "sel" in detection (first at line 6)`},
		{"unused search is checked", ruleWith(`
  sel:
    F: a
  unused:
    F|hour: b
  condition: sel
`), `x.yml:9:13: search "unused": field "F": modifier "hour" needs a whole number, not a string`},
		{"alias search", "x: &a {F: a}\n" + ruleWith(`
  sel: *a
  condition: sel
`), `x.yml:7:8: search "sel" is a YAML alias, not a mapping or a list`},

		// Conditions.
		{"undefined search", ruleWith(`
  sel:
    F: a
  condition: sel and foo
`), `x.yml:8:22: condition references undefined search "foo"`},
		{"undefined search in a list", ruleWith(`
  sel:
    F: a
  condition:
    - sel
    - (sel and 1 of foo)
`), `x.yml:10:21: condition references undefined search "foo"`},
		{"pattern matches nothing", ruleWith(`
  sel:
    F: a
  condition: sel or 1 of filter_*
`), `x.yml:8:26: "1 of filter_*" matches no search`},
		{"all of pattern matches nothing", ruleWith(`
  sel:
    F: a
  condition: all of x*
`), `x.yml:8:21: "all of x*" matches no search`},
		{"them matches nothing", ruleWith(`
  _sel:
    F: a
  condition: 1 of them
`), `x.yml:8:19: "1 of them" matches no search`},
		{"syntax error", ruleWith(`
  sel:
    F: a
  condition: (sel
`), `x.yml:8:18: invalid condition: unexpected end of condition (expected ")")`},
		{"syntax error in quotes", ruleWith(`
  sel:
    F: a
  condition: "sel sel"
`), `x.yml:8:19: invalid condition: unexpected "sel" (expected "and", "or" or the end)`},
		{"syntax error on a later line", ruleWith(`
  sel:
    F: a
  condition: >-
    sel and
    sel sel
`), `x.yml:10:9: invalid condition: unexpected "sel" (expected "and", "or" or the end)`},
		{"invalid character", ruleWith(`
  sel:
    F: a
  condition: sel=1
`), `x.yml:8:17: invalid condition: unexpected character '='`},
		{"quantifier 2", ruleWith(`
  sel:
    F: a
  condition: 2 of sel
`), `x.yml:8:14: invalid condition: unsupported quantifier "2" (expected "1", "any" or "all")`},
		{"pattern without quantifier", ruleWith(`
  sel:
    F: a
  condition: not sel*
`), `x.yml:8:18: invalid condition: pattern "sel*" needs "1 of" or "all of" before it`},
		{"keyword as a name", ruleWith(`
  sel:
    F: a
  condition: sel and or
`), `x.yml:8:22: invalid condition: unexpected "or" (expected a search name, "not", "(", "1 of" or "all of")`},
		{"of without a target", ruleWith(`
  sel:
    F: a
  condition: sel or all of
`), `x.yml:8:27: invalid condition: unexpected end of condition (expected a search name, a pattern or "them")`},
		{"nested too deep", ruleWith(`
  sel:
    F: a
  condition: ` + strings.Repeat("(", MaxConditionDepth+1) + "sel" + strings.Repeat(")", MaxConditionDepth+1) + `
`), fmt.Sprintf(`x.yml:8:%d: condition nested deeper than %d`, 14+MaxConditionDepth, MaxConditionDepth)},
		{"empty parentheses", ruleWith(`
  sel:
    F: a
  condition: sel and ()
`), `x.yml:8:23: invalid condition: unexpected ")" (expected a search name, "not", "(", "1 of" or "all of")`},
		{"aggregation", ruleWith(`
  sel:
    F: a
  condition: sel | count() > 5
`), `x.yml:8:18: unsupported: aggregation`},
		{"aggregation in a list", ruleWith(`
  sel:
    F: a
  condition:
    - sel
    - sel | count(F) by G > 5
`), `x.yml:10:11: unsupported: aggregation`},
		{"empty condition", ruleWith(`
  sel:
    F: a
  condition: ''
`), `x.yml:8:14: condition is empty`},
		{"null condition", ruleWith(`
  sel:
    F: a
  condition:
`), `x.yml:8:13: condition is empty`},
		{"map condition", ruleWith(`
  sel:
    F: a
  condition: {a: b}
`), `x.yml:8:14: condition is a YAML mapping, not a string or a list`},
		{"empty condition list", ruleWith(`
  sel:
    F: a
  condition: []
`), `x.yml:8:14: condition is an empty list`},
		{"list in a condition list", ruleWith(`
  sel:
    F: a
  condition: [sel, [sel]]
`), `x.yml:8:20: condition is a YAML list, not a string`},
		{"condition too long", ruleWith(`
  sel:
    F: a
  condition: sel` + strings.Repeat(" or sel", MaxConditionSize/7) + `
`), fmt.Sprintf(`x.yml:8:14: condition is %d bytes, more than the limit of %d`, 3+7*(MaxConditionSize/7), MaxConditionSize)},
		{"condition too big", ruleWith(`
  sel:
    F: [1` + strings.Repeat(",1", MaxValues-1) + `]
  condition: sel` + strings.Repeat(" or sel", MaxExprSize/MaxValues) + `
`), fmt.Sprintf(`x.yml:8:14: condition expands to more than %d nodes and values`, MaxExprSize)},
		{"no condition", ruleWith(`
  sel:
    F: a
`), `x.yml:5:1: detection has no condition`},
		{"timeframe", ruleWith(`
  sel:
    F: a
  timeframe: 5m
  condition: sel
`), `x.yml:8:3: unsupported: timeframe`},

		// The rule.
		{"empty rule", "", `x.yml:1:1: empty rule`},
		{"only a comment", "# nothing\n", `x.yml:1:1: empty rule`},
		{"list rule", "- a\n- b\n", `x.yml:1:1: rule is a YAML list, not a mapping`},
		{"no detection", "title: t\n", `x.yml:1:1: rule has no detection`},
		{"scalar detection", "title: t\ndetection: sel\n", `x.yml:2:12: detection is a YAML scalar, not a mapping`},
		{"correlation rule", "title: t\ncorrelation:\n  type: event_count\n", `x.yml:2:1: correlation rule: load it with ParseFile`},
		{"filter rule", "title: t\nfilter:\n  rules: [a]\n", `x.yml:2:1: filter rule: load it with ParseFilter`},
		{"duplicate key", "title: a\ntitle: b\n", `x.yml:2:1: duplicate key "title" (first at line 1)`},
		{"several documents", ruleWith("  sel:\n    F: a\n  condition: sel\n") + "---\ntitle: b\n", `x.yml:10:1: several YAML documents in one rule (load the file with ParseFile)`},
		{"syntax error", "title: [\ndetection:\n", `x.yml:2:1: did not find expected node content`},
		{"tab", "title: t\n\tdetection: x\n", `x.yml:2:1: found a tab character that violates indentation`},
		{"wrong type", "tags: foo\n" + ruleWith("  sel:\n    F: a\n  condition: sel\n"), "x.yml:1:1: cannot unmarshal !!str `foo` into []string"},
		{"key over YAML's limit", "title: t\ndetection:\n  " + strings.Repeat("k", 2000) + ": x\n", `x.yml:3:3: a key of 2000 characters (YAML takes a key on one line only up to 1024)`},
		{"alias bomb where it is", aliasBomb() + "tags: *i\n" + ruleWith("  sel:\n    F: a\n  condition: sel\n"), `x.yml:6:8: alias *e expands to more than 10000 YAML nodes (an alias bomb)`},
		{"invalid UTF-8 where it is", "title: t\ndescription: ab\xffc\n", `x.yml:2:16: invalid UTF-8 (byte 0xff)`},
		{"too big", strings.Repeat("#", MaxRuleSize+1), fmt.Sprintf(`x.yml:1:1: rule is %d bytes, more than the limit of %d`, MaxRuleSize+1, MaxRuleSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule("x.yml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; rule %s", r.Expr)
			}
			var e *ir.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *ir.Error: %v", err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// aliasBomb returns "billion laughs" in YAML: anchors a to i, each nine
// aliases of the one before (9^9 strings expanded), lines 1 to 9.
func aliasBomb() string {
	src := "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for prev, n := 'a', 'b'; n <= 'i'; prev, n = n, n+1 {
		src += fmt.Sprintf("%c: &%c [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+string(prev)+", ", 9), ", "))
	}
	return src
}

// manyFields returns n lines made from format, each with its own number.
func manyFields(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}
