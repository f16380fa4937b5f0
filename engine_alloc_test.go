package ruleforge_test

import (
	"testing"

	"github.com/ruleforge/ruleforge"
)

// TestMatchMapNoAlloc checks that MatchMap, in the steady state and with
// a dst of enough capacity, allocates nothing per event that already has
// its ECS fields: the hits' memory is the engine's, per goroutine, as
// Match's is.
func TestMatchMapNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers at random")
	}
	rules, errs := ruleforge.Load("testdata/execution_mofcomp.toml", "testdata/proc_creation_win_mofcomp_execution.yml")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	eng, err := ruleforge.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	ev := map[string]any{
		"event":   map[string]any{"category": []any{"process"}, "type": []any{"start"}},
		"host":    map[string]any{"os": map[string]any{"type": "windows"}},
		"process": map[string]any{"name": "mofcomp.exe", "executable": `C:\Windows\System32\wbem\mofcomp.exe`, "args": []any{"mofcomp.exe", `C:\Users\bob\AppData\Local\Temp\evil.mof`}},
	}
	dst := make([]ruleforge.Hit, 0, 2)
	if dst = eng.MatchMap(ev, dst); len(dst) == 0 {
		t.Fatal("no hit: the event must match the Elastic rule")
	}
	allocs := testing.AllocsPerRun(50, func() { dst = eng.MatchMap(ev, dst[:0]) })
	if allocs != 0 {
		t.Errorf("MatchMap: %v allocations per event, want 0", allocs)
	}
}
