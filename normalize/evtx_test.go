package normalize_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestReadEVTXSame reads the records of evtx's fixture files (templates,
// records without templates, unnamed Data, repeated names; data names
// with dots, which ReadEVTX leaves to Read) straight into records
// (ReadEVTX) and through their JSON (Read of AppendJSON), in every
// format, with the seed rules, one reading objects of the view and a
// keyword search, and checks that the two records hold the same values at
// the paths of the view and of the rules, the same objects, the same
// values for keywords (Each, compared sorted: where Read decodes the
// event into a map, the order is the map's), and match and explain the
// same rules. ../internal/pipeline's TestEVTXDirect does the same for
// the shared corpus with all SigmaHQ rules.
func TestReadEVTXSame(t *testing.T) {
	var files [][]byte
	for _, name := range []string{"fixture.evtx", "dotted.evtx"} {
		data, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	hits := 0
	for _, keywords := range []bool{false, true} {
		rs := seedRules(t, keywords)
		paths := append(normalize.ReaderPaths(), match.NewPath("Event.EventData.Process.Name"))
		for _, p := range rs.Paths() {
			paths = append(paths, match.NewPath(p))
		}
		for _, f := range formats {
			direct, viaJSON := normalize.NewReader(rs, f), normalize.NewReader(rs, f)
			for _, data := range files {
				n := 0
				evtxtest.EachRecord(t, data, func(er *evtx.Record) {
					n++
					name := fmt.Sprintf("record %d (%v, keywords %v)", er.ID, f, keywords)
					raw := er.AppendJSON(nil)
					want, err := viaJSON.Read(raw)
					if err != nil {
						t.Fatal(name, err)
					}
					got, err := direct.ReadEVTX(er)
					if err != nil {
						t.Fatal(name, err)
					}
					sameRecords(t, rs, name, got, want, paths)
					hits += len(rs.MatchRecord(got, nil))
				})
				if n == 0 {
					t.Fatal("no records in the fixture")
				}
			}
		}
	}
	if hits == 0 {
		t.Error("no rule matched a record")
	}
}

// sameRecords checks that got holds what want holds (see TestReadEVTXSame).
func sameRecords(t *testing.T, rs *match.Ruleset, name string, got, want *match.Record, paths []*match.Path) {
	t.Helper()
	for _, p := range paths {
		gv, gok := got.Lookup(p)
		wv, wok := want.Lookup(p)
		if gok != wok || !reflect.DeepEqual(gv, wv) {
			t.Fatalf("%s: %s = %#v (%v), through JSON %#v (%v)", name, p, gv, gok, wv, wok)
		}
	}
	for _, p := range normalize.ReaderObjects() {
		gp, gobj := hooks.RecordHolds(got, p)
		wp, wobj := hooks.RecordHolds(want, p)
		if gp != wp || gobj != wobj {
			t.Fatalf("%s: %s held %v (object %v), through JSON %v (%v)", name, p, gp, gobj, wp, wobj)
		}
	}
	if g, w := values(got), values(want); !slices.Equal(g, w) {
		t.Fatalf("%s: Each visits\n%q\nthrough JSON\n%q", name, g, w)
	}
	gh, wh := rs.MatchRecord(got, nil), rs.MatchRecord(want, nil)
	if !slices.Equal(gh, wh) {
		t.Fatalf("%s: rules %v match, through JSON %v", name, ruleIDs(rs, gh), ruleIDs(rs, wh))
	}
	for _, i := range gh {
		if g, w := rs.Explain(got, i), rs.Explain(want, i); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: rule %s explained as %v, through JSON %v", name, rs.Rule(i).ID, g, w)
		}
	}
}
