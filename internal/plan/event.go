package plan

import (
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/matcher"
)

// Event is what a plan reads an event through; match.Event is this type
// (an alias), documented there.
type Event interface {
	Lookup(p *Path) (any, bool)
}

// Walker visits every scalar value an event holds; match.Walker is this
// type (an alias), documented there. Keyword tests (Test.Any) need one.
type Walker interface {
	Each(fn func(v any) bool) bool
}

// Memo is what evaluating plans remembers for one event: the result of
// each shared node (Node.Slot), and the long values already folded (see
// foldOnceLen). Reset it before each event.
type Memo struct {
	results []uint8 // index Slot-1: 0 not yet evaluated, 1 false, 2 true
	folds   map[foldKey]string
	test    *Test          // the keyword test visit runs
	visit   func(any) bool // m.each, made once: a keyword test visits values with no allocation
}

// NewMemo returns a memo for plans with shared nodes.
func NewMemo(shared int) *Memo {
	m := &Memo{results: make([]uint8, shared)}
	m.visit = m.each
	return m
}

// visitor returns the function that tests each value a Walker visits for
// keyword test t, folding long values once per event.
func (m *Memo) visitor(t *Test) func(any) bool {
	m.test = t
	return m.visit
}

// each tests v for m.test.
func (m *Memo) each(v any) bool { return m.test.valueIn(m, v) }

// Reset forgets the last event.
func (m *Memo) Reset() {
	clear(m.results)
	if len(m.folds) > 0 {
		clear(m.folds)
	}
}

// foldOnceLen is the length from which a value that needs folding is
// folded once per event (Memo.folded) for the matchers that scan or
// fold all of it (contains, globs, sets), instead of once per matcher: a
// 1 MB value that passes the index gates of a thousand rules was folded
// a thousand times. This holds for a field's value, each element of an
// array value (process.args) and each value a keyword test visits.
// Shorter values cost less to fold than to cache.
const foldOnceLen = 256

// foldKey identifies a string by its bytes' address and length.
type foldKey struct {
	p *byte
	n int
}

// folded returns matcher.Fold(s), computed once per event for each value.
func (m *Memo) folded(s string) string {
	k := foldKey{unsafe.StringData(s), len(s)}
	if f, ok := m.folds[k]; ok {
		return f
	}
	if m.folds == nil {
		m.folds = map[foldKey]string{}
	}
	f := matcher.Fold(s)
	m.folds[k] = f
	return f
}

// strOnce is str for a long string value of an event, folded once per
// event.
func (t *Test) strOnce(m *Memo, s string) bool {
	var f string
	for _, sm := range t.Strings {
		fm, ok := sm.(matcher.FoldedMatcher)
		if !ok {
			if sm.Match(s) {
				return true
			}
			continue
		}
		if f == "" {
			f = m.folded(s)
		}
		if fm.MatchFolded(s, f) {
			return true
		}
	}
	return false
}
