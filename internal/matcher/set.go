package matcher

import (
	"strings"
	"unsafe"
)

// Set is one matcher for many case-insensitive exact, prefix, suffix and
// substring texts of one test: a value matches when it matches any of
// them. It looks the folded value up in a hash set of the exact texts,
// walks it from each end through tries of the prefixes and suffixes, and
// runs it once through an Aho–Corasick automaton of the substrings,
// instead of comparing it with each text in turn. NewSet takes only
// ASCII texts, so the automata fold ASCII letters themselves and other
// values are folded before they are searched.
type Set struct {
	texts   *Texts
	members []Matcher // for String
}

// MinSet is the fewest mergeable matchers Merge puts in a Set.
const MinSet = 4

// Merge returns ms with its case-insensitive exact, prefix, suffix and
// contains matchers over ASCII texts replaced by one Set, first, when
// there are at least MinSet of them; otherwise ms unchanged.
func Merge(ms []Matcher) []Matcher {
	var in, out []Matcher
	for _, m := range ms {
		if mergeable(m) {
			in = append(in, m)
		} else {
			out = append(out, m)
		}
	}
	if len(in) < MinSet {
		return ms
	}
	return append([]Matcher{NewSet(in)}, out...)
}

// mergeable reports whether m can join a Set.
func mergeable(m Matcher) bool {
	text, fold := matcherText(m)
	return fold && text != "" && IsASCII(text)
}

// matcherText returns the text of an Exact, Prefix, Suffix or Contains
// matcher and whether it folds case; "" and false for other matchers.
func matcherText(m Matcher) (text string, fold bool) {
	switch x := m.(type) {
	case *Exact:
		return x.text, x.fold
	case *Prefix:
		return x.text, x.fold
	case *Suffix:
		return x.text, x.fold
	case *Contains:
		return x.text, x.fold
	}
	return "", false
}

// NewSet builds the Set of mergeable matchers ms.
func NewSet(ms []Matcher) *Set {
	needs := make([]Need, 0, len(ms))
	for _, m := range ms {
		needs = append(needs, m.(Needer).Needs()...)
	}
	// A Set only asks whether any text is there: every id is 0.
	return &Set{texts: newTexts(needs, make([]int32, len(needs)), false), members: ms}
}

// Match reports whether v matches any text of the set.
func (s *Set) Match(v string) bool {
	if !IsASCII(v) || (s.texts.exact != nil && NeedsFold(v)) {
		fb := foldPool.Get().(*foldBuf)
		fb.b = AppendFold(fb.b[:0], v)
		ok := s.match(unsafe.String(unsafe.SliceData(fb.b), len(fb.b)))
		foldPool.Put(fb)
		return ok
	}
	return s.match(v)
}

// match tests v, folded but for ASCII upper-case letters.
func (s *Set) match(v string) bool { return s.texts.has(v) }

// Kind returns KindSet.
func (s *Set) Kind() Kind { return KindSet }

// String describes the set: its members.
func (s *Set) String() string {
	parts := make([]string, len(s.members))
	for i, m := range s.members {
		parts[i] = m.String()
	}
	return "set~ {" + strings.Join(parts, ", ") + "}"
}

// Members returns the matchers the set replaced; the caller must not
// change them.
func (s *Set) Members() []Matcher { return s.members }
