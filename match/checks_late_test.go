package match

import (
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestChecksLateProbes checks a late check whose keys are on two fields
// with phase 1 probes of their own, each wanted by a different rule (Y
// by q when P holds, W by q2 when P2 holds): the check is read only when
// both probes ran (index.phaseOneProbes lists them all, scratch.probedAll), since
// a key of the probe that did not run may hold in the event. The rule
// that has the check must match exactly when the unindexed ruleset says:
// with only one of the probes listed (a change no other test saw), the
// rule was dropped where Y's probe ran, Y does not hold and W does,
// unprobed.
func TestChecksLateProbes(t *testing.T) {
	plans, _, _, _, _ := checkRules()
	image := []string{"Image", "process.executable"}
	add := func(n *plan.Node) int {
		plans = append(plans, n)
		return len(plans) - 1
	}
	// q2: as checkRules' q, with W in phase 1 behind P2.
	add(ixOp(ir.OpAnd, strTest("P2", matcher.NewExact("a-long-exact-text-p2", true)), strTest("W", matcher.NewExact("w", true))))
	// r4: as checkRules' r2, its late check Y="y" or W="w".
	r4 := add(ixOp(ir.OpAnd, strTest("A4", matcher.NewExact("a-very-long-exact-text-a4", true)),
		pathsTest(image, matcher.NewSuffix(`\cmd.exe`, true)),
		ixOp(ir.OpOr, strTest("Y", matcher.NewExact("y", true)), strTest("W", matcher.NewExact("w", true)))))
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	ix := rs.index
	checks := ix.checks[ix.checkAt[r4]:ix.checkAt[r4+1]]
	i := slices.IndexFunc(checks, func(c check) bool { return len(c.keys) == 2 })
	if i < 0 {
		t.Fatalf("rule %d: no check of Y's and W's keys (checks %v): the test checks nothing", r4, checks)
	}
	if len(checks[i].late) != 2 {
		t.Errorf("rule %d: the check of Y's and W's keys has phase 1 probes %v, want their two", r4, checks[i].late)
	}
	x := newScratch(rs.shared, rs.index, rs.slots)
	rec := rs.NewRecord()
	matched := 0
	for _, p := range []string{"a-long-exact-text-p", "-"} {
		for _, p2 := range []string{"a-long-exact-text-p2", "-"} {
			for _, y := range []string{"y", "z"} {
				for _, w := range []string{"w", "z"} {
					ev := Map{"A4": "a-very-long-exact-text-a4", "Image": `c:\cmd.exe`, "P": p, "P2": p2, "Y": y, "W": w}
					want := plain.Match(ev, nil)
					rec.Reset(ev)
					if got := rs.matchRecord(x, rec, nil); !slices.Equal(got, want) {
						t.Errorf("%v: indexed %v, unindexed %v", ev, got, want)
					}
					if got := rs.Match(opaqueMap{ev}, nil); !slices.Equal(got, want) {
						t.Errorf("%v looked up: indexed %v, unindexed %v", ev, got, want)
					}
					if slices.Contains(want, r4) {
						matched++
					}
				}
			}
		}
	}
	if matched != 12 {
		t.Errorf("rule %d matched %d of the 16 events, want the 12 with Y or W", r4, matched)
	}
}
