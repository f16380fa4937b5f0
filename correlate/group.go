package correlate

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// entry is one event counted in a group's window.
type entry struct {
	time, ord int64
	val       state.Value // value_count: the field values (one, or a tuple); value_percentile: the value
	num       float64     // value_sum, value_avg, value_percentile with a rank: the number
}

// mark is a temporal correlation's hit on one stage.
type mark struct {
	time, ord int64 // ord 0: none
}

// chain is a temporal_ordered correlation's best chain of events over the
// first k+1 stages: the one whose oldest event is newest (it stays in the
// window longest).
type chain struct {
	min  int64   // the oldest event's time
	ords []int64 // one ordinal per stage; nil: none
}

// group is one group's window: the events counted since the group last
// fired, within the timespan of the newest event time (see the sigma
// package documentation, "Correlation semantics").
type group struct {
	keys    []state.Value         // the group-by values
	entries []entry               // sorted by time, then ordinal
	counts  map[state.Value]int   // entries per value (value_percentile)
	newest  map[state.Value]int64 // value_count: each value's time; its one entry is its newest event
	sum     float64               // of entries' num (value_sum, value_avg)
	bytes   int                   // of entries' values
	marks   []mark                // temporal: per stage, its newest hit
	chains  []chain               // temporal_ordered: per stage k, the best chain of stages 0..k
	last    int64                 // the ordinal of the event added last
}

// tally is what a window keeps per value besides its entries.
type tally uint8

const (
	tallyNone     tally = iota + 1 // nothing: event_count, value_sum, value_avg
	tallyCount                     // entries per value: value_percentile
	tallyDistinct                  // one entry per value, its newest event: value_count
)

// tallyOf returns what a window of correlation type t keeps per value.
func tallyOf(t ir.CorrType) tally {
	switch t {
	case ir.CorrValueCount:
		return tallyDistinct
	case ir.CorrValuePercentile:
		return tallyCount
	}
	return tallyNone
}

// add inserts an event into the window, keeping entries in time order.
// With tallyDistinct an event whose value the window holds replaces that
// value's entry when it is no older, and is left out otherwise: a value
// is in the window as long as its newest event is, so one entry per value
// gives the distinct count of every window.
func (g *group) add(e entry, t tally) {
	g.last = e.ord
	switch t {
	case tallyDistinct:
		if t0, ok := g.newest[e.val]; ok {
			if e.time < t0 {
				return
			}
			g.drop(g.find(t0, e.val))
		}
		if g.newest == nil {
			g.newest = map[state.Value]int64{}
		}
		g.newest[e.val] = e.time
	case tallyCount:
		if g.counts == nil {
			g.counts = map[state.Value]int{}
		}
		g.counts[e.val]++
	}
	i := len(g.entries)
	for i > 0 && g.entries[i-1].time > e.time {
		i--
	}
	g.entries = slices.Insert(g.entries, i, e)
	g.sum += e.num
	g.bytes += len(e.val)
}

// find returns the index of the entry of value v at time t, which the
// window holds (tallyDistinct: one entry per value).
func (g *group) find(t int64, v state.Value) int {
	i := sort.Search(len(g.entries), func(i int) bool { return g.entries[i].time >= t })
	for g.entries[i].val != v {
		i++
	}
	return i
}

// forget takes entry e out of the window's sums and tallies.
func (g *group) forget(e entry) {
	g.sum -= e.num
	g.bytes -= len(e.val)
	if g.counts != nil {
		if g.counts[e.val]--; g.counts[e.val] == 0 {
			delete(g.counts, e.val)
		}
	}
	delete(g.newest, e.val)
}

// drop removes entry i.
func (g *group) drop(i int) {
	g.forget(g.entries[i])
	g.entries = slices.Delete(g.entries, i, i+1)
}

// evict drops the oldest n entries. It reslices rather than moving the
// rest down, so that a full window that drops one entry per event costs
// O(1) amortized, not a copy of the window: append reallocates (copying
// only the live entries) once the array's end is reached.
func (g *group) evict(n int) {
	for _, e := range g.entries[:n] {
		g.forget(e)
	}
	clear(g.entries[:n]) // release the values' strings
	g.entries = g.entries[n:]
	if len(g.entries) == 0 {
		g.sum = 0 // no drift carried into the next window
	}
}

// expire drops the entries older than cutoff (event time).
func (g *group) expire(cutoff int64) {
	n := 0
	for n < len(g.entries) && g.entries[n].time < cutoff {
		n++
	}
	if n > 0 {
		g.evict(n)
	}
}

// aggregate returns the value the condition of c tests for the group's
// window, and whether it has one: the count of events (event_count), of
// distinct values (value_count), of stages hit (temporal;
// temporal_ordered: of stages hit in order), the sum, the average, the
// share in percent of the arriving value v among the window's values or,
// with c.Percentile, the value at that percentile (value_percentile).
// cutoff is the window's start.
func (g *group) aggregate(c *ir.Correlation, v state.Value, cutoff int64) (float64, bool) {
	n := float64(len(g.entries))
	switch c.Type {
	case ir.CorrEventCount:
		return n, n > 0
	case ir.CorrValueCount:
		return float64(len(g.newest)), n > 0
	case ir.CorrValueSum:
		return g.sum, n > 0
	case ir.CorrValueAvg:
		return g.sum / n, n > 0
	case ir.CorrValuePercentile:
		if n == 0 {
			return 0, false
		}
		if c.Percentile >= 0 {
			nums := make([]float64, len(g.entries))
			for i, e := range g.entries {
				nums[i] = e.num
			}
			return Percentile(nums, float64(c.Percentile)), true
		}
		return 100 * float64(g.counts[v]) / n, true
	case ir.CorrTemporal:
		k := 0
		for _, m := range g.marks {
			if m.ord != 0 && m.time >= cutoff {
				k++
			}
		}
		return float64(k), k > 0
	case ir.CorrTemporalOrdered:
		k := g.ordered(cutoff)
		return float64(k), k > 0
	}
	return 0, false
}

// ordered returns how many stages, from the first, a chain in the window
// fills.
func (g *group) ordered(cutoff int64) int {
	k := 0
	for k < len(g.chains) && g.chains[k].ords != nil && g.chains[k].min >= cutoff {
		k++
	}
	return k
}

// events returns the ordinals, ascending, of the events aggregate
// counted: all the window's (value_count: each value's newest; value_percentile's share: those with the
// arriving value v; temporal: each stage's newest; temporal_ordered: the
// chain).
func (g *group) events(c *ir.Correlation, v state.Value, cutoff int64) []int64 {
	switch c.Type {
	case ir.CorrValuePercentile:
		if c.Percentile < 0 {
			return g.ordinals(func(e entry) bool { return e.val == v })
		}
	case ir.CorrTemporal:
		var ords []int64
		for _, m := range g.marks {
			if m.ord != 0 && m.time >= cutoff {
				ords = append(ords, m.ord)
			}
		}
		slices.Sort(ords)
		return slices.Compact(ords)
	case ir.CorrTemporalOrdered:
		if k := g.ordered(cutoff); k > 0 {
			return slices.Clone(g.chains[k-1].ords)
		}
		return nil
	}
	return g.ordinals(nil)
}

// ordinals returns the ordinals of the entries keep accepts (all with a
// nil keep), ascending.
func (g *group) ordinals(keep func(entry) bool) []int64 {
	var out []int64
	for _, e := range g.entries {
		if keep == nil || keep(e) {
			out = append(out, e.ord)
		}
	}
	slices.Sort(out)
	return out
}

// extend records a temporal_ordered hit on stage k at event (t, ord):
// the best chain over stages 0..k-1 before it, extended by it, replaces
// stage k's when its oldest event is no older. Stage 0 starts a chain.
func (g *group) extend(k int, t, ord int64) {
	cand := chain{min: t, ords: []int64{ord}}
	if k > 0 {
		prev := g.chains[k-1]
		if prev.ords == nil || prev.ords[len(prev.ords)-1] >= ord {
			return
		}
		cand = chain{min: min(prev.min, t), ords: append(slices.Clone(prev.ords), ord)}
	}
	if cur := g.chains[k]; cur.ords == nil || cand.min >= cur.min {
		g.chains[k] = cand
	}
}

// deadline returns the last event time at which the group's window still
// holds something: its oldest entry's time (temporal: newest mark, ordered:
// the first stage's chain) plus span; the group is empty after it.
func (g *group) deadline(span int64) int64 {
	t := int64(math.MinInt64)
	switch {
	case len(g.entries) > 0:
		t = g.entries[0].time
	case len(g.marks) > 0:
		for _, m := range g.marks {
			if m.ord != 0 {
				t = max(t, m.time)
			}
		}
	case len(g.chains) > 0 && g.chains[0].ords != nil:
		t = g.chains[0].min
	}
	if t == math.MinInt64 {
		return math.MinInt64
	}
	return t + span
}

// size estimates the group's bytes besides its key.
func (g *group) size() int {
	n := 64 + 40*len(g.entries) + g.bytes + 24*len(g.counts) + 24*len(g.newest) + 16*len(g.marks)
	for _, c := range g.chains {
		n += 32 + 8*len(c.ords)
	}
	for _, k := range g.keys {
		n += 16 + len(k)
	}
	return n
}

// Percentile returns the value at percentile p (0–100) of nums by linear
// interpolation between the closest ranks (the "C = 1" definition,
// numpy's default and RSigma's: rank p/100·(n-1)); 0 for no numbers. It
// sorts nums.
func Percentile(nums []float64, p float64) float64 {
	if len(nums) == 0 {
		return 0
	}
	sort.Float64s(nums)
	p = math.Max(0, math.Min(100, p))
	rank := p / 100 * float64(len(nums)-1)
	lo := int(math.Floor(rank))
	hi := min(lo+1, len(nums)-1)
	return nums[lo] + (rank-float64(lo))*(nums[hi]-nums[lo])
}

// Number returns the number v holds: a JSON number, or a string that
// spells one (Windows event records hold numbers as text).
func Number(v state.Value) (float64, bool) {
	if len(v) == 0 || v[0] != 'n' && v[0] != 's' {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(string(v[1:])), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}
