package sigma

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestModifiers checks the expression each modifier chain lowers to.
func TestModifiers(t *testing.T) {
	tests := []struct {
		name, det, want string
	}{
		{"contains|all", `
  sel:
    CommandLine|contains|all: [a, b]
  condition: sel
`, `(and CommandLine contains~ "a" CommandLine contains~ "b")`},
		{"neq", `
  sel:
    User|neq: [SYSTEM, 'LOCAL SERVICE']
  condition: sel
`, `(not User glob~ ("SYSTEM", "LOCAL SERVICE"))`},
		{"neq with contains", `
  sel:
    User|contains|neq: adm
  condition: sel
`, `(not User contains~ "adm")`},
		{"exists", `
  sel:
    User|exists: true
    Hashes|exists: false
  condition: sel
`, `(and User exists (not Hashes exists))`},
		{"cased", `
  sel:
    CommandLine|cased: 'Invoke-*'
  condition: sel
`, `CommandLine glob "Invoke-*"`},
		{"cased and contains mix with case-insensitive values", `
  sel:
    - CommandLine|contains|cased: X
    - CommandLine|contains: y
  condition: sel
`, `(or CommandLine contains "X" CommandLine contains~ "y")`},
		{"cased before contains", `
  sel:
    CommandLine|cased|contains: X
  condition: sel
`, `CommandLine contains "X"`},
		{"re is case-sensitive", `
  sel:
    CommandLine|re: 'a.*b'
  condition: sel
`, `CommandLine regex "a.\*b"`},
		{"re|i", `
  sel:
    CommandLine|re|i: 'a.*b'
  condition: sel
`, `CommandLine regex~ "a.\*b"`},
		{"re|m|s", `
  sel:
    CommandLine|re|m|s: '^a.b$'
  condition: sel
`, `CommandLine regex "(\?ms)^a.b$"`},
		{"re long flag names", `
  sel:
    CommandLine|re|ignorecase|multiline|dotall: x
  condition: sel
`, `CommandLine regex~ "(\?ms)x"`},
		{"re keeps backslashes and stars", `
  sel:
    Image|re: '\\cmd\.exe$'
  condition: sel
`, `Image regex "\\\cmd\.exe$"`},
		{"re|startswith", `
  sel:
    CommandLine|re|startswith: 'a|b'
  condition: sel
`, `CommandLine regex "^(\?:a|b)"`},
		{"re|endswith", `
  sel:
    CommandLine|re|endswith: 'a|b'
  condition: sel
`, `CommandLine regex "(\?:a|b)$"`},
		{"re|contains", `
  sel:
    CommandLine|re|contains: 'a|b'
  condition: sel
`, `CommandLine regex "a|b"`},
		{"re of a list", `
  sel:
    CommandLine|re: ['a+', 'b+']
  condition: sel
`, `CommandLine regex ("a+", "b+")`},
		{"cidr", `
  sel:
    DestinationIp|cidr: ['10.0.0.0/8', 'fe80::/10', '192.168.1.1']
  condition: sel
`, `DestinationIp cidr~ ("10.0.0.0/8", "fe80::/10", "192.168.1.1")`},
		{"lt gt", `
  sel:
    Count|gt: 5
    Size|lte: 1.5
    Port|gte: '1024'
    Level|lt: -1
  condition: sel
`, `(and Count gt~ 5 Size le~ 1.5 Port ge~ 1024 Level lt~ -1)`},
		{"base64", `
  sel:
    CommandLine|base64: 'IEX'
  condition: sel
`, `CommandLine glob "SUVY"`},
		{"base64|contains", `
  sel:
    CommandLine|base64|contains: 'http://'
  condition: sel
`, `CommandLine contains "aHR0cDovLw=="`},
		{"base64offset|contains", `
  sel:
    CommandLine|base64offset|contains: 'http://'
  condition: sel
`, `CommandLine contains ("aHR0cDovL", "h0dHA6Ly", "odHRwOi8v")`},
		{"wide|base64offset|contains", `
  sel:
    CommandLine|wide|base64offset|contains: 'ping'
  condition: sel
`, `CommandLine contains ("cABpAG4AZw", "AAaQBuAGcA", "wAGkAbgBnA")`},
		{"utf16le|base64", `
  sel:
    F|utf16le|base64: 'cmd'
  condition: sel
`, `F glob "YwBtAGQA"`},
		{"utf16be|base64", `
  sel:
    F|utf16be|base64: 'cmd'
  condition: sel
`, `F glob "AGMAbQBk"`},
		{"utf16|base64", `
  sel:
    F|utf16|base64: 'cmd'
  condition: sel
`, `F glob "//5jAG0AZAA="`},
		{"wide keeps wildcards", `
  sel:
    F|wide: 'a*b'
  condition: sel
`, "F glob~ \"a\x00*b\x00\""},
		{"windash", `
  sel:
    CommandLine|contains|windash: ' -enc '
  condition: sel
`, `CommandLine contains~ (" -enc ", " /enc ", " –enc ", " —enc ", " ―enc ")`},
		{"windash first", `
  sel:
    CommandLine|windash|contains: '-a'
  condition: sel
`, `CommandLine contains~ ("-a", "/a", "–a", "—a", "―a")`},
		{"windash leaves inner dashes", `
  sel:
    CommandLine|windash: 'x-y /z- -'
  condition: sel
`, `CommandLine glob~ ("x-y -z- -", "x-y /z- -", "x-y –z- -", "x-y —z- -", "x-y ―z- -")`},
		{"windash after a wildcard", `
  sel:
    CommandLine|windash: '*-f'
  condition: sel
`, `CommandLine glob~ ("*-f", "*/f", "*–f", "*—f", "*―f")`},
		{"windash twice", `
  sel:
    CommandLine|contains|all|windash: ['-a -b']
  condition: sel
`, "CommandLine contains~ (" + windashPairs() + ")"},
		{"windash with all", `
  sel:
    CommandLine|contains|all|windash: ['-a', '-b']
  condition: sel
`, `(and CommandLine contains~ ("-a", "/a", "–a", "—a", "―a") CommandLine contains~ ("-b", "/b", "–b", "—b", "―b"))`},
		{"number with windash is text", `
  sel:
    F|windash: -1
  condition: sel
`, `F glob~ ("-1", "/1", "–1", "—1", "―1")`},
		{"expand without placeholders", `
  sel:
    F|expand: 'a%'
  condition: sel
`, `F glob~ "a%"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule("x.yml", []byte(ruleWith(tt.det)), Routing(false))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Expr.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// windashPairs renders the 25 variants of "-a -b".
func windashPairs() string {
	var out []string
	for _, a := range windashes {
		for _, b := range windashes {
			out = append(out, `"`+a+"a "+b+`b"`)
		}
	}
	return strings.Join(out, ", ")
}

// TestExpand checks placeholders given with the Placeholders option.
func TestExpand(t *testing.T) {
	ph := Placeholders(map[string][]string{
		"Admins":  {"adm_*", "root"},
		"Servers": {"srv1", "srv2"},
		"empty":   {},
	})
	tests := []struct {
		name, det, want string
	}{
		{"one placeholder", `
  sel:
    User|expand: '%Admins%'
  condition: sel
`, `User glob~ ("adm_*", "root")`},
		{"two placeholders", `
  sel:
    F|expand|contains: '%Admins%@%Servers%'
  condition: sel
`, `F contains~ ("adm_*@srv1", "adm_*@srv2", "root@srv1", "root@srv2")`},
		{"escaped percent", `
  sel:
    F|expand: '\%Admins%'
  condition: sel
`, `F glob~ "%Admins%"`},
		{"escaped backslash", `
  sel:
    F|expand: 'C:\\%Servers%'
  condition: sel
`, `F glob~ ("C:\srv1", "C:\srv2")`},
		{"not a placeholder", `
  sel:
    F|expand: '100% of %'
  condition: sel
`, `F glob~ "100% of %"`},
		{"without expand", `
  sel:
    F: '%Admins%'
  condition: sel
`, `F glob~ "%Admins%"`},
		{"regex", `
  sel:
    F|expand|re: '^%Servers%$'
  condition: sel
`, `F regex ("^srv1$", "^srv2$")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule("x.yml", []byte(ruleWith(tt.det)), Routing(false), ph)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Expr.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestUnknownPlaceholder checks that a placeholder without values matches
// nothing, with one warning per rule for those not given at all: the rule
// loads, and a filter built on it excludes nothing.
func TestUnknownPlaceholder(t *testing.T) {
	tests := []struct {
		name, det, want, warning string
	}{
		{"unknown", `
  sel:
    F|expand: '%x%'
  condition: sel
`, `false`, `x.yml:7:15: no values for placeholder %x%: it matches nothing`},
		{"among values", `
  sel:
    F|expand:
      - 'a'
      - '%x%\b'
  condition: sel
`, `(or F glob~ "a" false)`, `x.yml:9:9: no values for placeholder %x%: it matches nothing`},
		{"in a filter, twice, and another", `
  sel:
    F: a
  filter_x:
    G|expand: '%x%'
  filter_y:
    H|expand|contains:
      - '%y%'
      - '%x%'
  condition: sel and not 1 of filter_*
`, `(and F glob~ "a" (not (or false false)))`, `x.yml:9:15: no values for placeholder %x%, %y%: it matches nothing`},
		{"given empty", `
  sel:
    F|expand: '%empty%'
  condition: sel
`, `false`, ``},
		{"known", `
  sel:
    F|expand: '%Admins%'
  condition: sel
`, `F glob~ "root"`, ``},
	}
	ph := Placeholders(map[string][]string{"empty": {}, "Admins": {"root"}})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var warnings []string
			warn := Warnings(func(err error) { warnings = append(warnings, err.Error()) })
			r, err := ParseRule("x.yml", []byte(ruleWith(tt.det)), Routing(false), ph, warn)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Expr.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			want := []string(nil)
			if tt.warning != "" {
				want = []string{tt.warning}
			}
			if !slices.Equal(warnings, want) {
				t.Errorf("warnings %q, want %q", warnings, want)
			}
		})
	}
}

// TestBase64Offset checks the three variants against pySigma's slicing
// for every length modulo 3, and that each variant is a substring of the
// encoding of the value at that offset in a longer text.
func TestBase64Offset(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		// pySigma: [b64encode(i*b" " + data)[(0,2,3)[i] : (None,-3,-2)[(len(data)+i)%3]] for i in range(3)]
		{"ab", []string{"YW", "Fi", "hY"}},
		{"abc", []string{"YWJj", "FiY", "hYm"}},
		{"abcd", []string{"YWJjZ", "FiY2", "hYmNk"}},
		{"a", []string{"Y", "h"}}, // pySigma's middle variant is empty
		{"http://", []string{"aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"}},
	}
	for _, tt := range tests {
		got := b64offset(tt.in)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("b64offset(%q) = %q, want %q", tt.in, got, tt.want)
		}
		for _, prefix := range []string{"", "x", "xy", "xyz", "wxyz"} {
			enc := base64.StdEncoding.EncodeToString([]byte(prefix + tt.in + "tail"))
			found := false
			for _, v := range got {
				found = found || strings.Contains(enc, v)
			}
			if !found {
				t.Errorf("b64offset(%q): no variant in %q", tt.in, enc)
			}
		}
	}
}

// TestEncodeUTF16 checks the UTF-16 encodings, beyond ASCII too.
func TestEncodeUTF16(t *testing.T) {
	tests := []struct {
		in   string
		mode utf16Mode
		want string
	}{
		{"cmd", utf16LE, "c\x00m\x00d\x00"},
		{"cmd", utf16BE, "\x00c\x00m\x00d"},
		{"cmd", utf16BOM, "\xff\xfec\x00m\x00d\x00"},
		{"é", utf16LE, "\xe9\x00"},
		{"€", utf16BE, "\x20\xac"},
		{"😀", utf16LE, "\x3d\xd8\x00\xde"},
	}
	for _, tt := range tests {
		p := encodeUTF16(ir.Lit(tt.in), tt.mode)
		if got, _ := p.Literal(); got != tt.want {
			t.Errorf("encodeUTF16(%q, %d) = %q, want %q", tt.in, tt.mode, got, tt.want)
		}
	}
}

// TestSplitPlaceholders checks how values with the expand modifier split.
func TestSplitPlaceholders(t *testing.T) {
	tests := []struct{ in, want string }{
		{"%a%", "<a>"},
		{"x%a%y%b%z", "x<a>y<b>z"},
		{`\%a%`, "%a%"},
		{`\\%a%`, `\\<a>`},
		{"%", "%"},
		{"%%", "%%"},
		{"% a %", "% a %"},
		{"50%", "50%"},
		{"%a%%b%", "<a><b>"},
		{"%a.b-c_1%", "<a.b-c_1>"},
	}
	for _, tt := range tests {
		var b strings.Builder
		for _, s := range splitPlaceholders(tt.in) {
			if s.placeholder {
				b.WriteString("<" + s.text + ">")
			} else {
				b.WriteString(s.text)
			}
		}
		if got := b.String(); got != tt.want {
			t.Errorf("splitPlaceholders(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestKeywords checks keyword searches: substring matches on every value
// of the event.
func TestKeywords(t *testing.T) {
	tests := []struct {
		name, det, want string
	}{
		{"list", `
  keywords:
    - 'event::clear'
    - 'select \*'
  condition: keywords
`, `* contains~ ("event::clear", "select \*")`},
		{"wildcards", `
  keywords:
    - 'a*b'
  condition: keywords
`, `* contains~ "a*b"`},
		{"numbers and booleans are text", `
  keywords:
    - 4688
    - true
    - x
  condition: keywords
`, `* contains~ ("4688", "true", "x")`},
		{"all", `
  keywords:
    '|all':
      - 'OabVirtualDirectory'
      - ' -ExternalUrl '
  condition: keywords
`, `(and * contains~ "OabVirtualDirectory" * contains~ " -ExternalUrl ")`},
		{"re", `
  keywords:
    '|re': 'a[0-9]+'
  condition: keywords
`, `* regex "a[0-9]+"`},
		{"with fields", `
  sel:
    EventID: 1
  keywords:
    - foo
  condition: sel and keywords
`, `(and EventID equal~ 1 * contains~ "foo")`},
		{"empty keyword", `
  keywords:
    - ''
  condition: keywords
`, `* contains~ ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule("x.yml", []byte(ruleWith(tt.det)), Routing(false))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Expr.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// showValue renders what the modifiers made of a value, for
// TestModifierTable.
func showValue(v *value) string {
	var b strings.Builder
	b.WriteString(v.describe())
	switch v.kind {
	case vString:
		fmt.Fprintf(&b, " %s", v.cmp)
		for _, p := range v.pats {
			fmt.Fprintf(&b, " %q", p.String())
		}
		if v.cased {
			b.WriteString(" cased")
		}
	case vRegex:
		fmt.Fprintf(&b, " flags=%q fold=%t start=%t end=%t", v.flags, v.fold, v.start, v.end)
	case vFieldref:
		fmt.Fprintf(&b, " %s %q cased=%t", v.cmp, v.raws[0], v.cased)
	case vTimePart:
		fmt.Fprintf(&b, " %s %s %s", v.part, v.cmp, v.num)
	case vOrder:
		fmt.Fprintf(&b, " %s %s", v.cmp, v.num)
	case vCIDR:
		fmt.Fprintf(&b, " %q", v.raws)
	case vExists:
		fmt.Fprintf(&b, " %t", v.b)
	}
	return b.String()
}

// TestModifierTable runs each modifier of the table on values it takes and
// on values it does not, after the modifiers in before: what it makes of
// the value, or the error's exact text. Every modifier that runs on a
// value has cases of both.
func TestModifierTable(t *testing.T) {
	tests := []struct {
		mod    string
		before []string
		in     any
		want   string // showValue of the result, or the error
		err    bool
	}{
		{"contains", nil, "a*", `a string contains "a*"`, false},
		{"contains", nil, 5, `a string contains "5"`, false},
		{"contains", []string{"re"}, "a|b", `a regular expression flags="" fold=false start=false end=false`, false},
		{"contains", []string{"fieldref"}, "F", `a field reference contains "F" cased=false`, false},
		{"contains", nil, true, `modifier "contains" does not apply to true`, true},
		{"contains", []string{"cidr"}, "10.0.0.0/8", `modifier "contains" does not apply to a CIDR range`, true},
		{"startswith", nil, "a", `a string prefix "a"`, false},
		{"startswith", []string{"re"}, "a|b", `a regular expression flags="" fold=false start=true end=false`, false},
		{"startswith", nil, nil, `modifier "startswith" does not apply to null`, true},
		{"endswith", nil, "a", `a string suffix "a"`, false},
		{"endswith", []string{"re"}, "a|b", `a regular expression flags="" fold=false start=false end=true`, false},
		{"endswith", []string{"hour"}, 3, `modifier "endswith" does not apply to a time part`, true},
		{"expand", nil, "a%", `a string glob "a%"`, false},
		{"expand", nil, 1, `modifier "expand" does not apply to a number`, true},
		{"base64", nil, "IEX", `a string glob "SUVY" cased`, false},
		{"base64", nil, "a*", `modifier "base64" does not apply to a value with wildcards`, true},
		{"base64", []string{"contains"}, "a", `modifier "base64" does not apply to a value with wildcards (put it before "contains")`, true},
		{"base64offset", nil, "ab", `a string glob "YW" "Fi" "hY" cased`, false},
		{"base64offset", nil, "", `modifier "base64offset" leaves nothing of an empty or one-byte value`, true},
		{"utf16le", nil, "ab", "a string glob \"a\\x00b\\x00\"", false},
		{"utf16le", []string{"lt"}, 1, `modifier "utf16le" does not apply to a comparison`, true},
		{"wide", nil, "a", "a string glob \"a\\x00\"", false},
		{"wide", nil, false, `modifier "wide" does not apply to false`, true},
		{"utf16be", nil, "a", "a string glob \"\\x00a\"", false},
		{"utf16be", []string{"exists"}, true, `modifier "utf16be" does not apply to an exists test`, true},
		{"utf16", nil, "a", "a string glob \"\\xff\\xfea\\x00\"", false},
		{"utf16", []string{"re"}, "a", `modifier "utf16" does not apply to a regular expression`, true},
		{"windash", nil, "-a", `a string glob "-a" "/a" "–a" "—a" "―a"`, false},
		{"windash", nil, true, `modifier "windash" does not apply to true`, true},
		{"cased", nil, "A", `a string glob "A" cased`, false},
		{"cased", []string{"fieldref"}, "F", `a field reference equal "F" cased=true`, false},
		{"cased", []string{"re"}, "a", `modifier "cased" does not apply to a regular expression`, true},
		{"re", nil, "a.*", `a regular expression flags="" fold=false start=false end=false`, false},
		{"re", nil, 12, `a regular expression flags="" fold=false start=false end=false`, false},
		{"re", []string{"contains"}, "a", `modifier "re" must come before "contains"`, true},
		{"re", nil, nil, `modifier "re" does not apply to null`, true},
		{"cidr", nil, "10.0.0.0/8", `a CIDR range ["10.0.0.0/8"]`, false},
		{"cidr", nil, "10.0.0.300", `bad CIDR range "10.0.0.300": ParseAddr("10.0.0.300"): IPv4 field has value >255`, true},
		{"cidr", nil, 10, `modifier "cidr" does not apply to a number`, true},
		{"exists", nil, false, `an exists test false`, false},
		{"exists", nil, "yes", `modifier "exists" needs true or false, not a string`, true},
		{"exists", nil, nil, `modifier "exists" does not apply to null`, true},
		{"fieldref", nil, "Other", `a field reference equal "Other" cased=false`, false},
		{"fieldref", nil, "", `modifier "fieldref" needs a field name, not a string`, true},
		{"fieldref", []string{"hour"}, 1, `modifier "fieldref" does not apply to a time part`, true},
		{"lt", nil, 5, `a comparison lt 5`, false},
		{"lt", nil, " 1.5 ", `a comparison lt 1.5`, false},
		{"lt", []string{"hour"}, 3, `a time part hour lt 3`, false},
		{"lt", nil, "NaN", `modifier "lt" needs a number, not a string`, true},
		{"lt", nil, true, `modifier "lt" does not apply to true`, true},
		{"lte", nil, -1, `a comparison le -1`, false},
		{"lte", []string{"fieldref"}, "F", `modifier "lte" does not apply to a field reference`, true},
		{"gt", nil, "1024", `a comparison gt 1024`, false},
		{"gt", []string{"re"}, "1", `modifier "gt" needs a number, not a regular expression`, true},
		{"gte", nil, 0, `a comparison ge 0`, false},
		{"gte", nil, nil, `modifier "gte" does not apply to null`, true},
		{"minute", nil, 30, `a time part minute equal 30`, false},
		{"minute", nil, 1.5, `modifier "minute" needs a whole number, not a number`, true},
		{"hour", nil, "7", `a time part hour equal 7`, false},
		{"hour", nil, "seven", `modifier "hour" needs a whole number, not a string`, true},
		{"day", nil, 1, `a time part day equal 1`, false},
		{"day", []string{"lt"}, 1, `modifier "day" needs a whole number, not a comparison`, true},
		{"week", nil, 52, `a time part week equal 52`, false},
		{"week", nil, false, `modifier "week" does not apply to false`, true},
		{"month", nil, 12, `a time part month equal 12`, false},
		{"month", []string{"minute"}, 1, `modifier "month" does not apply to a time part`, true},
		{"year", nil, 2024, `a time part year equal 2024`, false},
		{"year", []string{"cased"}, 2024, `modifier "year" must come before "cased"`, true},
		{"i", []string{"re"}, "a", `a regular expression flags="" fold=true start=false end=false`, false},
		{"i", nil, "a", `modifier "i" needs "re" before it`, true},
		{"ignorecase", []string{"re"}, "a", `a regular expression flags="" fold=true start=false end=false`, false},
		{"ignorecase", nil, true, `modifier "ignorecase" does not apply to true`, true},
		{"m", []string{"re"}, "a", `a regular expression flags="m" fold=false start=false end=false`, false},
		{"m", nil, 1, `modifier "m" needs "re" before it`, true},
		{"multiline", []string{"re"}, "a", `a regular expression flags="m" fold=false start=false end=false`, false},
		{"multiline", []string{"fieldref"}, "F", `modifier "multiline" does not apply to a field reference`, true},
		{"s", []string{"re"}, "a", `a regular expression flags="s" fold=false start=false end=false`, false},
		{"s", []string{"cidr"}, "::1", `modifier "s" needs "re" before it`, true},
		{"dotall", []string{"re"}, "a", `a regular expression flags="s" fold=false start=false end=false`, false},
		{"dotall", nil, nil, `modifier "dotall" does not apply to null`, true},
	}
	ok, bad := map[string]bool{}, map[string]bool{}
	for _, tt := range tests {
		name := strings.Join(append(slices.Clone(tt.before), tt.mod), "|") + fmt.Sprintf(" %#v", tt.in)
		v, err := newValue(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, m := range tt.before {
			if err := v.apply(m, 100); err != nil {
				t.Fatalf("%s: %s: %v", name, m, err)
			}
		}
		if tt.mod == "expand" {
			l := &lowerer{cfg: config{maxValues: 100}}
			_, err = l.expandValue(v)
		} else {
			err = v.apply(tt.mod, 100)
		}
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = showValue(v)
		}
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("%s:\n got %s (error %t)\nwant %s (error %t)", name, got, err != nil, tt.want, tt.err)
		}
		if tt.err {
			bad[tt.mod] = true
		} else {
			ok[tt.mod] = true
		}
	}
	for name, m := range modifiers {
		if m.class != modList && (!ok[name] || !bad[name]) {
			t.Errorf("modifier %q: no case that applies (%t) or no case that fails (%t)", name, ok[name], bad[name])
		}
	}
}
