package eql

import (
	"fmt"
	"strings"
	"testing"
	"time"
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

// TestParseLinear parses deep nestings of every opener under a deadline
// that only exponential backtracking misses.
func TestParseLinear(t *testing.T) {
	const (
		levels   = 200
		deadline = 20 * time.Second // generous: the machine may be loaded; linear parsing takes milliseconds
	)
	for _, open := range nestings {
		for _, closed := range []bool{false, true} {
			q := nested(open, levels, closed)
			done := make(chan struct{})
			go func() {
				defer close(done)
				_, _ = Parse("f.eql", q)
			}()
			select {
			case <-done:
			case <-time.After(deadline):
				t.Fatalf("Parse of %d × %q (closed %v) takes more than %v", levels, open, closed, deadline)
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
