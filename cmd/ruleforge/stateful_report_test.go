package main

import (
	"bytes"
	"testing"

	"github.com/ruleforge/ruleforge/correlate"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/sigma"
	"github.com/ruleforge/ruleforge/state"
)

// TestStateReportValues checks the stateful summary line: the same line
// as before when no distinct value was dropped; distinct values dropped
// by state.MaxValues count among the items dropped and, only then, are
// named at the end of the line.
func TestStateReportValues(t *testing.T) {
	src := "title: a\nname: a\ndetection:\n  sel: {kind: a}\n  condition: sel\n---\ntitle: c\ncorrelation:\n  type: value_count\n  rules: a\n  timespan: 1h\n  condition: {gte: 2, field: user}\n"
	f, err := sigma.ParseFile("c.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	corrs, errs := sigma.Resolve(f.Rules, f.Correlations)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p, err := state.Compile([]*ir.Rule{f.Rules[0], correlate.New(corrs[0], corrs)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		st   state.Stats
		want string
	}{
		{state.Stats{Dropped: 3}, "ruleforge: 1 stateful rules: 0 results, 0 keys pending, 0 evicted (0 by the key limit, 0 by memory), 3 items dropped, 0 expired; 0 events out of time order, 0 without a time\n"},
		{state.Stats{Dropped: 3, DroppedValues: 2}, "ruleforge: 1 stateful rules: 0 results, 0 keys pending, 0 evicted (0 by the key limit, 0 by memory), 5 items dropped, 0 expired; 0 events out of time order, 0 without a time; 2 of the items dropped were value_count's distinct values (state.MaxValues)\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		(&stateStats{total: tt.st}).report(&b, p)
		if b.String() != tt.want {
			t.Errorf("got  %q\nwant %q", b.String(), tt.want)
		}
	}
}
