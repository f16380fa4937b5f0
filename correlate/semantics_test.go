package correlate

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/state"
)

// ev returns an event of kind at second sec of the test day with the
// given fields ("host=h1", "n=5", "user=" for null, "-@timestamp" to
// leave the time out).
func ev(sec int, kind string, fields ...string) string {
	m := map[string]any{"kind": kind, "@timestamp": time.Date(2026, 12, 5, 0, 0, sec, 0, time.UTC).Format(time.RFC3339)}
	for _, f := range fields {
		if strings.HasPrefix(f, "-") {
			delete(m, f[1:])
			continue
		}
		k, v, _ := strings.Cut(f, "=")
		var x any = v
		if v == "" {
			x = nil
		} else if strings.HasPrefix(v, `"`) {
			x = strings.Trim(v, `"`)
		} else if n, err := json.Number(v).Int64(); err == nil {
			x = n
		}
		m[k] = x
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// corr returns a correlation named x over the base rules.
func corr(body string) string {
	return baseRules + "---\ntitle: x\nname: x\ncorrelation:\n" + body
}

// times returns n events of kind a on host h1, one per second from 0.
func times(n int) []string {
	var out []string
	for i := range n {
		out = append(out, ev(i, "a", "host=h1"))
	}
	return out
}

// TestSemantics checks each documented point of the correlation
// semantics (package sigma, "Correlation semantics") with the alerts of a
// rule over a few events; each case names the specification section it
// follows or the choice it checks.
func TestSemantics(t *testing.T) {
	const h1 = `group={"host":"h1"}`
	tests := []struct {
		name   string
		rules  string
		events []string
		want   []string
	}{
		// "Event Count (event_count)": fire at the event that makes the
		// count true; the group then starts over.
		{"event_count fires at the third and the sixth", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gte: 3}\n"), times(7),
			[]string{`x@3 ` + h1 + ` correlation="event_count" events=[1,2,3] value=3`, `x@6 ` + h1 + ` correlation="event_count" events=[4,5,6] value=3`}},
		// "Condition": every operator at and around its bound of 3, over
		// five events.
		{"gt 3", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gt: 3}\n"), times(5),
			[]string{`x@4 ` + h1 + ` correlation="event_count" events=[1,2,3,4] value=4`}},
		{"gte 3", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gte: 3}\n"), times(5),
			[]string{`x@3 ` + h1 + ` correlation="event_count" events=[1,2,3] value=3`}},
		{"eq 3", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {eq: 3}\n"), times(5),
			[]string{`x@3 ` + h1 + ` correlation="event_count" events=[1,2,3] value=3`}},
		{"lt 3 holds at once", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {lt: 3}\n"), times(2),
			[]string{`x@1 ` + h1 + ` correlation="event_count" events=[1] value=1`, `x@2 ` + h1 + ` correlation="event_count" events=[2] value=1`}},
		{"lte 0 never", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {lte: 0}\n"), times(3), nil},
		{"neq 1 from the second", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {neq: 1}\n"), times(3),
			[]string{`x@2 ` + h1 + ` correlation="event_count" events=[1,2] value=2`}},
		{"range gt 1, lte 3", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gt: 1, lte: 3}\n"), times(5),
			[]string{`x@2 ` + h1 + ` correlation="event_count" events=[1,2] value=2`, `x@4 ` + h1 + ` correlation="event_count" events=[3,4] value=2`}},
		{"gte 6 of five: none", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gte: 6}\n"), times(5), nil},
		// "Time Selection": the window slides over event time and is
		// inclusive at its bound.
		{"expiry by timespan", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 10s\n  condition: {gte: 3}\n"),
			[]string{ev(0, "a", "host=h1"), ev(5, "a", "host=h1"), ev(11, "a", "host=h1"), ev(12, "a", "host=h1")},
			[]string{`x@4 ` + h1 + ` correlation="event_count" events=[2,3,4] value=3`}},
		{"bound inclusive", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 10s\n  condition: {gte: 3}\n"),
			[]string{ev(0, "a", "host=h1"), ev(5, "a", "host=h1"), ev(10, "a", "host=h1")},
			[]string{`x@3 ` + h1 + ` correlation="event_count" events=[1,2,3] value=3`}},
		{"out of order: counted inside the window only", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 10s\n  condition: {gte: 3}\n"),
			[]string{ev(20, "a", "host=h1"), ev(5, "a", "host=h1"), ev(15, "a", "host=h1"), ev(21, "a", "host=h1")},
			[]string{`x@4 ` + h1 + ` correlation="event_count" events=[1,3,4] value=3`}},
		{"untimed: the newest time", corr("  type: event_count\n  rules: a\n  group-by: host\n  timespan: 10s\n  condition: {gte: 2}\n"),
			[]string{ev(0, "a", "host=h1"), ev(50, "b", "host=h1"), ev(0, "a", "host=h1", "-@timestamp")},
			nil},
		// "Grouping": groups apart; an event without the field is in none.
		{"groups apart, missing and null left out", corr("  type: event_count\n  rules: a\n  group-by: [host, user]\n  timespan: 1h\n  condition: {gte: 2}\n"),
			[]string{ev(0, "a", "host=h1", "user=u1"), ev(1, "a", "host=h2", "user=u1"), ev(2, "a", "host=h1"), ev(3, "a", "host=h1", "user="), ev(4, "a", "host=h1", "user=u1")},
			[]string{`x@5 group={"host":"h1","user":"u1"} correlation="event_count" events=[1,5] value=2`}},
		{"no group-by: one group", corr("  type: event_count\n  rules: [a, b]\n  timespan: 1h\n  condition: {gte: 2}\n"),
			[]string{ev(0, "a", "host=h1"), ev(1, "b")},
			[]string{`x@2 group={} correlation="event_count" events=[1,2] value=2`}},
		{"an event hitting two rules counts once", corr("  type: event_count\n  rules: [b, c]\n  timespan: 1h\n  condition: {gte: 2}\n"),
			[]string{ev(0, "b"), ev(1, "c")},
			[]string{`x@2 group={} correlation="event_count" events=[1,2] value=2`}},
		// "Value Count (value_count)".
		// Each distinct value's newest event is listed (event 1's u1 is
		// event 2's too).
		{"value_count distinct users", corr("  type: value_count\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gte: 2, field: user}\n"),
			[]string{ev(0, "a", "host=h1", "user=u1"), ev(1, "a", "host=h1", "user=u1"), ev(2, "a", "host=h1"), ev(3, "a", "host=h1", "user=U1")},
			[]string{`x@4 ` + h1 + ` correlation="value_count" events=[2,4] value=2`}},
		{"value_count of a tuple", corr("  type: value_count\n  rules: a\n  timespan: 1h\n  condition: {gte: 2, field: [host, user]}\n"),
			[]string{ev(0, "a", "host=h1", "user=u1"), ev(1, "a", "host=h1", "user=u1"), ev(2, "a", "host=h2", "user=u1")},
			[]string{`x@3 group={} correlation="value_count" events=[2,3] value=2`}},
		// "Temporal Proximity (temporal)": all rules, any order; the
		// newest hit of each is listed.
		{"temporal", corr("  type: temporal\n  rules: [a, b]\n  group-by: host\n  timespan: 10s\n"),
			[]string{ev(0, "a", "host=h1"), ev(1, "a", "host=h1"), ev(2, "b", "host=h2"), ev(3, "b", "host=h1")},
			[]string{`x@4 ` + h1 + ` correlation="temporal" events=[2,4] value=2`}},
		{"temporal: one rule expired", corr("  type: temporal\n  rules: [a, b]\n  group-by: host\n  timespan: 10s\n"),
			[]string{ev(0, "a", "host=h1"), ev(11, "b", "host=h1")}, nil},
		{"temporal: one event for two rules", corr("  type: temporal\n  rules: [b, c]\n  timespan: 10s\n"),
			[]string{ev(0, "b")},
			[]string{`x@1 group={} correlation="temporal" events=[1] value=2`}},
		// "Ordered Temporal Proximity (temporal_ordered)".
		{"temporal_ordered", corr("  type: temporal_ordered\n  rules: [a, b]\n  group-by: host\n  timespan: 10s\n"),
			[]string{ev(0, "b", "host=h1"), ev(1, "a", "host=h1"), ev(2, "b", "host=h1")},
			[]string{`x@3 ` + h1 + ` correlation="temporal_ordered" events=[2,3] value=2`}},
		{"temporal_ordered: wrong order", corr("  type: temporal_ordered\n  rules: [a, b]\n  group-by: host\n  timespan: 10s\n"),
			[]string{ev(0, "b", "host=h1"), ev(1, "a", "host=h1")}, nil},
		{"temporal_ordered: one event never fills two stages", corr("  type: temporal_ordered\n  rules: [b, c]\n  timespan: 10s\n"),
			[]string{ev(0, "b"), ev(1, "b")},
			[]string{`x@2 group={} correlation="temporal_ordered" events=[1,2] value=2`}},
		{"temporal_ordered: the chain that stays longest", corr("  type: temporal_ordered\n  rules: [a, c, b]\n  timespan: 10s\n"),
			[]string{ev(0, "a"), ev(1, "c"), ev(5, "a"), ev(6, "c"), ev(12, "b")},
			[]string{`x@5 group={} correlation="temporal_ordered" events=[3,4,5] value=3`}},
		// "Value Sum", "Value Average" (numbers as text count).
		{"value_sum", corr("  type: value_sum\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gt: 10, field: n}\n"),
			[]string{ev(0, "a", "host=h1", "n=5"), ev(1, "a", "host=h1", "n=x"), ev(2, "a", "host=h1", `n="5"`), ev(3, "a", "host=h1", "n=1")},
			[]string{`x@4 ` + h1 + ` correlation="value_sum" events=[1,3,4] value=11`}},
		{"value_avg", corr("  type: value_avg\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {gte: 4, field: n}\n"),
			[]string{ev(0, "a", "host=h1", "n=2"), ev(1, "a", "host=h1", "n=5"), ev(2, "a", "host=h1", "n=8")},
			[]string{`x@3 ` + h1 + ` correlation="value_avg" events=[1,2,3] value=5`}},
		// "Value Percentile": the arriving value's share; the window is
		// kept after firing.
		{"value_percentile share", corr("  type: value_percentile\n  rules: a\n  group-by: host\n  timespan: 1h\n  condition: {lte: 25, field: user}\n"),
			[]string{ev(0, "a", "host=h1", "user=x"), ev(1, "a", "host=h1", "user=x"), ev(2, "a", "host=h1", "user=x"), ev(3, "a", "host=h1", "user=y"), ev(4, "a", "host=h1", "user=z")},
			[]string{`x@4 ` + h1 + ` correlation="value_percentile" events=[4] value=25`, `x@5 ` + h1 + ` correlation="value_percentile" events=[5] value=20`}},
		{"value_percentile rank (pySigma's percentile)", corr("  type: value_percentile\n  rules: a\n  timespan: 1h\n  condition: {gte: 5, field: n, percentile: 50}\n"),
			[]string{ev(0, "a", "n=1"), ev(1, "a", "n=9"), ev(2, "a", "n=10")},
			[]string{`x@2 group={} correlation="value_percentile" events=[1,2] value=5`, `x@3 group={} correlation="value_percentile" events=[1,2,3] value=9`}},
	}
	for _, tt := range tests {
		got, _ := run(t, load(t, tt.rules, false), tt.events)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, got, tt.want)
		}
		ref, _ := run(t, load(t, tt.rules, true), tt.events)
		if !slices.Equal(ref, tt.want) {
			t.Errorf("%s (reference):\ngot  %q\nwant %q", tt.name, ref, tt.want)
		}
	}
}

// TestSpecExample runs the complete example of the specification
// ("Example: Failed Logins Followed by Successful Login", a temporal_ordered
// correlation over an event_count one, in one multi-document file):
// ten failed logons of bob then a success fire the outer correlation
// only; nine do not; the inner correlation and the base rules print
// nothing (generate: false).
func TestSpecExample(t *testing.T) {
	src, err := os.ReadFile("../sigma/testdata/corr/spec_example.yml")
	if err != nil {
		t.Fatal(err)
	}
	logon := func(sec, id int, user string) string {
		return fmt.Sprintf(`{"@timestamp":%q,"EventID":%d,"User":%q}`, time.Date(2026, 12, 5, 0, 0, sec, 0, time.UTC).Format(time.RFC3339), id, user)
	}
	var events []string
	for i := range 10 {
		events = append(events, logon(i, 4625, "bob"))
	}
	events = append(events, logon(20, 4625, "eve"), logon(30, 4624, "bob"), logon(31, 4624, "eve"))
	got, _ := run(t, load(t, string(src), false), events)
	want := []string{`Correlation - Multiple Failed Logins Followed by Successful Login@12 group={"User":"bob"} correlation="temporal_ordered" events=[10,12] value=2`}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	got, _ = run(t, load(t, string(src), false), append(events[1:10:10], logon(30, 4624, "bob")))
	if len(got) != 0 {
		t.Errorf("nine failures: got %q, want nothing", got)
	}
}

// TestSpecAliases runs the specification's aliases example ("Field Name
// Aliases Example"): an internal error and a connection from the same
// pair of addresses, named differently in the two rules' events.
func TestSpecAliases(t *testing.T) {
	src, err := os.ReadFile("../sigma/testdata/corr/spec_aliases.yml")
	if err != nil {
		t.Fatal(err)
	}
	events := []string{
		`{"@timestamp":"2026-12-05T00:00:00Z","http":{"response":{"status_code":500}},"source":{"ip":"10.0.0.9"},"destination":{"ip":"10.0.0.1"}}`,
		`{"@timestamp":"2026-12-05T00:00:02Z","event":{"category":"network","type":"connection","outcome":"success"},"source":{"ip":"10.0.0.2"},"destination":{"ip":"10.0.0.9"}}`,
		`{"@timestamp":"2026-12-05T00:00:03Z","event":{"category":"network","type":"connection","outcome":"success"},"source":{"ip":"10.0.0.1"},"destination":{"ip":"10.0.0.9"}}`,
	}
	got, _ := run(t, load(t, string(src), false), events)
	want := []string{`internal error and connection from the same address@3 group={"internal_ip":"10.0.0.1","remote_ip":"10.0.0.9"} correlation="temporal" events=[1,3] value=2`}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestGenerate checks the specification's "Generate": by default the
// referenced rules' own hits and a referenced correlation's alerts are
// not output; generate: true shows the rules; a rule no correlation
// refers to is always shown.
func TestGenerate(t *testing.T) {
	for _, gen := range []bool{false, true} {
		src := baseRules + fmt.Sprintf("---\ntitle: inner\nname: inner\ncorrelation:\n  type: event_count\n  rules: a\n  timespan: 1h\n  condition: {gte: 1}\n  generate: %v\n", gen) +
			"---\ntitle: outer\ncorrelation:\n  type: event_count\n  rules: inner\n  timespan: 1h\n  condition: {gte: 1}\n"
		p, err := state.Compile(load(t, src, false))
		if err != nil {
			t.Fatal(err)
		}
		visible := map[string]bool{}
		for i := range p.Ruleset().Len() {
			visible[p.Ruleset().Rule(i).Title] = p.Visible(i)
		}
		for i := range p.Len() {
			visible[p.Rule(i).Title] = p.AlertVisible(i)
		}
		want := map[string]bool{"a": gen, "b": true, "c": true, "inner": false, "outer": true}
		if !maps.Equal(visible, want) {
			t.Errorf("generate: %v: visible %v, want %v", gen, visible, want)
		}
	}
}
