package correlate

import (
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// TestPercentile checks the percentile by linear interpolation between
// closest ranks (numpy's default, RSigma's value_percentile).
func TestPercentile(t *testing.T) {
	tests := []struct {
		nums []float64
		p    float64
		want float64
	}{
		{nil, 50, 0},
		{[]float64{7}, 50, 7},
		{[]float64{3, 1, 2}, 50, 2},      // odd: the middle
		{[]float64{4, 1, 3, 2}, 50, 2.5}, // even: between the middle two
		{[]float64{1, 2, 3, 4, 5}, 0, 1},
		{[]float64{1, 2, 3, 4, 5}, 100, 5},
		{[]float64{1, 2, 3, 4, 5}, 25, 2},
		{[]float64{10, 20}, 25, 12.5},
		{[]float64{1, 2}, 150, 2}, // clamped
	}
	for _, tt := range tests {
		if got := Percentile(slices.Clone(tt.nums), tt.p); got != tt.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.nums, tt.p, got, tt.want)
		}
	}
}

// TestNumber checks which values value_sum, value_avg and a percentile
// rank take as numbers: JSON numbers and texts that spell one.
func TestNumber(t *testing.T) {
	tests := []struct {
		v    state.Value
		want float64
		ok   bool
	}{
		{state.Int(42), 42, true},
		{state.Float(-1.5), -1.5, true},
		{state.String("17"), 17, true},
		{state.String(" 2.5 "), 2.5, true},
		{state.String("1e3"), 1000, true},
		{state.String("x"), 0, false},
		{state.String("Inf"), 0, false},
		{state.String("NaN"), 0, false},
		{state.String("0x10"), 0, false},
		{state.String(""), 0, false},
		{state.True, 0, false},
		{state.Null, 0, false},
		{state.Missing, 0, false},
	}
	for _, tt := range tests {
		if got, ok := Number(tt.v); got != tt.want || ok != tt.ok {
			t.Errorf("Number(%v) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

// TestWindow checks a group's window as a unit: events kept in time order
// (one out of order among them), expiry at the bound, the counts of
// values (value_percentile), the sum, and eviction of the oldest.
func TestWindow(t *testing.T) {
	var g group
	for _, e := range []entry{{time: 10, ord: 1, val: "sa", num: 1}, {time: 30, ord: 2, val: "sb", num: 2}, {time: 20, ord: 3, val: "sa", num: 4}} {
		g.add(e, tallyCount)
	}
	c := &ir.Correlation{Type: ir.CorrValuePercentile, Percentile: -1}
	if x, ok := g.aggregate(c, "sa", 0); x != 200.0/3 || !ok || g.sum != 7 || !slices.Equal(g.events(c, "sa", 0), []int64{1, 3}) {
		t.Fatalf("share %v, sum %v, events %v", x, g.sum, g.events(c, "sa", 0))
	}
	if times := []int64{g.entries[0].time, g.entries[1].time, g.entries[2].time}; !slices.Equal(times, []int64{10, 20, 30}) {
		t.Fatalf("entries out of time order: %v", times)
	}
	g.expire(20) // the bound is inclusive: time 20 stays
	if len(g.entries) != 2 || g.counts["sa"] != 1 || g.sum != 6 || g.deadline(5) != 25 {
		t.Fatalf("after expiry: %d entries, counts %v, sum %v, deadline %d", len(g.entries), g.counts, g.sum, g.deadline(5))
	}
	g.evict(2)
	if len(g.entries) != 0 || len(g.counts) != 0 || g.sum != 0 || g.bytes != 0 {
		t.Fatalf("after eviction: %+v", g)
	}
}

// TestDistinct checks value_count's window as a unit: one entry per
// value, its newest event (an older one arriving out of order is left
// out, one at the same time replaces it), so the distinct count of a
// window is its number of entries, at and past the expiry bound.
func TestDistinct(t *testing.T) {
	var g group
	for _, e := range []entry{
		{time: 10, ord: 1, val: "sa"}, {time: 30, ord: 2, val: "sb"}, {time: 20, ord: 3, val: "sa"},
		{time: 15, ord: 4, val: "sa"}, {time: 30, ord: 5, val: "sb"},
	} {
		g.add(e, tallyDistinct)
	}
	c := &ir.Correlation{Type: ir.CorrValueCount, Percentile: -1}
	if x, ok := g.aggregate(c, "", 0); x != 2 || !ok || len(g.entries) != 2 || !slices.Equal(g.events(c, "", 0), []int64{3, 5}) || g.last != 5 {
		t.Fatalf("distinct %v, %d entries, events %v, last %d", x, len(g.entries), g.events(c, "", 0), g.last)
	}
	g.expire(20) // sa's newest is at 20: it stays
	if x, _ := g.aggregate(c, "", 0); x != 2 {
		t.Fatalf("after expiry at 20: distinct %v", x)
	}
	g.expire(21)
	if x, _ := g.aggregate(c, "", 0); x != 1 || g.newest["sb"] != 30 || g.bytes != 2 {
		t.Fatalf("after expiry at 21: distinct %v, newest %v, bytes %d", x, g.newest, g.bytes)
	}
	g.evict(1)
	if len(g.entries) != 0 || len(g.newest) != 0 || g.bytes != 0 {
		t.Fatalf("after eviction: %+v", g)
	}
}

// TestChain checks temporal_ordered's chains as a unit: each stage keeps
// the chain whose oldest event is newest; an event extends only chains of
// earlier events.
func TestChain(t *testing.T) {
	g := group{chains: make([]chain, 3)}
	g.extend(1, 5, 1) // no chain of stage 0 yet: nothing
	g.extend(0, 10, 2)
	g.extend(1, 11, 3) // 2, 3
	g.extend(0, 20, 4) // stage 0: 4 replaces 2
	g.extend(2, 21, 5) // 2, 3, 5 (oldest at 10)
	g.extend(1, 22, 6) // 4, 6 (oldest 20) replaces 2, 3
	g.extend(2, 23, 7) // 4, 6, 7 (oldest 20) replaces 2, 3, 5
	g.extend(1, 20, 4) // an event never extends a chain it ends
	want := [][]int64{{4}, {4, 6}, {4, 6, 7}}
	for k, c := range g.chains {
		if !slices.Equal(c.ords, want[k]) {
			t.Errorf("stage %d: chain %v, want %v", k, c.ords, want[k])
		}
	}
	if g.ordered(20) != 3 || g.ordered(21) != 0 {
		t.Errorf("ordered(20) = %d, ordered(21) = %d; want 3, 0", g.ordered(20), g.ordered(21))
	}
}
