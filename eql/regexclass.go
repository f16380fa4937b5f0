package eql

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// writeRune writes r so that RE2 reads it as itself, inside a character
// class or outside one.
func writeRune(b *strings.Builder, r rune, inClass bool) {
	special := `\.+*?()|[]{}^$`
	if inClass {
		special = `\[]^-`
	}
	switch {
	case r < utf8.RuneSelf && strings.ContainsRune(special, r):
		b.WriteByte('\\')
		b.WriteRune(r)
	case unicode.IsPrint(r):
		b.WriteRune(r)
	case r == '\t':
		b.WriteString(`\t`)
	case r == '\n':
		b.WriteString(`\n`)
	case r == '\r':
		b.WriteString(`\r`)
	case r <= 0xFF:
		fmt.Fprintf(b, `\x%02X`, r)
	default:
		fmt.Fprintf(b, `\x{%X}`, r)
	}
}

// runeRange is the code points lo to hi, both included.
type runeRange struct{ lo, hi rune }

// runeSet is a character class: a set of code points.
type runeSet []runeRange

// classes are the sets of Lucene's predefined classes.
var classes = map[rune]runeSet{
	'd': {{'0', '9'}},
	's': {{'\t', '\n'}, {'\r', '\r'}, {' ', ' '}},
	'w': {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}},
}

func init() {
	classes['D'] = classes['d'].complement()
	classes['S'] = classes['s'].complement()
	classes['W'] = classes['w'].complement()
}

// norm returns the set sorted, with overlapping and adjacent ranges
// merged.
func (s runeSet) norm() runeSet {
	sort.Slice(s, func(i, j int) bool { return s[i].lo < s[j].lo })
	var out runeSet
	for _, r := range s {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

// complement returns the code points not in s, which must be normalized.
func (s runeSet) complement() runeSet {
	var out runeSet
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, runeRange{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, runeRange{next, unicode.MaxRune})
	}
	return out
}

// String writes the set as an RE2 class, negated when it holds both the
// first and the last code point; the empty set, which RE2 has no class
// for, is the negation of everything.
func (s runeSet) String() string {
	if len(s) == 0 {
		return `[^\x00-\x{10FFFF}]`
	}
	var b strings.Builder
	b.WriteByte('[')
	if s[0].lo == 0 && s[len(s)-1].hi == unicode.MaxRune {
		b.WriteByte('^')
		s = s.complement()
	}
	for _, r := range s {
		writeRune(&b, r.lo, true)
		if r.hi > r.lo {
			if r.hi > r.lo+1 {
				b.WriteByte('-')
			}
			writeRune(&b, r.hi, true)
		}
	}
	b.WriteByte(']')
	return b.String()
}
