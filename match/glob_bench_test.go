package match

import (
	"regexp"
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
	re := regexp.MustCompile(`(?i)^.*a.*a.*a.*a.*a.*b.*$`)
	for _, n := range []int{64, 256, 1024, 4096} {
		s := strings.Repeat("a", n) // no b: every alignment fails
		b.Run("glob/"+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				if g.Match(s) {
					b.Fatal("matched")
				}
			}
		})
		b.Run("segments/"+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				if seg.Match(s) {
					b.Fatal("matched")
				}
			}
		})
		b.Run("regexp/"+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(n))
			for b.Loop() {
				if re.MatchString(s) {
					b.Fatal("matched")
				}
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
