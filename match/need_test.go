package match

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// needHolds reports whether the fold of v holds the fold of n's text in
// the place n's kind says: what the rule index probes for.
func needHolds(v string, n need) bool {
	fv, ft := Fold(v), Fold(n.text)
	switch n.kind {
	case keyExact:
		return fv == ft
	case keyPrefix:
		return strings.HasPrefix(fv, ft)
	case keySuffix:
		return strings.HasSuffix(fv, ft)
	case keyContains:
		return strings.Contains(fv, ft)
	}
	return false
}

// checkNeeds reports an error when m matches v but v holds none of m's
// needs. A matcher with no needs may match anything.
func checkNeeds(t *testing.T, m Matcher, v string) {
	t.Helper()
	if !m.Match(v) {
		return
	}
	ns := m.(needer).needs()
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

// mustGlob compiles a glob of pieces for a test: a string is a literal,
// "*" a star and "?" one code point.
func mustGlob(t testing.TB, fold bool, pieces ...string) *Glob {
	t.Helper()
	var p ir.Pattern
	for _, s := range pieces {
		switch s {
		case "*":
			p = append(p, ir.Piece{Kind: ir.PieceStar})
		case "?":
			p = append(p, ir.Piece{Kind: ir.PieceOne})
		default:
			p = append(p, ir.Piece{Kind: ir.PieceLit, Text: s})
		}
	}
	g, err := NewGlob(p, fold)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// mustRegex compiles an RE2 expression for a test.
func mustRegex(t testing.TB, src string, fold bool) *Regex {
	t.Helper()
	m, err := NewRegex(src, fold)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestNeeds checks the needs of each kind of matcher.
func TestNeeds(t *testing.T) {
	type ns = []need
	c, p, s, e := keyContains, keyPrefix, keySuffix, keyExact
	tests := []struct {
		name string
		m    Matcher
		want ns
	}{
		{"exact_fold", NewExact("MofComp.EXE", true), ns{{"mofcomp.exe", e}}},
		{"exact_cased", NewExact("MofComp.EXE", false), ns{{"MofComp.EXE", e}}},
		{"exact_empty", NewExact("", true), ns{{"", e}}}, // the value must be empty
		{"exact_kelvin", NewExact("\u212a", true), ns{{"k", e}}},
		{"prefix", NewPrefix(`C:\Windows\`, true), ns{{`c:\windows\`, p}}},
		{"prefix_cased", NewPrefix(`C:\`, false), ns{{`C:\`, p}}},
		{"prefix_empty", NewPrefix("", true), nil},
		{"suffix", NewSuffix(".EXE", true), ns{{".exe", s}}},
		{"suffix_empty", NewSuffix("", false), nil},
		{"contains", NewContains("Temp", true), ns{{"temp", c}}},
		{"contains_cased", NewContains("Temp", false), ns{{"Temp", c}}},
		{"contains_empty", NewContains("", true), nil},
		{"both_longer_suffix", NewBoth("ab", "CDE", true), ns{{"cde", s}}},
		{"both_longer_prefix", NewBoth("abc", "de", true), ns{{"abc", p}}},
		{"both_tie_prefix", NewBoth("ab", "cd", false), ns{{"ab", p}}},
		{"both_empty_prefix", NewBoth("", "x", true), ns{{"x", s}}},
		{"both_empty", NewBoth("", "", true), nil},
		{"segments_prefix", NewSegments("Pre", []string{"m"}, "s", true), ns{{"pre", p}}},
		{"segments_prefix_ties", NewSegments("ab", []string{"cd"}, "ef", true), ns{{"ab", p}}},
		{"segments_suffix", NewSegments("p", []string{"mid"}, "suf", true), ns{{"suf", s}}},
		{"segments_mid", NewSegments("p", []string{"Middle"}, "s", true), ns{{"middle", c}}},
		{"segments_longest_mid", NewSegments("", []string{"ab", "abcd", "xyzw"}, "", true), ns{{"abcd", c}}},
		{"segments_stars", NewSegments("", nil, "", true), nil},
		{"glob_longest_lit", mustGlob(t, true, "Foo", "*", "ba", "?"), ns{{"Foo", c}}},
		{"glob_later_lit", mustGlob(t, false, "a", "?", "Bcd", "*"), ns{{"Bcd", c}}},
		{"glob_no_lit", mustGlob(t, true, "*", "?"), nil},
		{"glob_invalid_utf8", mustGlob(t, true, "abc\xff", "*"), nil},
		{"regex", mustRegex(t, "foo|bar", true), ns{{"foo", c}, {"bar", c}}},
		{"regex_none", mustRegex(t, "a*", true), nil},
		{"set", newSet([]Matcher{NewExact("A", true), NewPrefix("b", true), NewSuffix("C", true), NewContains("d", true)}),
			ns{{"a", e}, {"b", p}, {"c", s}, {"d", c}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.(needer).needs(); !slices.Equal(got, tt.want) {
				t.Errorf("%s: needs() = %v, want %v", tt.m, got, tt.want)
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
		got := regexLiterals(tt.src)
		if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
			t.Errorf("regexLiterals(%q) = %#v, want %#v", tt.src, got, tt.want)
		}
		if _, err := regexp.Compile(tt.src); err != nil {
			continue
		}
		for _, fold := range []bool{false, true} {
			m := mustRegex(t, tt.src, fold)
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

// needPieces are what random pattern texts are made of: valid UTF-8
// (compile sends text that is not to Glob), ASCII letters of either
// case, the non-ASCII code points that fold to ASCII letters, and other
// letters with case.
var needPieces = []string{"a", "b", "k", "s", "A", "K", "S", ".", "\u212a", "\u017f", "é", "É", "ß", "σ", "ς"}

// valuePieces are what random values are made of, besides the texts of
// the matcher: needPieces and invalid bytes, one a cut-short Kelvin sign.
var valuePieces = append(slices.Clip(needPieces), "\xff", "\xe2\x84", "x")

// randNeedMatcher returns a random matcher of each kind that has needs,
// with the texts it was built from.
func randNeedMatcher(t *testing.T, r *rand.Rand) (Matcher, []string) {
	text := func() string { return randString(r, needPieces, 3, true) }
	fold := r.IntN(4) != 0
	switch r.IntN(9) {
	case 0:
		s := text()
		return NewExact(s, fold), []string{s}
	case 1:
		s := text()
		return NewPrefix(s, fold), []string{s}
	case 2:
		s := text()
		return NewSuffix(s, fold), []string{s}
	case 3:
		s := text()
		return NewContains(s, fold), []string{s}
	case 4:
		a, b := randString(r, needPieces, 3, false), randString(r, needPieces, 3, false)
		return NewBoth(a, b, fold), []string{a, b}
	case 5:
		a, b := randString(r, needPieces, 3, false), randString(r, needPieces, 3, false)
		words := []string{a, b}
		var mids []string
		for range r.IntN(3) {
			mids = append(mids, text())
		}
		return NewSegments(a, mids, b, fold), append(words, mids...)
	case 6:
		var pieces, words []string
		for range 1 + r.IntN(4) {
			switch r.IntN(4) {
			case 0:
				pieces = append(pieces, "*")
			case 1:
				pieces = append(pieces, "?")
			default:
				s := text()
				pieces, words = append(pieces, s), append(words, s)
			}
		}
		return mustGlob(t, fold, pieces...), words
	case 7:
		src, words := randRegex(r, 3)
		return mustRegex(t, src, fold), words
	}
	ms := make([]Matcher, MinSet)
	var words []string
	for i := range ms {
		s := randString(r, needPieces[:7], 3, true) // ASCII
		words = append(words, s)
		switch r.IntN(4) {
		case 0:
			ms[i] = NewExact(s, true)
		case 1:
			ms[i] = NewPrefix(s, true)
		case 2:
			ms[i] = NewSuffix(s, true)
		default:
			ms[i] = NewContains(s, true)
		}
	}
	return newSet(ms), words
}

// randRegex returns a random RE2 expression of at most depth levels and
// the literal texts in it.
func randRegex(r *rand.Rand, depth int) (string, []string) {
	atoms := []string{"a", "b", "k", "s", "K", "é", "\u212a", "ab", "ks", ".", "[ab]", "[^a]", `\.`}
	if depth == 0 || r.IntN(4) == 0 {
		a := atoms[r.IntN(len(atoms))]
		return a, []string{strings.TrimPrefix(a, `\`)}
	}
	sub := func() (string, []string) { return randRegex(r, depth-1) }
	x, words := sub()
	switch r.IntN(12) {
	case 0, 1, 2:
		y, w := sub()
		z, w2 := sub()
		return x + y + z, append(append(words, w...), w2...)
	case 3, 4:
		y, w := sub()
		return "(?:" + x + "|" + y + ")", append(words, w...)
	case 5:
		return "(" + x + ")", words
	case 6:
		return "(?:" + x + ")" + []string{"+", "*", "?"}[r.IntN(3)], words
	case 7:
		return "(?:" + x + ")" + []string{"{2,}", "{1,2}", "{0,1}", "{2}"}[r.IntN(4)], words
	case 8:
		return "(?i:" + x + ")", words
	case 9:
		return "^" + x, words
	case 10:
		return x + "$", words
	}
	return `\b` + x, words
}

// variant returns s with each code point replaced, at random, by another
// of its case: upper-case ASCII letters, the Kelvin sign for k, the long
// s for s, and so on.
func variant(r *rand.Rand, s string) string {
	alts := map[rune][]rune{
		'a': {'A'}, 'b': {'B'}, 'k': {'K', '\u212a'}, 's': {'S', '\u017f'}, 'é': {'É'}, 'σ': {'Σ', 'ς'},
		'A': {'a'}, 'K': {'k', '\u212a'}, 'S': {'s', '\u017f'}, '\u212a': {'k', 'K'}, '\u017f': {'s', 'S'},
		'É': {'é'}, 'ß': {'ẞ'}, 'ς': {'σ', 'Σ'},
	}
	var b strings.Builder
	for _, c := range s {
		if as := alts[c]; as != nil && r.IntN(2) == 0 {
			c = as[r.IntN(len(as))]
		}
		b.WriteRune(c)
	}
	return b.String()
}

// randValue returns a random value made of the words of a matcher, in
// random case, and random pieces.
func randValue(r *rand.Rand, words []string) string {
	var b strings.Builder
	for range r.IntN(5) {
		if len(words) > 0 && r.IntN(2) == 0 {
			b.WriteString(variant(r, words[r.IntN(len(words))]))
		} else {
			b.WriteString(valuePieces[r.IntN(len(valuePieces))])
		}
	}
	return b.String()
}

// TestNeedsRandom checks over random matchers of every kind that has
// needs, and random values, that each value a matcher matches holds one
// of its needs (a fixed seed).
func TestNeedsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	hits := map[Kind]int{}
	for range 20000 {
		m, words := randNeedMatcher(t, r)
		for range 10 {
			v := randValue(r, words)
			if m.Match(v) {
				hits[m.Kind()]++
			}
			checkNeeds(t, m, v)
		}
		if t.Failed() {
			return
		}
	}
	for k := KindExact; k <= KindSet; k++ {
		if k != KindCIDR && hits[k] < 500 {
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
		src, words := randRegex(r, 4)
		lits := regexLiterals(src)
		if lits != nil {
			some++
		}
		for _, fold := range []bool{false, true} {
			m := mustRegex(t, src, fold)
			for range 5 {
				v := randValue(r, words)
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
