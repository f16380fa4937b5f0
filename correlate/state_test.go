package correlate

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/state"
)

// TestSnapshot checks that a correlation's state survives a snapshot: a
// stream cut anywhere, its first part's state saved and restored into a
// new engine (whole, or split in two partitions by key and merged back),
// gives the alerts of the whole stream.
func TestSnapshot(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 40 {
		src := baseRules
		for i := range 3 {
			src += "---\n" + randomCorrelation(rng, fmt.Sprintf("c%d", i), "")
		}
		events := randomEvents(rng, 120)
		rules := load(t, src, false)
		want, _ := run(t, rules, events)
		p, err := state.Compile(rules)
		if err != nil {
			t.Fatal(err)
		}
		cut := rng.IntN(len(events))
		var got []string
		feed := func(e *state.Engine, from, to int) {
			var in state.Input
			var hits []int
			for i := from; i < to; i++ {
				ev, _ := match.ParseJSON([]byte(events[i]))
				hits = p.Split(ev, p.Ruleset().Match(ev, hits[:0]), &in)
				var lines []string
				e.Step(int64(i+1), &in, func(a *state.Alert) { lines = append(lines, alertLine(p, a)) })
				slices.Sort(lines)
				got = append(got, lines...)
			}
		}
		first := p.NewEngine()
		feed(first, 0, cut)
		second := p.NewEngine()
		if round%2 == 0 {
			if _, err := second.Restore(first.Snapshot(nil)); err != nil {
				t.Fatal(err)
			}
		} else {
			for part := range 2 {
				snap := first.Snapshot(func(k state.Key) bool { return state.Partition(k, 2) == part })
				if _, err := second.Restore(snap); err != nil {
					t.Fatal(err)
				}
			}
		}
		feed(second, cut, len(events))
		if !slices.Equal(got, want) {
			t.Fatalf("round %d, cut at %d:\ngot  %q\nwant %q\n%s", round, cut, got, want, src)
		}
	}
}

// TestManyGroups feeds one event to each of a million groups of an
// event_count correlation: they stay within the default key limit
// (state.MaxKeys) with nothing evicted; with WithMaxKeys(1000) the state
// holds 1,000 groups and counts the 999,000 evictions. It reports the
// memory the million groups take.
func TestManyGroups(t *testing.T) {
	n := 1_000_000
	if testing.Short() || raceEnabled {
		n = 50_000
	}
	src := baseRules + "---\ntitle: x\ncorrelation:\n  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gte: 2}\n"
	rules := load(t, src, false)
	for _, lim := range []int{0, 1000} {
		var opts []state.Option
		if lim > 0 {
			opts = append(opts, state.WithMaxKeys(lim))
		}
		p, err := state.Compile(rules, opts...)
		if err != nil {
			t.Fatal(err)
		}
		e := p.NewEngine()
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		var in state.Input
		var hits []int
		alerts := 0
		for i := range n {
			ev, _ := match.ParseJSON(fmt.Appendf(nil, `{"@timestamp":"2026-12-05T00:00:00Z","kind":"a","host":"h%d"}`, i))
			hits = p.Split(ev, p.Ruleset().Match(ev, hits[:0]), &in)
			e.Step(int64(i+1), &in, func(*state.Alert) { alerts++ })
		}
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		st := e.Stats().Total
		wantKeys, wantEvicted := n, int64(0)
		if lim > 0 {
			wantKeys, wantEvicted = lim, int64(n-lim)
		}
		if st.Keys != wantKeys || st.Evicted != wantEvicted || alerts != 0 {
			t.Errorf("limit %d: %d keys, %d evicted, %d alerts; want %d, %d, 0", lim, st.Keys, st.Evicted, alerts, wantKeys, wantEvicted)
		}
		t.Logf("limit %d: %d groups, %d evicted, heap %.0f MB (%.0f B per group), estimated %d MB",
			lim, st.Keys, st.Evicted, float64(after.HeapAlloc-before.HeapAlloc)/(1<<20),
			float64(after.HeapAlloc-before.HeapAlloc)/float64(st.Keys), st.Bytes>>20)
		runtime.KeepAlive(e)
	}
}
