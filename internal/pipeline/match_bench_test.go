package pipeline

import (
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/normalize"
)

// BenchmarkMatchRecords isolates matching (index probes and the
// candidates' evaluation) from reading: it reads each record of the
// corpus's evtx-JSON dumps with a normalize.Reader, then matches it with
// all SigmaHQ Windows rules, and in the same loop reads every record
// again without matching it. cpu-ns/match is the CPU time per record of
// the first pass less the second's (issue 19: records/s per core); on a
// loaded machine the two passes share the load.
func BenchmarkMatchRecords(b *testing.B) {
	c, cfg := benchSetup(b)
	lines := c.lines()
	rd := normalize.NewReader(cfg.Ruleset, normalize.Auto)
	var hits []int
	var cpu [2]time.Duration
	n := 0
	for b.Loop() {
		for k, matching := range []bool{true, false} {
			start := cputime.Used()
			for _, l := range lines {
				rec, err := rd.Read(l)
				if err != nil {
					b.Fatal(err)
				}
				if matching {
					hits = cfg.Ruleset.MatchRecord(rec, hits[:0])
					n += len(hits)
				}
			}
			cpu[k] += cputime.Used() - start
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*len(lines)) }
	b.ReportMetric(per(cpu[0]), "cpu-ns/record")
	b.ReportMetric(per(cpu[1]), "cpu-ns/read")
	b.ReportMetric(per(cpu[0]-cpu[1]), "cpu-ns/match")
	b.ReportMetric(float64(n)/float64(b.N), "hits")
}
