package match

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// fuzzPaths are jsonPaths and short paths that fuzzed inputs reach often.
var fuzzPaths = append(slices.Clone(jsonPaths), "b", "b.a", "c", "c.c.c", "0", "a.a", "a.b.c.a")

// lazyRuleset returns a ruleset that only tests paths for true, so that
// the rule index probes none of them and ResetJSON leaves their
// arrays, objects and escaped strings in the text until they are read.
func lazyRuleset(t testing.TB, paths []string) *Ruleset {
	t.Helper()
	var plans []*plan.Node
	var rules []*ir.Rule
	for _, s := range paths {
		on := []*Path{NewPath(s)}
		plans = append(plans, &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Bools: []bool{true}}})
		rules = append(rules, &ir.Rule{Meta: ir.Meta{ID: s + "=true"}})
	}
	rs, err := newRuleset(rules, plans)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// FuzzResetJSON checks that ResetJSON agrees with ParseJSON and Reset on
// any input: the same error or none, the same value at every path, the
// same values visited by Each and the same rules matched, with a fresh
// record and with one reused across inputs, for a ruleset whose index
// probes its paths (decoded at once) and one whose index does not
// (decoded on first use).
func FuzzResetJSON(f *testing.F) {
	for _, c := range resetJSONCases {
		f.Add([]byte(c.json))
	}
	f.Add([]byte(sysmonEvent))
	f.Add([]byte(ecsEvent))
	rs, paths := jsonRuleset(f, fuzzPaths, true)
	lazy := lazyRuleset(f, fuzzPaths)
	reused, reusedLazy := rs.NewRecord(), lazy.NewRecord()
	f.Fuzz(func(t *testing.T, data []byte) {
		checkResetJSON(t, rs, rs.NewRecord(), paths, data)
		checkResetJSON(t, rs, reused, paths, data)
		checkResetJSON(t, lazy, lazy.NewRecord(), paths, data)
		checkResetJSON(t, lazy, reusedLazy, paths, data)
	})
}

// TestResetJSONLazy checks that slots no index probe reads keep their
// arrays, objects and escaped strings in the text until they are looked
// up, and that a plain string is held at once.
func TestResetJSONLazy(t *testing.T) {
	rs := lazyRuleset(t, []string{"a", "b", "c", "c.c", "d"})
	r := rs.NewRecord()
	if err := r.ResetJSON([]byte(`{"a":["p\\q"],"b":"c\\d","c":{"c":1},"d":"plain"}`)); err != nil {
		t.Fatal(err)
	}
	lazy := map[string]bool{}
	for _, it := range r.items {
		lazy[r.st.paths[it.slot].String()] = it.lazy > 0
	}
	if want := map[string]bool{"a": true, "b": true, "c": true, "c.c": false, "d": false}; fmt.Sprint(lazy) != fmt.Sprint(want) {
		t.Errorf("lazy slots %v, want %v", lazy, want)
	}
	for path, want := range map[string]string{"a": "[p\\q]", "b": "c\\d", "c": "map[c:1]", "d": "plain"} {
		if v, ok := r.Lookup(NewPath(path)); !ok || fmt.Sprint(v) != want {
			t.Errorf("Lookup(%s) = %v, %v; want %s", path, v, ok, want)
		}
	}
}
