package correlate

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/state"
)

// benchCorrelations are one correlation of each type over the base rules,
// grouped by host, with conditions that fire now and then.
var benchCorrelations = map[string]string{
	"event_count":      "  type: event_count\n  rules: [a, b]\n  group-by: host\n  timespan: 1m\n  condition: {gte: 20}\n",
	"value_count":      "  type: value_count\n  rules: [a, b]\n  group-by: host\n  timespan: 1m\n  condition: {gte: 3, field: user}\n",
	"temporal":         "  type: temporal\n  rules: [a, b, c]\n  group-by: host\n  timespan: 1m\n",
	"temporal_ordered": "  type: temporal_ordered\n  rules: [a, b, c]\n  group-by: host\n  timespan: 1m\n",
	"value_sum":        "  type: value_sum\n  rules: [a, b]\n  group-by: host\n  timespan: 1m\n  condition: {gt: 100, field: n}\n",
	"value_avg":        "  type: value_avg\n  rules: [a, b]\n  group-by: host\n  timespan: 1m\n  condition: {gt: 6, field: n}\n",
	"value_percentile": "  type: value_percentile\n  rules: [a, b]\n  group-by: host\n  timespan: 1m\n  condition: {lte: 5, field: user}\n",
}

// benchEvents returns n parsed events: kinds a–d, 100 hosts, 10 users, a
// number, one per 100 ms.
func benchEvents(b *testing.B, n int) []match.Event {
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	out := make([]match.Event, n)
	for i := range out {
		line := fmt.Sprintf(`{"@timestamp":%q,"kind":"%c","host":"h%d","user":"u%d","n":%d}`,
			t0.Add(time.Duration(i)*100*time.Millisecond).Format(time.RFC3339Nano), 'a'+rng.IntN(4), rng.IntN(100), rng.IntN(10), rng.IntN(10))
		ev, err := match.ParseJSON([]byte(line))
		if err != nil {
			b.Fatal(err)
		}
		out[i] = ev
	}
	return out
}

// benchStream runs rules over the events b.N times in all: matching,
// splitting and stepping the engine, as the CLI does per event, and
// reports events/s.
func benchStream(b *testing.B, rules []*ir.Rule, events []match.Event) {
	p, err := state.Compile(rules)
	if err != nil {
		b.Fatal(err)
	}
	e := p.NewEngine()
	var in state.Input
	var hits []int
	alerts := 0
	emit := func(*state.Alert) { alerts++ }
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ev := events[i%len(events)]
		hits = p.Split(ev, p.Ruleset().Match(ev, hits[:0]), &in)
		e.Step(int64(i+1), &in, emit)
		i++
		if i%len(events) == 0 {
			e = p.NewEngine() // time starts over with the events
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCorrelation measures each correlation type against the same
// stream with the base rules alone ("base"): the ratio of their events/s
// is the cost of the correlation.
func BenchmarkCorrelation(b *testing.B) {
	events := benchEvents(b, 20_000)
	b.Run("base", func(b *testing.B) { benchStream(b, load(b, baseRules, false), events) })
	for _, typ := range []string{"event_count", "value_count", "temporal", "temporal_ordered", "value_sum", "value_avg", "value_percentile"} {
		b.Run(typ, func(b *testing.B) { benchStream(b, load(b, corr(benchCorrelations[typ]), false), events) })
	}
}

// BenchmarkFullWindow measures a window held at its limit: a value_sum
// over one group (no group-by) whose condition never holds, so that past
// the first state.MaxPending events each event evicts the oldest one;
// "base" is the same stream with the base rules alone.
func BenchmarkFullWindow(b *testing.B) {
	events := benchEvents(b, 20_000)
	b.Run("base", func(b *testing.B) { benchStream(b, load(b, baseRules, false), events) })
	b.Run("value_sum", func(b *testing.B) {
		benchStream(b, load(b, corr("  type: value_sum\n  rules: [a, b]\n  timespan: 1h\n  condition: {gt: 1e12, field: n}\n"), false), events)
	})
}
