package match_test

import (
	"slices"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// keywordTexts returns the SigmaHQ Windows ruleset's keyword automaton
// and the texts MatchRecord scans with it, for each record of the .evtx
// corpus: its evtx-JSON dump's line (read from the dump) and the JSON of
// its values (read from the .evtx file), or skips when the corpus is
// absent.
func keywordTexts(tb testing.TB) (a *matcher.Automaton, dumps, values [][]byte) {
	tb.Helper()
	lines := evtxLines(tb)
	rs := windowsRuleset()
	if rs == nil {
		tb.Skip("no SigmaHQ Windows rules")
	}
	rd := normalize.NewReader(rs, normalize.Auto)
	for _, l := range lines {
		rec, err := rd.Read(l)
		if err != nil {
			tb.Fatal(err)
		}
		ka, text := match.KeywordScan(rs, rec)
		if ka == nil || text == nil {
			tb.Fatalf("no keyword scan of %s", l)
		}
		a = ka
		dumps = append(dumps, slices.Clone(text))
	}
	eachRecord(tb, evtxFiles(tb), func(_ int, er *evtx.Record) {
		rec, err := rd.ReadEVTX(er)
		if err != nil {
			tb.Fatal(err)
		}
		if _, text := match.KeywordScan(rs, rec); text != nil {
			values = append(values, slices.Clone(text))
		}
	})
	if len(values) != len(dumps) {
		tb.Fatalf("%d records' values scanned from the .evtx files, %d dumps", len(values), len(dumps))
	}
	return a, dumps, values
}

// countSink counts the keys a scan reports.
type countSink int

func (c *countSink) Fire(int32) { *c++ }

// BenchmarkKeywordScan isolates the keyword scan (Automaton.ScanJSON
// with the SigmaHQ Windows ruleset's keyword automaton) over the texts
// MatchRecord scans for each record of the .evtx corpus: the dumps'
// lines and, read from the .evtx files, their values' JSON. It reports
// the CPU time per record of each and the keys reported per record.
func BenchmarkKeywordScan(b *testing.B) {
	a, dumps, values := keywordTexts(b)
	per, found := scanCPU(b, a, dumps, values)
	b.ReportMetric(per[0], "cpu-ns/dump")
	b.ReportMetric(per[1], "cpu-ns/values")
	b.ReportMetric(float64(found)/float64(2*b.N*len(dumps)), "keys/record")
}

// scanCPU scans each of sets, texts of the same records, with a in each
// round of b.Loop and returns the CPU time of a set's scan per record, in
// ns, and the keys the scans reported.
func scanCPU(b *testing.B, a *matcher.Automaton, sets ...[][]byte) (per []float64, found int) {
	cpu := make([]time.Duration, len(sets))
	var keys countSink
	for b.Loop() {
		for k, texts := range sets {
			start := cputime.Used()
			for _, t := range texts {
				a.ScanJSON(t, &keys)
			}
			cpu[k] += cputime.Used() - start
		}
	}
	for _, d := range cpu {
		per = append(per, float64(d.Nanoseconds())/float64(b.N*len(sets[0])))
	}
	return per, int(keys)
}

// evtxFiles returns the .evtx files of the corpus, read whole.
func evtxFiles(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := loadEVTXFiles()
	if err != nil || len(files) == 0 {
		tb.Skipf("no .evtx corpus (%v)", err)
	}
	return files
}
