package matcher_test

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/matcher/matchertest"
)

// needHolds reports whether the fold of v holds the fold of n's text in
// the place n's kind says: what the rule index probes for.
func needHolds(v string, n matcher.Need) bool {
	fv, ft := matcher.Fold(v), matcher.Fold(n.Text)
	switch n.Kind {
	case matcher.NeedExact:
		return fv == ft
	case matcher.NeedPrefix:
		return strings.HasPrefix(fv, ft)
	case matcher.NeedSuffix:
		return strings.HasSuffix(fv, ft)
	case matcher.NeedContains:
		return strings.Contains(fv, ft)
	}
	return false
}

// checkNeeds reports an error when m matches v but v holds none of m's
// needs. A matcher with no needs may match anything.
func checkNeeds(t *testing.T, m matcher.Matcher, v string) {
	t.Helper()
	if !m.Match(v) {
		return
	}
	ns := m.(matcher.Needer).Needs()
	if len(ns) == 0 {
		return
	}
	for _, n := range ns {
		if needHolds(v, n) {
			return
		}
	}
	t.Errorf("%s matches %q, which holds none of its needs %v", m, v, ns)
}

// TestNeeds checks the needs of each kind of matcher.
func TestNeeds(t *testing.T) {
	type ns = []matcher.Need
	c, p, s, e := matcher.NeedContains, matcher.NeedPrefix, matcher.NeedSuffix, matcher.NeedExact
	tests := []struct {
		name string
		m    matcher.Matcher
		want ns
	}{
		{"exact_fold", matcher.NewExact("MofComp.EXE", true), ns{{"mofcomp.exe", e}}},
		{"exact_cased", matcher.NewExact("MofComp.EXE", false), ns{{"MofComp.EXE", e}}},
		{"exact_empty", matcher.NewExact("", true), ns{{"", e}}}, // the value must be empty
		{"exact_kelvin", matcher.NewExact("\u212a", true), ns{{"k", e}}},
		{"prefix", matcher.NewPrefix(`C:\Windows\`, true), ns{{`c:\windows\`, p}}},
		{"prefix_cased", matcher.NewPrefix(`C:\`, false), ns{{`C:\`, p}}},
		{"prefix_empty", matcher.NewPrefix("", true), nil},
		{"suffix", matcher.NewSuffix(".EXE", true), ns{{".exe", s}}},
		{"suffix_empty", matcher.NewSuffix("", false), nil},
		{"contains", matcher.NewContains("Temp", true), ns{{"temp", c}}},
		{"contains_cased", matcher.NewContains("Temp", false), ns{{"Temp", c}}},
		{"contains_empty", matcher.NewContains("", true), nil},
		{"both_longer_suffix", matcher.NewBoth("ab", "CDE", true), ns{{"cde", s}}},
		{"both_longer_prefix", matcher.NewBoth("abc", "de", true), ns{{"abc", p}}},
		{"both_tie_prefix", matcher.NewBoth("ab", "cd", false), ns{{"ab", p}}},
		{"both_empty_prefix", matcher.NewBoth("", "x", true), ns{{"x", s}}},
		{"both_empty", matcher.NewBoth("", "", true), nil},
		{"segments_prefix", matcher.NewSegments("Pre", []string{"m"}, "s", true), ns{{"pre", p}}},
		{"segments_prefix_ties", matcher.NewSegments("ab", []string{"cd"}, "ef", true), ns{{"ab", p}}},
		{"segments_suffix", matcher.NewSegments("p", []string{"mid"}, "suf", true), ns{{"suf", s}}},
		{"segments_mid", matcher.NewSegments("p", []string{"Middle"}, "s", true), ns{{"middle", c}}},
		{"segments_longest_mid", matcher.NewSegments("", []string{"ab", "abcd", "xyzw"}, "", true), ns{{"abcd", c}}},
		{"segments_stars", matcher.NewSegments("", nil, "", true), nil},
		{"glob_longest_lit", matchertest.MustGlob(t, true, "Foo", "*", "ba", "?"), ns{{"Foo", c}}},
		{"glob_later_lit", matchertest.MustGlob(t, false, "a", "?", "Bcd", "*"), ns{{"Bcd", c}}},
		{"glob_no_lit", matchertest.MustGlob(t, true, "*", "?"), nil},
		{"glob_invalid_utf8", matchertest.MustGlob(t, true, "abc\xff", "*"), nil},
		{"regex", matchertest.MustRegex(t, "foo|bar", true), ns{{"foo", c}, {"bar", c}}},
		{"regex_none", matchertest.MustRegex(t, "a*", true), nil},
		{"set", matcher.NewSet([]matcher.Matcher{matcher.NewExact("A", true), matcher.NewPrefix("b", true), matcher.NewSuffix("C", true), matcher.NewContains("d", true)}),
			ns{{"a", e}, {"b", p}, {"c", s}, {"d", c}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.(matcher.Needer).Needs(); !slices.Equal(got, tt.want) {
				t.Errorf("%s: Needs() = %v, want %v", tt.m, got, tt.want)
			}
		})
	}
}

// TestRegexLiterals checks the texts regexLiterals finds in RE2
// expressions, and that values the expressions match hold one of them.
func TestRegexLiterals(t *testing.T) {
	tests := []struct {
		src  string
		want []string // nil: none
	}{
		{`abc`, []string{"abc"}},
		{`^abc$`, []string{"abc"}},
		{`\bword\b`, []string{"word"}},
		{`(abc)`, []string{"abc"}},
		{`\\temp\\`, []string{`\temp\`}},
		{`\.exe$`, []string{".exe"}},
		{`\Qa.b\E`, []string{"a.b"}},
		{`héllo`, []string{"héllo"}},
		{`K`, []string{"K"}},
		// Alternations: every branch gives a text, or none is needed.
		{`foo|bar`, []string{"foo", "bar"}},
		{`ab|cd|ef`, []string{"ab", "cd", "ef"}},
		{`abc|abd`, []string{"ab"}},                    // the parser factors out "ab"
		{`(?i)(invoke|iex)-`, []string{"NVOKE", "EX"}}, // and "i", leaving longer texts
		{`a|b`, nil}, // a class
		{`(a|.)`, nil},
		{`(?:abc|)`, nil},
		{`(foo|)`, nil},
		// Concatenations: the operand whose shortest text is longest, the first on a tie.
		{`(foo|bar)baz`, []string{"foo", "bar"}},
		{`foo(bar|bazz)`, []string{"foo"}},
		{`(abc|de)fgh`, []string{"fgh"}},
		{`(a|b)(cd|ef)`, []string{"cd", "ef"}},
		{`(a|bc)(de|f)`, []string{"a", "bc"}},
		{`x.*yz`, []string{"yz"}},
		{`[^a]bc`, []string{"bc"}},
		{`a[bc]de`, []string{"de"}},
		{`[Aa]bc`, []string{"bc"}},
		{`[[:alpha:]]+x`, []string{"x"}},
		// Repetitions: only those that run at least once.
		{`a+`, []string{"a"}},
		{`(ab)+`, []string{"ab"}},
		{`(ab|cd)+x`, []string{"ab", "cd"}},
		{`(ab){2,}`, []string{"ab"}},
		{`x{3}`, []string{"x"}},
		{`(x){1,3}y`, []string{"x"}},
		{`a{2,}b{3,}`, []string{"a"}},
		{`(ab)?c`, []string{"c"}},
		{`ab?c`, []string{"a"}},
		{`(?:ab)*cd`, []string{"cd"}},
		{`a(b|c)*d`, []string{"a"}},
		{`a*`, nil},
		{`(ab){0,2}`, nil},
		{`.`, nil},
		{`(?s).+`, nil},
		{`[ab]`, nil},
		{`^$`, nil},
		// Case-insensitive parts: the parser keeps each letter's least fold.
		{`(?i)abc`, []string{"ABC"}},
		{`(?i)cmd\.exe`, []string{"CMD.EXE"}},
		{`(?i)k`, []string{"K"}},
		{`(?i)s`, []string{"S"}},
		{`(?i)Σ`, []string{"Σ"}},
		{`(?i:a)b`, []string{"A"}},
		// U+FFFD also stands for an invalid byte.
		{`\x{FFFD}ab`, nil},
		{`a\x{FFFD}`, nil},
		{`\x{FFFD}|ab`, nil},
		// Not RE2.
		{`(`, nil},
		{`a**`, nil},
		{`(?<=a)b`, nil},
	}
	for _, tt := range tests {
		got := matcher.RegexLiterals(tt.src)
		if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("matcher.RegexLiterals(%q) = %#v, want %#v", tt.src, got, tt.want)
		}
		if _, err := regexp.Compile(tt.src); err != nil {
			continue
		}
		for _, fold := range []bool{false, true} {
			m := matchertest.MustRegex(t, tt.src, fold)
			for _, v := range regexValues {
				checkNeeds(t, m, v)
			}
		}
	}
}

// regexValues are values for the regular expressions of
// TestRegexLiterals, each matched by some.
var regexValues = []string{
	"", "abc", "ABC", "xAbCx", "word", " word ", `c:\temp\x`, "a.exe", "A.EXE", "a.b", "héllo", "HÉLLO",
	"K", "k", "\u212a", "s", "S", "\u017f", "σ", "Σ", "ς", "foo", "bar", "fooBAZ", "barbaz", "foobazz",
	"abd", "abcd", "invoke-", "IEX-", "\u0130ex-", "ı", "defgh", "acd", "bef", "ade", "bcf", "xyz", "x..yz",
	"zbc", "abde", "acde", "Abc", "zzx", "aa", "aab", "abab", "ababab", "cdx", "xxx", "xy", "xxxy", "aabbb",
	"c", "ac", "abc", "cd", "abbd", "ad", "\ufffdab", "a\ufffd", "\xffab", "a\xff", "ab\xff", "\xff",
}

// TestNeedsRandom checks over random matchers of every kind that has
// needs, and random values, that each value a matcher matches holds one
// of its needs (a fixed seed).
func TestNeedsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	hits := map[matcher.Kind]int{}
	for range 20000 {
		m, words := matchertest.RandNeedMatcher(t, r)
		for range 10 {
			v := matchertest.RandValue(r, words)
			if m.Match(v) {
				hits[m.Kind()]++
			}
			checkNeeds(t, m, v)
		}
		if t.Failed() {
			return
		}
	}
	for k := matcher.KindExact; k <= matcher.KindSet; k++ {
		if k != matcher.KindCIDR && hits[k] < 500 {
			t.Errorf("%v matchers matched %d values: too few to mean much", k, hits[k])
		}
	}
}

// TestRegexLiteralsRandom checks regexLiterals over random expressions:
// every value the expression matches, with and without case folding,
// holds the fold of one of its texts (a fixed seed).
func TestRegexLiteralsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	hits, some := 0, 0
	for range 20000 {
		src, words := matchertest.RandRegex(r, 4)
		lits := matcher.RegexLiterals(src)
		if lits != nil {
			some++
		}
		for _, fold := range []bool{false, true} {
			m := matchertest.MustRegex(t, src, fold)
			for range 5 {
				v := matchertest.RandValue(r, words)
				if m.Match(v) && lits != nil {
					hits++
				}
				checkNeeds(t, m, v)
			}
		}
		if t.Failed() {
			return
		}
	}
	if some < 5000 || hits < 20000 {
		t.Errorf("%d expressions with texts matched %d values: too few to mean much", some, hits)
	}
}
