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
	eachWord("aZ@[`{09", 0x80, 1, check)
}

// eachWord calls check with every byte value below n at every position of
// plain (eight bytes), then with random words of such bytes (seed).
func eachWord(plain string, n int, seed uint64, check func(b []byte)) {
	for c := range n {
		for pos := range 8 {
			b := []byte(plain)
			b[pos] = byte(c)
			check(b)
		}
	}
	r := rand.New(rand.NewPCG(seed, seed+1))
	for range 100000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(r.IntN(n))
		}
		check(b[:])
	}
}

// TestEscapeBits checks that EscapeBits finds the first byte JSON escapes
// in a word, and whether there is one, and ControlBits the first byte
// below 0x20, against a byte at a time: every byte value at every
// position of a plain word, and random words of any bytes.
func TestEscapeBits(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		first, control := 8, 8
		for i, c := range b {
			if c < 0x20 && control == 8 {
				control = i
			}
			if (c < 0x20 || c == '"' || c == '\\') && first == 8 {
				first = i
			}
		}
		w := binary.LittleEndian.Uint64(b)
		if m := EscapeBits(w); bits.TrailingZeros64(m)>>3 != first {
			t.Fatalf("EscapeBits(%q) = %#x: first byte %d, want %d", b, m, bits.TrailingZeros64(m)>>3, first)
		}
		if m := ControlBits(w); bits.TrailingZeros64(m)>>3 != control {
			t.Fatalf("ControlBits(%q) = %#x: first byte %d, want %d", b, m, bits.TrailingZeros64(m)>>3, control)
		}
	}
	eachWord("aZ\x80 ~09x", 0x100, 3, check)
}

// TestZeroBits checks ZeroBits, lane by lane, against a byte at a time:
// every byte value at every position of a word with no zero byte, and
// random words of any bytes.
func TestZeroBits(t *testing.T) {
	eachWord("a\x01\x80\xff~09x", 0x100, 5, func(b []byte) {
		t.Helper()
		var want uint64
		for i, c := range b {
			if c == 0 {
				want |= 0x80 << (8 * i)
			}
		}
		if got := ZeroBits(binary.LittleEndian.Uint64(b)); got != want {
			t.Fatalf("ZeroBits(%q) = %#x, want %#x", b, got, want)
		}
	})
}

// TestLanePairs checks ZeroBits and EscapeBits on every pair of byte
// values in every two adjacent lanes (a borrow or a carry from one lane
// into the next is the classic SWAR bug), in words whose other bytes are
// plain, zero, 0x80 or 0xff: ZeroBits exact in every lane; EscapeBits
// exact up to its first flagged lane, which is the first byte JSON
// escapes, flagging high bits only and never a byte past ASCII.
func TestLanePairs(t *testing.T) {
	for _, fill := range []byte{'a', 0, 0x80, 0xff} {
		for pos := range 7 {
			for pair := range 1 << 16 {
				var b [8]byte
				for i := range b {
					b[i] = fill
				}
				b[pos], b[pos+1] = byte(pair), byte(pair>>8)
				w := binary.LittleEndian.Uint64(b[:])
				var zero, esc uint64
				first := 8
				for i, c := range b {
					if c == 0 {
						zero |= 0x80 << (8 * i)
					}
					if (c < 0x20 || c == '"' || c == '\\') && first == 8 {
						first = i
					}
					if c < 0x20 || c == '"' || c == '\\' {
						esc |= 0x80 << (8 * i)
					}
				}
				if got := ZeroBits(w); got != zero {
					t.Fatalf("ZeroBits(%q) = %#x, want %#x", b, got, zero)
				}
				m := EscapeBits(w)
				below := uint64(1)<<(8*first) - 1 // the lanes below the first escaped byte
				if first == 8 {
					below = ^uint64(0)
				}
				if m&below != esc&below || bits.TrailingZeros64(m)>>3 != first || m&^Highs != 0 {
					t.Fatalf("EscapeBits(%q) = %#x: first byte %d, want %d", b, m, bits.TrailingZeros64(m)>>3, first)
				}
				if high := w & Highs; m&high != 0 {
					t.Fatalf("EscapeBits(%q) = %#x flags a byte past ASCII", b, m)
				}
			}
		}
	}
}
