package eql

import (
	"fmt"
	"strings"
	"testing"
)

// nestings are openers that nest a query one level each: repeated, they
// must cost time linear in the repetitions. "a : ((" took time doubling
// with each level (14 levels, 95 bytes: 5 s) while the grammar tried a "("
// after ":" both as a list and as a parenthesised operand.
var nestings = []string{
	"a : ((", "a like~ ((", "a regex ((", "a in ((", "a : (", "(", "not (", "- (", "length((", "a == ((",
}

// nested returns a query of n openers, closed (a valid parse) or not (a
// syntax error at the end).
func nested(open string, n int, closed bool) string {
	q := "any where " + strings.Repeat(open, n) + "a"
	if closed {
		q += strings.Repeat(")", n*strings.Count(open, "("))
	}
	return q
}

// TestParseLinear checks that parsing cost grows linearly with the nesting
// of every opener: doubling the levels at most triples the allocations
// (about 2x when linear; with the backtracking the fix removed, 5 -> 10
// levels of "a : ((" multiplied them by about 32). Allocations, unlike time,
// do not depend on the machine's load or the race detector.
func TestParseLinear(t *testing.T) {
	const levels = 5
	for _, open := range nestings {
		for _, closed := range []bool{false, true} {
			allocs := func(n int) float64 {
				q := nested(open, n, closed)
				return testing.AllocsPerRun(2, func() { _, _ = Parse("f.eql", q) })
			}
			small, large := allocs(levels), allocs(2*levels)
			if large > 3*small {
				t.Errorf("Parse of %q (closed %v): %d levels %.0f allocations, %d levels %.0f: more than linear",
					open, closed, levels, small, 2*levels, large)
			}
		}
	}
}

// BenchmarkParseNested parses each opener nested 8 to 64 times: the time
// per op must grow linearly with the levels.
func BenchmarkParseNested(b *testing.B) {
	for _, open := range []string{"a : ((", "("} {
		for _, n := range []int{8, 16, 32, 64} {
			q := nested(open, n, false)
			b.Run(fmt.Sprintf("%q/%d", open, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_, _ = Parse("f.eql", q)
				}
			})
		}
	}
}
