package matcher

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// BenchmarkPathologicalGlob matches *a*a*a*a*a*b* against ever longer runs
// of "a" (no b, so every alignment of the stars fails): the cost per byte must stay
// flat as the value grows, for the glob, for the segments matcher that
// compile picks for such a pattern, and for RE2 as the baseline.
func BenchmarkPathologicalGlob(b *testing.B) {
	star := ir.Piece{Kind: ir.PieceStar}
	a := ir.Piece{Kind: ir.PieceLit, Text: "a"}
	p := ir.Pattern{star, a, star, a, star, a, star, a, star, a, star, {Kind: ir.PieceLit, Text: "b"}, star}
	g, err := NewGlob(p, true)
	if err != nil {
		b.Fatal(err)
	}
	seg := NewSegments("", []string{"a", "a", "a", "a", "a", "b"}, "", true)
	re, err := NewRegex(`^.*a.*a.*a.*a.*a.*b.*$`, true)
	if err != nil {
		b.Fatal(err)
	}
	matchers := []struct {
		name string
		m    Matcher
	}{{"glob", g}, {"segments", seg}, {"regexp", re}}
	for _, n := range []int{64, 256, 1024, 4096} {
		s := strings.Repeat("a", n) // no b: every alignment fails
		for _, mm := range matchers {
			b.Run(mm.name+"/"+strconv.Itoa(n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(n))
				for b.Loop() {
					if mm.m.Match(s) {
						b.Fatal("matched")
					}
				}
			})
		}
	}
}
