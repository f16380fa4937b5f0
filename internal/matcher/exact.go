package matcher

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/swar"
)

// Exact matches values equal to a text, with or without case folding.
type Exact struct {
	text  string // folded when fold is set
	fold  bool
	ascii bool // text is ASCII
}

// NewExact returns a matcher for values equal to text; with fold, equal
// under simple case folding.
func NewExact(text string, fold bool) *Exact {
	if fold {
		text = Fold(text)
	}
	return &Exact{text: text, fold: fold, ascii: IsASCII(text)}
}

// Match reports whether s equals the text. Folding, a value equal to an
// ASCII text takes a byte or a code point that folds to ASCII (at most
// utf8.UTFMax bytes: the Kelvin sign is 3) for each of its bytes, so its
// length alone refuses most values, and one as long as the text is ASCII
// and compares byte by byte.
func (m *Exact) Match(s string) bool {
	if !m.fold {
		return s == m.text
	}
	if m.ascii {
		switch {
		case len(s) == len(m.text):
			return equalFoldASCII(s, m.text)
		case len(s) < len(m.text) || len(s) > utf8.UTFMax*len(m.text):
			return false
		}
	}
	n, ok := foldPrefix(s, m.text)
	return ok && n == len(s)
}

// equalFoldASCII reports whether s folds to folded, an ASCII text as long
// as s: eight bytes at a time, then byte by byte.
func equalFoldASCII(s, folded string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		if w&swar.Highs != 0 || swar.LowerWord(w) != binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(folded[i:]), 8)) {
			return false
		}
	}
	for ; i < len(s); i++ {
		if lowerASCII(s[i]) != folded[i] {
			return false
		}
	}
	return true
}

// Kind returns KindExact.
func (m *Exact) Kind() Kind { return KindExact }

// String describes the matcher.
func (m *Exact) String() string { return describe(KindExact, m.fold, m.text) }
