package pipeline

import (
	"bytes"
	"runtime"
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

// BenchmarkScanDumps fills the SigmaHQ Windows rules' record from each
// record of the corpus's evtx-JSON dumps with match.Record.ResetJSON
// alone: the JSON scan of BenchmarkReadDumps, without format detection
// or the ECS view.
func BenchmarkScanDumps(b *testing.B) {
	c, cfg := benchSetup(b)
	lines := c.lines()
	rec := cfg.Ruleset.NewRecord()
	runtime.GC() // the setup's garbage, not collected during the loop (cputime counts every thread)
	b.ReportAllocs()
	start := cputime.Used()
	for b.Loop() {
		for _, l := range lines {
			if err := rec.ResetJSON(l); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64((cputime.Used()-start).Nanoseconds())/float64(b.N*len(lines)), "cpu-ns/record")
}
