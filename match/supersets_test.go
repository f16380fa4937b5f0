package match

import (
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestSupersets checks which probe each slot's key set takes: the
// smallest superset of at most twice its size, never one that itself
// took another's.
func TestSupersets(t *testing.T) {
	for _, tc := range []struct {
		name string
		sets [][]int32
		want []int
	}{
		{"none", nil, []int{}},
		{"disjoint", [][]int32{{1, 2}, {3, 4}}, []int{0, 1}},
		{"subset", [][]int32{{1, 2, 3}, {1, 2, 3, 4}}, []int{1, 1}},
		{"subset first", [][]int32{{1, 2, 3, 4}, {2, 3, 4}}, []int{0, 0}},
		{"overlap only", [][]int32{{1, 2, 3}, {2, 3, 4}}, []int{0, 1}},
		{"too large", [][]int32{{1}, {1, 2, 3}}, []int{0, 1}},
		{"twice", [][]int32{{1, 2}, {1, 2, 3, 4}}, []int{1, 1}},
		{"smallest superset", [][]int32{{1, 2, 3, 4, 5, 6}, {1, 2, 3, 7, 8}, {1, 2, 3}}, []int{0, 1, 1}},
		{"taken", [][]int32{{1, 2, 3, 4, 5, 6}, {1, 2, 3, 4}, {1, 2, 3}}, []int{0, 0, 0}},
		{"chain", [][]int32{{1}, {1, 2}, {1, 2, 3, 4}}, []int{0, 2, 2}},
	} {
		if got := supersets(tc.sets); !slices.Equal(got, tc.want) {
			t.Errorf("%s: supersets(%v) = %v, want %v", tc.name, tc.sets, got, tc.want)
		}
	}
}

// pathsTest returns a test node comparing the first present of paths
// with string matchers, as a Sigma field with its ECS name is compiled.
func pathsTest(paths []string, ms ...matcher.Matcher) *plan.Node {
	t := &plan.Test{Name: paths[0], Strings: ms}
	for _, p := range paths {
		t.Paths = append(t.Paths, ixPath(p))
	}
	return &plan.Node{Op: ir.OpPred, Test: t}
}

// TestSupersetsMatch checks, indexed against unindexed, a ruleset whose
// slots share probes: slot a's keys are among b's (a takes b's probe),
// while c's overlap b's and a's but hold one of their own ("x3"), so c
// must keep its own probe, as must d, whose keys are among b's but fewer
// than half of them. Each value is at one field alone, at several, or
// the same string at a and b as the ECS view copies it.
func TestSupersetsMatch(t *testing.T) {
	plans := []*plan.Node{
		pathsTest([]string{"a", "b"}, matcher.NewContains("x1", true)),
		strTest("b", matcher.NewContains("x2", true)),
		pathsTest([]string{"b", "c"}, matcher.NewContains("x4", true)),
		strTest("c", matcher.NewContains("x3", true)),
		pathsTest([]string{"a", "b", "c", "d"}, matcher.NewPrefix("x5", true)),
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	if st := rs.IndexStats(); st.Gated != len(plans) {
		t.Fatalf("%d of %d rules gated", st.Gated, len(plans))
	}
	probe := func(name string) *ixProbe { return rs.index.probes[0][rs.slots.slotOf(ixPath(name))] }
	if probe("a") != probe("b") || probe("c") == probe("b") || probe("d") == probe("b") || probe("d") == probe("a") {
		t.Errorf("probes of a, b, c, d: %p %p %p %p; want a's to be b's, and c's and d's their own", probe("a"), probe("b"), probe("c"), probe("d"))
	}
	values := []string{"x1", "x2", "x3", "x4", "x5", "x5 x3", "x1x4x2", "X3", "none"}
	matched := 0
	for _, f := range [][]string{{"a"}, {"b"}, {"c"}, {"d"}, {"a", "c"}, {"c", "d"}} {
		for _, v := range values {
			for _, w := range values {
				ev := Map{}
				for i, name := range f {
					ev[name] = []string{v, w}[i%2]
				}
				if len(f) == 1 && v != w {
					ev["b"] = w // a second field, at another probe
				}
				want := plain.Match(ev, nil)
				if got := rs.Match(ev, nil); !slices.Equal(got, want) {
					t.Errorf("Match(%v) = %v, unindexed %v", ev, got, want)
				}
				matched += len(want)
			}
		}
		s := "x1 x3 x4" // the same string at a and b
		ev := Map{f[0]: s, "b": s}
		if got, want := rs.Match(ev, nil), plain.Match(ev, nil); !slices.Equal(got, want) {
			t.Errorf("Match(%v) = %v, unindexed %v", ev, got, want)
		}
	}
	if matched < 100 {
		t.Errorf("%d matches: the test checks little", matched)
	}
}
