package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestEVTXIndexAgrees reads every record of the .evtx corpus straight
// (Reader.ReadEVTX) into the records of the SigmaHQ Windows rules,
// indexed and not, and checks that both match the same rules: the
// index's gates, checks and kills (which read the values the record was
// filled with, the ECS view's among them) drop no hit. TestEVTXDirect
// compares the two ways of reading a record, each indexed; this
// compares the index with evaluating every rule, which took 83 s of CPU
// for the whole corpus (2,853 hits) on a loaded machine: it reads every
// fourth file (591 hits, 35 s), and under the race detector every 32nd
// (281 hits, ~32 s quiet).
func TestEVTXIndexAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluates every SigmaHQ Windows rule for every record of the corpus")
	}
	c, err := loadEVTXCorpus()
	if err != nil || len(c.files) == 0 {
		t.Skipf("no .evtx corpus (%v)", err)
	}
	indexed, err := windowsRuleset() // shared with the other tests of the package: one compile less
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := loadRules(filepath.Join(corpus, "sigmahq", "rules", "windows"))
	plain, err := compile.Compile(rules, hooks.CompileOption(hooks.Switches{NoIndex: true}).(compile.Option))
	if err != nil {
		t.Fatal(err)
	}
	ri, rp := normalize.NewReader(indexed, normalize.Auto), normalize.NewReader(plain, normalize.Auto)
	var hi, hp []int
	hits := 0
	every := 4
	if raceEnabled {
		every = 32
	}
	for i, data := range c.files {
		if i%every != 0 {
			continue
		}
		evtxtest.EachRecord(t, data, func(er *evtx.Record) {
			where := fmt.Sprintf("file %d, record %d", i, er.ID)
			reci, err := ri.ReadEVTX(er)
			if err != nil {
				t.Fatal(where, err)
			}
			recp, err := rp.ReadEVTX(er)
			if err != nil {
				t.Fatal(where, err)
			}
			hi, hp = indexed.MatchRecord(reci, hi[:0]), plain.MatchRecord(recp, hp[:0])
			if !slices.Equal(hi, hp) {
				t.Fatalf("%s: indexed %v, unindexed %v", where, hi, hp)
			}
			hits += len(hi)
		})
	}
	t.Logf("%d hits, the same indexed and not", hits)
}
