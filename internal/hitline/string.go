package hitline

import "unicode/utf8"

// plain marks the ASCII bytes a JSON string holds as they are in
// encoding/json's output: not a control character, quote or backslash,
// and not <, > or &, which Marshal escapes so that the text is safe inside
// HTML.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

// short are the escapes with a letter encoding/json uses (since Go 1.22);
// other control characters are written \u00XX.
var short = [' ']byte{'\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}

// appendString appends s as a quoted JSON string, escaped as
// encoding/json's Marshal escapes it: quote, backslash and control
// characters, <, > and &, U+2028 and U+2029 (line separators to
// JavaScript), and each byte of invalid UTF-8 as U+FFFD.
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	done := 0 // s[:done] is in dst
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			dst = append(dst, s[done:i]...)
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < ' ' && short[c] != 0:
				dst = append(dst, '\\', short[c])
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			done = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			dst = append(append(dst, s[done:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[done:i]...), `\u202`...)
			dst = append(dst, hex[r&15])
		default:
			i += n
			continue
		}
		i += n
		done = i
	}
	return append(append(dst, s[done:]...), '"')
}
