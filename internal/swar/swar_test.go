package swar

import (
	"encoding/binary"
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
