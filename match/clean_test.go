package match_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// cleanKeywords are keyword searches, one rule each, whose keys some
// values of the .evtx fixtures and corpus hold and others not, among
// values that change from record to record and come back (times,
// GUIDs, process ids, hex numbers, paths): enough rules that the rule
// index scans the values' text for them (at least 16).
var cleanKeywords = []string{
	`\windows\system32\`, "ntdll.dll", "0x1410", "-5-18", "2020-10-0", "2019-", "powershell", "svchost",
	"microsoft-windows-security", "5f7b", "c22a", ".dll+", "lsass", "explorer.exe", "conhost", "0x",
	`exe"`, `"c:\`, "4624", "é", "{", "00", "7",
}

// keywordRules compiles a keyword search for each of keys, with extra
// rules besides.
func keywordRules(t *testing.T, keys []string, extra ...*ir.Rule) *match.Ruleset {
	t.Helper()
	rules := slices.Clone(extra)
	for i, k := range keys {
		r := sigmaRule(t, fmt.Sprintf("  keywords:\n    - '%s'\n  condition: keywords\n", strings.ReplaceAll(k, "'", "''")))
		r.ID = fmt.Sprintf("keyword-%d", i)
		rules = append(rules, r)
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// cleanFiles returns the .evtx fixtures and, unless short, the corpus's
// files (one in eight with the race detector).
func cleanFiles(t *testing.T) [][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "evtx", "testdata", "*.evtx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("evtx fixtures: %v, %d files", err, len(paths))
	}
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data, data) // twice: the shapes come back
	}
	if testing.Short() {
		return files
	}
	corpus, err := loadEVTXFiles()
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range corpus {
		if !match.RaceEnabled || i%8 == 0 {
			files = append(files, f)
		}
	}
	return files
}

// eachRecord calls fn with each record of files.
func eachRecord(tb testing.TB, files [][]byte, fn func(file int, er *evtx.Record)) {
	tb.Helper()
	for i, data := range files {
		evtxtest.EachRecord(tb, data, func(er *evtx.Record) { fn(i, er) })
	}
}

// TestKeywordClean reads the .evtx fixtures and corpus into records
// (normalize's ReadEVTX, whose fill programs leave out of the values the
// keyword scan reads those known clean: hooks.Filler's Clean,
// FillValuesLazy and ScannedClean) and checks, record by record, that the
// rule index's keyword scan finds the same keys in the values not known
// clean as in the text of all of them, and that the same rules match
// either way (matched before that text is made); that a second ruleset,
// with other keywords, matches a record the first one's Reader filled as
// it matches its own Reader's record; and that much of the text goes
// unscanned. One record in three is filled but not matched: its scan
// tells nothing of its values. Rulesets: keyword searches whose keys the
// corpus's values hold (cleanKeywords), the same with a key holding a
// comma (a key that could be found across two values: nothing is
// skipped), and all SigmaHQ Windows rules; each read by a Reader with the
// default limits and by one with room for two fill programs (evicted over
// and over: no memo, no clean value).
func TestKeywordClean(t *testing.T) {
	files := cleanFiles(t)
	keywords := keywordRules(t, cleanKeywords)
	comma := keywordRules(t, append(slices.Clone(cleanKeywords), "a,b"))
	other := keywordRules(t, []string{"system32", "cmd.exe", "-0000-", "0x8", "sysmon", "2020", "1", "9", "ab", "c:", ":", "-", "\\", "a", "b", "c", "d"})
	cases := []struct {
		name string
		rs   *match.Ruleset
		skip int // the most of the text scanned, in tenths, by the Reader with the default limits
	}{{"keywords", keywords, 9}, {"keywords, one with a comma", comma, 10}}
	if rs := windowsRuleset(); rs != nil && !testing.Short() {
		cases = append(cases, struct {
			name string
			rs   *match.Ruleset
			skip int
		}{"SigmaHQ Windows rules", rs, 6})
	}
	for _, c := range cases {
		for _, programs := range []int{0, 2} {
			name := fmt.Sprintf("%s, %d programs", c.name, programs)
			rd, rd2 := normalize.NewReader(c.rs, normalize.Auto), normalize.NewReader(other, normalize.Auto)
			if programs > 0 {
				hooks.ReaderFillLimits(rd, programs, 1<<20)
			}
			var records, ran, parted, scanned, whole, found int // ran, parted: of the records matched
			eachRecord(t, files, func(f int, er *evtx.Record) {
				where := fmt.Sprintf("%s: file %d, record %d", name, f, er.ID)
				before := rd.Stats().Filled
				rec, err := rd.ReadEVTX(er)
				if err != nil {
					t.Fatal(where, err)
				}
				if records++; records%3 == 0 {
					return // filled, not matched: its keyword scan tells its values' memos nothing
				}
				hits := c.rs.MatchRecord(rec, nil) // before the values' text is made
				got, n, lazy := match.KeywordKeys(c.rs, rec, false)
				want, all, _ := match.KeywordKeys(c.rs, rec, true)
				if !slices.Equal(got, want) {
					t.Fatalf("%s: keys %q found in the values not known clean, %q in all", where, got, want)
				}
				if w := match.MatchScanningWhole(c.rs, rec); !slices.Equal(hits, w) {
					t.Fatalf("%s: rules %v match, %v scanning the whole text", where, hits, w)
				}
				rec2, err := rd2.ReadEVTX(er)
				if err != nil {
					t.Fatal(where, err)
				}
				if g, w := other.MatchRecord(rec, nil), other.MatchRecord(rec2, nil); !slices.Equal(g, w) {
					t.Fatalf("%s: another ruleset matches rules %v, %v in its own record", where, g, w)
				}
				scanned, whole, found = scanned+n, whole+all, found+len(want)
				if rd.Stats().Filled > before {
					ran++
				}
				if lazy {
					parted++
				}
			})
			st := rd.Stats()
			t.Logf("%s: %d records, %d filled by programs; of those matched, %d filled by programs, %d scanning the values not known clean; %d of %d bytes scanned; %d keys found; %d evictions",
				name, records, st.Filled, ran, parted, scanned, whole, found, st.FillEvictions)
			switch {
			case found == 0:
				t.Errorf("%s: no keyword found: the test checks nothing", name)
			case c.skip == 10 && parted > 0:
				t.Errorf("%s: %d records scanned without their clean values, want none", name, parted)
			case c.skip < 10 && programs == 0 && (parted < ran || scanned > whole*c.skip/10):
				t.Errorf("%s: %d of %d records filled by programs scanned without their clean values, %d of %d bytes scanned: want all, and at most %d tenths",
					name, parted, ran, scanned, whole, c.skip)
			case programs > 0 && st.FillEvictions == 0 && !testing.Short(): // the fixtures need one program
				t.Errorf("%s: no eviction", name)
			}
		}
	}
}

// BenchmarkKeywordClean scans the .evtx corpus's records, read by
// ReadEVTX and matched, for the keywords of the SigmaHQ Windows rules
// (Automaton.ScanJSON), as MatchRecord does: the text of all their values
// (cpu-ns/whole) and the values not known clean (cpu-ns/clean), CPU time
// per record; the Clean scans of values that come back, which ReadEVTX
// makes when the record they were in held a keyword, are in
// BenchmarkFillPrograms (package normalize), which matches no record.
func BenchmarkKeywordClean(b *testing.B) {
	a, _, _ := keywordTexts(b)
	rs := windowsRuleset()
	rd := normalize.NewReader(rs, normalize.Auto)
	var whole, clean [][]byte
	eachRecord(b, evtxFiles(b), func(_ int, er *evtx.Record) {
		rec, err := rd.ReadEVTX(er)
		if err != nil {
			b.Fatal(err)
		}
		if t, _ := match.KeywordText(rec); t != nil {
			clean = append(clean, t)
			rs.MatchRecord(rec, nil) // as the pipeline does: its scan tells the Reader which values are clean
			_, all := match.KeywordScan(rs, rec)
			whole = append(whole, slices.Clone(all))
		}
	})
	per, _ := scanCPU(b, a, whole, clean)
	b.ReportMetric(per[0], "cpu-ns/whole")
	b.ReportMetric(per[1], "cpu-ns/clean")
	b.ReportMetric(per[1]/per[0], "cpu-clean/whole")
}

// TestKeywordCleanAdded: a value a caller adds to a record ReadEVTX
// filled (Record.Add: an enrichment, which Each visits) is sought for
// keywords even when the keyword scan reads the values not known clean
// only (FillValuesLazy): the scan skips an added string only where it
// lies in the text it read (Record.inText). A text of the caller's with
// a keyword no event holds matches its rule, in every record, and the
// same rules match as when the scan reads the text of all the values.
func TestKeywordCleanAdded(t *testing.T) {
	const key = "added-by-the-caller"
	rs := keywordRules(t, append(slices.Clone(cleanKeywords), key))
	note := match.NewPath("enrichment.note")
	rd := normalize.NewReaderWith(rs, normalize.Auto, []*match.Path{note})
	records, lazy := 0, 0
	files := cleanFiles(t)
	eachRecord(t, files[:min(len(files), 40)], func(f int, er *evtx.Record) {
		rec, err := rd.ReadEVTX(er)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := match.KeywordText(rec); ok {
			lazy++
		}
		if !rec.Add(note, "note: "+key) {
			t.Fatalf("file %d, record %d: Add failed", f, er.ID)
		}
		hits := rs.MatchRecord(rec, nil)
		if !slices.Contains(hits, len(cleanKeywords)) {
			t.Fatalf("file %d, record %d: rules %v match, not the added value's (%d)", f, er.ID, hits, len(cleanKeywords))
		}
		if w := match.MatchScanningWhole(rs, rec); !slices.Equal(hits, w) {
			t.Fatalf("file %d, record %d: rules %v match, %v scanning the whole text", f, er.ID, hits, w)
		}
		records++
	})
	t.Logf("%d records, %d scanned without their clean values", records, lazy)
	if lazy == 0 && !testing.Short() {
		t.Errorf("%d records, none scanned without its clean values: the test checks nothing", records)
	}
}
