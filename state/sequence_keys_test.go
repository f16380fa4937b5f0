package state

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	seq "github.com/ruleforge/ruleforge/internal/sequence"
)

// startKeys feeds m n events of stage 0, each of a key of its own, one a
// millisecond from t0.
func startKeys(m *sequenceMachine, n int) {
	hit := []Hit{{Stage: 0, Keys: []Value{""}}}
	for i := range n {
		hit[0].Keys[0] = String("host-" + strconv.Itoa(i))
		ev := Event{Ordinal: int64(i + 1), Time: int64(i) * int64(time.Millisecond)}
		m.Step(ev, hit, func(*Alert) {})
	}
}

// spec2 is "sequence by k with maxspan=1h [A] [B]".
var spec2 = &seq.Spec{Stages: []seq.Stage{{Optional: []bool{false}}, {Optional: []bool{false}}}, MaxSpan: int64(time.Hour)}

// TestMillionKeys shows that 1 M distinct join keys stay within the
// default limits (none evicted, the memory estimate within MaxBytes), and
// that a smaller key limit evicts exactly the excess, counted.
func TestMillionKeys(t *testing.T) {
	n := 1 << 20
	if raceEnabled || testing.Short() {
		n = 1 << 16
	}
	lim := Limits{MaxKeys: MaxKeys, MaxPending: MaxPending, MaxBytes: MaxBytes}
	budget := &Budget{Max: lim.MaxBytes}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := newSequenceMachine(spec2, lim, budget)
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
	m = newSequenceMachine(spec2, lim, &Budget{Max: lim.MaxBytes})
	startKeys(m, n)
	if st := m.Stats(); st.Keys != n/2 || st.Evicted != int64(n-n/2) {
		t.Fatalf("key limit %d: stats %+v", n/2, st)
	}
	// The memory limit: a budget of a tenth of what n keys take.
	b := &Budget{Max: st.Bytes / 20}
	lim.MaxKeys, lim.MaxBytes = MaxKeys, b.Max
	m = newSequenceMachine(spec2, lim, b)
	startKeys(m, n)
	if st := m.Stats(); b.Used > b.Max || st.EvictedMemory == 0 || int64(st.Keys)+st.EvictedMemory != int64(n) {
		t.Fatalf("memory limit %d: stats %+v, used %d", b.Max, st, b.Used)
	}
	// Expiry by event time frees them all.
	m.Advance(Event{Ordinal: int64(n + 1), Time: int64(n)*int64(time.Millisecond) + 2*int64(time.Hour)}, func(*Alert) {})
	if st := m.Stats(); st.Keys != 0 || b.Used != 0 {
		t.Fatalf("after expiry: stats %+v, used %d", st, b.Used)
	}
}

// BenchmarkMillionKeys measures starting and completing sequences over
// 1 M join keys: each op is one event, half start a sequence, half
// complete one.
func BenchmarkMillionKeys(b *testing.B) {
	const keys = 1 << 20
	lim := Limits{MaxKeys: MaxKeys, MaxPending: MaxPending, MaxBytes: MaxBytes}
	m := newSequenceMachine(spec2, lim, &Budget{Max: lim.MaxBytes})
	names := make([]Value, keys)
	for i := range names {
		names[i] = String("host-" + strconv.Itoa(i))
	}
	hit := []Hit{{Keys: []Value{""}}}
	emit := func(*Alert) {}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		hit[0].Stage = (i / keys) % 2
		hit[0].Keys[0] = names[i%keys]
		m.Step(Event{Ordinal: int64(i + 1), Time: int64(i)}, hit, emit)
		i++
	}
}

// TestJoinKeys checks the join keys of one hit (keyBuf.keys): the issue's
// rules for "by" (EQL syntax reference, "by keyword", "Optional fields"):
// a missing or null key drops the hit unless written ?field, when it
// joins as null; an array joins on each of its values, several arrays on
// each combination, at most seq.MaxJoinValues of them (the rest counted).
func TestJoinKeys(t *testing.T) {
	req := &seq.Stage{Optional: []bool{false, false}}
	opt := &seq.Stage{Optional: []bool{true, false}}
	x, y, z := String("x"), String("y"), Int(1)
	many := make([]Value, 10)
	for i := range many {
		many[i] = Int(int64(i))
	}
	for _, c := range []struct {
		name    string
		st      *seq.Stage
		vals    []Value
		want    []Key
		dropped int
	}{
		{"simple", req, []Value{x, z}, []Key{MakeKey(x, z)}, 0},
		{"missing", req, []Value{Missing, z}, nil, 0},
		{"null", req, []Value{Null, z}, nil, 0},
		{"optional missing", opt, []Value{Missing, z}, []Key{MakeKey(Null, z)}, 0},
		{"optional null", opt, []Value{Null, z}, []Key{MakeKey(Null, z)}, 0},
		{"array", req, []Value{Array(x, y), z}, []Key{MakeKey(x, z), MakeKey(y, z)}, 0},
		{"array with null", req, []Value{Array(Null, y), z}, []Key{MakeKey(y, z)}, 0},
		{"optional array with null", opt, []Value{Array(Null, y), z}, []Key{MakeKey(Null, z), MakeKey(y, z)}, 0},
		{"empty array", req, []Value{Array(), z}, nil, 0},
		{"optional empty array", opt, []Value{Array(), z}, []Key{MakeKey(Null, z)}, 0},
		{"two arrays", req, []Value{Array(x, y), Array(z, x)},
			[]Key{MakeKey(x, z), MakeKey(x, x), MakeKey(y, z), MakeKey(y, x)}, 0},
		{"too many", req, []Value{Array(many...), Array(many...)}, nil, 10*10 - seq.MaxJoinValues},
	} {
		t.Run(c.name, func(t *testing.T) {
			var kb keyBuf
			dropped := kb.keys(c.st, c.vals)
			var got []Key
			kb.each(func(b []byte) { got = append(got, Key(b)) })
			if c.name == "too many" {
				if len(got) != seq.MaxJoinValues || dropped != c.dropped {
					t.Fatalf("%d keys, %d dropped; want %d, %d", len(got), dropped, seq.MaxJoinValues, c.dropped)
				}
				return
			}
			if dropped != c.dropped || len(got) != len(c.want) {
				t.Fatalf("got %q (dropped %d), want %q", got, dropped, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("key %d: got %q, want %q", i, got[i], c.want[i])
				}
			}
		})
	}
}
