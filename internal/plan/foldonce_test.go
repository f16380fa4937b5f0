package plan

import (
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// TestFoldOnceSame checks that testing a long value through its fold,
// computed once per event (strOnce), gives what each matcher gives the
// value itself (str), for values with upper case, non-ASCII letters whose
// folds differ in length (the Kelvin sign), and invalid UTF-8.
func TestFoldOnceSame(t *testing.T) {
	glob := func(fold bool, pieces ...ir.Piece) matcher.Matcher {
		g, err := matcher.NewGlob(ir.Pattern(pieces), fold)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	lit := func(s string) ir.Piece { return ir.Piece{Kind: ir.PieceLit, Text: s} }
	star, one := ir.Piece{Kind: ir.PieceStar}, ir.Piece{Kind: ir.PieceOne}
	matchers := []matcher.Matcher{
		matcher.NewContains("key", true), matcher.NewContains("KEY", false), matcher.NewContains("é\u212a", true), matcher.NewContains("\xc3", true), matcher.NewContains("", true),
		glob(true, star, lit("k"), one, lit("y"), star), glob(false, star, lit("K"), one, star), glob(true, star, lit("\xff"), star),
		matcher.Merge([]matcher.Matcher{matcher.NewContains("zz", true), matcher.NewPrefix("ab", true), matcher.NewSuffix("Ey", true), matcher.NewExact("x", true)})[0],
	}
	if _, ok := matchers[len(matchers)-1].(*matcher.Set); !ok {
		t.Fatal("Merge made no Set")
	}
	pad := strings.Repeat("Ä", foldOnceLen)
	values := []string{
		pad + "KEY", pad + "\u212aEY", pad + "é\u212a", pad + "ÉK", "AB" + pad, pad + "\xc3\xa9", pad + "\xc3",
		pad + "\xffK\xffY", pad + "k\xffy", strings.Repeat("x", foldOnceLen) + "KEY", pad,
	}
	for _, m := range matchers {
		for _, v := range values {
			tt := &Test{Strings: []matcher.Matcher{m}}
			if got, want := tt.strOnce(NewMemo(0), v), tt.str(v); got != want {
				t.Errorf("%s on %q…%q: folded once %v, per matcher %v", m, v[:8], v[len(v)-8:], got, want)
			}
		}
	}
}

// oneField is an event of one field, f, that is also a Walker of its
// values.
type oneField struct{ v any }

func (e oneField) Lookup(p *Path) (any, bool) { return e.v, p.String() == "f" }

func (e oneField) Each(fn func(any) bool) bool { return eachString(e.v, fn) }

// eachString calls fn on the strings of v, a string or arrays of them, until
// it returns true.
func eachString(v any, fn func(any) bool) bool {
	if ss, ok := v.([]string); ok {
		for _, s := range ss {
			if fn(s) {
				return true
			}
		}
		return false
	}
	return anyElement(v, fn)
}

// TestFoldOnceArrays checks that the long values of an array (process.args)
// and those a keyword test visits are folded once per event, whatever the
// number of tests that read them (issue 21: only a field's own string
// was), and that the tests pass as they do without the memo.
func TestFoldOnceArrays(t *testing.T) {
	long := func(s string) string { return strings.Repeat("Ä", foldOnceLen) + s }
	values := []any{
		[]any{long("A"), "short", long("KEY")},
		[]string{long("B"), long("C"), long("KEY")},
		[]any{[]any{long("D")}, long("E")},
		long("KEY"),
	}
	f := []*Path{NewPath("f")}
	for _, v := range values {
		var tests []*Test
		for i := range 50 {
			s := []matcher.Matcher{matcher.NewContains(strings.Repeat("z", i+1), true)}
			tests = append(tests, &Test{Paths: f, Strings: s}, &Test{Any: true, Strings: s})
		}
		key := []matcher.Matcher{matcher.NewContains("key", true)}
		tests = append(tests, &Test{Paths: f, Strings: key}, &Test{Any: true, Strings: key})
		m := NewMemo(0)
		distinct := map[string]bool{}
		eachString(v, func(e any) bool {
			distinct[e.(string)] = len(e.(string)) >= foldOnceLen
			return false
		})
		for _, tt := range tests {
			if got, want := tt.eval(oneField{v}, m), tt.eval(oneField{v}, nil); got != want {
				t.Errorf("%v on %T: %v with the memo, %v without", tt.Strings[0], v, got, want)
			}
		}
		folded := 0
		for _, isLong := range distinct {
			if isLong {
				folded++
			}
		}
		if len(m.folds) != folded {
			t.Errorf("%T: %d values folded and kept, want %d (each long one once)", v, len(m.folds), folded)
		}
	}
}

// TestKeywordEvalAllocs checks that a keyword test with a memo allocates
// nothing per event (the memo's visitor is made once).
func TestKeywordEvalAllocs(t *testing.T) {
	tt := &Test{Any: true, Strings: []matcher.Matcher{matcher.NewContains("zz", true)}}
	var ev Event = oneField{[]any{"a", "b"}}
	m := NewMemo(0)
	if n := testing.AllocsPerRun(100, func() { m.Reset(); tt.eval(ev, m) }); n != 0 {
		t.Errorf("%v allocations per keyword test", n)
	}
}
