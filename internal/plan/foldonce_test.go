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
