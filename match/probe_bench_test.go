package match_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// evtxLines returns the records of corpus/evtx's files as evtx-JSON
// lines (what ruleforge dump writes), or skips when the corpus is absent.
func evtxLines(tb testing.TB) [][]byte {
	tb.Helper()
	lines, err := loadEVTXLines()
	if err != nil || len(lines) == 0 {
		tb.Skipf("no .evtx corpus in %s (%v)", filepath.Join(corpus, "evtx"), err)
	}
	return lines
}

var loadEVTXLines = sync.OnceValues(func() (lines [][]byte, err error) {
	files, err := loadEVTXFiles()
	for _, data := range files {
		r, err := evtx.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		for rec, err := range r.All() {
			if err != nil {
				return nil, err
			}
			lines = append(lines, rec.AppendJSON(nil))
		}
	}
	return lines, err
})

// loadEVTXFiles reads corpus/evtx's files whole, in the order of their
// paths.
var loadEVTXFiles = sync.OnceValues(func() (files [][]byte, err error) {
	err = filepath.WalkDir(filepath.Join(corpus, "evtx"), func(path string, e os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".evtx") {
			return err
		}
		data, err := os.ReadFile(path)
		files = append(files, data)
		return err
	})
	return files, err
})

// windowsRuleset compiles the SigmaHQ Windows rules (those that compile),
// as the pipeline's benchmarks do, or skips when the corpus is absent.
var windowsRuleset = sync.OnceValue(func() *match.Ruleset {
	rules, _ := ruleforge.Load(filepath.Join(corpus, "sigmahq", "rules", "windows"))
	rs, _ := compile.Compile(rules)
	return rs
})

// BenchmarkProbe isolates the rule index's probe phase (what MatchRecord
// does before it evaluates the candidates) with the SigmaHQ Windows rules
// on the records of the .evtx corpus, read from their evtx-JSON dumps
// with their ECS view (normalize.Reader): each pass reads every record and
// probes it, then reads every record again without probing; cpu-ns/probe
// is the difference per record (CPU time: on a loaded machine the two
// passes share the load), candidates the rules the probes left to
// evaluate per record.
func BenchmarkProbe(b *testing.B) {
	lines := evtxLines(b)
	rs := windowsRuleset()
	if rs == nil {
		b.Skip("no SigmaHQ Windows rules")
	}
	rd := normalize.NewReader(rs, normalize.Auto)
	var cpu [2]time.Duration
	cand := 0
	for b.Loop() {
		for k, probing := range []bool{true, false} {
			start := cputime.Used()
			for _, l := range lines {
				rec, err := rd.Read(l)
				if err != nil {
					b.Fatal(err)
				}
				if probing {
					cand += match.ProbeRecord(rs, rec)
				}
			}
			cpu[k] += cputime.Used() - start
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*len(lines)) }
	b.ReportMetric(per(cpu[0]-cpu[1]), "cpu-ns/probe")
	b.ReportMetric(per(cpu[1]), "cpu-ns/read")
	b.ReportMetric(float64(cand)/float64(b.N*len(lines)), "candidates/record")
}
