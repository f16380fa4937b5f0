package eql

import (
	"regexp"
	"testing"
)

// regexTests pair a Lucene regular expression with its RE2 translation.
var regexTests = []struct {
	lucene, re2 string
}{
	{``, `^(?s:)$`},
	{`abc`, `^(?s:abc)$`},
	{`a.c`, `^(?s:a.c)$`},
	{`ab*`, `^(?s:ab*)$`},
	{`ab+c?`, `^(?s:ab+c?)$`},
	{`a{2}b{2,}c{2,5}`, `^(?s:a{2}b{2,}c{2,5})$`},
	// Lucene repeats a repetition; RE2 needs a group (and reads +? as lazy).
	{`a+?`, `^(?s:(?:a+)?)$`},
	{`a**`, `^(?s:(?:a*)*)$`},
	{`a{2,5}{3}`, `^(?s:(?:a{2,5}){3})$`},
	{`a|b`, `^(?s:a|b)$`},
	{`a|bc|`, ``}, // see regexErrorTests
	{`(a|b)c`, `^(?s:(?:a|b)c)$`},
	{`(ab)*`, `^(?s:(?:ab)*)$`},
	{`(a)*`, `^(?s:a*)$`},
	{`()`, `^(?s:(?:))$`},
	{`a()b`, `^(?s:a(?:)b)$`},
	{`"a.b"*`, `^(?s:(?:a\.b)*)$`},
	{`"x"`, `^(?s:x)$`},
	{`""`, `^(?s:(?:))$`},
	{`"a\b"`, `^(?s:a\\b)$`},
	// Classes, written out as ranges.
	{`[a-z]`, `^(?s:[a-z])$`},
	{`[^a-z]`, `^(?s:[^a-z])$`},
	{`[abcx-z0]`, `^(?s:[0a-cx-z])$`},
	{`[a-cb-f]`, `^(?s:[a-f])$`},
	{`[]a]`, `^(?s:[\]a])$`},
	{`[.(*^]`, `^(?s:[(*.\^])$`},
	{`[\]\-]`, `^(?s:[\-\]])$`},
	{`[\\-a]`, `^(?s:[\-\\a])$`}, // "\\" never starts a range
	{`[\.-a]`, `^(?s:[.-a])$`},
	{`[~&<]`, `^(?s:[&<~])$`},
	{`\d\D`, `^(?s:[0-9][^0-9])$`},
	{`\s\S`, `^(?s:[\t\n\r ][^\t\n\r ])$`},
	{`\w\W`, `^(?s:[0-9A-Z_a-z][^0-9A-Z_a-z])$`},
	{`[\d\s_]`, `^(?s:[\t\n\r 0-9_])$`},
	{`[^\d]`, `^(?s:[^0-9])$`},
	{`[\D]`, `^(?s:[^0-9])$`},
	// Characters RE2 reads as operators but Lucene as literals.
	{`^a$`, `^(?s:\^a\$)$`},
	{`a}b]`, `^(?s:a\}b\])$`},
	{`|a`, `^(?s:\|a)$`},
	{`a||b`, `^(?s:a|\|b)$`},
	{`)`, `^(?s:\))$`},
	{`*a`, `^(?s:\*a)$`},
	{`+`, `^(?s:\+)$`},
	{`(|)`, `^(?s:\|)$`},
	{`&a`, `^(?s:&a)$`},
	{`-/>`, `^(?s:-/>)$`},
	{`\.\*\\\@\#\~\&\<`, `^(?s:\.\*\\@#~&<)$`},
	{`\1`, `^(?s:1)$`},
	// Lucene's optional operators.
	{`#`, `^(?s:[^\x00-\x{10FFFF}])$`},
	{`a#|b`, `^(?s:a[^\x00-\x{10FFFF}]|b)$`},
	{`@`, `^(?s:.*)$`},
	{`@*`, `^(?s:(?:.*)*)$`},
	{`a@b`, `^(?s:a.*b)$`},
	{`<1-10>`, `^(?s:(?:0*(?:[1-9]|10)))$`},
	{`<01-10>`, `^(?s:(?:0[1-9]|10))$`},
	{`<10-1>`, `^(?s:(?:0*(?:[1-9]|10)))$`},
	{`<5-5>`, `^(?s:(?:5))$`},
	{`<0-255>`, `^(?s:(?:0*(?:[0-9]|[1-9][0-9]|1[0-9]{2}|2(?:[0-4][0-9]|5[0-5]))))$`},
	{`<000-999>`, `^(?s:(?:[0-9][0-9]{2}))$`},
	{`<19-201>`, `^(?s:(?:0*(?:19|[2-9][0-9]|1[0-9]{2}|20[01])))$`},
	{`<1-2>+`, `^(?s:(?:[12])+)$`},
	{`<1-3>`, `^(?s:(?:[1-3]))$`},
	// Other characters.
	{`é.€`, `^(?s:é.€)$`},
	{"a\tb\x00", `^(?s:a\tb\x00)$`},
	{"\u200b", `^(?s:\x{200B})$`},
}

func TestTranslateRegex(t *testing.T) {
	for _, tt := range regexTests {
		if tt.re2 == "" {
			continue
		}
		got, err := translateRegex(tt.lucene)
		if err != nil {
			t.Errorf("translateRegex(%q): %v", tt.lucene, err)
			continue
		}
		if got != tt.re2 {
			t.Errorf("translateRegex(%q)\n got %s\nwant %s", tt.lucene, got, tt.re2)
		}
	}
}

// regexErrorTests pair a Lucene regular expression that has no
// translation with the exact error, and whether Elasticsearch accepts it.
var regexErrorTests = []struct {
	lucene, err string
	unsupported bool
}{
	{`a(b`, `unexpected end (expected ")")`, false},
	{`(a))`, `unexpected ")"`, false},
	{`a|`, `unexpected end (expected a character)`, false},
	{`a|bc|`, `unexpected end (expected a character)`, false},
	{`\`, `unexpected end (expected a character)`, false},
	{`[abc`, `unexpected end (expected "]")`, false},
	{`[]`, `unexpected end (expected "]")`, false},
	{`[a-`, `unexpected end (expected a character)`, false},
	{`[z-a]`, `range z-a is out of order`, false},
	{`"abc`, `unexpected end (expected '"')`, false},
	{`a{`, `unexpected end (expected a number)`, false},
	{`a{x}`, `unexpected "x" (expected a number)`, false},
	{`a{1`, `unexpected end (expected "}")`, false},
	{`a{1x}`, `unexpected "x" (expected "}")`, false},
	{`a{1,x}`, `unexpected "x" (expected "}")`, false},
	{`a{3,2}`, `repetition {3,2} is out of order`, false},
	{`\n`, `bad escape "\n"`, false},
	{`[\t]`, `bad escape "\t"`, false},
	{`\p{L}`, `bad escape "\p"`, false},
	{`<1-x>`, `bad numeric interval "<1-x>" (expected <n-m>)`, false},
	{`<1-2-3>`, `bad numeric interval "<1-2-3>" (expected <n-m>)`, false},
	{`<-5>`, `bad numeric interval "<-5>" (expected <n-m>)`, false},
	{`<1-99999999999>`, `bad numeric interval "<1-99999999999>" (expected <n-m>)`, false},
	{`<1-5`, `unexpected end (expected ">")`, false},
	{`a&b`, `intersection "&"`, true},
	{`~a`, `complement "~" (write \~ for a literal ~)`, true},
	{`a~`, `complement "~" (write \~ for a literal ~)`, true},
	{`<ip>`, `named automaton "<ip>"`, true},
	{`a{1001}`, `repetition count 1001 (RE2 allows at most 1000)`, true},
	{`a{1,99999999999}`, `repetition count 99999999999 (RE2 allows at most 1000)`, true},
	{`((a{1000}){1000}){1000}`, "too complex for RE2 (error parsing regexp: invalid repeat count: `{1000}`)", true},
}

func TestTranslateRegexErrors(t *testing.T) {
	for _, tt := range regexErrorTests {
		got, err := translateRegex(tt.lucene)
		if err == nil {
			t.Errorf("translateRegex(%q) = %s, want error %s", tt.lucene, got, tt.err)
			continue
		}
		e := err.(*regexError)
		if e.msg != tt.err || e.unsupported != tt.unsupported {
			t.Errorf("translateRegex(%q)\n got error %s (unsupported %v)\nwant error %s (unsupported %v)", tt.lucene, e.msg, e.unsupported, tt.err, tt.unsupported)
		}
	}
}

// TestRegexMatch checks translations against what Lucene matches: the
// whole value, with Lucene's meaning of each operator.
func TestRegexMatch(t *testing.T) {
	tests := []struct {
		lucene  string
		match   []string
		nomatch []string
	}{
		{`abc`, []string{"abc"}, []string{"xabc", "abcx", "ab", "ABC"}},
		{`a.c`, []string{"abc", "a\nc", "aéc"}, []string{"ac", "abbc"}},
		{`ab+?`, []string{"a", "ab", "abbb"}, []string{"b", "abc"}},
		{`[^a-c]x`, []string{"dx", "\nx", "éx"}, []string{"ax", "x", "ddx"}},
		{`\s\w\d`, []string{" a1", "\t_9", "\rZ0"}, []string{"\fa1", "é", " é1"}},
		{`^$`, []string{"^$"}, []string{""}},
		{`<1-10>`, []string{"1", "9", "10", "01", "0010"}, []string{"0", "11", "", "1x"}},
		{`<0-5>`, []string{"0", "5"}, []string{"00", "05", "6", ""}},
		{`<0-10>`, []string{"0", "00", "05", "10", "010"}, []string{"11", ""}},
		{`<01-10>`, []string{"01", "09", "10"}, []string{"1", "010", "00", "11"}},
		{`<19-201>`, []string{"19", "20", "99", "100", "199", "200", "201", "019"}, []string{"18", "202", "210", "300"}},
		{`@.exe`, []string{".exe", "C:\\x.exe", "a\n.exe"}, []string{".ex", "exe"}},
		{`a#|b`, []string{"b"}, []string{"a", ""}},
		{`"a.b"|c`, []string{"a.b", "c"}, []string{"axb", "a.bc"}},
		{`|a`, []string{"|a"}, []string{"a", ""}},
		{`x{2,3}`, []string{"xx", "xxx"}, []string{"x", "xxxx"}},
	}
	for _, tt := range tests {
		src, err := translateRegex(tt.lucene)
		if err != nil {
			t.Errorf("translateRegex(%q): %v", tt.lucene, err)
			continue
		}
		re := regexp.MustCompile(src)
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("%q (%s) does not match %q", tt.lucene, src, s)
			}
		}
		for _, s := range tt.nomatch {
			if re.MatchString(s) {
				t.Errorf("%q (%s) matches %q", tt.lucene, src, s)
			}
		}
	}
}

// TestDecimalInterval checks numeric intervals against every number in a
// range, padded and not.
func TestDecimalInterval(t *testing.T) {
	for _, iv := range [][2]int64{{0, 0}, {0, 9}, {3, 47}, {7, 1234}, {99, 100}, {105, 5321}, {0, 10000}} {
		for _, digits := range []int{0, 5} {
			re := regexp.MustCompile("^(?:" + decimalInterval(iv[0], iv[1], digits) + ")$")
			for n := int64(0); n <= 12000; n++ {
				in := iv[0] <= n && n <= iv[1]
				for _, s := range []string{pad(n, 1), pad(n, 3), pad(n, 5)} {
					want := in && (digits == 0 || len(s) == digits)
					if got := re.MatchString(s); got != want {
						t.Fatalf("<%d-%d> with %d digits: %q matches %v, want %v (%s)", iv[0], iv[1], digits, s, got, want, re)
					}
				}
			}
		}
	}
}
