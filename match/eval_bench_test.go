package match_test

import (
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// BenchmarkEvaluate isolates the evaluation of the candidates the rule
// index leaves (what MatchRecord does after its probes) with the SigmaHQ
// Windows rules on the records of the .evtx corpus, read from their
// evtx-JSON dumps (normalize.Reader): each pass reads every record and
// matches it, then reads it again and only probes it; cpu-ns/eval is the
// difference per record (CPU time: on a loaded machine the two passes
// share the load), evaluations the rules evaluated per record.
func BenchmarkEvaluate(b *testing.B) {
	lines := evtxLines(b)
	rs := windowsRuleset()
	if rs == nil {
		b.Skip("no SigmaHQ Windows rules")
	}
	rd := normalize.NewReader(rs, normalize.Auto)
	// pass reads every record, gives it to fn and returns the CPU time.
	pass := func(fn func(*match.Record)) time.Duration {
		start := cputime.Used()
		for _, l := range lines {
			rec, err := rd.Read(l)
			if err != nil {
				b.Fatal(err)
			}
			fn(rec)
		}
		return cputime.Used() - start
	}
	evals := 0
	pass(func(rec *match.Record) { evals += match.Evaluations(rs, rec) })
	var matching, probing time.Duration
	var hits []int
	for b.Loop() {
		matching += pass(func(rec *match.Record) { hits = rs.MatchRecord(rec, hits[:0]) })
		probing += pass(func(rec *match.Record) { match.ProbeRecord(rs, rec) })
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*len(lines)) }
	b.ReportMetric(per(matching-probing), "cpu-ns/eval")
	b.ReportMetric(per(matching), "cpu-ns/record")
	b.ReportMetric(float64(evals)/float64(len(lines)), "evaluations/record")
}
