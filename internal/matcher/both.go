package matcher

import (
	"strings"
)

// Both matches values that start with one text and end with another, the
// two not overlapping: the glob "prefix*suffix".
type Both struct {
	prefix, suffix string // folded when fold is set
	fold           bool
}

// NewBoth returns a matcher for the glob prefix*suffix; with fold,
// ignoring case.
func NewBoth(prefix, suffix string, fold bool) *Both {
	if fold {
		prefix, suffix = Fold(prefix), Fold(suffix)
	}
	return &Both{prefix: prefix, suffix: suffix, fold: fold}
}

// Match reports whether s starts with the prefix and ends with the suffix
// at non-overlapping places.
func (m *Both) Match(s string) bool {
	if !m.fold {
		return len(s) >= len(m.prefix)+len(m.suffix) &&
			strings.HasPrefix(s, m.prefix) && strings.HasSuffix(s, m.suffix)
	}
	end, ok := foldPrefix(s, m.prefix)
	if !ok {
		return false
	}
	start, ok := foldSuffix(s, m.suffix)
	return ok && start >= end
}

// Kind returns KindBoth.
func (m *Both) Kind() Kind { return KindBoth }

// String describes the matcher.
func (m *Both) String() string {
	return describe(KindBoth, m.fold, m.prefix) + " " + Quote(m.suffix)
}
