package normalize_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestViewSkipsUnread checks the ECS view that skips the fields no rule
// reads at their own paths once the objects holding them are present
// (recordView.wants) against the view that computes and adds them all
// (normalize.ViewEvery): the records hold the same values at every path
// the rules read, the same objects, the same values for keywords, and
// match and explain the same rules (sameRecords, whose messages call
// the reference's record "through JSON"); and each event but the
// corpus's against Normalize (sameRead), among them events that hold
// other values where the view's objects go. The events: the
// mapping tests', the mofcomp cases, the real records in their shapes
// and, with the shared corpus, every record of its .evtx files, read
// from the file (ReadEVTX) and from its evtx-JSON (Read). The rules: the
// seed rules with one that reads the objects process, host.os and user
// (so that most fields of those are read through them only), with a
// keyword search too; that one with another reading some process fields
// at their own paths (testdata/viewargs.yml); one reading the object
// process.pe alone (testdata/objectpe.yml); and all SigmaHQ Windows
// rules.
func TestViewSkipsUnread(t *testing.T) {
	names, events := readerEvents(t)
	// Events whose values at prefixes of the view's fields are not
	// objects, where the view adds nothing below them, as Normalize
	// (sameRead): the view looks at the prefixes of the fields no rule
	// reads too (viewPrefixes), when they make objects present.
	process := sysmonRecord(1, `"Image": "C:\\Windows\\reg.exe", "CommandLine": "reg add x", "OriginalFileName": "reg.exe",
		"Hashes": "MD5=573EB13AC2BA31E9C2E17FB6DAD14154", "ParentImage": "C:\\Windows\\explorer.exe"`)
	for _, top := range []string{`"process": "x"`, `"process": {"pe": 2}`, `"process": {"parent": []}`, `"host": {"os": "x"}`} {
		names, events = append(names, "not an object: "+top), append(events, []byte("{"+top+", "+process[1:]))
	}
	objects := []string{filepath.Join("testdata", "objects.yml"), filepath.Join("testdata", "viewargs.yml")}
	rulesets := []*match.Ruleset{seedRules(t, false), seedRules(t, true), loadRules(t, objects...),
		loadRules(t, filepath.Join("testdata", "objectpe.yml"))}
	var files [][]byte
	dir := filepath.Join(shared, "corpus", "evtx")
	if !testing.Short() && exists(dir) {
		rulesets = append(rulesets, loadCorpus(t, filepath.Join(shared, "corpus", "sigmahq", "rules", "windows")))
		err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".evtx") {
				return err
			}
			if len(files)%8 != 0 && raceEnabled {
				files = append(files, nil) // one file in eight under the race detector
				return nil
			}
			data, err := os.ReadFile(path)
			files = append(files, data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	records := 0
	for _, rs := range rulesets {
		read := readPaths(rs)
		var paths []*match.Path
		for _, p := range normalize.ReaderPaths() {
			if _, ok := slices.BinarySearch(read, p.String()); ok {
				paths = append(paths, p)
			}
		}
		for _, p := range read {
			paths = append(paths, match.NewPath(p))
		}
		for _, f := range formats {
			skip, every := normalize.NewReader(rs, f), normalize.NewReader(rs, f)
			normalize.ViewEvery(every)
			for i, raw := range events {
				got, gotErr := skip.Read(raw)
				want, wantErr := every.Read(raw)
				if gotErr != nil || wantErr != nil {
					if (gotErr == nil) != (wantErr == nil) {
						t.Fatalf("%s (%v): error %v, every field %v", names[i], f, gotErr, wantErr)
					}
					continue
				}
				sameRecords(t, rs, names[i]+" ("+f.String()+")", got, want, paths)
				sameRead(t, rs, skip, f, names[i], raw)
			}
			if f != normalize.Auto {
				continue // the corpus in the format of the CLI's readers only: it takes seconds
			}
			var raw []byte
			for _, data := range files {
				if data == nil {
					continue
				}
				evtxtest.EachRecord(t, data, func(er *evtx.Record) {
					got, err := skip.ReadEVTX(er)
					if err != nil {
						t.Fatal(err)
					}
					want, err := every.ReadEVTX(er)
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("evtx record %d", er.ID)
					sameRecords(t, rs, name, got, want, paths)
					raw = er.AppendJSON(raw[:0])
					if got, err = skip.Read(raw); err != nil {
						t.Fatal(err)
					}
					if want, err = every.Read(raw); err != nil {
						t.Fatal(err)
					}
					sameRecords(t, rs, name+" as JSON", got, want, paths)
					records++
				})
			}
		}
	}
	t.Logf("%d events, %d corpus records, %d rulesets", len(events), records, len(rulesets))
}
