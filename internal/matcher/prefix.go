package matcher

import (
	"strings"
)

// Prefix matches values that start with a text.
type Prefix struct {
	text string // folded when fold is set
	fold bool
}

// NewPrefix returns a matcher for values starting with text; with fold,
// ignoring case.
func NewPrefix(text string, fold bool) *Prefix {
	if fold {
		text = Fold(text)
	}
	return &Prefix{text: text, fold: fold}
}

// Match reports whether s starts with the text.
func (m *Prefix) Match(s string) bool {
	if !m.fold {
		return strings.HasPrefix(s, m.text)
	}
	_, ok := foldPrefix(s, m.text)
	return ok
}

// Kind returns KindPrefix.
func (m *Prefix) Kind() Kind { return KindPrefix }

// String describes the matcher.
func (m *Prefix) String() string { return describe(KindPrefix, m.fold, m.text) }
