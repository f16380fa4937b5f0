package match

import "math/bits"

// ProbeRecord runs only the rule index's probes on r, a record of rs, as
// MatchRecord does before it evaluates the candidates, and returns how
// many rules are candidates: for benchmarks and tests of the probe phase
// alone.
func ProbeRecord(rs *Ruleset, r *Record) int {
	n := 0
	probed(rs, r, func(x *scratch) {
		for _, w := range x.cand {
			n += bits.OnesCount64(w)
		}
	})
	return n
}

// Evaluations returns how many of the rules that the rule index leaves
// to evaluate for r, a record of rs, MatchRecord would evaluate: the
// candidates whose checks hold.
func Evaluations(rs *Ruleset, r *Record) int {
	n := 0
	probed(rs, r, func(x *scratch) {
		eachCandidate(x, func(i int) {
			if rs.index.passes(x, i) {
				n++
			}
		})
	})
	return n
}

// probed runs the rule index's probes on r, a record of rs, as
// MatchRecord does, and calls fn with the working memory they filled.
func probed(rs *Ruleset, r *Record, fn func(x *scratch)) {
	x := rs.pool.Get().(*scratch)
	defer rs.pool.Put(x)
	x.memo.Reset()
	x.cur = r
	x.begin()
	rs.index.probe(x)
	fn(x)
	x.cur = nil
}

// eachCandidate calls fn with each candidate of x, in rule order.
func eachCandidate(x *scratch, fn func(i int)) {
	for w, b := range x.cand {
		for ; b != 0; b &= b - 1 {
			fn(w<<6 | bits.TrailingZeros64(b))
		}
	}
}
