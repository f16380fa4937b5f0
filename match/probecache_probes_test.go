package match

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// TestProbeCacheProbes checks that the probe cache keeps a string's keys
// per probe: more fields than the cache has entries, each with a key of
// its own that the same short string holds, so that some two fields'
// probes share an entry (pigeonhole), and a cache that took one probe's
// keys for the other's would miss a rule.
func TestProbeCacheProbes(t *testing.T) {
	n := cacheEntries + cacheEntries/4
	var plans []*plan.Node
	ev := Map{}
	for i := range n {
		name := fmt.Sprint("f", i)
		plans = append(plans, strTest(name, matcher.NewContains("abc", true)))
		ev[name] = "xABCx"
	}
	rs := mustRuleset(t, plans)
	rec := rs.NewRecord()
	for round := range 2 { // the second round reads the cache the first filled
		rec.Reset(ev)
		if got := rs.MatchRecord(rec, nil); len(got) != n || !slices.IsSorted(got) {
			t.Fatalf("round %d: %d rules match, want all %d", round, len(got), n)
		}
	}
}
