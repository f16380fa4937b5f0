package normalize_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// formats are the formats a Reader is tested in.
var formats = []normalize.Format{normalize.Auto, normalize.ECS, normalize.Flat, normalize.WinEvent}

// sameRead checks that rd, a Reader of format f for rs, reads raw as
// match.ParseJSON, Normalize and match.NewDoc do: the same error, the same
// value at every path of the view and its sources that rs reads, and the
// same rules matching; and that keyword searches (Each) see the values of
// the event as logged, those of raw, and none of the view's.
func sameRead(t *testing.T, rs *match.Ruleset, rd *normalize.Reader, f normalize.Format, name string, raw []byte) {
	t.Helper()
	doc, wantErr := match.ParseJSON(raw)
	rec, err := rd.Read(raw)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("%s (%v): Read error %v, want %v", name, f, err, wantErr)
	}
	if err != nil {
		return
	}
	logged := scalars(doc)
	normalize.Normalize(doc.Map(), f)
	ev := loggedEvent{match.NewDoc(doc.Map()), logged}
	read := readPaths(rs)
	for _, p := range normalize.ReaderPaths() {
		if _, reads := slices.BinarySearch(read, p.String()); !reads {
			continue
		}
		want, wantOK := ev.Lookup(p)
		got, ok := rec.Lookup(p)
		if ok != wantOK || ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s (%v): %s = %#v (%v), want %#v (%v)", name, f, p, got, ok, want, wantOK)
		}
	}
	for _, p := range normalize.ReaderObjects() {
		if _, reads := slices.BinarySearch(read, p.String()); !reads {
			continue // only the objects rules read are values of the record
		}
		v, wantOK := ev.Lookup(p)
		_, wantObject := v.(map[string]any)
		if ok, object := hooks.RecordHolds(rec, p); ok != wantOK || object != wantObject {
			t.Fatalf("%s (%v): %s held %v (object %v), want %v (object %v)", name, f, p, ok, object, wantOK, wantObject)
		}
	}
	if got, want := values(rec), values(ev); hooks.RulesetReadsAnyField(rs) && !slices.Equal(got, want) {
		t.Fatalf("%s (%v): Each visits\n%q\nwant\n%q", name, f, got, want)
	}
	if got, want := rs.MatchRecord(rec, nil), rs.Match(ev, nil); !slices.Equal(got, want) {
		t.Fatalf("%s (%v): rules %v match, want %v", name, f, ruleIDs(rs, got), ruleIDs(rs, want))
	}
}

// readPaths returns rs.Paths(), sorted anew by every call, once per
// ruleset.
func readPaths(rs *match.Ruleset) []string {
	pathsMu.Lock()
	defer pathsMu.Unlock()
	if pathsOf[rs] == nil {
		pathsOf[rs] = rs.Paths()
	}
	return pathsOf[rs]
}

// pathsOf holds readPaths's results.
var (
	pathsMu sync.Mutex
	pathsOf = map[*match.Ruleset][]string{}
)

// loggedEvent is a normalized event whose Each visits the values of the
// event as logged, what a Reader gives keyword searches.
type loggedEvent struct {
	*match.Doc
	logged []any
}

// Each visits the values of the event as logged.
func (e loggedEvent) Each(fn func(v any) bool) bool { return slices.ContainsFunc(e.logged, fn) }

// scalars returns the values ev.Each visits.
func scalars(ev match.Walker) []any {
	var out []any
	ev.Each(func(v any) bool {
		out = append(out, v)
		return false
	})
	return out
}

// values returns what ev.Each visits, as sorted text with each type.
func values(ev match.Walker) []string {
	var out []string
	ev.Each(func(v any) bool {
		out = append(out, fmt.Sprintf("%T %v", v, v))
		return false
	})
	slices.Sort(out)
	return out
}

// ruleIDs returns the IDs of rules hits of rs.
func ruleIDs(rs *match.Ruleset, hits []int) []string {
	var ids []string
	for _, i := range hits {
		ids = append(ids, rs.Rule(i).ID)
	}
	return ids
}

// compact returns m as one line of JSON.
func compact(t testing.TB, m map[string]any) []byte {
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestReaderSame reads the mapping tests' events, the seed rule cases and,
// when the shared corpus is there, the Sigma regression events (also as
// Flat events) through a Reader in every format and checks each against
// Normalize with sameRead, for the seed rules (with one that reads objects
// of the view, and with a keyword search too) and for all SigmaHQ and
// Elastic rules.
func TestReaderSame(t *testing.T) {
	names, events := readerEvents(t)
	rulesets := []*match.Ruleset{seedRules(t, false), seedRules(t, true),
		loadRules(t, filepath.Join("testdata", "keywords.yml"), filepath.Join("testdata", "userdata.yml"))}
	if !testing.Short() {
		if corpus, recs := regressionNames(t); corpus != nil {
			names, events = append(names, corpus...), append(events, recs...)
			rulesets = append(rulesets, loadCorpus(t, filepath.Join(shared, "corpus", "sigmahq", "rules")),
				loadCorpus(t, filepath.Join(shared, "corpus", "elastic", "rules")))
		}
	}
	for _, rs := range rulesets {
		for _, f := range formats {
			rd := normalize.NewReader(rs, f)
			for i, raw := range events {
				sameRead(t, rs, rd, f, names[i], raw)
			}
		}
	}
	t.Logf("%d events, %d rulesets, %d formats", len(events), len(rulesets), len(formats))
}

// readerEvents returns the events Readers are tested on, with their
// names: the mapping tests', the mofcomp cases and the real records in
// their shapes (recordShapes).
func readerEvents(t *testing.T) (names []string, events [][]byte) {
	for _, tt := range mappingTests {
		names, events = append(names, tt.name), append(events, []byte(tt.event))
	}
	for _, tt := range mofcompEvents {
		names, events = append(names, tt.name), append(events, []byte(tt.event))
	}
	recNames, recs := recordShapes(t)
	return append(names, recNames...), append(events, recs...)
}

// recordShapes returns the real Windows records of ../sigma/testdata/records
// (unnamed Data, UserData, Defender's names with spaces) as recorded and
// with their unnamed Data in the other shapes evtx-to-JSON tools write:
// the bare text or list, and a list of {"#text": v}.
func recordShapes(t *testing.T) ([]string, [][]byte) {
	files, err := filepath.Glob(filepath.Join("..", "sigma", "testdata", "records", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no records in ../sigma/testdata/records: %v", err)
	}
	var names []string
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		names, out = append(names, f), append(out, data)
		var ev map[string]any
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatal(err)
		}
		ed, _ := ev["Event"].(map[string]any)["EventData"].(map[string]any)
		d, ok := ed["Data"].(map[string]any)
		if !ok {
			continue
		}
		text := d["#text"]
		ed["Data"] = text
		names, out = append(names, f+" (bare Data)"), append(out, compact(t, ev))
		var objs []any
		if list, ok := text.([]any); ok {
			for _, v := range list {
				objs = append(objs, map[string]any{"#text": v})
			}
		} else {
			objs = []any{map[string]any{"#text": text}}
		}
		ed["Data"] = objs
		names, out = append(names, f+" (Data objects)"), append(out, compact(t, ev))
	}
	return names, out
}

// regressionNames returns the Sigma regression events as compact JSON,
// then again rewritten as Flat events, with their names; nil without the
// shared corpus.
func regressionNames(t *testing.T) ([]string, [][]byte) {
	if _, err := filepath.Glob(filepath.Join(shared, "corpus", "sigma-regression")); err != nil {
		return nil, nil
	}
	names, maps := regressionEvents(t)
	var outNames []string
	var out [][]byte
	for i, m := range maps {
		outNames, out = append(outNames, names[i]), append(out, compact(t, m))
		if flat := flatten(clone(m)); flat != nil {
			outNames, out = append(outNames, names[i]+" (flat)"), append(out, compact(t, flat))
		}
	}
	return outNames, out
}

// seedRules loads the seed rules and testdata/objects.yml, a rule that
// reads objects of the view, and, with keywords, testdata/keywords.yml,
// a keyword search, so that every field of the view may be read.
func seedRules(t testing.TB, keywords bool) *match.Ruleset {
	return loadRules(t, seedPaths(keywords)...)
}

// seedPaths returns the files of seedRules.
func seedPaths(keywords bool) []string {
	paths := []string{filepath.Join("..", "testdata", "mofcomp_activity.eql"), filepath.Join("..", "testdata", "execution_mofcomp.toml"),
		filepath.Join("..", "testdata", "proc_creation_win_mofcomp_execution.yml"), filepath.Join("testdata", "objects.yml")}
	if keywords {
		paths = append(paths, filepath.Join("testdata", "keywords.yml"))
	}
	return paths
}

// FuzzReader checks sameRead on random JSON text in every format, with
// the seed rules and one that reads objects of the view, and with a
// keyword search besides.
func FuzzReader(f *testing.F) {
	for _, tt := range mappingTests {
		f.Add([]byte(tt.event))
	}
	for _, tt := range mofcompEvents {
		f.Add([]byte(tt.event))
	}
	var rulesets []*match.Ruleset
	var readers []map[normalize.Format]*normalize.Reader
	for _, keywords := range []bool{false, true} {
		rs := seedRules(f, keywords)
		rds := map[normalize.Format]*normalize.Reader{}
		for _, format := range formats {
			rds[format] = normalize.NewReader(rs, format)
		}
		rulesets, readers = append(rulesets, rs), append(readers, rds)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i, rs := range rulesets {
			for _, format := range formats {
				sameRead(t, rs, readers[i][format], format, "fuzz", data)
			}
		}
	})
}
