package eql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// runSequence compiles query as a rule and runs it over events (one JSON
// object a line, "t" seconds added as @timestamp); it returns one line per
// result: "event: sequence join".
func runSequence(t *testing.T, query, events string) string {
	t.Helper()
	r, err := eql.ParseRule("q.eql", []byte(query))
	if err != nil {
		t.Fatal(err)
	}
	p, err := state.Compile([]*ir.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	e := p.NewEngine()
	rs := p.Ruleset()
	rec := rs.NewRecord()
	var in state.Input
	var out []string
	for i, line := range strings.Split(strings.TrimSpace(events), "\n") {
		if err := rec.ResetJSON([]byte(line)); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		p.Split(rec, rs.MatchRecord(rec, nil), &in)
		e.Step(int64(i+1), &in, func(a *state.Alert) {
			out = append(out, fmt.Sprintf("%d: %v %v", a.Event, a.Fields[0].Value, a.Fields[1].Value))
		})
	}
	return strings.Join(out, "; ")
}

// ts returns an event at second s with the given fields.
func ts(s int, fields string) string {
	return fmt.Sprintf(`{"@timestamp":"2026-01-01T00:00:%02dZ",%s}`, s, fields)
}

// lines joins events.
func lines(evs ...string) string { return strings.Join(evs, "\n") }

func TestSequenceSemantics(t *testing.T) {
	const ab = "sequence by h [any where a == 1] [any where b == 1]"
	for _, c := range []struct {
		name, query, events, want string
	}{
		// SequenceMatcher.match, OrdinalGroup.trimBefore: the newest
		// pending sequence of the key at the previous stage is taken.
		{"most recent wins", ab, lines(ts(0, `"h":"x","a":1`), ts(1, `"h":"x","a":1`), ts(2, `"h":"x","b":1`), ts(3, `"h":"x","b":1`)),
			"3: [2 3] [x]"},
		// trimBefore takes sequences strictly before the hit's ordinal:
		// one event fills one of two consecutive stages, and can end one
		// sequence and start the next.
		{"one event, one stage", ab, lines(ts(0, `"h":"x","a":1,"b":1`), ts(1, `"h":"x","a":1,"b":1`)),
			"2: [1 2] [x]"},
		// Join keys compare exactly: case-sensitive strings, numbers as
		// numbers; keys of another name join by position.
		{"keys", "sequence [any where a == 1] by h [any where b == 1] by g", lines(ts(0, `"h":"X","a":1`), ts(1, `"g":"x","b":1`), ts(2, `"h":5,"a":1`), ts(3, `"g":5.0,"b":1`)),
			"4: [3 4] [5]"},
		// A missing or null join key drops the event from the stage; a
		// ?field key joins null with null (EQL syntax reference,
		// "Optional fields").
		{"missing key", ab, lines(ts(0, `"a":1`), ts(1, `"b":1`), ts(2, `"h":null,"a":1`), ts(3, `"h":null,"b":1`)), ""},
		{"optional key", "sequence by ?h [any where a == 1] [any where b == 1]", lines(ts(0, `"a":1`), ts(1, `"h":null,"b":1`)),
			"2: [1 2] [<nil>]"},
		// A multi-valued key joins on each of its values.
		{"array key", ab, lines(ts(0, `"h":["x","y"],"a":1`), ts(1, `"h":"y","b":1`)), "2: [1 2] [y]"},
		// exceedsMaxSpan: to - from > maxspan rejects, so the bound is
		// inclusive; the pending sequence is taken either way.
		{"maxspan inclusive", "sequence by h with maxspan=2s [any where a == 1] [any where b == 1]",
			lines(ts(0, `"h":"x","a":1`), ts(2, `"h":"x","b":1`), ts(3, `"h":"y","a":1`), ts(6, `"h":"y","b":1`)), "2: [1 2] [x]"},
		// KeyToSequences.until: until drops the key's pending sequences.
		{"until", ab + " until [any where c == 1]",
			lines(ts(0, `"h":"x","a":1`), ts(1, `"h":"x","c":1`), ts(2, `"h":"x","b":1`), ts(3, `"h":"y","a":1`), ts(4, `"h":"x","c":1`), ts(5, `"h":"y","b":1`)),
			"6: [4 6] [y]"},
		// with runs=N repeats the stage N times (EQL syntax reference,
		// "with runs").
		{"runs", "sequence by h [any where a == 1] with runs=3 [any where b == 1]",
			lines(ts(0, `"h":"x","a":1`), ts(1, `"h":"x","a":1`), ts(2, `"h":"x","b":1`), ts(3, `"h":"x","a":1`), ts(4, `"h":"x","b":1`)),
			"5: [1 2 4 5] [x]"},
		// Missing events (doCheckMissingEvents): one strictly between the
		// events around it discards the sequence.
		{"missing middle", "sequence by h with maxspan=1m [any where a == 1] ![any where m == 1] [any where b == 1]",
			lines(ts(0, `"h":"x","a":1`), ts(1, `"h":"x","m":1`), ts(2, `"h":"x","b":1`), ts(3, `"h":"y","a":1`), ts(4, `"h":"y","b":1,"m":1`)),
			"5: [4 <nil> 5] [y]"},
		// A trailing missing event is decided only once event time passed
		// the window (the sequence's start + maxspan): Elasticsearch
		// issue 145323 is what reporting it earlier does.
		{"missing trailing", "sequence by h with maxspan=5s [any where a == 1] [any where b == 1] ![any where m == 1]",
			lines(ts(0, `"h":"x","a":1`), ts(1, `"h":"x","b":1`), ts(5, `"h":"z"`), ts(6, `"h":"z"`), ts(7, `"h":"y","a":1`), ts(8, `"h":"y","b":1`), ts(9, `"h":"y","m":1`), ts(20, `"h":"z"`)),
			"4: [1 2 <nil>] [x]"},
		// Leading: an event of the missing stage within maxspan before
		// the last positive event rules the sequence out.
		{"missing leading", "sequence by h with maxspan=5s ![any where m == 1] [any where a == 1] [any where b == 1]",
			lines(ts(0, `"h":"x","m":1`), ts(3, `"h":"x","a":1`), ts(4, `"h":"x","b":1`), ts(10, `"h":"x","a":1`), ts(11, `"h":"x","b":1`)),
			"5: [<nil> 4 5] [x]"},
		// sample by: one event per stage and key, in any order.
		{"sample", "sample by h [any where a == 1] [any where b == 1]",
			lines(ts(0, `"h":"x","b":1`), ts(1, `"h":"y","a":1`), ts(2, `"h":"x","a":1`)), "3: [3 1] [x]"},
		// An event that could fill either stage leaves the one a later
		// event cannot: a sample is found whenever one exists.
		{"sample assignment", "sample by h [any where a == 1] [any where b == 1]",
			lines(ts(0, `"h":"x","a":1,"b":1`), ts(1, `"h":"x","a":1`)), "2: [2 1] [x]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := runSequence(t, c.query, c.events); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}
