package correlate

import (
	"math"
	"slices"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// machine runs one correlation: a group per key in a state.Store.
type machine struct {
	r       *Rule
	c       *ir.Correlation
	span    int64
	groups  *state.Store[group]
	tally   tally
	room    int         // the most entries a group holds: the limit, or what the condition needs
	values  bool        // room counts distinct values (value_count): drops are counted as such
	touched []state.Key // the groups the event in Step added to
	arrived []state.Value
}

// Step adds the event's hits to their groups' windows and checks the
// condition of each group it added to, once: a group whose condition
// holds fires (emit) and, except for value_percentile, starts over.
func (m *machine) Step(ev state.Event, hits []state.Hit, emit func(*state.Alert)) {
	cutoff := ev.Now - m.span
	if ev.Time < cutoff {
		return // out of order, older than the window: not counted
	}
	m.touched, m.arrived = m.touched[:0], m.arrived[:0]
	order := hits
	if m.c.Type == ir.CorrTemporalOrdered {
		// Later stages first, so that one event never fills two stages of
		// one chain.
		order = slices.Clone(hits)
		slices.Reverse(order)
	}
	for _, h := range order {
		gv, fv := m.r.split(h)
		if gv == nil && len(m.c.GroupBy) > 0 || !present(gv) {
			continue
		}
		k := state.MakeKey(gv...)
		v, num, ok := m.value(fv)
		if !ok {
			continue
		}
		g := m.groups.Put(k)
		if g.keys == nil {
			g.keys = slices.Clone(gv)
			if g.keys == nil {
				g.keys = []state.Value{}
			}
		}
		g.expire(cutoff)
		switch m.c.Type {
		case ir.CorrTemporal:
			if g.marks == nil {
				g.marks = make([]mark, len(m.c.Rules))
			}
			if mk := &g.marks[h.Stage]; mk.ord == 0 || ev.Time >= mk.time {
				*mk = mark{ev.Time, ev.Ordinal}
			}
		case ir.CorrTemporalOrdered:
			if g.chains == nil {
				g.chains = make([]chain, len(m.c.Rules))
			}
			g.extend(h.Stage, ev.Time, ev.Ordinal)
		default:
			if len(g.entries) > 0 && g.last == ev.Ordinal {
				break // the event is counted once, whichever rules it hit
			}
			g.add(entry{time: ev.Time, ord: ev.Ordinal, val: v, num: num}, m.tally)
			if over := len(g.entries) - m.room; over > 0 {
				g.evict(over)
				if m.values {
					m.groups.CountValues(int64(over))
				} else {
					m.groups.Count(int64(over), 0)
				}
			}
		}
		if !slices.Contains(m.touched, k) {
			m.touched = append(m.touched, k)
			m.arrived = append(m.arrived, v)
		}
	}
	for i, k := range m.touched {
		g := m.groups.Get(k)
		if g == nil {
			continue // evicted by a limit meanwhile
		}
		x, ok := g.aggregate(m.c, m.arrived[i], cutoff)
		if ok && m.c.Holds(x) {
			m.fire(ev, g, x, g.events(m.c, m.arrived[i], cutoff), emit)
			if m.c.Type != ir.CorrValuePercentile {
				m.groups.Delete(k)
				continue
			}
		}
		m.groups.Resize(k, g.size())
		m.groups.SetDeadline(k, g.deadline(m.span))
	}
}

// present reports whether every group-by value is there: an event
// without one, or with null, is in no group (as a terms aggregation or a
// SQL GROUP BY that drops nulls).
func present(vs []state.Value) bool {
	for _, v := range vs {
		if v == state.Missing || v == state.Null {
			return false
		}
	}
	return true
}

// value returns what an event adds to a window from its condition fields
// fv: the value (value_count: all of them as one; value_percentile: the
// one) and the number (value_sum, value_avg, value_percentile with a
// rank), and whether it adds anything: a missing or null field, or a
// value that is no number where one is needed, adds nothing.
func (m *machine) value(fv []state.Value) (state.Value, float64, bool) {
	if !m.c.Type.HasField() {
		return "", 0, true
	}
	if len(fv) != len(m.c.Field) || !present(fv) {
		return "", 0, false
	}
	switch {
	case m.c.Type == ir.CorrValueCount && len(fv) > 1:
		return state.Value(state.MakeKey(fv...)), 0, true
	case m.c.Type == ir.CorrValueCount || m.c.Type == ir.CorrValuePercentile && m.c.Percentile < 0:
		return fv[0], 0, true
	}
	f, ok := Number(fv[0])
	return "", f, ok
}

// fire emits the alert of group g, whose aggregate is x over the events
// ords.
func (m *machine) fire(ev state.Event, g *group, x float64, ords []int64, emit func(*state.Alert)) {
	grp := make(map[string]any, len(m.c.GroupBy))
	for i, name := range m.c.GroupBy {
		grp[name] = g.keys[i].Any()
	}
	fields := []state.Field{
		{Name: "group", Value: grp},
		{Name: "correlation", Value: m.c.Type.String()},
	}
	if len(ords) <= MaxEvents {
		fields = append(fields, state.Field{Name: "events", Value: ords})
	}
	if !math.IsNaN(x) && !math.IsInf(x, 0) {
		fields = append(fields, state.Field{Name: "value", Value: x})
	}
	m.groups.Count(0, 1)
	emit(&state.Alert{Event: ev.Ordinal, Time: ev.Time, Keys: slices.Clone(g.keys), Fields: fields})
}

// Advance drops what fell out of the window as event time passed.
func (m *machine) Advance(ev state.Event, emit func(*state.Alert)) {
	cutoff := ev.Now - m.span
	m.groups.Expire(ev.Now, func(k state.Key, g *group) (int64, bool) {
		g.expire(cutoff)
		d := g.deadline(m.span)
		if d == math.MinInt64 || d < ev.Now {
			return 0, false
		}
		m.groups.Resize(k, g.size())
		return d, true
	})
}

// Deadline returns the earliest time at which a group's window loses an
// event.
func (m *machine) Deadline() int64 { return m.groups.Deadline() }

// Stats returns the store's counts.
func (m *machine) Stats() state.Stats { return m.groups.Stats() }

// Encode writes every group's window.
func (m *machine) Encode(e *state.Encoder, keep func(state.Key) bool) {
	state.EncodeStore(e, m.groups, keep, func(e *state.Encoder, g *group) {
		e.Uint(uint64(len(g.keys)))
		for _, k := range g.keys {
			e.String(string(k))
		}
		e.Uint(uint64(len(g.entries)))
		for _, x := range g.entries {
			e.Int(x.time)
			e.Int(x.ord)
			e.String(string(x.val))
			e.Uint(math.Float64bits(x.num))
		}
		e.Uint(uint64(len(g.marks)))
		for _, mk := range g.marks {
			e.Int(mk.time)
			e.Int(mk.ord)
		}
		e.Uint(uint64(len(g.chains)))
		for _, c := range g.chains {
			e.Int(c.min)
			e.Uint(uint64(len(c.ords)))
			for _, o := range c.ords {
				e.Int(o)
			}
		}
	})
}

// Decode adds the groups Encode wrote.
func (m *machine) Decode(d *state.Decoder) error {
	return state.DecodeStore(d, m.groups, func(d *state.Decoder, g *group) {
		g.keys = make([]state.Value, d.Len())
		for i := range g.keys {
			g.keys[i] = state.Value(d.String())
		}
		for n := d.Len(); n > 0 && d.Err() == nil; n-- {
			t, o, v, f := d.Int(), d.Int(), state.Value(d.String()), math.Float64frombits(d.Uint())
			g.add(entry{time: t, ord: o, val: v, num: f}, m.tally)
		}
		if n := d.Len(); n > 0 {
			g.marks = make([]mark, n)
			for i := range g.marks {
				g.marks[i] = mark{d.Int(), d.Int()}
			}
		}
		if n := d.Len(); n > 0 {
			g.chains = make([]chain, n)
			for i := range g.chains {
				g.chains[i].min = d.Int()
				if k := d.Len(); k > 0 {
					g.chains[i].ords = make([]int64, k)
					for j := range g.chains[i].ords {
						g.chains[i].ords[j] = d.Int()
					}
				}
			}
		}
	})
}
