package sigma

import (
	"encoding/base64"
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
