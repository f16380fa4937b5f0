package matcher

import (
	"strings"
)

// Segments matches a glob of literal texts separated by stars, with no "?":
// "pre*mid1*mid2*suf" (pre and suf may be empty). It anchors the prefix and
// the suffix, then finds each middle text leftmost in what lies between;
// taking the leftmost place for each is never worse than any other, so one
// pass decides, in time linear in the value for a fixed pattern.
type Segments struct {
	prefix, suffix string   // folded when fold is set
	mids           []string // non-empty; folded when fold is set
	needles        []needle // mids prepared for a case-insensitive search
	fold           bool
}

// NewSegments returns the matcher for prefix*mids[0]*…*suffix.
func NewSegments(prefix string, mids []string, suffix string, fold bool) *Segments {
	m := &Segments{prefix: prefix, suffix: suffix, fold: fold}
	for _, s := range mids {
		if s != "" {
			m.mids = append(m.mids, s)
		}
	}
	if fold {
		m.prefix, m.suffix = Fold(prefix), Fold(suffix)
		for i, s := range m.mids {
			m.mids[i] = Fold(s)
			m.needles = append(m.needles, newNeedle(m.mids[i]))
		}
	}
	return m
}

// Match reports whether s matches the glob.
func (m *Segments) Match(s string) bool {
	var start, end int
	if m.fold {
		var ok bool
		if start, ok = foldPrefix(s, m.prefix); !ok {
			return false
		}
		if end, ok = foldSuffix(s, m.suffix); !ok || end < start {
			return false
		}
		for _, mid := range m.needles {
			_, stop := foldIndex(s[start:end], mid)
			if stop < 0 {
				return false
			}
			start += stop
		}
		return true
	}
	if !strings.HasPrefix(s, m.prefix) || !strings.HasSuffix(s, m.suffix) {
		return false
	}
	start, end = len(m.prefix), len(s)-len(m.suffix)
	if end < start {
		return false
	}
	for _, mid := range m.mids {
		i := strings.Index(s[start:end], mid)
		if i < 0 {
			return false
		}
		start += i + len(mid)
	}
	return true
}

// Kind returns KindSegments.
func (m *Segments) Kind() Kind { return KindSegments }

// String describes the matcher.
func (m *Segments) String() string {
	parts := []string{Quote(m.prefix)}
	for _, s := range m.mids {
		parts = append(parts, Quote(s))
	}
	parts = append(parts, Quote(m.suffix))
	k := KindSegments.String()
	if m.fold {
		k += "~"
	}
	return k + " " + strings.Join(parts, " * ")
}
