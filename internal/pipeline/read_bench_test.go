package pipeline

import (
	"bytes"
	"testing"

	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/normalize"
)

// lines returns the records of the corpus's dumps, one JSON text each.
func (c *evtxCorpus) lines() [][]byte {
	var lines [][]byte
	for _, d := range c.dumps {
		lines = append(lines, bytes.Split(bytes.TrimSuffix(d, []byte("\n")), []byte("\n"))...)
	}
	return lines
}

// BenchmarkReadDumps reads the records of the corpus's evtx-JSON dumps
// into the records of the SigmaHQ Windows rules with a normalize.Reader
// (ECS view included), without matching: the JSON half of
// BenchmarkReadEVTXVsDump alone, for profiles of it.
func BenchmarkReadDumps(b *testing.B) {
	c, cfg := benchSetup(b)
	lines := c.lines()
	rd := normalize.NewReader(cfg.Ruleset, normalize.Auto)
	b.ReportAllocs()
	start := cputime.Used()
	for b.Loop() {
		for _, l := range lines {
			if _, err := rd.Read(l); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cputime.Used()-start).Nanoseconds())/float64(b.N*len(lines)), "cpu-ns/record")
}
