package match

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestKills matches events against rules of the shape "selection and not
// filter", indexed and not, and checks which candidates a kill drops
// before evaluation (kills.go): where a fired key shows that the filter
// holds, and never where the key fired at another path than the one the
// filter reads or at a path of another field that took the filter
// field's probe (supersets) and holds another value, where the matcher
// is case-sensitive, where the key
// is a long text's end, where the matcher is a glob, or where the value
// is not ASCII.
func TestKills(t *testing.T) {
	image := []string{"Image", "process.executable"}
	sel := func() *plan.Node { return strTest("CommandLine", matcher.NewContains("run", true)) }
	not := func(n *plan.Node) *plan.Node { return ixOp(ir.OpNot, n) }
	star := ir.Piece{Kind: ir.PieceStar}
	pat := append(append(append(ir.Pattern{star}, ir.Lit(`\x`)...), star), ir.Lit(".exe")...)
	glob, err := matcher.NewGlob(pat, true) // *\x*.exe
	if err != nil {
		t.Fatal(err)
	}
	plans := []*plan.Node{
		// 0: one path: the key "\" fired shows the filter holds.
		ixOp(ir.OpAnd, sel(), not(strTest("Image", matcher.NewContains(`\`, true)))),
		// 1: two paths, the first present read.
		ixOp(ir.OpAnd, sel(), not(pathsTest(image, matcher.NewContains(`\`, true)))),
		// 2: a case-sensitive filter: its key is its text folded.
		ixOp(ir.OpAnd, sel(), not(strTest("Image", matcher.NewContains("ABC", false)))),
		// 3: a long text: its key is its end.
		ixOp(ir.OpAnd, sel(), not(strTest("Image", matcher.NewContains(`\windows\system32\tasks\`, true)))),
		// 4: a filter of two tests, in an or under the not.
		ixOp(ir.OpAnd, sel(), not(ixOp(ir.OpOr, strTest("Image", matcher.NewSuffix(".exe", true)), strTest("Image", matcher.NewPrefix(`c:\windows\`, true))))),
		// 5: a glob needs its longest literal, not only.
		ixOp(ir.OpAnd, sel(), not(strTest("Image", glob))),
		// 6, 7: keys of first clauses at Image and process.executable,
		// which are then probed in phase 0, as a kill needs.
		strTest("Image", matcher.NewSuffix(`\z.exe`, true)),
		pathsTest(image, matcher.NewSuffix(`\q.exe`, true)),
	}
	// The slot process.executable holds the keys of field X and of
	// Image's field (Image, then process.executable), and the slot Image
	// those of Image's field only: it takes process.executable's probe (a
	// superset), and X's key "\" fires at Image's path, which X does not
	// read: the kill reads Image too.
	supersets := []*plan.Node{
		pathsTest(image, matcher.NewSuffix(`\a.exe`, true), matcher.NewSuffix(`\c.exe`, true)),
		ixOp(ir.OpAnd, strTest("process.executable", matcher.NewSuffix("b.exe", true)), not(strTest("process.executable", matcher.NewContains(`\`, true)))),
	}
	sets := []struct {
		plans []*plan.Node
		kills []int // per rule
	}{{plans, []int{1, 1, 0, 0, 2, 0, 0, 0}}, {supersets, []int{0, 1}}}
	var rs, plain [2]*Ruleset
	for i, set := range sets {
		rs[i], plain[i] = mustRuleset(t, set.plans), mustRuleset(t, set.plans, withIndex(false))
		ix := rs[i].index
		for r, want := range set.kills {
			if got := int(ix.killAt[r+1] - ix.killAt[r]); got != want {
				t.Errorf("set %d, rule %d: %d kills, want %d", i, r, got, want)
			}
		}
	}
	if pr := rs[1].index.probes[0]; pr[rs[1].slots.slotOf(ixPath("Image"))] != pr[rs[1].slots.slotOf(ixPath("process.executable"))] {
		t.Errorf("the supersets' slots do not share a probe")
	}
	for _, tc := range []struct {
		name   string
		set    int
		ev     Map
		killed []int // candidates a kill drops
	}{
		{"filter holds", 0, Map{"CommandLine": "run", "Image": `C:\x.exe`}, []int{0, 1, 4}},
		{"filter fails", 0, Map{"CommandLine": "run", "Image": "abc.dll"}, nil},
		{"no image", 0, Map{"CommandLine": "run"}, nil},
		{"key at the second path", 0, Map{"CommandLine": "run", "Image": "x.dll", "process.executable": `c:\x.dll`}, nil},
		{"the same string at both paths", 0, Map{"CommandLine": "run", "Image": `c:\x.dll`, "process.executable": `c:\x.dll`}, []int{0, 1}},
		{"not ASCII", 0, Map{"CommandLine": "run", "Image": `C:\İ\x.exe`}, nil},
		{"the end of a long text", 0, Map{"CommandLine": "run", "Image": `c:\system32\tasks\`}, []int{0, 1}},
		{"a prefix", 0, Map{"CommandLine": "run", "Image": `C:\Windows\x.dll`}, []int{0, 1, 4}},
		{"a glob's literal", 0, Map{"CommandLine": "run", "Image": `c:\y.exe`}, []int{0, 1, 4}},
		{"a superset's key", 1, Map{"Image": `c:\y\c.exe`, "process.executable": "b.exe"}, nil},
		{"a superset's key, its own value", 1, Map{"process.executable": `c:\b.exe`}, []int{1}},
		{"a superset's key, the same value", 1, Map{"Image": `c:\b.exe`, "process.executable": `c:\b.exe`}, []int{1}},
		{"a superset's key, a number there", 1, Map{"Image": 7, "process.executable": `c:\b.exe`}, nil},
		{"not a string", 0, Map{"CommandLine": "run", "Image": []any{"x", `c:\y`}}, nil},
	} {
		cand, passed, _ := checked(rs[tc.set], tc.ev)
		var killed []int
		for _, r := range cand {
			if !slices.Contains(passed, r) {
				killed = append(killed, r)
			}
		}
		if !slices.Equal(killed, tc.killed) {
			t.Errorf("%s: killed %v, want %v (candidates %v)", tc.name, killed, tc.killed, cand)
		}
		if got, want := rs[tc.set].Match(tc.ev, nil), plain[tc.set].Match(tc.ev, nil); !slices.Equal(got, want) {
			t.Errorf("%s: indexed %v, unindexed %v", tc.name, got, want)
		}
	}
}

// TestKillsCutKey checks that a filter whose key gateKeys cut is not a
// kill where the cut falls inside a code point and leaves a key shorter
// than the limit (tail, truncate): "xxx…" (15 bytes) fires the key of
// contains "aéxxx…" (its last 15 bytes), which the value does not hold,
// as "yyy…" (63) fires the key of a prefix cut before its "é".
func TestKillsCutKey(t *testing.T) {
	sel := func() *plan.Node { return strTest("CommandLine", matcher.NewContains("run", true)) }
	contains := "a\u00e9" + strings.Repeat("x", maxKeyLen-1)
	prefix := strings.Repeat("y", maxAnchoredLen-1) + "\u00e9z"
	plans := []*plan.Node{
		ixOp(ir.OpAnd, sel(), ixOp(ir.OpNot, strTest("Image", matcher.NewContains(contains, true)))),
		ixOp(ir.OpAnd, sel(), ixOp(ir.OpNot, strTest("Image", matcher.NewPrefix(prefix, true)))),
		ixOp(ir.OpAnd, sel(), ixOp(ir.OpNot, strTest("Image", matcher.NewContains(strings.Repeat("w", maxKeyLen), true)))),
		strTest("Image", matcher.NewSuffix(`\z.exe`, true)), // Image probed in phase 0
	}
	rs, plain := mustRuleset(t, plans), mustRuleset(t, plans, withIndex(false))
	for r, want := range []int{0, 0, 1, 0} {
		if got := int(rs.index.killAt[r+1] - rs.index.killAt[r]); got != want {
			t.Errorf("rule %d: %d kills, want %d", r, got, want)
		}
	}
	for _, image := range []string{strings.Repeat("x", maxKeyLen-1), strings.Repeat("y", maxAnchoredLen-1), "c" + contains, prefix, strings.Repeat("w", maxKeyLen+1)} {
		ev := Map{"CommandLine": "run", "Image": image}
		if got, want := rs.Match(ev, nil), plain.Match(ev, nil); !slices.Equal(got, want) {
			t.Errorf("Image %q: indexed %v, unindexed %v", image, got, want)
		}
	}
}

// TestKillsPaths checks kills, indexed against unindexed, where the
// filter's path is held both dotted and nested, through arrays of
// objects, with nulls, and repeated in JSON text (the last value read).
func TestKillsPaths(t *testing.T) {
	plans := []*plan.Node{
		ixOp(ir.OpAnd, strTest("CommandLine", matcher.NewContains("run", true)), ixOp(ir.OpNot, strTest("p.image", matcher.NewContains(`\`, true)))),
		strTest("p.image", matcher.NewSuffix(`\z.exe`, true)),
	}
	rs, plain := mustRuleset(t, plans), mustRuleset(t, plans, withIndex(false))
	for _, m := range []map[string]any{
		{"CommandLine": "run", "p.image": `c:\x`, "p": map[string]any{"image": "abc"}},
		{"CommandLine": "run", "p.image": `abc`, "p": map[string]any{"image": `c:\x`}},
		{"CommandLine": "run", "p": []any{map[string]any{"image": `c:\x`}, map[string]any{"image": "abc"}}},
		{"CommandLine": "run", "p": []any{map[string]any{"image": nil}, map[string]any{"image": `c:\x`}}},
	} {
		for _, ev := range []Event{Map(m), NewDoc(m)} {
			rec := rs.NewRecord()
			rec.Reset(ev)
			want := plain.Match(ev, nil)
			if got, viaRec := rs.Match(ev, nil), rs.MatchRecord(rec, nil); !slices.Equal(got, want) || !slices.Equal(viaRec, want) {
				t.Errorf("%T %v: indexed %v, record %v, unindexed %v", ev, m, got, viaRec, want)
			}
		}
	}
	for _, js := range []string{
		`{"CommandLine":"run","p":{"image":"c:\\x"},"p":{"image":"abc"}}`,
		`{"CommandLine":"run","p":{"image":"c:\\x","image":"abc"}}`,
		`{"CommandLine":"run","p":{"image":"abc","image":"c:\\x"}}`,
		`{"CommandLine":"run","p":{"image":"c:\\x"},"p":null}`,
	} {
		ev, err := ParseJSON([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		rec := rs.NewRecord()
		if err := rec.ResetJSON([]byte(js)); err != nil {
			t.Fatal(err)
		}
		if got, want := rs.MatchRecord(rec, nil), plain.Match(ev, nil); !slices.Equal(got, want) {
			t.Errorf("%s: indexed %v, unindexed %v", js, got, want)
		}
	}
}

// TestKillsMaxSlots checks the bound on the slots a kill reads beyond its
// filter's paths (maxKillSlots): a field of many paths and the filter's
// has keys at each, so that each path's slot takes the probe of the
// filter's (a superset); with one path too many, the rule has no kill,
// and the hits are the unindexed ruleset's either way.
func TestKillsMaxSlots(t *testing.T) {
	for _, n := range []int{maxKillSlots, maxKillSlots + 1} {
		paths := []string{"process.executable"}
		for i := range n {
			paths = append(paths, fmt.Sprintf("x%d", i))
		}
		plans := []*plan.Node{
			pathsTest(paths, matcher.NewSuffix(`\a.exe`, true), matcher.NewSuffix(`\c.exe`, true)),
			ixOp(ir.OpAnd, strTest("CommandLine", matcher.NewContains("run", true)), ixOp(ir.OpNot, strTest("process.executable", matcher.NewContains(`\`, true)))),
		}
		rs, plain := mustRuleset(t, plans), mustRuleset(t, plans, withIndex(false))
		pr := rs.index.probes[0]
		for _, p := range paths[1:] {
			if pr[rs.slots.slotOf(ixPath(p))] != pr[rs.slots.slotOf(ixPath(paths[0]))] {
				t.Fatalf("%d paths: %s does not share the probe of %s", n, p, paths[0])
			}
		}
		want := 0
		if n <= maxKillSlots {
			want = 1
		}
		if got := int(rs.index.killAt[2] - rs.index.killAt[1]); got != want {
			t.Errorf("%d other slots: %d kills, want %d", n, got, want)
		}
		for _, ev := range []Map{
			{"CommandLine": "run", "process.executable": `c:\b.exe`},
			{"CommandLine": "run", "process.executable": "b.exe", "x0": `c:\b.exe`},
			{"CommandLine": "run", "process.executable": `c:\b.exe`, "x3": `c:\b.exe`},
		} {
			if got, want := rs.Match(ev, nil), plain.Match(ev, nil); !slices.Equal(got, want) {
				t.Errorf("%d other slots, %v: indexed %v, unindexed %v", n, ev, got, want)
			}
		}
	}
}
