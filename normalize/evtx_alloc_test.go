package normalize_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestReadEVTXAllocs reads each record of evtx's fixture file straight
// into the seed rules' record again and again, and matches it, counting
// the allocations per record once the reader's memory has grown: none
// for ECS events; for Flat the empty object that the view gives an
// object rules read where the event has none (Read allocates it too),
// and the same for WinEvent and Auto: the view's lookups of objects of
// the event (UserData), which the record decodes from the .evtx record
// (evtxEvent.Lookup), reuse the maps and box their values in the
// record's memory (they allocated 18 until they did; Read of the JSON
// allocates 14). A regression here is a value boxed or a buffer made
// per record on the direct path.
func TestReadEVTXAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("coverage counters and the race detector allocate")
	}
	data, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "fixture.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	limits := map[normalize.Format]float64{normalize.ECS: 0, normalize.Flat: 1, normalize.WinEvent: 1, normalize.Auto: 1}
	rs := seedRules(t, false)
	for _, f := range formats {
		rd := normalize.NewReader(rs, f)
		var hits []int
		evtxtest.EachRecord(t, data, func(er *evtx.Record) {
			n := testing.AllocsPerRun(20, func() {
				rec, err := rd.ReadEVTX(er)
				if err != nil {
					t.Fatal(err)
				}
				hits = rs.MatchRecord(rec, hits[:0])
			})
			if n > limits[f] {
				t.Errorf("%v, record %d: %v allocations per record, want at most %v", f, er.ID, n, limits[f])
			}
		})
	}
}
