package match_test

import (
	"maps"
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
// the CPU time per record of each, of the dumps' lines scanned in turn
// with one matcher.Resume (ScanJSONResume, as MatchRecord scans a JSON
// record's text), and the keys ScanJSON reported per record.
func BenchmarkKeywordScan(b *testing.B) {
	a, dumps, values := keywordTexts(b)
	var r matcher.Resume
	scans := scanJSON(a, dumps, values)
	per, found := cpuPerRecord(b, len(dumps), append(scans,
		func(x matcher.Sink) {
			for _, t := range dumps {
				a.ScanJSONResume(t, x, &r)
			}
		})...)
	b.ReportMetric(per[0], "cpu-ns/dump")
	b.ReportMetric(per[1], "cpu-ns/values")
	b.ReportMetric(per[2], "cpu-ns/dump-resumed")
	b.ReportMetric(float64(found[0]+found[1])/float64(2*b.N*len(dumps)), "keys/record")
}

// scanCPU scans each of sets, texts of the same records, with a in each
// round of b.Loop and returns the CPU time of a set's scan per record, in
// ns, and the keys the scans reported.
func scanCPU(b *testing.B, a *matcher.Automaton, sets ...[][]byte) (per []float64, found int) {
	per, counts := cpuPerRecord(b, len(sets[0]), scanJSON(a, sets...)...)
	for _, c := range counts {
		found += int(c)
	}
	return per, found
}

// scanJSON returns, for each of sets, a scan of its texts with
// a.ScanJSON.
func scanJSON(a *matcher.Automaton, sets ...[][]byte) []func(matcher.Sink) {
	var scans []func(matcher.Sink)
	for _, texts := range sets {
		scans = append(scans, func(x matcher.Sink) {
			for _, t := range texts {
				a.ScanJSON(t, x)
			}
		})
	}
	return scans
}

// cpuPerRecord runs each of scans, each a scan of the texts of the same
// records, n of them, in each round of b.Loop and returns the CPU time of
// a scan per record, in ns, and the keys each reported.
func cpuPerRecord(b *testing.B, n int, scans ...func(matcher.Sink)) (per []float64, found []countSink) {
	cpu := make([]time.Duration, len(scans))
	found = make([]countSink, len(scans))
	for b.Loop() {
		for k, scan := range scans {
			start := cputime.Used()
			scan(&found[k])
			cpu[k] += cputime.Used() - start
		}
	}
	for _, d := range cpu {
		per = append(per, float64(d.Nanoseconds())/float64(b.N*n))
	}
	return per, found
}

// TestKeywordScanResume checks, on the corpus's dumps' lines scanned in
// turn as MatchRecord scans them, that ScanJSONResume with one
// matcher.Resume reports the keys ScanJSON reports on each line, no more,
// no fewer.
func TestKeywordScanResume(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the .evtx corpus")
	}
	a, dumps, _ := keywordTexts(t)
	var r matcher.Resume
	for i, d := range dumps {
		want, got := idSet{}, idSet{}
		a.ScanJSON(d, want)
		a.ScanJSONResume(d, got, &r)
		if !maps.Equal(got, want) {
			t.Fatalf("dump line %d: ScanJSONResume reported %v, ScanJSON %v: %s", i, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)), d)
		}
	}
}

// idSet is a matcher.Sink that keeps the ids reported.
type idSet map[int32]bool

// Fire implements matcher.Sink.
func (s idSet) Fire(id int32) { s[id] = true }

// evtxFiles returns the .evtx files of the corpus, read whole.
func evtxFiles(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := loadEVTXFiles()
	if err != nil || len(files) == 0 {
		tb.Skipf("no .evtx corpus (%v)", err)
	}
	return files
}
