package normalize_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestEVTXLookup checks the evtxEvent's Lookup, the record's lookup of what it
// did not fill (objects), against the record's JSON decoded: for each
// record of evtx's fixture file and of the shared corpus's first .evtx
// files, several lookups in turn of objects, arrays and scalars, with
// the maps of each record reused for the next.
func TestEVTXLookup(t *testing.T) {
	files := []string{filepath.Join("..", "evtx", "testdata", "fixture.evtx")}
	corpus, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "evtx", "*", "*", "*.evtx"))
	if len(corpus) == 0 {
		t.Log("no shared corpus: the fixture only")
	}
	files = append(files, corpus[:min(len(corpus), 30)]...)
	paths := []*match.Path{match.NewPath("Event.System"), match.NewPath("Event.EventData"), match.NewPath("Event.UserData"),
		match.NewPath("Event.System.EventID"), match.NewPath("Event.EventData.Data"), match.NewPath("Event"),
		match.NewPath("Event.System.Provider.#attributes.Name")}
	rd := normalize.NewReader(seedRules(t, false), normalize.WinEvent)
	n := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		evtxtest.EachRecord(t, data, func(er *evtx.Record) {
			if _, err := rd.ReadEVTX(er); err != nil {
				t.Fatal(err)
			}
			want, err := match.ParseJSON(er.AppendJSON(nil))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range paths {
				got, gok := normalize.EVTXLookup(rd, p)
				w, wok := want.Lookup(p)
				if gok != wok || !reflect.DeepEqual(got, w) {
					t.Fatalf("%s, record %d, %s: got %v, %v; want %v, %v", file, er.ID, p, got, gok, w, wok)
				}
			}
			n++
		})
	}
	t.Logf("%d records", n)
}
