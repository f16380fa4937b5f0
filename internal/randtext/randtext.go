// Package randtext makes random texts for randomized tests: the tests of
// the matchers, the index's tries and automata, and the rule index itself
// draw their keys and values from it.
package randtext

import (
	"math/rand/v2"
	"strings"
)

// String joins up to n random pieces; at least one when nonEmpty.
func String(r *rand.Rand, pieces []string, n int, nonEmpty bool) string {
	k := r.IntN(n + 1)
	if nonEmpty && k == 0 {
		k = 1
	}
	var b strings.Builder
	for range k {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}
