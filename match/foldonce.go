package match

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// foldOnceLen is the length from which a value that needs folding is
// folded once per event (Record.folded) for the matchers that scan or
// fold all of it (contains, globs, sets), instead of once per matcher: a
// 1 MB value that passes the index gates of a thousand rules was folded
// a thousand times. Shorter values cost less to fold than to cache.
const foldOnceLen = 256

// foldedMatcher is a matcher that can test a value given with its fold
// (Fold(s)) as well.
type foldedMatcher interface {
	matchFolded(s, folded string) bool
}

// foldKey identifies a string by its bytes' address and length.
type foldKey struct {
	p *byte
	n int
}

// folded returns Fold(s), computed once per event for each value.
func (r *Record) folded(s string) string {
	k := foldKey{unsafe.StringData(s), len(s)}
	if f, ok := r.folds[k]; ok {
		return f
	}
	if r.folds == nil {
		r.folds = map[foldKey]string{}
	}
	f := Fold(s)
	r.folds[k] = f
	return f
}

// strOnce is str for a long string value of rec, folded once per event.
func (t *Test) strOnce(rec *Record, s string) bool {
	var f string
	for _, m := range t.Strings {
		fm, ok := m.(foldedMatcher)
		if !ok {
			if m.Match(s) {
				return true
			}
			continue
		}
		if f == "" {
			f = rec.folded(s)
		}
		if fm.matchFolded(s, f) {
			return true
		}
	}
	return false
}

// matchFolded is Match given the fold of s too.
func (m *Contains) matchFolded(s, folded string) bool {
	if !m.fold || !utf8.ValidString(m.text) { // bytes of folded text align with code points only for valid UTF-8
		return m.Match(s)
	}
	return strings.Contains(folded, m.text)
}

// matchFolded is Match given the fold of s too.
func (s *Set) matchFolded(_, folded string) bool { return s.match(folded) }

// matchFolded is Match given the fold of s too.
func (m *Glob) matchFolded(s, folded string) bool {
	if m.rg != nil || !m.fold {
		return m.Match(s)
	}
	return m.g.Match(folded)
}
