package jsonlex

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/internal/swar"
)

// SkipSpace returns the position of the first byte at or after i that is
// not JSON white space.
func SkipSpace(data []byte, i int) int {
	for ; i < len(data); i++ {
		if c := data[i]; c > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			break
		}
	}
	return i
}

// Literal returns the position after lit at data[i], or Fail.
func Literal(data []byte, i int, lit string) int {
	if len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit {
		return i + len(lit)
	}
	return Fail
}

// NumberEnd returns the position after the JSON number at data[i], or
// Fail: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func NumberEnd(data []byte, i int) int {
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return Fail
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		i = digits(data, i+1)
	default:
		return Fail
	}
	if i < len(data) && data[i] == '.' {
		if i++; i >= len(data) || !isDigit(data[i]) {
			return Fail
		}
		i = digits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		if i++; i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return Fail
		}
		i = digits(data, i+1)
	}
	return i
}

// digits returns the position of the first byte at or after i that is
// not a decimal digit.
func digits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

// isDigit reports whether c is a decimal digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// The word-at-a-time scans flag the bytes they look for with the high bit
// of each byte (swar.Highs): (x-Ones)&^x flags the zero bytes of x, and
// only a byte above a flagged one can be flagged falsely, so the lowest
// flagged byte is always the first.
const (
	ones  = swar.Ones
	highs = swar.Highs
)

// StringEnd scans a JSON string from data[i], where i follows its opening
// quote or ASCII bytes of it that are not escapes. It returns the position
// of the closing quote, whether the string has escapes and whether it has
// bytes past ASCII; the position is Fail when the string is not valid
// JSON (a control byte, a bad escape, no end).
//
// One loop finds the next quote, backslash or control byte eight bytes at
// a time (the last bytes of data one at a time), checks an escape where it
// finds one (many: \\ in every Windows path) and goes on after it.
func StringEnd(data []byte, i int) (end int, esc, high bool) {
	var seen uint64 // the bytes passed, or-ed: their high bits tell of non-ASCII
	for {
		if i+8 <= len(data) {
			// The lowest flagged byte of m is the first quote,
			// backslash or control byte of the word.
			w := binary.LittleEndian.Uint64(data[i:])
			m := swar.EscapeBits(w)
			if m == 0 {
				seen |= w
				i += 8
				continue
			}
			seen |= w & (m&-m - 1)
			i += bits.TrailingZeros64(m) >> 3
		} else {
			// The last bytes of data, one at a time.
			for ; i < len(data); i++ {
				c := data[i]
				if c == '"' || c == '\\' || c < ' ' {
					break
				}
				seen |= uint64(c)
			}
			if i >= len(data) {
				return Fail, false, false
			}
		}
		switch data[i] {
		case '"':
			return i, esc, seen&highs != 0
		case '\\':
			esc = true
			if i+1 >= len(data) {
				return Fail, false, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if getu4(data[i:]) < 0 {
					return Fail, false, false
				}
				i += 6
			default:
				return Fail, false, false
			}
		default:
			return Fail, false, false // a control byte
		}
	}
}

// PlainKey marks the bytes a key can hold without a closer look: not a
// quote, backslash, dot, control byte or byte past ASCII.
var PlainKey = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '.'
	}
	return t
}()

// KeyEnd returns the position of the first byte at or after i that is
// not PlainKey, or len(data): eight bytes at a time, as StringEnd.
func KeyEnd(data []byte, i int) int {
	for ; i+8 <= len(data); i += 8 {
		w := binary.LittleEndian.Uint64(data[i:])
		d := w ^ (ones * '.')
		if m := swar.EscapeBits(w) | ((d-ones)&^d|w)&highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(data) && PlainKey[data[i]] {
		i++
	}
	return i
}

// AppendUnquoted appends the text of a valid JSON string body b decoded
// as encoding/json decodes it: escapes replaced, and U+FFFD for each
// invalid UTF-8 byte and for each \u escape of a surrogate that is not
// the first of a pair. Where dst has room to spare, it copies b eight
// bytes at a time into that room (fastUnquoted), so it may write past
// the end of the result, up to cap(dst).
func AppendUnquoted(dst, b []byte) []byte {
	dst, r := fastUnquoted(dst, b)
	for r < len(b) {
		k := plainEnd(b, r)
		dst = append(dst, b[r:k]...)
		if r = k; r == len(b) {
			break
		}
		if b[r] != '\\' {
			c, size := utf8.DecodeRune(b[r:])
			dst = utf8.AppendRune(dst, c) // U+FFFD for an invalid byte
			r += size
			continue
		}
		if b[r+1] == '\\' { // the escape of Windows paths
			dst = append(dst, '\\')
			r += 2
			continue
		}
		c, size := Unescape(b[r:])
		dst = utf8.AppendRune(dst, c)
		r += size
	}
	return dst
}

// fastUnquoted is AppendUnquoted's loop for the spare capacity of dst:
// it stores each word of b read whole (eight bytes, as plainEnd reads
// them) into that room, keeps its plain bytes, and writes an escape's
// text in place, with no call per run of plain bytes (the Windows paths
// of event logs have a backslash every few bytes). It returns dst with
// what it decoded appended and the position in b where it stopped: at
// b's last seven bytes or where fewer than eight bytes are left in
// dst's room, for AppendUnquoted's loop to finish.
func fastUnquoted(dst, b []byte) ([]byte, int) {
	n := len(dst)
	in, out := b, dst[n:cap(dst)] // what is left of b, of the room
	for len(in) >= 8 && len(out) >= 8 {
		x := binary.LittleEndian.Uint64(in)
		binary.LittleEndian.PutUint64(out, x)
		m := unquoteBits(x)
		if m == 0 {
			in, out = in[8:], out[8:]
			continue
		}
		k := bits.TrailingZeros64(m) >> 3
		in, out = in[k:], out[k:]
		if len(out) < utf8.UTFMax {
			break
		}
		var c rune
		var size int
		switch {
		case in[0] != '\\':
			c, size = utf8.DecodeRune(in) // U+FFFD for an invalid byte
		case ShortEscapes[in[1]] != 0: // in[1] is there: b is valid
			out[0] = ShortEscapes[in[1]]
			in, out = in[2:], out[1:]
			continue
		default:
			c, size = Unescape(in)
		}
		in, out = in[size:], out[utf8.EncodeRune(out, c):]
	}
	return dst[:cap(dst)-len(out)], len(b) - len(in)
}

// ShortEscapes maps the byte after a backslash to the one byte its
// two-byte escape stands for, and u (a \uXXXX escape) and every byte no
// escape may start with to 0.
var ShortEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// unquoteBits flags the bytes of w that decoding a string body stops at:
// a backslash or a byte past ASCII. Only the lowest flag is sure (a
// borrow may flag the bytes above it, as in swar.EscapeBits), which is the
// one plainEnd and fastUnquoted read.
func unquoteBits(w uint64) uint64 {
	x := w ^ (ones * '\\')
	return ((x-ones)&^x | w) & highs
}

// plainEnd returns the position of the first backslash or byte past
// ASCII in b at or after i, or len(b): eight bytes at a time, as
// StringEnd.
func plainEnd(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := unquoteBits(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for i < len(b) && b[i] != '\\' && b[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// Unescape decodes the escape at the start of b, the rest of a valid JSON
// string body, and returns its code point and length: U+FFFD for a \u
// escape of a surrogate that is not the first of a pair (a pair is one
// code point, twelve bytes long).
func Unescape(b []byte) (rune, int) {
	switch e := b[1]; e {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		c := getu4(b)
		if utf16.IsSurrogate(c) {
			if pair := utf16.DecodeRune(c, getu4(b[6:])); pair != unicode.ReplacementChar {
				return pair, 12
			}
			return unicode.ReplacementChar, 6
		}
		return c, 6
	default: // '"', '\\', '/'
		return rune(e), 2
	}
}

// getu4 decodes the \uXXXX escape at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// Next reads what follows a member or an element at data[i]: a comma
// (it returns the position of the next one, and more) or close (the
// position after it, and not more); anything else fails.
func Next(data []byte, i int, close byte) (j int, more bool) {
	if i = SkipSpace(data, i); i >= len(data) {
		return Fail, false
	}
	switch data[i] {
	case ',':
		return SkipSpace(data, i+1), true
	case close:
		return i + 1, false
	}
	return Fail, false
}
