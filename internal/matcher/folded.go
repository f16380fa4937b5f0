package matcher

import (
	"strings"
	"unicode/utf8"
)

// FoldedMatcher is a matcher that can test a value given with its fold
// (Fold(s)) as well.
type FoldedMatcher interface {
	MatchFolded(s, folded string) bool
}

// MatchFolded is Match given the fold of s too.
func (m *Contains) MatchFolded(s, folded string) bool {
	if !m.fold || !utf8.ValidString(m.text) { // bytes of folded text align with code points only for valid UTF-8
		return m.Match(s)
	}
	return strings.Contains(folded, m.text)
}

// MatchFolded is Match given the fold of s too.
func (s *Set) MatchFolded(_, folded string) bool { return s.match(folded) }

// MatchFolded is Match given the fold of s too.
func (m *Glob) MatchFolded(s, folded string) bool {
	if m.rg != nil || !m.fold {
		return m.Match(s)
	}
	return m.g.Match(folded)
}
