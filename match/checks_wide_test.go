package match

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestChecksWide checks a rule of nine clauses (W1 to W9, one test each,
// equally costly): its gate keeps maxClauses of them (W1 to W3), its
// checks are the next ones up to maxChecks (W4 to W8), whose keys other
// rules' gates hold (one rule a field), and W9 is neither. An event
// lacking one of W4 to W8 drops the rule unevaluated; one lacking W9
// leaves it to its evaluation; the matches are the unindexed ruleset's.
func TestChecksWide(t *testing.T) {
	if maxChecks != 8 || maxClauses != 3 {
		t.Fatalf("maxClauses %d, maxChecks %d: the expectations below are for 3 and 8", maxClauses, maxChecks)
	}
	text := func(i int) string { return fmt.Sprintf("a-long-text-w%d", i) }
	test := func(i int) *plan.Node { return strTest(fmt.Sprint("W", i), matcher.NewExact(text(i), true)) }
	var plans []*plan.Node
	for i := 4; i <= 9; i++ { // the keys of W4 to W9 in gates: probed in phase 0
		plans = append(plans, test(i))
	}
	wide := &plan.Node{Op: ir.OpAnd}
	for i := 1; i <= 9; i++ {
		wide.Kids = append(wide.Kids, test(i))
	}
	w := len(plans)
	plans = append(plans, wide)
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))

	var checks []string
	for _, c := range rs.index.checks[rs.index.checkAt[w]:rs.index.checkAt[w+1]] {
		for _, id := range c.keys {
			checks = append(checks, rs.index.keys[id].text)
		}
		if len(c.keys) != 1 || len(c.late) != 0 {
			t.Errorf("check %v: %d keys, late %v; want 1 key, not late", c.keys, len(c.keys), c.late)
		}
	}
	if want := []string{text(4), text(5), text(6), text(7), text(8)}; !slices.Equal(checks, want) {
		t.Errorf("rule %d (gate %v): checks %q, want %q", w, rs.index.gates[w], checks, want)
	}

	all := Map{}
	for i := 1; i <= 9; i++ {
		all[fmt.Sprint("W", i)] = text(i)
	}
	for _, tc := range []struct {
		name    string
		without string // the field left out of the event
		passes  bool   // the rule is a candidate whose checks hold
	}{
		{"all", "", true},
		{"no W4", "W4", false},
		{"no W8", "W8", false},
		{"no W9", "W9", true},
	} {
		ev := maps.Clone(all)
		delete(ev, tc.without)
		cand, passed, _ := checked(rs, ev)
		if !slices.Contains(cand, w) {
			t.Errorf("%s: rule %d not a candidate (%v)", tc.name, w, cand)
		}
		if got := slices.Contains(passed, w); got != tc.passes {
			t.Errorf("%s: rule %d's checks hold %v, want %v", tc.name, w, got, tc.passes)
		}
		want := plain.Match(ev, nil)
		if got := rs.Match(ev, nil); !slices.Equal(got, want) {
			t.Errorf("%s: Match = %v, unindexed %v", tc.name, got, want)
		}
		if slices.Contains(want, w) != (tc.without == "") {
			t.Errorf("%s: rule %d matched: %v", tc.name, w, want)
		}
	}
}

// TestChecksImplied checks that a clause of the wider gate implied by a
// check kept before it (its keys a superset of that check's) is not a
// check: with X1 to X3 the gate, W4 is a check, and W4 or W5, and W4 or
// W5 or W6, which hold whenever W4 does, are not.
func TestChecksImplied(t *testing.T) {
	test := func(f string) *plan.Node {
		return strTest(f, matcher.NewExact("a-long-text-"+f, true))
	}
	plans := []*plan.Node{test("W4"), test("W5"), test("W6")} // their keys in gates
	r := len(plans)
	plans = append(plans, ixOp(ir.OpAnd, test("X1"), test("X2"), test("X3"), test("W4"),
		ixOp(ir.OpOr, test("W4"), test("W5")), ixOp(ir.OpOr, test("W4"), test("W5"), test("W6"))))
	rs := mustRuleset(t, plans)
	var checks [][]string
	for _, c := range rs.index.checks[rs.index.checkAt[r]:rs.index.checkAt[r+1]] {
		var keys []string
		for _, id := range c.keys {
			keys = append(keys, rs.index.keys[id].text)
		}
		checks = append(checks, keys)
	}
	if want := [][]string{{"a-long-text-w4"}}; fmt.Sprint(checks) != fmt.Sprint(want) {
		t.Errorf("rule %d (gate %v): checks %q, want %q", r, rs.index.gates[r], checks, want)
	}
}
