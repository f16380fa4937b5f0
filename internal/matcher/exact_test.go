package matcher

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestExactSmall checks Exact against the fold of both sides on every
// value of up to three characters over an alphabet of ASCII letters, runes
// whose simple folding is an ASCII letter (the Kelvin sign, ſ), é and an
// invalid byte: the length checks for ASCII texts refuse no equal value.
func TestExactSmall(t *testing.T) {
	texts := []string{"", "k", "ks", "ab", "abk", "é", "K", "s\u212a", "\xff", "a\xff"}
	values := allStrings([]string{"a", "b", "k", "K", "\u212a", "s", "S", "ſ", "é", "É", "\xff"}, 3)
	for _, text := range texts {
		m := NewExact(text, true)
		for _, v := range values {
			if got, want := m.Match(v), Fold(v) == Fold(text); got != want {
				t.Errorf("NewExact(%q, true).Match(%q) = %v, want %v", text, v, got, want)
			}
		}
	}
	// Texts of 8 to 40 bytes, compared eight bytes at a time, with
	// values that differ from them in one place each: in case, by a
	// neighbour of a letter's range ('@', '[', '`', '{'), by a byte with
	// the high bit, or by a rune that folds to the letter.
	r := rand.New(rand.NewPCG(8, 40))
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{-./:\\ 09"
	for range 2000 {
		b := make([]byte, 8+r.IntN(33))
		for i := range b {
			b[i] = letters[r.IntN(len(letters))]
		}
		text := string(b)
		m := NewExact(text, true)
		for _, sub := range []string{"A", "z", "@", "[", "`", "{", "\x80", "\xff", "\u212a", "ſ"} {
			at := r.IntN(len(b))
			v := text[:at] + sub + text[at+1:]
			if got, want := m.Match(v), Fold(v) == Fold(text); got != want {
				t.Fatalf("NewExact(%q, true).Match(%q) = %v, want %v", text, v, got, want)
			}
		}
		if !m.Match(strings.ToUpper(text)) {
			t.Fatalf("NewExact(%q, true) refuses its upper case", text)
		}
	}
}

// BenchmarkExactFold compares Exact on a log source's channel with a
// value of the same length and one of another length against foldPrefix
// over the whole value, what Match ran for every value before its length
// checks (a baseline in the same run).
func BenchmarkExactFold(b *testing.B) {
	m := NewExact("Microsoft-Windows-Sysmon/Operational", true)
	for _, v := range []string{"Microsoft-Windows-Sysmon/Operational", "Security"} {
		b.Run("Match/"+v, func(b *testing.B) {
			for b.Loop() {
				m.Match(v)
			}
		})
		b.Run("foldPrefix/"+v, func(b *testing.B) {
			for b.Loop() {
				n, ok := foldPrefix(v, m.text)
				_ = ok && n == len(v)
			}
		})
	}
}
