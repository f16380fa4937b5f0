package match

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestGroupKeys checks groupKeys on rules whose keys come first used
// field by field in turn (Image, CommandLine, Image, …): the index's
// keys are numbered by field, then kind and text, so that one probe's
// keys are neighbors in scratch.Fire's tables; and each rule's gate,
// renumbered, still names its own keys, clause by clause, in their
// place (Gate, as ruleforge explain prints it).
func TestGroupKeys(t *testing.T) {
	plans := []*plan.Node{
		strTest("Image", matcher.NewSuffix(`\b.exe`, true)),
		strTest("CommandLine", matcher.NewContains("-z", true)),
		ixOp(ir.OpAnd, strTest("Image", matcher.NewSuffix(`\a.exe`, true)), strTest("CommandLine", matcher.NewContains("-y", true), matcher.NewExact("x", true))),
		numTest("EventID", 4688),
		strTest("CommandLine", matcher.NewContains("-a", true)),
	}
	want := [][][]string{
		{{`Image ends~ "\b.exe"`}},
		{{`CommandLine contains~ "-z"`}},
		{{`Image ends~ "\a.exe"`}, {`CommandLine contains~ "-y"`, `CommandLine equals~ "x"`}},
		{{`EventID number 4688`}},
		{{`CommandLine contains~ "-a"`}},
	}
	rs := mustRuleset(t, plans)
	keys := rs.index.keys
	if !slices.IsSortedFunc(keys, func(a, b ixKey) int {
		return cmp.Or(strings.Compare(a.field, b.field), cmp.Compare(a.kind, b.kind), strings.Compare(a.text, b.text))
	}) {
		t.Errorf("keys not numbered by field, kind and text: %+v", keys)
	}
	for i, w := range want {
		got, ok := rs.Gate(i)
		for _, c := range got {
			slices.Sort(c) // the order of a clause's keys follows costs
		}
		for _, c := range w {
			slices.Sort(c)
		}
		slices.SortFunc(got, slices.Compare)
		slices.SortFunc(w, slices.Compare)
		if !ok || !slices.EqualFunc(got, w, slices.Equal) {
			t.Errorf("rule %d: Gate = %q, %v; want %q", i, got, ok, w)
		}
	}
}
