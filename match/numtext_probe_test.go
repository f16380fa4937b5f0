package match

import (
	"math"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// TestNumberTextAlone checks, probe by probe, that a field whose only
// text key is one a Go number's text could hold (numberText) still
// probes numbers as texts: each key is the only one of its field, so
// that leaving any of numberChars' bytes out misses a rule. The number's
// text is plan.Value.AppendText's: strconv's 'f' format, no exponent.
func TestNumberTextAlone(t *testing.T) {
	cases := []struct {
		m matcher.Matcher
		v any
	}{
		{matcher.NewContains("-1", true), -12},           // the sign
		{matcher.NewContains("+inf", true), math.Inf(1)}, // +Inf, folded
		{matcher.NewSuffix("-inf", true), math.Inf(-1)},
		{matcher.NewExact("nan", true), math.NaN()},
		{matcher.NewPrefix("4.", true), 4.5}, // the point
		{matcher.NewContains("0000001", true), 1e-7},
		{matcher.NewExact("18446744073709551615", true), uint64(math.MaxUint64)},
		{matcher.NewContains("34", true), int64(1234)},
	}
	var plans []*plan.Node
	ev := Map{}
	for i, c := range cases {
		name := string(rune('a' + i))
		plans = append(plans, strTest(name, c.m))
		ev[name] = c.v
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	want := plain.Match(ev, nil)
	if len(want) != len(cases) {
		t.Fatalf("unindexed Match = %v, want every rule: a case's value does not match its key", want)
	}
	if got := rs.Match(ev, nil); !slices.Equal(got, want) {
		t.Errorf("Match = %v, unindexed %v", got, want)
	}
	rec := rs.NewRecord()
	rec.Reset(ev)
	if got := rs.MatchRecord(rec, nil); !slices.Equal(got, want) {
		t.Errorf("MatchRecord = %v, unindexed %v", got, want)
	}
}
