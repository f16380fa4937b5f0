package normalize_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestReaderSameEVTXCorpus checks a Reader against Normalize (sameRead:
// every path of the view and its sources, the values for keywords, the
// rules that match) on the evtx-JSON of every record of the shared .evtx
// corpus (18,270 Windows and Sysmon records of 558 files), with all
// SigmaHQ Windows rules, which read every value (keyword searches). The
// Reader keeps one record for all: what an event leaves behind must not
// change the next one's. With the race detector, one file in eight.
func TestReaderSameEVTXCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus takes seconds")
	}
	dir := filepath.Join(shared, "corpus", "evtx")
	if !exists(dir) {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", dir)
	}
	rs := loadCorpus(t, filepath.Join(shared, "corpus", "sigmahq", "rules", "windows"))
	rd := normalize.NewReader(rs, normalize.Auto)
	records, hits, files := 0, 0, 0
	var raw []byte
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".evtx") {
			return err
		}
		if files++; raceEnabled && files%8 != 1 {
			return nil // one file in eight: the race detector slows the test tenfold, and one goroutine has no race
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		evtxtest.EachRecord(t, data, func(er *evtx.Record) {
			raw = er.AppendJSON(raw[:0])
			sameRead(t, rs, rd, normalize.Auto, path, raw)
			records++
			rec, _ := rd.Read(raw)
			hits += len(rs.MatchRecord(rec, nil))
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if records == 0 || hits == 0 {
		t.Fatalf("%d records, %d hits: the corpus is not read", records, hits)
	}
	t.Logf("%d records, %d hits", records, hits)
}
