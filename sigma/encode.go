package sigma

import (
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
)

// The value encodings of the base64, base64offset, utf16*, wide and windash
// modifiers, as pySigma (sigma/modifiers.py) defines them.

// b64offset returns the three base64offset variants of data: data encoded
// after 0, 1 and 2 bytes of padding, each with the characters that depend
// on the unknown bytes around it cut off, as pySigma slices them: start at
// 0, 2 and 3 for the three paddings, end 3 or 2 characters early depending
// on (len(data)+padding) mod 3. A variant that comes out empty (data of one
// byte) is left out: it would match any value.
func b64offset(data string) []string {
	starts := [3]int{0, 2, 3}
	ends := [3]int{0, -3, -2} // 0: to the end
	var out []string
	for i := range 3 {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat(" ", i) + data))
		end := len(enc) + ends[(len(data)+i)%3]
		if start := starts[i]; start < end {
			out = append(out, enc[start:end])
		}
	}
	return out
}

// utf16Mode selects an encoding of the utf16 family.
type utf16Mode uint8

// The UTF-16 encodings.
const (
	utf16LE  utf16Mode = iota // utf16le, wide
	utf16BE                   // utf16be
	utf16BOM                  // utf16: little-endian after the byte order mark FF FE
)

// encodeUTF16 encodes the literal text of p in UTF-16, keeping its
// wildcards; the result's literals are raw bytes (not UTF-8). pySigma only
// takes text whose UTF-16 form happens to be valid UTF-8 (mostly ASCII);
// every code point is encoded here, with surrogate pairs above U+FFFF.
func encodeUTF16(p ir.Pattern, mode utf16Mode) ir.Pattern {
	out := make(ir.Pattern, 0, len(p)+1)
	if mode == utf16BOM {
		out = append(out, ir.Piece{Kind: ir.PieceLit, Text: "\xff\xfe"})
	}
	for _, pc := range p {
		if pc.Kind != ir.PieceLit {
			out = append(out, pc)
			continue
		}
		var b strings.Builder
		for _, r := range pc.Text {
			for _, u := range utf16.Encode([]rune{r}) {
				if mode == utf16BE {
					b.WriteByte(byte(u >> 8))
					b.WriteByte(byte(u))
				} else {
					b.WriteByte(byte(u))
					b.WriteByte(byte(u >> 8))
				}
			}
		}
		out = append(out, ir.Piece{Kind: ir.PieceLit, Text: b.String()})
	}
	return out.Norm()
}

// windashes are the characters the windash modifier puts in place of a
// command-line flag's "-" or "/": hyphen-minus, slash, en dash, em dash and
// horizontal bar.
var windashes = []string{"-", "/", "\u2013", "\u2014", "\u2015"}

// isWordRune reports whether r is a word character as Python's \w sees it.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// windash returns every variant of p with each "-" or "/" that starts a
// command-line flag replaced by each of the windashes, p itself included.
// Like pySigma's \B[-/]\b, a flag character is one not preceded by a word
// character and followed by one; wildcards count as non-word characters.
// It returns nil when the variants would be more than max.
func windash(p ir.Pattern, max int) []ir.Pattern {
	type site struct{ piece, at int }
	var sites []site
	for i, pc := range p {
		if pc.Kind != ir.PieceLit {
			continue
		}
		prev := ' '
		for j, r := range pc.Text {
			if r == '-' || r == '/' {
				next, _ := utf8.DecodeRuneInString(pc.Text[j+1:])
				if !isWordRune(prev) && j+1 < len(pc.Text) && isWordRune(next) {
					sites = append(sites, site{i, j})
				}
			}
			prev = r
		}
	}
	n := 1
	for range sites {
		if n *= len(windashes); n > max {
			return nil
		}
	}
	out := make([]ir.Pattern, 0, n)
	choice := make([]int, len(sites))
	for {
		// Build the variant for the current choice of dashes.
		q := make(ir.Pattern, len(p))
		copy(q, p)
		for i := len(sites) - 1; i >= 0; i-- { // from the right: offsets stay valid
			s := sites[i]
			t := q[s.piece].Text
			q[s.piece].Text = t[:s.at] + windashes[choice[i]] + t[s.at+1:]
		}
		out = append(out, q)
		// Next choice, odometer style.
		k := len(choice) - 1
		for k >= 0 && choice[k] == len(windashes)-1 {
			choice[k] = 0
			k--
		}
		if k < 0 {
			return out
		}
		choice[k]++
	}
}

// segment is a piece of a value with the expand modifier: literal text or
// a placeholder's name.
type segment struct {
	text        string
	placeholder bool
}

// isPlaceholderRune reports whether r may be part of a placeholder name.
func isPlaceholderRune(r rune) bool {
	return r == '_' || r == '-' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// splitPlaceholders splits a value into literal text and "%name%"
// placeholders. "\%" is a literal "%" (and "\\" stays "\\", so that the
// escape of a backslash is kept for the pattern parser); a "%" that does
// not start a well-formed placeholder is literal.
func splitPlaceholders(s string) []segment {
	var out []segment
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == '%':
			lit.WriteByte('%')
			i++
		case c == '\\' && i+1 < len(s) && s[i+1] == '\\':
			lit.WriteString(`\\`)
			i++
		case c == '%':
			j := strings.IndexByte(s[i+1:], '%')
			name := ""
			if j > 0 {
				name = s[i+1 : i+1+j]
			}
			if name == "" || strings.IndexFunc(name, func(r rune) bool { return !isPlaceholderRune(r) }) >= 0 {
				lit.WriteByte('%')
				continue
			}
			if lit.Len() > 0 {
				out = append(out, segment{text: lit.String()})
				lit.Reset()
			}
			out = append(out, segment{text: name, placeholder: true})
			i += j + 1
		default:
			lit.WriteByte(c)
		}
	}
	if lit.Len() > 0 {
		out = append(out, segment{text: lit.String()})
	}
	return out
}
