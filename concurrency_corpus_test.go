package ruleforge_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
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
	inOrders(t, rs, len(events), func() func(rec *match.Record, k int) string {
		var dst []int
		return func(rec *match.Record, k int) string {
			dst = rs.Match(events[k], dst[:0])
			rec.Reset(events[k])
			viaRec := rs.MatchRecord(rec, nil)
			if !slices.Equal(dst, want[k]) || !slices.Equal(viaRec, want[k]) {
				return fmt.Sprintf("Match %v, MatchRecord %v, alone %v", dst, viaRec, want[k])
			}
			return ""
		}
	})
}

// inOrders runs a check of each of n items from four goroutines sharing
// rs, each with a record of its own and its own order of the items (the
// first goroutine's: in order), as a program that matches several
// streams at once does; check makes each goroutine's check, which
// returns what is wrong with item k, or "". The first wrong item ends a
// goroutine's run.
func inOrders(t *testing.T, rs *match.Ruleset, n int, check func() func(rec *match.Record, k int) string) {
	t.Helper()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec, check := rs.NewRecord(), check()
			for i := range n {
				k := (i*(2*g+1) + g) % n
				if msg := check(rec, k); msg != "" {
					t.Errorf("goroutine %d, item %d: %s", g, k, msg)
					return
				}
			}
		}()
	}
	wg.Wait()
}
