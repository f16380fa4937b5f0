package correlate

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// byteSource is a rand.Source that reads its numbers from fuzz input, so
// that the fuzzer's mutations change the choices (rules, types, events)
// directly; past the input's end it goes on with a fixed PCG (a source
// of constant zeros would make rand's rejection loops spin forever).
type byteSource struct {
	b    []byte
	rest rand.PCG
}

// Uint64 returns the next 8 bytes as a number.
func (s *byteSource) Uint64() uint64 {
	if len(s.b) == 0 {
		return s.rest.Uint64()
	}
	var buf [8]byte
	n := copy(buf[:], s.b)
	s.b = s.b[n:]
	return binary.LittleEndian.Uint64(buf[:])
}

// FuzzCorrelate builds correlations and an event stream from the input
// (as TestDifferential does from a seed) and checks the engine against
// the naive reference: the same alerts, values and events. The seed
// corpus is in testdata/fuzz/FuzzCorrelate.
func FuzzCorrelate(f *testing.F) {
	f.Add([]byte("event_count by host, three a's"))
	f.Add(make([]byte, 64))
	f.Fuzz(func(t *testing.T, data []byte) {
		rng := rand.New(&byteSource{b: data, rest: *rand.NewPCG(uint64(len(data)), 17)})
		src := baseRules
		for i := range 1 + rng.IntN(2) {
			src += "---\n" + randomCorrelation(rng, "c"+string(rune('0'+i)), "")
		}
		events := randomEvents(rng, 40)
		got, _ := run(t, load(t, src, false), events)
		want, _ := run(t, load(t, src, true), events)
		if got, want = withoutChains(got), withoutChains(want); !slices.Equal(got, want) {
			t.Fatalf("engine %q\nreference %q\nrules:\n%s", got, want, src)
		}
	})
}
