package correlate

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
	"github.com/ruleforge/ruleforge/state"
)

// baseRules are the rules the random correlations refer to: a, b and c
// overlap (an event of kind b hits b and c).
const baseRules = `title: a
name: a
detection:
  sel: {kind: a}
  condition: sel
---
title: b
name: b
detection:
  sel: {kind: b}
  condition: sel
---
title: c
name: c
detection:
  sel: {kind: [b, c]}
  condition: sel
`

// load parses a Sigma file and returns its rules and correlations as
// package state runs them, with the engine's machines or, with ref, the
// reference's.
func load(t testing.TB, src string, ref bool) []*ir.Rule {
	t.Helper()
	f, err := sigma.ParseFile("corr.yml", []byte(src), sigma.Routing(false))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	corrs, errs := sigma.Resolve(f.Rules, f.Correlations)
	if len(errs) > 0 {
		t.Fatalf("%v\n%s", errs, src)
	}
	rules := slices.Clone(f.Rules)
	for _, c := range corrs {
		r := New(c, corrs)
		if ref {
			r.State = refRule{r.State.(*Rule)}
		}
		rules = append(rules, r)
	}
	return rules
}

// alertLine renders an alert for comparison: rule, event, group and the
// fields.
func alertLine(p *state.Program, a *state.Alert) string {
	r := p.Rule(a.Rule)
	var parts []string
	for _, f := range a.Fields {
		b, _ := json.Marshal(f.Value)
		parts = append(parts, f.Name+"="+string(b))
	}
	return fmt.Sprintf("%s@%d %s", r.Title, a.Event, strings.Join(parts, " "))
}

// run feeds events (JSON lines) through a program and returns its alert
// lines (sorted within each event) and its single-event output hits.
func run(t testing.TB, rules []*ir.Rule, events []string, opts ...state.Option) ([]string, *state.Engine) {
	t.Helper()
	p, err := state.Compile(rules, opts...)
	if err != nil {
		t.Fatal(err)
	}
	e := p.NewEngine()
	var out []string
	var in state.Input
	var hits []int
	for i, line := range events {
		ev, err := match.ParseJSON([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		hits = p.Split(ev, p.Ruleset().Match(ev, hits[:0]), &in)
		var lines []string
		e.Step(int64(i+1), &in, func(a *state.Alert) {
			lines = append(lines, alertLine(p, a))
		})
		slices.Sort(lines)
		out = append(out, lines...)
	}
	return out, e
}

// randomCorrelation returns a random correlation over the base rules, as
// YAML, named name.
func randomCorrelation(rng *rand.Rand, name string, inner string) string {
	types := []string{"event_count", "value_count", "temporal", "temporal_ordered", "value_sum", "value_avg", "value_percentile"}
	typ := types[rng.IntN(len(types))]
	if inner != "" {
		typ = types[[]int{0, 2, 3}[rng.IntN(3)]] // a correlation's results carry no field
	}
	refs := []string{"a", "b", "c"}
	rng.Shuffle(len(refs), func(i, j int) { refs[i], refs[j] = refs[j], refs[i] })
	n := 1 + rng.IntN(3)
	if strings.HasPrefix(typ, "temporal") {
		n = 2 + rng.IntN(2)
	}
	refs = refs[:n]
	var groupBy []string
	for _, g := range []string{"host", "user"} {
		if rng.IntN(2) == 0 {
			groupBy = append(groupBy, g)
		}
	}
	if inner != "" {
		refs[0] = inner // a chain: the inner correlation groups by host
		groupBy = []string{"host"}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\nname: %s\ncorrelation:\n  type: %s\n  rules: [%s]\n", name, name, typ, strings.Join(refs, ", "))
	if len(groupBy) > 0 {
		fmt.Fprintf(&b, "  group-by: [%s]\n", strings.Join(groupBy, ", "))
	}
	fmt.Fprintf(&b, "  timespan: %ds\n", 1+rng.IntN(20))
	ops := []string{"gt", "gte", "lt", "lte", "eq", "neq"}
	cond := []string{fmt.Sprintf("%s: %d", ops[rng.IntN(len(ops))], rng.IntN(6))}
	if rng.IntN(3) == 0 {
		cond = append(cond, fmt.Sprintf("lte: %d", 3+rng.IntN(8)))
	}
	switch typ {
	case "value_count", "value_percentile":
		fields := []string{"user", "n"}
		cond = append(cond, "field: "+fields[rng.IntN(2)])
		if typ == "value_percentile" {
			cond[0] = fmt.Sprintf("%s: %d", ops[rng.IntN(len(ops))], 10*rng.IntN(11))
			if rng.IntN(2) == 0 {
				cond = append(cond, fmt.Sprintf("percentile: %d", 25*rng.IntN(5)))
				cond[len(cond)-2] = "field: n"
				cond[0] = fmt.Sprintf("%s: %d", ops[rng.IntN(len(ops))], rng.IntN(10))
			}
		}
	case "value_sum", "value_avg":
		cond[0] = fmt.Sprintf("%s: %d", ops[rng.IntN(len(ops))], rng.IntN(30))
		cond = append(cond, "field: n")
	case "temporal", "temporal_ordered":
		if rng.IntN(2) == 0 {
			cond = nil // the default: every rule
		}
	}
	if len(cond) > 0 {
		fmt.Fprintf(&b, "  condition: {%s}\n", strings.Join(cond, ", "))
	}
	return b.String()
}

// randomEvents returns n events: kind a, b, c or d, a host, a user
// (sometimes missing or null), a number n (sometimes a string, sometimes
// not a number) and a time that mostly moves forward by 0–3 s, sometimes
// goes back, and is sometimes missing.
func randomEvents(rng *rand.Rand, n int) []string {
	t0 := time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)
	sec := 0
	var out []string
	for range n {
		ev := map[string]any{
			"kind": string(rune('a' + rng.IntN(4))),
			"host": fmt.Sprintf("h%d", rng.IntN(3)),
			"n":    rng.IntN(10),
		}
		switch rng.IntN(10) {
		case 0:
			delete(ev, "host")
		case 1:
			ev["n"] = fmt.Sprint(rng.IntN(10))
		case 2:
			ev["n"] = "x"
		}
		switch u := rng.IntN(8); u {
		case 0:
		case 1:
			ev["user"] = nil
		default:
			ev["user"] = fmt.Sprintf("u%d", u%3)
		}
		switch r := rng.IntN(20); {
		case r == 0:
		case r == 1:
			ev["@timestamp"] = t0.Add(time.Duration(sec-rng.IntN(30)) * time.Second).Format(time.RFC3339)
		default:
			sec += rng.IntN(4)
			ev["@timestamp"] = t0.Add(time.Duration(sec) * time.Second).Format(time.RFC3339)
		}
		b, _ := json.Marshal(ev)
		out = append(out, string(b))
	}
	return out
}

// TestDifferential runs random correlations over random event streams
// with the engine and with the naive reference (ref_test.go) and compares
// every alert: rule, event, group, value and events.
func TestDifferential(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 50
	}
	differential(t, rand.New(rand.NewPCG(17, 1)), rounds, nil)
}

// TestDifferentialTinyLimits is TestDifferential with one pending event
// and one distinct value per group (state.WithMaxPending(1),
// WithMaxValues(1)) for the types whose state is a count of events or
// values, or per-rule marks: since a group has room for what its
// condition needs (ir.Correlation.Need), the limits change no alert of
// event_count and value_count, and do not apply to temporal types.
func TestDifferentialTinyLimits(t *testing.T) {
	rounds := 150
	if testing.Short() || raceEnabled {
		rounds = 30
	}
	counted := func(src string) bool {
		return !strings.Contains(src, "type: value_sum") && !strings.Contains(src, "type: value_avg") && !strings.Contains(src, "type: value_percentile")
	}
	differential(t, rand.New(rand.NewPCG(29, 3)), rounds, counted, state.WithMaxPending(1), state.WithMaxValues(1))
}

// differential runs rounds of random correlations (those keep accepts,
// all with a nil keep) over random streams, the engine with opts, and
// fails at the first alert that differs from the reference's.
func differential(t *testing.T, rng *rand.Rand, rounds int, keep func(src string) bool, opts ...state.Option) {
	alerts := 0
	for round := range rounds {
		src := baseRules
		for i := range 1 + rng.IntN(3) {
			c := randomCorrelation(rng, fmt.Sprintf("c%d", i), "")
			for keep != nil && !keep(c) {
				c = randomCorrelation(rng, fmt.Sprintf("c%d", i), "")
			}
			src += "---\n" + c
		}
		if rng.IntN(3) == 0 {
			src += "---\ntitle: inner\nname: inner\ncorrelation:\n  type: event_count\n  rules: [a, b]\n  group-by: [host]\n  timespan: 10s\n  condition: {gte: 2}\n"
			src += "---\n" + randomCorrelation(rng, "outer", "inner")
		}
		events := randomEvents(rng, 200)
		got, _ := run(t, load(t, src, false), events, opts...)
		want, _ := run(t, load(t, src, true), events)
		got, want = withoutChains(got), withoutChains(want)
		alerts += len(want)
		if !slices.Equal(got, want) {
			for i := range max(len(got), len(want)) {
				g, w := "", ""
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Fatalf("round %d: alert %d differs:\nengine    %s\nreference %s\nrules:\n%s\nevents:\n%s", round, i, g, w, src, strings.Join(events, "\n"))
				}
			}
		}
	}
	if alerts < rounds {
		t.Errorf("only %d alerts in %d rounds: the random streams test too little", alerts, rounds)
	}
	t.Logf("%d rounds, %d alerts", rounds, alerts)
}

// orderedEvents is the "events" field of a temporal_ordered alert line.
var orderedEvents = regexp.MustCompile(`( correlation="temporal_ordered") events=\[[0-9,]*\]`)

// withoutChains drops the events of temporal_ordered alerts: the engine
// lists the chain whose oldest event is newest, the reference the greedy
// earliest one; both are valid chains in the window.
func withoutChains(lines []string) []string {
	for i, l := range lines {
		lines[i] = orderedEvents.ReplaceAllString(l, "$1")
	}
	return lines
}
