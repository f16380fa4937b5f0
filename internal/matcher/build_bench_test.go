package matcher

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkNewAutomaton builds the automaton of 3,000 folded keys of 4 to
// 24 bytes over 40 bytes, about the size of a command line's index probe
// on the corpus (issue 15, point 7: compiling is building such tables).
func BenchmarkNewAutomaton(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	const alphabet = `abcdefghijklmnopqrstuvwxyz0123456789\.-_`
	keys := make([]string, 3000)
	ids := make([]int32, len(keys))
	for i := range keys {
		k := make([]byte, 4+r.IntN(21))
		for j := range k {
			k[j] = alphabet[r.IntN(len(alphabet))]
		}
		keys[i], ids[i] = string(k), int32(i)
	}
	b.ReportAllocs()
	var a *Automaton
	for b.Loop() {
		a = NewAutomaton(keys, ids)
	}
	b.ReportMetric(float64(a.States()), "states")
}
