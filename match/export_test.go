package match

import "math/bits"

// ProbeRecord runs only the rule index's probes on r, a record of rs, as
// MatchRecord does before it evaluates the candidates, and returns how
// many rules are candidates: for benchmarks and tests of the probe phase
// alone.
func ProbeRecord(rs *Ruleset, r *Record) int {
	x := rs.pool.Get().(*scratch)
	defer rs.pool.Put(x)
	x.memo.Reset()
	x.cur = r
	x.begin()
	rs.index.probe(x)
	x.cur = nil
	n := 0
	for _, w := range x.cand {
		n += bits.OnesCount64(w)
	}
	return n
}
