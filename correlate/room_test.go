package correlate

import (
	"fmt"
	"testing"

	"github.com/ruleforge/ruleforge/state"
)

// TestRoom checks that a group always has room for what its condition
// needs (ir.Correlation.Need), at and around the per-group limits: with
// state.WithMaxPending(10) (value_count: WithMaxValues(10)) a condition
// needing 9, 10, 11 or 12 events or distinct values still fires at exactly
// that event, with nothing dropped; so does gte: 5000 under the default
// limits (state.MaxPending, 1,024). Before the room followed the need, a
// condition needing more than the limit never fired. value_count's events
// repeat each value once, which must not use room.
func TestRoom(t *testing.T) {
	tests := []struct {
		typ, cond string
		limit     int // 0: the default
		want      int // the event (1-based) the group fires at
	}{
		{"event_count", "gte: 9", 10, 9},
		{"event_count", "gte: 10", 10, 10},
		{"event_count", "gte: 11", 10, 11},
		{"event_count", "gt: 10", 10, 11},
		{"event_count", "gte: 12, neq: 12", 10, 13},
		{"event_count", "eq: 12", 10, 12},
		{"event_count", "gte: 5000", 0, 5000},
		{"value_count", "gte: 9, field: user", 10, 2*9 - 1},
		{"value_count", "gte: 10, field: user", 10, 2*10 - 1},
		{"value_count", "gte: 11, field: user", 10, 2*11 - 1},
		{"value_count", "gt: 11, field: user", 10, 2*12 - 1},
		{"value_count", "gte: 2000, field: user", 0, 2*2000 - 1},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.cond, func(t *testing.T) {
			src := baseRules + fmt.Sprintf("---\ntitle: x\ncorrelation:\n  type: %s\n  rules: a\n  group-by: host\n  timespan: 1d\n  condition: {%s}\n", tt.typ, tt.cond)
			var events []string
			for i := range tt.want + 5 {
				// value_count: users u0, u0, u1, u1, … (each value
				// twice); event_count ignores them.
				events = append(events, ev(i, "a", "host=h1", fmt.Sprintf(`user="u%d"`, i/2)))
			}
			opts := []state.Option{state.WithMaxPending(tt.limit), state.WithMaxValues(tt.limit)}
			got, e := run(t, load(t, src, false), events, opts...)
			st := e.Stats().Total
			if len(got) == 0 || st.Dropped != 0 || st.DroppedValues != 0 {
				t.Fatalf("alerts %q, %d items and %d values dropped; want one at event %d, none dropped", got, st.Dropped, st.DroppedValues, tt.want)
			}
			if prefix := fmt.Sprintf("x@%d ", tt.want); len(got[0]) < len(prefix) || got[0][:len(prefix)] != prefix {
				t.Errorf("first alert %.60s…, want it at event %d", got[0], tt.want)
			}
		})
	}
}

// TestRoomEviction checks the per-group limits where the condition needs
// less than they allow and never holds (eq: 0): a group keeps at most
// MaxPending events (event_count) or MaxValues distinct values
// (value_count), its oldest evicted and counted in Stats.Dropped or
// Stats.DroppedValues, at and around the limit.
func TestRoomEviction(t *testing.T) {
	for _, typ := range []string{"event_count", "value_count"} {
		for _, n := range []int{4, 5, 6, 20} {
			src := baseRules + fmt.Sprintf("---\ntitle: x\ncorrelation:\n  type: %s\n  rules: a\n  group-by: host\n  timespan: 1d\n  condition: {eq: 0%s}\n", typ,
				map[bool]string{true: ", field: user"}[typ == "value_count"])
			var events []string
			for i := range n {
				events = append(events, ev(i, "a", "host=h1", fmt.Sprintf(`user="u%d"`, i)), ev(i, "a", "host=h1", fmt.Sprintf(`user="u%d"`, i)))
			}
			got, e := run(t, load(t, src, false), events, state.WithMaxPending(10), state.WithMaxValues(5))
			st := e.Stats().Total
			items, values := int64(max(0, 2*n-10)), int64(0)
			if typ == "value_count" {
				items, values = 0, int64(max(0, n-5))
			}
			if len(got) != 0 || st.Dropped != items || st.DroppedValues != values || st.Keys != 1 {
				t.Errorf("%s, %d values twice: alerts %q, %d items, %d values dropped, %d keys; want none, %d, %d, 1", typ, n, got, st.Dropped, st.DroppedValues, st.Keys, items, values)
			}
		}
	}
}
