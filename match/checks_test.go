package match

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// checkRules are the plans of TestChecks: 65 rules hold the key `Image
// ends~ "\cmd.exe"` (heavy: a gate keeps it in a first clause only, but
// not held by most rules: 276 others have keys of their own), and
// the rules after them have it, or a key of a field probed in phase 1
// only (Y, a later clause of rule q), as checks. Image is read at two
// paths, the first present winning, as a Sigma field with its ECS name.
func checkRules() (plans []*plan.Node, r, r2, r3, q int) {
	image := []string{"Image", "process.executable"}
	cmd := func() *plan.Node { return pathsTest(image, matcher.NewSuffix(`\cmd.exe`, true)) }
	for range heavyKey + 1 {
		plans = append(plans, cmd())
	}
	for i := range 4 * (heavyKey + 5) { // so that the heavy key is not held by most rules (ubiquitous)
		plans = append(plans, strTest("F", matcher.NewExact(fmt.Sprint("f", i), true)))
	}
	keyword := func() *plan.Node {
		return &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "*", Any: true, Strings: []matcher.Matcher{matcher.NewContains("kw", true)}}}
	}
	for range minKeywordRules { // keyword clauses kept, probed in phase 1 (after G's)
		plans = append(plans, ixOp(ir.OpAnd, strTest("G", matcher.NewExact("a-long-exact-text-g", true)), keyword()))
	}
	add := func(n *plan.Node) int {
		plans = append(plans, n)
		return len(plans) - 1
	}
	// q: P's key is cheaper, Y="y" its second clause: Y is probed in
	// phase 1, only when some rule's first clause held.
	q = add(ixOp(ir.OpAnd, strTest("P", matcher.NewExact("a-long-exact-text-p", true)), strTest("Y", matcher.NewExact("y", true))))
	// r: the command line's key is its gate; the heavy key a check.
	r = add(ixOp(ir.OpAnd, strTest("CommandLine", matcher.NewContains(`c:\windows\`, true)), cmd()))
	// r2: A's key is its gate, the heavy Image key comes next and cuts
	// the gate there; Y's a late check.
	r2 = add(ixOp(ir.OpAnd, strTest("A", matcher.NewExact("a-very-long-exact-text-aaaa", true)), cmd(), strTest("Y", matcher.NewExact("y", true))))
	// r3: Z's key is in no gate, so it is not probed and cannot be a
	// check; nor can a keyword test's, whose keys are probed in phase 1
	// only for the rules with a later keyword clause (G's).
	r3 = add(ixOp(ir.OpAnd, strTest("B", matcher.NewExact("long-text-bbbbbbbbbbbb", true)), cmd(),
		strTest("Z", matcher.NewContains("zz", true)), keyword()))
	return plans, r, r2, r3, q
}

// TestChecksBuilt checks which checks the rules of checkRules get.
func TestChecksBuilt(t *testing.T) {
	plans, r, r2, r3, q := checkRules()
	rs := mustRuleset(t, plans)
	ix := rs.index
	describe := func(i int) []string {
		var out []string
		for _, c := range ix.checks[ix.checkAt[i]:ix.checkAt[i+1]] {
			var keys []string
			for _, id := range c.keys {
				keys = append(keys, ix.keys[id].text)
			}
			out = append(out, fmt.Sprintf("%q late=%v", keys, len(c.late) > 0))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		rule int
		want []string
	}{
		{"heavy key", r, []string{`["\\cmd.exe"] late=false`}},
		{"heavy and late", r2, []string{`["\\cmd.exe"] late=false`, `["y"] late=true`}},
		{"unprobed and keyword keys", r3, []string{`["\\cmd.exe"] late=false`}},
		{"whole gate", q, nil},
		{"single clause", 0, nil},
	} {
		if got := describe(tc.rule); !slices.Equal(got, tc.want) {
			t.Errorf("%s: rule %d (gate %v): checks %v, want %v", tc.name, tc.rule, ix.gates[tc.rule], got, tc.want)
		}
	}
}

// checked returns the candidates of ev's probes, those whose checks hold
// (which MatchRecord evaluates), and whether phase 1 was probed.
func checked(rs *Ruleset, ev Event) (cand, passed []int, late bool) {
	rec := rs.NewRecord()
	rec.Reset(ev)
	probed(rs, rec, func(x *scratch) {
		eachCandidate(x, func(i int) {
			cand = append(cand, i)
			if rs.index.passes(x, i) {
				passed = append(passed, i)
			}
		})
		late = x.pending > 0
	})
	return cand, passed, late
}

// TestChecks matches events against checkRules' rules, indexed and not,
// and checks which candidates the checks leave to evaluate: a check
// whose keys did not fire drops its rule, a key fired by a value the test
// does not read (a later path, another element) lets it through, and a
// late check is not read when phase 1 did not probe its keys (Y not
// fired although the event holds it).
func TestChecks(t *testing.T) {
	plans, r, r2, r3, q := checkRules()
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	for _, tc := range []struct {
		name   string
		ev     Map
		late   bool  // phase 1 probed
		rules  []int // candidates whose checks hold, among r, r2, r3
		reject []int // candidates dropped by a check
	}{
		{"check fails", Map{"CommandLine": `copy c:\windows\x`, "Image": `c:\x\powershell.exe`}, false, nil, []int{r}},
		{"check holds", Map{"CommandLine": `copy C:\Windows\x`, "Image": `C:\Windows\CMD.EXE`}, false, []int{r}, nil},
		{"later path", Map{"CommandLine": `c:\windows\`, "process.executable": `c:\cmd.exe`}, false, []int{r}, nil},
		{"key from a path not read", Map{"CommandLine": `c:\windows\`, "Image": `x.exe`, "process.executable": `c:\cmd.exe`}, false, []int{r}, nil},
		{"array element", Map{"CommandLine": `c:\windows\`, "Image": []any{"a.exe", nil, `c:\cmd.exe`}}, false, []int{r}, nil},
		{"null", Map{"CommandLine": `c:\windows\`, "Image": nil, "process.executable": `c:\cmd.exe`}, false, []int{r}, nil},
		{"missing", Map{"CommandLine": `c:\windows\`}, false, nil, []int{r}},
		{"late not probed", Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "Y"}, false, []int{r2}, nil},
		{"late probed", Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "Y", "P": "a-long-exact-text-p"}, true, []int{r2}, nil},
		{"late fails", Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "z", "P": "a-long-exact-text-p"}, true, nil, []int{r2}},
		{"late fails unprobed", Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "z"}, false, []int{r2}, nil},
		// Phase 1 probes the keywords for G's rules, not Y, which none
		// of the rules whose first clause held wants: r2's late check is
		// not read.
		{"late, phase 1 for others", Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "y", "G": "a-long-exact-text-g"}, true, []int{r2}, nil},
		{"unprobed and keyword keys", Map{"B": "long-text-bbbbbbbbbbbb", "Image": `c:\cmd.exe`, "Z": "zz", "k": "kw"}, false, []int{r3}, nil},
	} {
		cand, passed, late := checked(rs, tc.ev)
		if late != tc.late {
			t.Errorf("%s: phase 1 probed %v, want %v", tc.name, late, tc.late)
		}
		var rules, reject []int
		for _, i := range cand {
			if i != r && i != r2 && i != r3 {
				continue
			}
			if slices.Contains(passed, i) {
				rules = append(rules, i)
			} else {
				reject = append(reject, i)
			}
		}
		if !slices.Equal(rules, tc.rules) || !slices.Equal(reject, tc.reject) {
			t.Errorf("%s: evaluated %v and dropped %v, want %v and %v", tc.name, rules, reject, tc.rules, tc.reject)
		}
		want := plain.Match(tc.ev, nil)
		if got := rs.Match(tc.ev, nil); !slices.Equal(got, want) {
			t.Errorf("%s: Match = %v, unindexed %v", tc.name, got, want)
		}
		if slices.Contains(want, q) != (tc.ev["Y"] == "Y" && tc.ev["P"] != nil) {
			t.Errorf("%s: rule q matched: %v", tc.name, want)
		}
	}
}

// TestChecksEpochWrap checks that a late check is not read after the
// epoch wraps around in the event whose epoch had its probe wanted
// before the wrap (scratch.wanted is cleared): Y holds in the second
// event, not probed, and must not drop r2.
func TestChecksEpochWrap(t *testing.T) {
	plans, _, r2, _, _ := checkRules()
	rs := mustRuleset(t, plans)
	x := newScratch(rs.shared, rs.index, rs.slots)
	rec := rs.NewRecord()
	match := func(ev Map) []int {
		rec.Reset(ev)
		return rs.matchRecord(x, rec, nil)
	}
	match(Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "z", "P": "a-long-exact-text-p"}) // epoch 1: Y's probe wanted
	x.epoch = math.MaxUint32                                                                                    // the next event wraps to epoch 1 again
	ev := Map{"A": "a-very-long-exact-text-aaaa", "Image": `c:\cmd.exe`, "Y": "y"}
	if got := match(ev); !slices.Contains(got, r2) {
		t.Errorf("after the wrap: %v matches %v, not rule %d", ev, got, r2)
	}
}
