package eql

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxHexDigits is the most hex digits a \u{…} escape may have.
const maxHexDigits = 8

// escapes maps the byte after a backslash to the byte it stands for.
var escapes = map[byte]byte{
	'\\': '\\', '"': '"', '\'': '\'', 't': '\t', 'n': '\n', 'r': '\r', 'b': '\b', 'f': '\f',
}

// stringError is a bad escape: off is the byte offset of its backslash in
// the string token.
type stringError struct {
	off int
	msg string
}

// unquote returns the text of a string token: the content of a """raw"""
// string as it is, or the content of a "…" string with its escapes
// replaced. Escapes are \\ \" \' \t \n \r \b \f and \u{h…} with 1 to 8 hex
// digits naming a Unicode code point; any other is an error.
func unquote(tok string) (string, *stringError) {
	if strings.HasPrefix(tok, `"""`) && len(tok) >= 6 {
		return tok[3 : len(tok)-3], nil
	}
	if len(tok) < 2 || tok[0] != '"' || tok[len(tok)-1] != '"' {
		return "", &stringError{0, "malformed string"}
	}
	body := tok[1 : len(tok)-1]
	if !strings.Contains(body, `\`) {
		return body, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		off := i + 1 // the backslash's offset in tok
		if i+1 >= len(body) {
			return "", &stringError{off, `bad escape "\" at the end of the string`}
		}
		if e, ok := escapes[body[i+1]]; ok {
			b.WriteByte(e)
			i++
			continue
		}
		if body[i+1] != 'u' {
			r, _ := utf8.DecodeRuneInString(body[i+1:])
			return "", &stringError{off, `bad escape "\` + string(r) + `" (expected one of \\ \" \' \t \n \r \b \f \u{…})`}
		}
		r, n, msg := unicodeEscape(body[i:])
		if msg != "" {
			return "", &stringError{off, msg}
		}
		b.WriteRune(r)
		i += n - 1
	}
	return b.String(), nil
}

// unicodeEscape decodes the \u{…} escape at the start of s and returns the
// code point and the escape's length, or an error message.
func unicodeEscape(s string) (rune, int, string) {
	end := strings.IndexByte(s, '}')
	if !strings.HasPrefix(s, `\u{`) || end < 0 || end > len(`\u{`)+maxHexDigits {
		shown := s[:min(len(s), len(`\u{`)+maxHexDigits)]
		if j := strings.IndexAny(shown[2:], `\"`); j >= 0 {
			shown = shown[:2+j]
		}
		return 0, 0, `bad escape "` + shown + `" (expected \u{…} with 1 to 8 hex digits)`
	}
	esc, hex := s[:end+1], s[3:end]
	if hex == "" || len(hex) > maxHexDigits || strings.Trim(hex, "0123456789abcdefABCDEF") != "" {
		return 0, 0, `bad escape "` + esc + `" (expected \u{…} with 1 to 8 hex digits)`
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || v > utf8.MaxRune || 0xD800 <= v && v <= 0xDFFF {
		return 0, 0, `bad escape "` + esc + `" (not a Unicode code point)`
	}
	return rune(v), len(esc), ""
}
