package ruleforge_test

import (
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
)

// TestConcurrentMatch shares one ruleset and one set of events among many
// goroutines (run it with -race): every goroutine must get the answers a
// single goroutine gets.
func TestConcurrentMatch(t *testing.T) {
	_, events := loadSeedCases(t)
	all := loadSeedRules(t)
	rs := compile.MustCompile([]*ir.Rule{all["mofcomp_activity"], all["execution_mofcomp"], all["proc_creation_win_mofcomp_execution"]})
	want := make([][]int, len(events))
	for i, ev := range events {
		want[i] = rs.Match(ev, nil)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dst []int
			for round := range 20 {
				for i := range events {
					k := (i + g*7 + round) % len(events)
					dst = rs.Match(events[k], dst[:0])
					if len(dst) != len(want[k]) {
						errs <- "goroutine disagrees on a seed case"
						return
					}
					for j := range dst {
						if dst[j] != want[k][j] {
							errs <- "goroutine disagrees"
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
