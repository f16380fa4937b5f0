package ruleforge_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
)

// TestConcurrentMatchCorpus shares the SigmaHQ Windows ruleset (its
// gates, checks, kills and deferred operands) among goroutines that match
// the regression events each in its own order, by Match and by
// MatchRecord with a record of its own: each must get the hits one
// goroutine gets alone (run it with -race).
func TestConcurrentMatchCorpus(t *testing.T) {
	rs, err := compile.Compile(corpusRules(t, "sigmahq/rules/windows"))
	if err != nil {
		t.Fatal(err)
	}
	events := regressionEvents(t)
	if raceEnabled {
		events = events[:len(events)/8]
	}
	want := make([][]int, len(events))
	for i, ev := range events {
		want[i] = rs.Match(ev, nil)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := rs.NewRecord()
			var dst []int
			for i := range events {
				k := (i*(2*g+1) + g) % len(events)
				dst = rs.Match(events[k], dst[:0])
				rec.Reset(events[k])
				viaRec := rs.MatchRecord(rec, nil)
				if !slices.Equal(dst, want[k]) || !slices.Equal(viaRec, want[k]) {
					t.Errorf("goroutine %d, event %d: Match %v, MatchRecord %v, alone %v", g, k, dst, viaRec, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}
