// Package swar holds the word-at-a-time byte tricks (SIMD within a
// register) that the matchers and the ECS view share: eight bytes of a
// text tested or changed in one uint64, so that case folding and
// searching cost one step per word instead of one per byte.
package swar

// Ones has a 1 in every byte; Highs the high bit of every byte. A word w
// is eight ASCII bytes exactly when w&Highs == 0.
const (
	Ones  = 0x0101010101010101
	Highs = 0x8080808080808080
)

// UpperBits returns the high bit of each byte of w, eight ASCII bytes,
// that is an upper-case letter: a byte c gets its high bit from
// c+0x80-'A' when c >= 'A' and from c+0x80-'Z'-1 when c > 'Z', and no
// byte carries into the next because every byte is below 0x80.
func UpperBits(w uint64) uint64 {
	return ((w + Ones*(0x80-'A')) ^ (w + Ones*(0x80-'Z'-1))) & Highs
}

// LowerWord returns w, eight ASCII bytes, with its upper-case letters
// lowered: 0x80>>2 is the case bit 0x20.
func LowerWord(w uint64) uint64 { return w | UpperBits(w)>>2 }

// EscapeBits returns the high bit of each byte of w that JSON escapes
// inside a string: below 0x20, a quote or a backslash; never a byte past
// ASCII. The classic zero-lane tests, one per kind: a byte below n sets
// its high bit in w-n, a byte equal to c sets it in (w^c)-1, and &^w drops
// the lanes of 0x80 and up (w^c has the high bits of w, c being ASCII),
// once for the three. Only the lowest byte flagged is sure to be one (a
// borrow may flag the lanes above it), so EscapeBits(w) != 0 tells
// whether any byte is, and bits.TrailingZeros64(EscapeBits(w))>>3 is the
// first.
func EscapeBits(w uint64) uint64 {
	q, b := w^(Ones*'"'), w^(Ones*'\\')
	return ((w - Ones*' ') | (q - Ones) | (b - Ones)) &^ w & Highs
}

// ControlBits returns the high bit of each byte of w below 0x20 (a
// control character or NUL, which EscapeBits flags too), flagged as
// EscapeBits flags them: the lowest is sure to be one, and a byte past
// ASCII never is.
func ControlBits(w uint64) uint64 { return (w - Ones*' ') &^ w & Highs }

// ZeroBits returns the high bit of each byte of w that is zero, and of no
// other: exact in every lane, unlike the borrow test (w-Ones)&^w, whose
// lanes above the lowest zero byte may be flagged wrongly. Adding 0x7f to
// each byte's low seven bits carries into its high bit unless they are 0,
// and no lane carries into the next. ZeroBits(w^(Ones*c)) flags the bytes
// equal to c, and (63-bits.LeadingZeros64(m))>>3 is then the last one
// (Automaton.cut in internal/matcher needs the last backslash of a word).
func ZeroBits(w uint64) uint64 {
	const low7 = Highs - Ones // 0x7f in every byte
	return ^((w&low7 + low7) | w | low7)
}
