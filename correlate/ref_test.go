package correlate

import (
	"slices"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// refRule runs a correlation with the naive reference machine instead of
// the engine's: the differential tests compare the two.
type refRule struct{ *Rule }

// NewMachine returns a reference machine.
func (r refRule) NewMachine(state.Limits, *state.Budget) state.Machine {
	return &refMachine{r: r.Rule, c: r.C, fired: map[state.Key]int64{}}
}

// refHit is one hit the reference keeps, forever.
type refHit struct {
	ord, time int64
	stage     int
	key       state.Key
	group     []state.Value
	val       state.Value
	num       float64
}

// refMachine is the reference: it keeps every valid hit it was given and,
// at each event, recomputes each touched group's aggregate from scratch
// over the hits of that group since it last fired whose time is within
// the timespan of the newest event time: the semantics the package
// documentation states, with no windows, deques, chains or expiry.
type refMachine struct {
	r     *Rule
	c     *ir.Correlation
	hits  []refHit
	fired map[state.Key]int64 // group → ordinal of the event it last fired at
}

func (m *refMachine) Step(ev state.Event, hits []state.Hit, emit func(*state.Alert)) {
	span := int64(m.c.Timespan)
	cutoff := ev.Now - span
	if ev.Time < cutoff {
		return
	}
	order := slices.Clone(hits)
	if m.c.Type == ir.CorrTemporalOrdered {
		slices.Reverse(order)
	}
	var touched []state.Key
	var arrived []state.Value
	for _, h := range order {
		gv, fv := m.r.split(h)
		if len(gv) != len(m.c.GroupBy) || !present(gv) {
			continue
		}
		rh := refHit{ord: ev.Ordinal, time: ev.Time, stage: h.Stage, key: state.MakeKey(gv...), group: gv}
		if m.c.Type.HasField() {
			if len(fv) != len(m.c.Field) || !present(fv) {
				continue
			}
			switch {
			case m.c.Type == ir.CorrValueCount:
				rh.val = state.Value(state.MakeKey(fv...))
				if len(fv) == 1 {
					rh.val = fv[0]
				}
			case m.c.Type == ir.CorrValuePercentile && m.c.Percentile < 0:
				rh.val = fv[0]
			default:
				f, ok := Number(fv[0])
				if !ok {
					continue
				}
				rh.num = f
			}
		}
		m.hits = append(m.hits, rh)
		if !slices.Contains(touched, rh.key) {
			touched = append(touched, rh.key)
			arrived = append(arrived, rh.val)
		}
	}
	for i, k := range touched {
		// The window: this group's hits since it last fired, in time.
		var win []refHit
		var gv []state.Value
		for _, h := range m.hits {
			if h.key == k && h.ord > m.fired[k] && h.time >= cutoff {
				win = append(win, h)
				gv = h.group
			}
		}
		x, ords, ok := m.aggregate(win, arrived[i])
		if !ok || !m.c.Holds(x) {
			continue
		}
		grp := map[string]any{}
		for j, name := range m.c.GroupBy {
			grp[name] = gv[j].Any()
		}
		fields := []state.Field{{Name: "group", Value: grp}, {Name: "correlation", Value: m.c.Type.String()}}
		if len(ords) <= MaxEvents {
			fields = append(fields, state.Field{Name: "events", Value: ords})
		}
		fields = append(fields, state.Field{Name: "value", Value: x})
		emit(&state.Alert{Event: ev.Ordinal, Time: ev.Time, Keys: slices.Clone(gv), Fields: fields})
		if m.c.Type != ir.CorrValuePercentile {
			m.fired[k] = ev.Ordinal
		}
	}
}

// aggregate computes the condition's value over a window from scratch.
func (m *refMachine) aggregate(win []refHit, arrived state.Value) (float64, []int64, bool) {
	// The events: each counted once, by its first hit in stage order.
	var evs []refHit
	for _, h := range win {
		if !slices.ContainsFunc(evs, func(e refHit) bool { return e.ord == h.ord }) {
			evs = append(evs, h)
		}
	}
	ordsOf := func(keep func(refHit) bool) []int64 {
		var out []int64
		for _, e := range evs {
			if keep(e) {
				out = append(out, e.ord)
			}
		}
		slices.Sort(out)
		return out
	}
	all := func(refHit) bool { return true }
	if len(evs) == 0 {
		return 0, nil, false
	}
	switch m.c.Type {
	case ir.CorrEventCount:
		return float64(len(evs)), ordsOf(all), true
	case ir.CorrValueCount:
		var distinct []state.Value
		for _, e := range evs {
			if !slices.Contains(distinct, e.val) {
				distinct = append(distinct, e.val)
			}
		}
		// Each value's newest event, the latest to arrive among those of
		// the newest time.
		newest := map[state.Value]refHit{}
		for _, e := range evs {
			if n, ok := newest[e.val]; !ok || e.time >= n.time {
				newest[e.val] = e
			}
		}
		return float64(len(distinct)), ordsOf(func(e refHit) bool { return newest[e.val].ord == e.ord }), true
	case ir.CorrValueSum, ir.CorrValueAvg:
		sum := 0.0
		for _, e := range evs {
			sum += e.num
		}
		if m.c.Type == ir.CorrValueAvg {
			sum /= float64(len(evs))
		}
		return sum, ordsOf(all), true
	case ir.CorrValuePercentile:
		if m.c.Percentile >= 0 {
			var nums []float64
			for _, e := range evs {
				nums = append(nums, e.num)
			}
			return Percentile(nums, float64(m.c.Percentile)), ordsOf(all), true
		}
		same := ordsOf(func(e refHit) bool { return e.val == arrived })
		return 100 * float64(len(same)) / float64(len(evs)), same, true
	case ir.CorrTemporal:
		var ords []int64
		n := 0
		for s := range m.c.Rules {
			best := refHit{ord: -1}
			for _, h := range win {
				if h.stage == s && (best.ord < 0 || h.time >= best.time) {
					best = h
				}
			}
			if best.ord >= 0 {
				n++
				ords = append(ords, best.ord)
			}
		}
		slices.Sort(ords)
		return float64(n), slices.Compact(ords), n > 0
	case ir.CorrTemporalOrdered:
		// Greedy: the longest prefix of the stages that distinct events
		// fill in input order.
		byOrd := slices.Clone(win)
		slices.SortStableFunc(byOrd, func(a, b refHit) int { return int(a.ord - b.ord) })
		var ords []int64
		for _, h := range byOrd {
			if len(ords) < len(m.c.Rules) && h.stage == len(ords) && (len(ords) == 0 || ords[len(ords)-1] < h.ord) {
				ords = append(ords, h.ord)
			}
		}
		return float64(len(ords)), ords, len(ords) > 0
	}
	return 0, nil, false
}

func (m *refMachine) Advance(state.Event, func(*state.Alert))     {}
func (m *refMachine) Deadline() int64                             { return state.Never }
func (m *refMachine) Stats() state.Stats                          { return state.Stats{} }
func (m *refMachine) Encode(*state.Encoder, func(state.Key) bool) {}
func (m *refMachine) Decode(*state.Decoder) error                 { return nil }
