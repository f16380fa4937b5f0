package pipeline

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// sigmaRuleset compiles every rule of SigmaHQ's rules folder.
var sigmaRuleset = sync.OnceValues(func() (*match.Ruleset, error) { return compileCorpus("sigmahq", "rules") })

// TestEVTXDirect reads every record of the .evtx corpus into the records
// of all SigmaHQ rules twice: straight from the record
// (normalize.Reader.ReadEVTX, what RunEVTX does) and from its evtx-JSON
// (Reader.Read of evtx.Record.AppendJSON, what matching `ruleforge dump`'s
// output does), and checks that the two match the same rules, explain
// each hit with the same reasons (values and paths included), and hold
// the same value at every path the rules read and every field of the
// ECS view. Under the race detector it reads every eighth file with the
// SigmaHQ Windows rules.
func TestEVTXDirect(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus with all SigmaHQ rules")
	}
	c, err := loadEVTXCorpus()
	if err != nil || len(c.files) == 0 {
		t.Skipf("no .evtx corpus (%v)", err)
	}
	rs, err := sigmaRuleset()
	if raceEnabled {
		// The race detector makes this single-goroutine test ten times
		// slower: every eighth file, with the Windows rules.
		rs, err = windowsRuleset()
	}
	if err != nil {
		t.Fatal(err)
	}
	var paths []*match.Path
	for _, p := range rs.Paths() {
		paths = append(paths, match.NewPath(p))
	}
	for _, p := range []string{"process.name", "process.args", "host.name", "event.code", "@timestamp", "user.name", "winlog.channel", "Event.UserData.#child"} {
		paths = append(paths, match.NewPath(p))
	}
	direct, viaJSON := normalize.NewReaderWith(rs, normalize.Auto, paths), normalize.NewReaderWith(rs, normalize.Auto, paths)
	var records, hits int
	var line []byte
	var hd, hj []int
	for i, data := range c.files {
		if raceEnabled && i%8 != 0 {
			continue
		}
		evtxtest.EachRecord(t, data, func(er *evtx.Record) {
			records++
			where := fmt.Sprintf("file %d, record %d", i, er.ID)
			line = er.AppendJSON(line[:0])
			rj, err := viaJSON.Read(line)
			if err != nil {
				t.Fatal(where, err)
			}
			rd, err := direct.ReadEVTX(er)
			if err != nil {
				t.Fatal(where, err)
			}
			hd, hj = rs.MatchRecord(rd, hd[:0]), rs.MatchRecord(rj, hj[:0])
			if !slices.Equal(hd, hj) {
				t.Fatalf("%s: hits %v straight from the record, %v from its JSON\n%s", where, hd, hj, line)
			}
			hits += len(hd)
			for _, h := range hd {
				if xd, xj := rs.Explain(rd, h), rs.Explain(rj, h); !reflect.DeepEqual(xd, xj) {
					t.Fatalf("%s: rule %s explained as %v straight from the record, %v from its JSON", where, rs.Rule(h).ID, xd, xj)
				}
			}
			for _, p := range paths {
				vd, okd := rd.Lookup(p)
				vj, okj := rj.Lookup(p)
				if okd != okj || !reflect.DeepEqual(vd, vj) {
					t.Fatalf("%s: %s is %#v (%v) straight from the record, %#v (%v) from its JSON\n%s", where, p, vd, okd, vj, okj, line)
				}
			}
		})
	}
	if records != c.records && !raceEnabled {
		t.Errorf("%d records, want %d", records, c.records)
	}
	t.Logf("%d records, %d hits of %d rules, the same both ways", records, hits, rs.Len())
}
