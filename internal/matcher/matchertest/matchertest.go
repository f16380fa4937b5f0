// Package matchertest makes random matchers, texts and values, and
// compiles matchers for tests, for the tests of package matcher and of the
// rule index in package match, which check matchers and gates alike.
package matchertest

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/randtext"
	"github.com/ruleforge/ruleforge/ir"
)

// MustGlob compiles a glob of pieces for a test: a string is a literal,
// "*" a star and "?" one code point.
func MustGlob(t testing.TB, fold bool, pieces ...string) *matcher.Glob {
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
	g, err := matcher.NewGlob(p, fold)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// MustRegex compiles an RE2 expression for a test.
func MustRegex(t testing.TB, src string, fold bool) *matcher.Regex {
	t.Helper()
	m, err := matcher.NewRegex(src, fold)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// NeedPieces are what random pattern texts are made of: valid UTF-8
// (compile sends text that is not to matcher.Glob), ASCII letters of either
// case, the non-ASCII code points that fold to ASCII letters, and other
// letters with case.
var NeedPieces = []string{"a", "b", "k", "s", "A", "K", "S", ".", "\u212a", "\u017f", "é", "É", "ß", "σ", "ς"}

// ValuePieces are what random values are made of, besides the texts of
// the matcher: NeedPieces and invalid bytes, one a cut-short Kelvin sign.
var ValuePieces = append(slices.Clip(NeedPieces), "\xff", "\xe2\x84", "x")

// RandNeedMatcher returns a random matcher of each kind that has needs,
// with the texts it was built from.
func RandNeedMatcher(t *testing.T, r *rand.Rand) (matcher.Matcher, []string) {
	text := func() string { return randtext.String(r, NeedPieces, 3, true) }
	fold := r.IntN(4) != 0
	switch r.IntN(9) {
	case 0:
		s := text()
		return matcher.NewExact(s, fold), []string{s}
	case 1:
		s := text()
		return matcher.NewPrefix(s, fold), []string{s}
	case 2:
		s := text()
		return matcher.NewSuffix(s, fold), []string{s}
	case 3:
		s := text()
		return matcher.NewContains(s, fold), []string{s}
	case 4:
		a, b := randtext.String(r, NeedPieces, 3, false), randtext.String(r, NeedPieces, 3, false)
		return matcher.NewBoth(a, b, fold), []string{a, b}
	case 5:
		a, b := randtext.String(r, NeedPieces, 3, false), randtext.String(r, NeedPieces, 3, false)
		words := []string{a, b}
		var mids []string
		for range r.IntN(3) {
			mids = append(mids, text())
		}
		return matcher.NewSegments(a, mids, b, fold), append(words, mids...)
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
		return MustGlob(t, fold, pieces...), words
	case 7:
		src, words := RandRegex(r, 3)
		return MustRegex(t, src, fold), words
	}
	ms := make([]matcher.Matcher, matcher.MinSet)
	var words []string
	for i := range ms {
		s := randtext.String(r, NeedPieces[:7], 3, true) // ASCII
		words = append(words, s)
		switch r.IntN(4) {
		case 0:
			ms[i] = matcher.NewExact(s, true)
		case 1:
			ms[i] = matcher.NewPrefix(s, true)
		case 2:
			ms[i] = matcher.NewSuffix(s, true)
		default:
			ms[i] = matcher.NewContains(s, true)
		}
	}
	return matcher.NewSet(ms), words
}

// RandRegex returns a random RE2 expression of at most depth levels and
// the literal texts in it.
func RandRegex(r *rand.Rand, depth int) (string, []string) {
	atoms := []string{"a", "b", "k", "s", "K", "é", "\u212a", "ab", "ks", ".", "[ab]", "[^a]", `\.`}
	if depth == 0 || r.IntN(4) == 0 {
		a := atoms[r.IntN(len(atoms))]
		return a, []string{strings.TrimPrefix(a, `\`)}
	}
	sub := func() (string, []string) { return RandRegex(r, depth-1) }
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

// Variant returns s with each code point replaced, at random, by another
// of its case: upper-case ASCII letters, the Kelvin sign for k, the long
// s for s, and so on.
func Variant(r *rand.Rand, s string) string {
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

// RandValue returns a random value made of the words of a matcher, in
// random case, and random pieces.
func RandValue(r *rand.Rand, words []string) string {
	var b strings.Builder
	for range r.IntN(5) {
		if len(words) > 0 && r.IntN(2) == 0 {
			b.WriteString(Variant(r, words[r.IntN(len(words))]))
		} else {
			b.WriteString(ValuePieces[r.IntN(len(ValuePieces))])
		}
	}
	return b.String()
}
