package match

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// recordPaths are the paths the rules of recordRuleset read: nested,
// overlapping (a, a.b, a.b.c), behind arrays, and with an empty part.
var recordPaths = []string{
	"a", "a.b", "a.b.c", "x", "process.name", "process.parent.name",
	"process.pid", "dll.name", "n", "e..f", "deep.l1.l2.l3",
}

// recordRuleset returns an indexed ruleset whose rules read each of
// paths (a presence test, a gated substring test, a number test and a
// two-field conjunction), and the ruleset's paths by text.
func recordRuleset(t *testing.T, paths []string) (*Ruleset, map[string]*Path) {
	t.Helper()
	byText := map[string]*Path{}
	var plans []*plan.Node
	for _, s := range paths {
		p := NewPath(s)
		byText[s] = p
		on := []*Path{p}
		plans = append(plans,
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Exists: true}},
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Strings: []matcher.Matcher{matcher.NewContains("x", true)}}},
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Numbers: nums(1)}},
		)
	}
	if len(paths) > 1 {
		plans = append(plans, &plan.Node{Op: ir.OpAnd, Kids: []*plan.Node{
			{Op: ir.OpPred, Test: &plan.Test{Name: paths[0], Paths: []*Path{byText[paths[0]]}, Strings: []matcher.Matcher{matcher.NewPrefix("v", true)}}},
			{Op: ir.OpPred, Test: &plan.Test{Name: paths[1], Paths: []*Path{byText[paths[1]]}, Strings: []matcher.Matcher{matcher.NewSuffix("1", false)}}},
		}})
	}
	rs, err := newRuleset(testRules(len(plans)), plans)
	if err != nil {
		t.Fatal(err)
	}
	return rs, byText
}

// testRules returns n rules with distinct IDs, for NewRuleset.
func testRules(n int) []*ir.Rule {
	rules := make([]*ir.Rule, n)
	for i := range rules {
		rules[i] = &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint("r", i)}}
	}
	return rules
}

// pathEvent is an Event of its own kind, neither Map nor Doc: it holds
// values by path text and is not a Walker.
type pathEvent map[string]any

// Lookup returns the value held for p's text.
func (e pathEvent) Lookup(p *Path) (any, bool) {
	v, ok := e[p.String()]
	return v, ok
}

// mustParseJSON decodes a JSON object into a Doc for a test.
func mustParseJSON(t testing.TB, s string) *Doc {
	t.Helper()
	d, err := ParseJSON([]byte(s))
	if err != nil {
		t.Fatalf("ParseJSON(%s): %v", s, err)
	}
	return d
}

// recordEvents are the events the record tests read, by name.
func recordEvents(t testing.TB) []struct {
	name string
	ev   Event
} {
	nested := map[string]any{
		"a":       map[string]any{"b": map[string]any{"c": "v1"}},
		"x":       "xyz",
		"process": map[string]any{"name": "cmd.exe", "pid": 1.0, "parent": map[string]any{"name": "explorer.exe"}},
		"n":       1,
	}
	return []struct {
		name string
		ev   Event
	}{
		{"nested_doc", NewDoc(nested)},
		{"nested_map", Map(nested)},
		{"dotted_doc", NewDoc(map[string]any{"a.b.c": "v1", "a": map[string]any{"z": 1}, "process.name": "cmd.exe", "x": "X"})},
		{"mixed_doc", NewDoc(map[string]any{"process": map[string]any{"parent.name": "x", "name": "p"}})},
		{"mixed_map", Map{"process": map[string]any{"parent.name": "x"}, "a.b": map[string]any{"c": "1"}}},
		{"array_of_objects", NewDoc(map[string]any{"a": []any{map[string]any{"b": 1.0}, map[string]any{"b": 2.0}}})},
		{"array_nested_values", NewDoc(map[string]any{"a": []any{
			map[string]any{"b": map[string]any{"c": "v1"}}, "junk", []any{map[string]any{"b": 3.0}},
			map[string]any{"z": 2.0}, map[string]any{"b": []any{4.0, map[string]any{"c": "v2"}}},
		}})},
		{"array_of_scalars", NewDoc(map[string]any{"a": []any{"x", "y"}, "x": []any{"1", 1.0, nil}})},
		{"empty_array", NewDoc(map[string]any{"a": []any{}, "dll": []any{}})},
		{"array_then_present", NewDoc(map[string]any{"dll": []any{map[string]any{"name": "a.dll"}, map[string]any{"name": []any{"b.dll"}}}, "x": "x"})},
		{"dotted_array", NewDoc(map[string]any{"dll": []any{map[string]any{"name": "a.dll"}}, "process.name": "x"})},
		{"nulls", NewDoc(map[string]any{"a": nil, "x": nil, "process": map[string]any{"name": nil, "parent": nil}})},
		{"null_in_map", Map{"a": map[string]any{"b": nil}, "n": nil}},
		{"scalar_on_the_way", NewDoc(map[string]any{"a": "flat", "process": 7.0, "deep": map[string]any{"l1": []string{"q"}}})},
		{"empty_part", NewDoc(map[string]any{"e": map[string]any{"": map[string]any{"f": "x"}}})},
		{"deep", NewDoc(map[string]any{"deep": map[string]any{"l1": map[string]any{"l2": map[string]any{"l3": "x"}}}})},
		{"map_typed_inner", NewDoc(map[string]any{"a": Map{"b": "hidden"}, "x": "x"})},
		{"json", mustParseJSON(t, `{"a":{"b":[{"c":1},{"c":"x"}]},"n":1,"process":{"pid":1.5e0,"name":"X"},"x":null}`)},
		{"json_dotted", mustParseJSON(t, `{"a.b":{"c":1},"process":{"parent.name":"x"},"n":"1"}`)},
		{"missing_everything", NewDoc(map[string]any{"unrelated": "x"})},
		{"empty_doc", NewDoc(map[string]any{})},
		{"nil_doc", NewDoc(nil)},
		{"empty_map", Map{}},
		{"custom_event", pathEvent{"a.b": "x", "process.name": "v", "x": nil, "n": json.Number("1")}},
		{"custom_event_empty", pathEvent{}},
	}
}

// checkRecord reports where r, filled from ev, looks a path up
// differently from ev: at each of the ruleset's paths, at paths with the
// same text made elsewhere (no slot), and at paths no rule reads.
func checkRecord(t *testing.T, r *Record, ev Event, paths map[string]*Path) {
	t.Helper()
	var all []*Path
	for _, s := range slices.Sorted(maps.Keys(paths)) {
		all = append(all, paths[s], NewPath(s))
	}
	for _, s := range []string{"a.b.c.d", "process", "nope", "a.z", "dll", "e.", "process.parent"} {
		all = append(all, NewPath(s))
	}
	for _, p := range all {
		want, wantOK := ev.Lookup(p)
		got, ok := r.Lookup(p)
		if ok != wantOK || ok && !reflect.DeepEqual(got, want) { // an absent value is any nil
			t.Errorf("Record.Lookup(%s) = %#v, %v; the event says %#v, %v", p, got, ok, want, wantOK)
		}
	}
}

// TestRecordLookup checks that a Record gives the event's own answer for
// every path, filled eagerly (Reset) and lazily (as Match fills it), and
// that MatchRecord matches what Match does.
func TestRecordLookup(t *testing.T) {
	rs, paths := recordRuleset(t, recordPaths)
	for _, tt := range recordEvents(t) {
		t.Run(tt.name, func(t *testing.T) {
			r := rs.NewRecord()
			r.Reset(tt.ev)
			checkRecord(t, r, tt.ev, paths)
			checkRecord(t, r, tt.ev, paths) // again: now from the slots found
			want := rs.Match(tt.ev, nil)
			if got := rs.MatchRecord(r, nil); !slices.Equal(got, want) {
				t.Errorf("MatchRecord = %v, Match = %v", got, want)
			}
			unindexed, err := newRuleset(testRules(rs.Len()), rs.plans, withIndex(false))
			if err != nil {
				t.Fatal(err)
			}
			if ref := unindexed.Match(tt.ev, nil); !slices.Equal(want, ref) {
				t.Errorf("Match = %v, unindexed Match = %v", want, ref)
			}

			lazy := rs.NewRecord()
			lazy.reset(tt.ev, false)
			checkRecord(t, lazy, tt.ev, paths)
			if got := rs.MatchRecord(lazy, nil); !slices.Equal(got, want) {
				t.Errorf("MatchRecord (lazy record) = %v, Match = %v", got, want)
			}
		})
	}
}

// TestRecordReuse fills one Record from many events in turn, forwards,
// backwards and interleaved, and checks that no value of an earlier event
// shows through in a later one.
func TestRecordReuse(t *testing.T) {
	rs, paths := recordRuleset(t, recordPaths)
	evs := recordEvents(t)
	var order []int
	for i := range evs {
		order = append(order, i)
	}
	for i := range evs {
		order = append(order, len(evs)-1-i)
	}
	for i := range evs {
		order = append(order, i, (i*7+3)%len(evs), i)
	}
	for _, lazy := range []bool{false, true} {
		r := rs.NewRecord()
		for step, i := range order {
			ev := evs[i].ev
			r.reset(ev, !lazy)
			want := rs.Match(ev, nil)
			if got := rs.MatchRecord(r, nil); !slices.Equal(got, want) {
				t.Errorf("lazy=%v step %d (%s): MatchRecord = %v, Match = %v", lazy, step, evs[i].name, got, want)
			}
			checkRecord(t, r, ev, paths)
		}
	}

	// The plainest leak: a field present, then absent, then null.
	x := paths["x"]
	r := rs.NewRecord()
	for i, ev := range []Event{
		NewDoc(map[string]any{"x": "first"}),
		NewDoc(map[string]any{"y": "second"}),
		Map{"y": "third"},
		NewDoc(map[string]any{"x": nil}),
		NewDoc(map[string]any{"x.y": "fifth"}),
		NewDoc(map[string]any{"x": []any{"sixth"}}),
		pathEvent{},
	} {
		r.Reset(ev)
		want, wantOK := ev.Lookup(x)
		if got, ok := r.Lookup(x); ok != wantOK || ok && !reflect.DeepEqual(got, want) {
			t.Errorf("event %d: Lookup(x) = %#v, %v; want %#v, %v", i, got, ok, want, wantOK)
		}
	}
}

// TestRecordForeign checks that a Record made by another ruleset, or by
// an unindexed one, still gives the event's answers and that MatchRecord
// falls back to matching the event.
func TestRecordForeign(t *testing.T) {
	rs, paths := recordRuleset(t, recordPaths)
	other, _ := recordRuleset(t, []string{"x", "a.b", "zzz"})
	plain, err := newRuleset(testRules(rs.Len()), rs.plans, withIndex(false))
	if err != nil {
		t.Fatal(err)
	}
	empty, err := newRuleset(testRules(1), []*plan.Node{{Op: ir.OpTrue}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range recordEvents(t) {
		want := rs.Match(tt.ev, nil)
		for name, maker := range map[string]*Ruleset{"other": other, "unindexed": plain, "no_paths": empty} {
			r := maker.NewRecord()
			r.Reset(tt.ev)
			checkRecord(t, r, tt.ev, paths)
			if got := rs.MatchRecord(r, nil); !slices.Equal(got, want) {
				t.Errorf("%s: record of %s ruleset: MatchRecord = %v, Match = %v", tt.name, name, got, want)
			}
			if got, ref := plain.MatchRecord(r, nil), plain.Match(tt.ev, nil); !slices.Equal(got, ref) {
				t.Errorf("%s: record of %s ruleset: unindexed MatchRecord = %v, Match = %v", tt.name, name, got, ref)
			}
		}
		r := rs.NewRecord()
		r.Reset(tt.ev)
		if got, ref := other.MatchRecord(r, nil), other.Match(tt.ev, nil); !slices.Equal(got, ref) {
			t.Errorf("%s: other ruleset on this record: MatchRecord = %v, Match = %v", tt.name, got, ref)
		}
		if got := empty.MatchRecord(r, nil); !slices.Equal(got, []int{0}) {
			t.Errorf("%s: a rule that is always true: MatchRecord = %v", tt.name, got)
		}
	}
}

// TestRecordFarPaths checks a ruleset whose paths are numbered too far
// apart for a slot array, so that their texts find their slots.
func TestRecordFarPaths(t *testing.T) {
	p1 := NewPath("process.name")
	plan.SkipPathIDs(2 * maxSlotSpan)
	p2 := NewPath("a.b")
	plans := []*plan.Node{
		{Op: ir.OpPred, Test: &plan.Test{Name: "process.name", Paths: []*Path{p1}, Strings: []matcher.Matcher{matcher.NewSuffix(".exe", true)}}},
		{Op: ir.OpPred, Test: &plan.Test{Name: "a.b", Paths: []*Path{p2}, Numbers: nums(2)}},
	}
	rs, err := newRuleset(testRules(2), plans)
	if err != nil {
		t.Fatal(err)
	}
	if rs.slots.slot != nil {
		t.Fatal("paths far apart, but the slot table is an array")
	}
	paths := map[string]*Path{"process.name": p1, "a.b": p2}
	r := rs.NewRecord()
	for _, tt := range recordEvents(t) {
		r.Reset(tt.ev)
		checkRecord(t, r, tt.ev, paths)
	}
	for _, c := range []struct {
		ev   Event
		want []int
	}{
		{NewDoc(map[string]any{"process": map[string]any{"name": "CMD.EXE"}, "a": []any{map[string]any{"b": 2.0}}}), []int{0, 1}},
		{Map{"process.name": "cmd.exe"}, []int{0}},
		{NewDoc(map[string]any{"a": map[string]any{"b": "2"}}), []int{1}},
		{pathEvent{}, nil},
	} {
		r.Reset(c.ev)
		if got := rs.MatchRecord(r, nil); !slices.Equal(got, c.want) {
			t.Errorf("MatchRecord(%v) = %v, want %v", c.ev, got, c.want)
		}
		if got := rs.Match(c.ev, nil); !slices.Equal(got, c.want) {
			t.Errorf("Match(%v) = %v, want %v", c.ev, got, c.want)
		}
	}
}

// TestRecordLookupByText checks that a Record finds a slot's value for a
// path made apart from the rules' (same text, another Path), and that the
// paths given to NewRecordWith are the record's: found by ResetJSON, held,
// added to and visited by Each.
func TestRecordLookupByText(t *testing.T) {
	rule := NewPath("process.name")
	plans := []*plan.Node{{Op: ir.OpPred, Test: &plan.Test{Name: "process.name", Paths: []*Path{rule}, Strings: []matcher.Matcher{matcher.NewExact("x.exe", true)}}}}
	rs, err := newRuleset(testRules(1), plans)
	if err != nil {
		t.Fatal(err)
	}
	extra, view := NewPath("Event.System"), NewPath("process.name")
	r := rs.NewRecordWith([]*Path{extra, NewPath("host.os.type")})
	if err := r.ResetJSON([]byte(`{"Event": {"System": {"EventID": 1}}, "process": {"pid": 4}}`)); err != nil {
		t.Fatal(err)
	}
	if present, object := r.holds(extra); !present || !object {
		t.Errorf("Holds(Event.System) = %v, %v; want an object", present, object)
	}
	if present, _ := r.holds(view); present {
		t.Error("process.name held before Add")
	}
	if !r.Add(view, "X.EXE") || r.Add(view, "y.exe") {
		t.Error("Add: want the first value added, the second refused")
	}
	if v, ok := r.Lookup(NewPath("process.name")); !ok || v != "X.EXE" {
		t.Errorf("Lookup by another path of the same text = %v, %v", v, ok)
	}
	if !r.Add(NewPath("host.os.type"), "windows") {
		t.Error("Add to a path given to NewRecordWith failed")
	}
	if r.Add(NewPath("not.a.slot"), "z") {
		t.Error("Add to a path that is not the record's succeeded")
	}
	var seen []string
	r.Each(func(v any) bool {
		if s, ok := v.(string); ok {
			seen = append(seen, s)
		}
		return false
	})
	if !slices.Contains(seen, "X.EXE") || !slices.Contains(seen, "windows") || slices.Contains(seen, "y.exe") {
		t.Errorf("Each visits %q", seen)
	}
	if got := rs.MatchRecord(r, nil); !slices.Equal(got, []int{0}) {
		t.Errorf("MatchRecord with the added value = %v, want [0]", got)
	}
}

// TestRecordDotted checks that Dotted tells whether ResetJSON found a
// value through a key with dots, and not for dotted keys no path uses.
func TestRecordDotted(t *testing.T) {
	rs, _ := jsonRuleset(t, jsonPaths, true)
	r := rs.NewRecord()
	for _, tt := range []struct {
		json   string
		dotted bool
	}{
		{`{"a.b":1}`, true},
		{`{"a":{"b.c":"x"}}`, true},
		{`{"process.parent":{"name":"x"}}`, true},
		{`{"a":{"b":{"c":1}}}`, false},
		{`{"zz.top":1,"other":{"x.y":2}}`, false},
		{`{"a":{"b":1},"a.b":2}`, false}, // left to ParseJSON: a Doc
	} {
		if err := r.ResetJSON([]byte(tt.json)); err != nil {
			t.Fatal(err)
		}
		if r.dotted() != tt.dotted {
			t.Errorf("ResetJSON(%s): Dotted = %v, want %v", tt.json, r.dotted(), tt.dotted)
		}
	}
}
