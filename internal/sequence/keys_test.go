package sequence

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/state"
)

// startKeys feeds m n events of stage 0, each of a key of its own, one a
// millisecond from t0.
func startKeys(m *Machine, n int) {
	hit := []state.Hit{{Stage: 0, Keys: []state.Value{""}}}
	for i := range n {
		hit[0].Keys[0] = state.String("host-" + strconv.Itoa(i))
		ev := state.Event{Ordinal: int64(i + 1), Time: int64(i) * int64(time.Millisecond)}
		m.Step(ev, hit, func(*state.Alert) {})
	}
}

// spec2 is "sequence by k with maxspan=1h [A] [B]".
var spec2 = &Spec{Stages: []Stage{{Optional: []bool{false}}, {Optional: []bool{false}}}, MaxSpan: int64(time.Hour)}

// TestMillionKeys shows that 1 M distinct join keys stay within the
// default limits (none evicted, the memory estimate within MaxBytes), and
// that a smaller key limit evicts exactly the excess, counted.
func TestMillionKeys(t *testing.T) {
	n := 1 << 20
	if raceEnabled || testing.Short() {
		n = 1 << 16
	}
	lim := state.Limits{MaxKeys: state.MaxKeys, MaxPending: state.MaxPending, MaxBytes: state.MaxBytes}
	budget := &state.Budget{Max: lim.MaxBytes}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := New(spec2, lim, budget)
	startKeys(m, n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	st := m.Stats()
	if st.Keys != n || st.Evicted != 0 || st.EvictedMemory != 0 || budget.Used > lim.MaxBytes || budget.Used != st.Bytes {
		t.Fatalf("%d keys: stats %+v, budget %d", n, st, budget.Used)
	}
	t.Logf("%d keys: estimated %d MB, heap %d MB", n, st.Bytes>>20, (after.HeapAlloc-before.HeapAlloc)>>20)
	runtime.KeepAlive(m)

	// The limits, on fewer keys.
	n = 1 << 16
	lim.MaxKeys = n / 2
	m = New(spec2, lim, &state.Budget{Max: lim.MaxBytes})
	startKeys(m, n)
	if st := m.Stats(); st.Keys != n/2 || st.Evicted != int64(n-n/2) {
		t.Fatalf("key limit %d: stats %+v", n/2, st)
	}
	// The memory limit: a budget of a tenth of what n keys take.
	b := &state.Budget{Max: st.Bytes / 20}
	lim.MaxKeys, lim.MaxBytes = state.MaxKeys, b.Max
	m = New(spec2, lim, b)
	startKeys(m, n)
	if st := m.Stats(); b.Used > b.Max || st.EvictedMemory == 0 || int64(st.Keys)+st.EvictedMemory != int64(n) {
		t.Fatalf("memory limit %d: stats %+v, used %d", b.Max, st, b.Used)
	}
	// Expiry by event time frees them all.
	m.Advance(state.Event{Ordinal: int64(n + 1), Time: int64(n)*int64(time.Millisecond) + 2*int64(time.Hour)}, func(*state.Alert) {})
	if st := m.Stats(); st.Keys != 0 || b.Used != 0 {
		t.Fatalf("after expiry: stats %+v, used %d", st, b.Used)
	}
}

// BenchmarkMillionKeys measures starting and completing sequences over
// 1 M join keys: each op is one event, half start a sequence, half
// complete one.
func BenchmarkMillionKeys(b *testing.B) {
	const keys = 1 << 20
	lim := state.Limits{MaxKeys: state.MaxKeys, MaxPending: state.MaxPending, MaxBytes: state.MaxBytes}
	m := New(spec2, lim, &state.Budget{Max: lim.MaxBytes})
	names := make([]state.Value, keys)
	for i := range names {
		names[i] = state.String("host-" + strconv.Itoa(i))
	}
	hit := []state.Hit{{Keys: []state.Value{""}}}
	emit := func(*state.Alert) {}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		hit[0].Stage = (i / keys) % 2
		hit[0].Keys[0] = names[i%keys]
		m.Step(state.Event{Ordinal: int64(i + 1), Time: int64(i)}, hit, emit)
		i++
	}
}
