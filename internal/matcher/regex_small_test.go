package matcher

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestRegexPrefilterSmall checks Regex.Match against Go's regexp on every
// value of up to three characters over a small alphabet, for expressions
// built at random from literals (ASCII letters, ſ and the Kelvin sign, which
// fold to ASCII ones, é, U+FFFD), classes, '.', alternation, concatenation,
// ?, *, +, {n,m}, captures, (?i:…) and anchors: the small-scope version of
// FuzzRegex. The literal search, and the search for a sequence of
// literals in order, may only refuse a value no match holds.
func TestRegexPrefilterSmall(t *testing.T) {
	atoms := []string{"a", "b", "A", "s", "S", "ſ", "k", "\u212a", "é", `\x{fffd}`, ".", "[ab]", `\d`, "^", "$", "ab", "sk", ""}
	alphabet := []string{"a", "b", "A", "s", "S", "ſ", "k", "K", "\u212a", "é", "É", "\xff", "\ufffd", "1"}
	r := rand.New(rand.NewPCG(19, 7))
	var gen func(depth int) string
	gen = func(depth int) string {
		if depth == 0 || r.IntN(4) == 0 {
			return atoms[r.IntN(len(atoms))]
		}
		x, y := gen(depth-1), gen(depth-1)
		switch r.IntN(9) {
		case 0:
			return x + y
		case 1:
			return x + "|" + y
		case 2:
			return "(?:" + x + ")?"
		case 3:
			return "(?:" + x + ")*"
		case 4:
			return "(?:" + x + ")+"
		case 5:
			return "(?:" + x + "){1,2}"
		case 6:
			return "(" + x + "|" + y + ")"
		case 7:
			return "(?i:" + x + ")" + y
		default:
			return "(?:" + x + ")(?:" + y + ")"
		}
	}
	values := allStrings(alphabet, 3)
	filtered, ordered := 0, 0
	for range 1500 {
		src := gen(3)
		fold := r.IntN(3) == 0
		m, err := NewRegex(src, fold)
		if err != nil {
			continue
		}
		if m.pre == nil && m.seq == nil {
			continue
		}
		filtered++
		if m.seq != nil {
			ordered++
		}
		full := src
		if fold {
			full = "(?i)" + src
		}
		re := regexp.MustCompile(full)
		for _, v := range values {
			if got, want := m.Match(v), re.MatchString(v); got != want {
				t.Fatalf("NewRegex(%q, %v).Match(%q) = %v, want %v (literals %q, sequence %q)", src, fold, v, got, want, m.lits, regexSequence(src))
			}
		}
	}
	if filtered < 300 || ordered < 60 {
		t.Errorf("%d expressions with a prefilter, %d with a sequence: the test checks little", filtered, ordered)
	}
}

// allStrings returns every string of up to n symbols of alphabet.
func allStrings(alphabet []string, n int) []string {
	out := []string{""}
	for last := out; n > 0; n-- {
		var next []string
		for _, p := range last {
			for _, c := range alphabet {
				next = append(next, p+c)
			}
		}
		out, last = append(out, next...), next
	}
	return out
}
