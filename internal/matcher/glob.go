package matcher

import (
	"github.com/gobwas/glob"
	"github.com/ruleforge/ruleforge/ir"
	"strings"
	"sync"
	"unsafe"
)

// Glob matches values against a general pattern with "*" and "?" wildcards
// ("?" is one code point), using gobwas/glob with every literal character
// quoted. Patterns that are exact, prefix, suffix, contains or
// prefix+suffix get cheaper matchers; see package compile.
type Glob struct {
	g    *glob.Pattern
	rg   *runeGlob // instead of g, for text that is not valid UTF-8
	src  string    // the pattern as ir renders it, for String
	lit  string    // the longest literal piece, for the rule index
	fold bool
}

// NewGlob compiles a pattern; with fold, the pattern is folded now and each
// value is folded as it is matched.
func NewGlob(p ir.Pattern, fold bool) (*Glob, error) {
	if !validPattern(p) { // gobwas/glob rejects invalid UTF-8
		return &Glob{rg: newRuneGlob(p, fold), src: p.String(), fold: fold}, nil
	}
	var b strings.Builder
	lit := ""
	for _, pc := range p {
		switch pc.Kind {
		case ir.PieceLit:
			t := pc.Text
			if len(t) > len(lit) {
				lit = t
			}
			if fold {
				t = Fold(t)
			}
			b.WriteString(glob.QuoteMeta(t))
		case ir.PieceStar:
			b.WriteByte('*')
		case ir.PieceOne:
			b.WriteByte('?')
		default:
			return nil, &ir.Error{Msg: "invalid pattern piece in " + Quote(p.String())}
		}
	}
	g, err := glob.Compile(b.String())
	if err != nil {
		return nil, &ir.Error{Msg: "bad pattern " + Quote(p.String()) + ": " + err.Error()}
	}
	return &Glob{g: g, src: p.String(), lit: lit, fold: fold}, nil
}

// foldBuf holds a buffer for folding a value before a glob match.
type foldBuf struct{ b []byte }

// foldPool recycles fold buffers, so matching allocates nothing in the
// steady state.
var foldPool = sync.Pool{New: func() any { return &foldBuf{b: make([]byte, 0, 256)} }}

// Match reports whether s matches the whole pattern.
func (m *Glob) Match(s string) bool {
	if m.rg != nil {
		return m.rg.match(s)
	}
	if !m.fold || !NeedsFold(s) {
		return m.g.Match(s)
	}
	fb := foldPool.Get().(*foldBuf)
	fb.b = AppendFold(fb.b[:0], s)
	ok := m.g.Match(unsafe.String(unsafe.SliceData(fb.b), len(fb.b)))
	foldPool.Put(fb)
	return ok
}

// Kind returns KindGlob.
func (m *Glob) Kind() Kind { return KindGlob }

// String describes the matcher.
func (m *Glob) String() string { return describe(KindGlob, m.fold, m.src) }
