package swar

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestLowerWord checks LowerWord and UpperBits against strings.ToLower for
// every ASCII byte at every position of a word, and for random words.
func TestLowerWord(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		w := binary.LittleEndian.Uint64(b)
		want := strings.ToLower(string(b))
		var got [8]byte
		binary.LittleEndian.PutUint64(got[:], LowerWord(w))
		if string(got[:]) != want {
			t.Fatalf("LowerWord(%q) = %q, want %q", b, got, want)
		}
		if changed := UpperBits(w) != 0; changed != (want != string(b)) {
			t.Fatalf("UpperBits(%q) = %#x, but ToLower changes it: %v", b, UpperBits(w), want != string(b))
		}
	}
	for c := range 0x80 {
		for pos := range 8 {
			b := []byte("aZ@[`{09")
			b[pos] = byte(c)
			check(b)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(r.IntN(0x80))
		}
		check(b[:])
	}
}

// TestEscapeBits checks that EscapeBits finds the first byte JSON escapes
// in a word, and whether there is one, against a byte at a time: every
// byte value at every position of a plain word, and random words of any
// bytes.
func TestEscapeBits(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		first := 8
		for i, c := range b {
			if c < 0x20 || c == '"' || c == '\\' {
				first = i
				break
			}
		}
		m := EscapeBits(binary.LittleEndian.Uint64(b))
		if got := bits.TrailingZeros64(m) >> 3; got != first {
			t.Fatalf("EscapeBits(%q) = %#x: first byte %d, want %d", b, m, got, first)
		}
	}
	for c := range 0x100 {
		for pos := range 8 {
			b := []byte("aZ\x80 ~09x")
			b[pos] = byte(c)
			check(b)
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(r.IntN(0x100))
		}
		check(b[:])
	}
}
