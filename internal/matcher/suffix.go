package matcher

import (
	"strings"
)

// Suffix matches values that end with a text.
type Suffix struct {
	text string // folded when fold is set
	fold bool
}

// NewSuffix returns a matcher for values ending with text; with fold,
// ignoring case.
func NewSuffix(text string, fold bool) *Suffix {
	if fold {
		text = Fold(text)
	}
	return &Suffix{text: text, fold: fold}
}

// Match reports whether s ends with the text.
func (m *Suffix) Match(s string) bool {
	if !m.fold {
		return strings.HasSuffix(s, m.text)
	}
	_, ok := foldSuffix(s, m.text)
	return ok
}

// Kind returns KindSuffix.
func (m *Suffix) Kind() Kind { return KindSuffix }

// String describes the matcher.
func (m *Suffix) String() string { return describe(KindSuffix, m.fold, m.text) }
