package state_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/ir"

	"github.com/ruleforge/ruleforge/state"
)

// pair is a toy stateful rule for the tests: stage 0 then stage 1 with
// the same key within span; it counts and keeps the first stage's
// ordinal per key.
type pair struct {
	stages []ir.Stage
	span   int64
}

func (p *pair) Kind() string       { return "pair" }
func (p *pair) Stages() []ir.Stage { return p.stages }
func (p *pair) NewMachine(lim state.Limits, b *state.Budget) state.Machine {
	return &pairMachine{p: p, s: state.NewStore[int64](lim, b)}
}

type pairMachine struct {
	p *pair
	s *state.Store[int64]
}

func (m *pairMachine) Step(ev state.Event, hits []state.Hit, emit func(*state.Alert)) {
	for i := len(hits) - 1; i >= 0; i-- { // the last stage first: one event fills one stage
		h := hits[i]
		k := state.MakeKey(h.Keys...)
		switch h.Stage {
		case 0:
			*m.s.Put(k) = ev.Ordinal
			m.s.Resize(k, 8)
			m.s.SetDeadline(k, ev.Time+m.p.span)
		case 1:
			if first := m.s.Get(k); first != nil {
				emit(&state.Alert{Event: ev.Ordinal, Time: ev.Time, Keys: h.Keys,
					Fields: []state.Field{{Name: "sequence", Value: []int64{*first, ev.Ordinal}}}})
				m.s.Count(0, 1)
				m.s.Delete(k)
			}
		}
	}
}

func (m *pairMachine) Advance(ev state.Event, emit func(*state.Alert)) {
	m.s.Expire(ev.Time, func(state.Key, *int64) (int64, bool) { return 0, false })
}
func (m *pairMachine) Deadline() int64    { return m.s.Deadline() }
func (m *pairMachine) Stats() state.Stats { return m.s.Stats() }
func (m *pairMachine) Encode(e *state.Encoder, keep func(state.Key) bool) {
	state.EncodeStore(e, m.s, keep, func(e *state.Encoder, v *int64) { e.Int(*v) })
}
func (m *pairMachine) Decode(d *state.Decoder) error {
	return state.DecodeStore(d, m.s, func(d *state.Decoder, v *int64) { *v = d.Int() })
}

// pred is the IR of "field equals value".
func pred(field, value string) *ir.Expr {
	return ir.P(&ir.Pred{Field: ir.F(field), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str(value)}})
}

func pairRule(id string, span time.Duration) *ir.Rule {
	return &ir.Rule{
		Meta: ir.Meta{
			ID:    id,
			Title: id,
		},
		Lang: ir.LangEQL,
		Expr: ir.Const(false),
		State: &pair{span: int64(span), stages: []ir.Stage{
			{Expr: pred("action", "a"), Keys: []ir.Field{ir.F("host")}},
			{Expr: pred("action", "b"), Keys: []ir.Field{ir.F("host")}},
		}},
	}
}

// run steps an engine over events and returns the alerts, one line each.
func run(t testing.TB, p *state.Program, e *state.Engine, from int, events []string) []string {
	t.Helper()
	var out []string
	rs := p.Ruleset()
	var in state.Input
	for i, raw := range events {
		rec := rs.NewRecord()
		if err := rec.ResetJSON([]byte(raw)); err != nil {
			t.Fatal(err)
		}
		hits := p.Split(rec, rs.MatchRecord(rec, nil), &in)
		for _, h := range hits {
			out = append(out, fmt.Sprintf("%d: rule %s", from+i, rs.Rule(h).ID))
		}
		e.Step(int64(from+i), &in, func(a *state.Alert) {
			out = append(out, fmt.Sprintf("%d: %s %v %v", a.Event, p.Rule(a.Rule).ID, a.Keys, a.Fields[0].Value))
		})
	}
	return out
}

// starts returns n events of stage 0 on hosts h0, h1, ….
func starts(n int) []string {
	var evs []string
	for i := range n {
		evs = append(evs, fmt.Sprintf(`{"@timestamp":"2026-01-01T00:00:00Z","action":"a","host":"h%d"}`, i))
	}
	return evs
}

func TestEngine(t *testing.T) {
	single := &ir.Rule{Meta: ir.Meta{ID: "single", Title: "single"}, Lang: ir.LangEQL, Expr: pred("action", "b")}
	p, err := state.Compile([]*ir.Rule{single, pairRule("pair", time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if p.Ruleset().Len() != 3 || !p.Visible(0) || p.Visible(1) || p.Visible(2) {
		t.Fatalf("ruleset of %d rules, visible %v %v %v", p.Ruleset().Len(), p.Visible(0), p.Visible(1), p.Visible(2))
	}
	events := []string{
		`{"@timestamp":"2026-01-01T00:00:00Z","action":"a","host":"x"}`,
		`{"@timestamp":"2026-01-01T00:00:10Z","action":"a","host":"y"}`,
		`{"@timestamp":"2026-01-01T00:00:20Z","action":"b","host":"x"}`,
		`{"@timestamp":"2026-01-01T00:02:00Z","action":"b","host":"y"}`, // y's window has passed
		`{"action":"a","host":5}`,
		`{"@timestamp":"2026-01-01T00:01:00Z","action":"b","host":5.0}`, // out of order; 5 == 5.0
	}
	e := p.NewEngine()
	got := run(t, p, e, 1, events)
	want := []string{
		`3: rule single`,
		`3: pair ["x"] [1 3]`,
		`4: rule single`,
		`6: rule single`,
		`6: pair [5] [5 6]`,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	st := e.Stats()
	if st.Clock.OutOfOrder != 1 || st.Clock.Untimed != 1 || st.Total.Alerts != 2 || st.Total.Expired != 1 || st.Total.Keys != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestSnapshot(t *testing.T) {
	p, err := state.Compile([]*ir.Rule{pairRule("pair", time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e := p.NewEngine()
	run(t, p, e, 1, starts(100))
	// Split the state in 3 partitions and restore each into an engine of
	// its own, then merge them all into one.
	merged := p.NewEngine()
	total := 0
	for part := range 3 {
		snap := e.Snapshot(func(k state.Key) bool { return state.Partition(k, 3) == part })
		pe := p.NewEngine()
		if dropped, err := pe.Restore(snap); err != nil || dropped != nil {
			t.Fatal(dropped, err)
		}
		total += pe.Stats().Total.Keys
		if _, err := merged.Restore(snap); err != nil {
			t.Fatal(err)
		}
	}
	if total != 100 || merged.Stats().Total.Keys != 100 {
		t.Fatalf("partitions hold %d keys, merged %d; want 100", total, merged.Stats().Total.Keys)
	}
	got := run(t, p, merged, 101, []string{`{"@timestamp":"2026-01-01T00:30:00Z","action":"b","host":"h42"}`})
	if fmt.Sprint(got) != `[101: pair ["h42"] [43 101]]` {
		t.Errorf("after restore: %q", got)
	}
	// Another program without the rule drops its state, by ID.
	other, _ := state.Compile([]*ir.Rule{pairRule("other", time.Hour)})
	if dropped, err := other.NewEngine().Restore(e.Snapshot(nil)); err != nil || fmt.Sprint(dropped) != "[pair]" {
		t.Errorf("dropped %v, %v", dropped, err)
	}
	for _, bad := range [][]byte{nil, []byte("ruleforge-state\n\x02"), e.Snapshot(nil)[:40]} {
		if _, err := p.NewEngine().Restore(bad); err == nil {
			t.Errorf("Restore(%q) = nil error", bad)
		}
	}
}

// TestRestoreBad restores a snapshot whose second rule's state is cut
// short: Restore fails and leaves the engine as it was, though the first
// rule's state decodes, so that one bad partition snapshot does not spoil
// the partitions merged before it.
func TestRestoreBad(t *testing.T) {
	p, err := state.Compile([]*ir.Rule{pairRule("pair", time.Hour), pairRule("pair2", time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	e := p.NewEngine()
	run(t, p, e, 1, starts(10))
	full := e.Snapshot(nil)
	one := p.NewEngine()
	before := one.Stats()
	if _, err := one.Restore(full[:len(full)-1]); err == nil || !reflect.DeepEqual(one.Stats(), before) {
		t.Errorf("Restore = %v: stats %+v, were %+v", err, one.Stats(), before)
	}
	if _, err := one.Restore(full); err != nil || one.Stats().Total.Keys != e.Stats().Total.Keys {
		t.Errorf("Restore = %v: %d keys, want %d", err, one.Stats().Total.Keys, e.Stats().Total.Keys)
	}
}

func TestLimits(t *testing.T) {
	p, err := state.Compile([]*ir.Rule{pairRule("pair", time.Hour)}, state.WithMaxKeys(10))
	if err != nil {
		t.Fatal(err)
	}
	e := p.NewEngine()
	evs := starts(25)
	run(t, p, e, 1, evs)
	if st := e.Stats().Total; st.Keys != 10 || st.Evicted != 15 {
		t.Errorf("keys %d, evicted %d; want 10, 15", st.Keys, st.Evicted)
	}
	// The memory limit: each key costs its machine's 8 bytes, its own
	// length and the fixed overhead.
	p, _ = state.Compile([]*ir.Rule{pairRule("pair", time.Hour)}, state.WithMaxBytes(1000))
	e = p.NewEngine()
	run(t, p, e, 1, evs)
	if st := e.Stats().Total; st.Bytes > 1000 || st.EvictedMemory == 0 || st.Keys+int(st.EvictedMemory) != 25 {
		t.Errorf("stats %+v", st)
	}
}

func TestValue(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{"x", `"x"`}, {1.0, "1"}, {2.5, "2.5"}, {true, "true"}, {nil, "null"},
		{[]any{"a", 1.0}, `["a", 1]`}, {map[string]any{}, "{}"},
	} {
		v := state.Of(c.v, true)
		if v.String() != c.want {
			t.Errorf("Of(%v) = %s, want %s", c.v, v, c.want)
		}
	}
	if state.Of(nil, false) != state.Missing || state.MakeKey("ab") == state.MakeKey("a", "b") {
		t.Error("missing or key")
	}
	k := state.MakeKey(state.String("a"), state.Int(3))
	if fmt.Sprint(k.Values()) != `["a" 3]` {
		t.Errorf("Values() = %v", k.Values())
	}
}

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int64
	}{
		{"2026-01-01T00:00:00Z", 1767225600e9},
		{"2026-01-01T00:00:00.5+01:00", 1767222000e9 + 5e8},
		{"2019-03-25T16:07:59.4576000Z", 1553530079457600000},
		{"2026-01-01 00:00:00", 1767225600e9},
		{float64(1767225600000), 1767225600e9},
		{"yesterday", state.NoTime},
		{true, state.NoTime},
	} {
		if got := state.ParseTime(c.v); got != c.want {
			t.Errorf("ParseTime(%v) = %d, want %d", c.v, got, c.want)
		}
	}
}

func TestLookupAllocs(t *testing.T) {
	s := state.NewStore[int](state.Limits{MaxKeys: 10, MaxPending: 1, MaxBytes: 1 << 20}, &state.Budget{Max: 1 << 20})
	*s.Put(state.MakeKey(state.String("a"))) = 1
	b := state.AppendKey(nil, state.String("a"))
	miss := state.AppendKey(nil, state.String("b"))
	allocs := testing.AllocsPerRun(100, func() {
		if k, v := s.Lookup(b); v == nil || *v != 1 || k != state.MakeKey(state.String("a")) {
			t.Fatal("a not found")
		}
		s.Get(state.MakeKey(state.String("c"))) // another key, so the next Lookup reads the map
		if _, v := s.Lookup(miss); v != nil {
			t.Fatal("b found")
		}
	})
	if allocs > 0 {
		t.Errorf("%v allocations per Lookup", allocs)
	}
}

// TestRequired: a stage hit whose required key is missing or null is
// dropped by Split, in the worker; without Required it reaches the
// machine with the key Missing or Null.
func TestRequired(t *testing.T) {
	for _, c := range []struct {
		required []bool
		event    string
		want     bool
	}{
		{nil, `{"action":"a"}`, true},
		{[]bool{true}, `{"action":"a"}`, false},
		{[]bool{true}, `{"action":"a","host":null}`, false},
		{[]bool{true}, `{"action":"a","host":"x"}`, true},
		{[]bool{false}, `{"action":"a"}`, true},
	} {
		r := pairRule("pair", time.Minute)
		r.State.(*pair).stages[0].Required = c.required
		p, err := state.Compile([]*ir.Rule{r})
		if err != nil {
			t.Fatal(err)
		}
		rs := p.Ruleset()
		rec := rs.NewRecord()
		if err := rec.ResetJSON([]byte(c.event)); err != nil {
			t.Fatal(err)
		}
		var in state.Input
		p.Split(rec, rs.MatchRecord(rec, nil), &in)
		if in.Stateful() != c.want {
			t.Errorf("required %v, %s: a hit %v, want %v", c.required, c.event, in.Stateful(), c.want)
		}
	}
}
