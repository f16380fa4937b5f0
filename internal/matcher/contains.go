package matcher

import (
	"strings"
)

// Contains matches values that contain a text.
type Contains struct {
	text string // folded when fold is set
	fold bool
	n    needle // text prepared for a case-insensitive search
}

// NewContains returns a matcher for values containing text; with fold,
// ignoring case. An empty text matches every value.
func NewContains(text string, fold bool) *Contains {
	m := &Contains{text: text, fold: fold}
	if fold {
		m.text = Fold(text)
		if m.text != "" {
			m.n = newNeedle(m.text)
		}
	}
	return m
}

// Match reports whether s contains the text.
func (m *Contains) Match(s string) bool {
	if !m.fold {
		return strings.Contains(s, m.text)
	}
	if m.text == "" {
		return true
	}
	i, _ := foldIndex(s, m.n)
	return i >= 0
}

// Kind returns KindContains.
func (m *Contains) Kind() Kind { return KindContains }

// String describes the matcher.
func (m *Contains) String() string { return describe(KindContains, m.fold, m.text) }
