package compile

import (
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestLayoutSharedTest lays out two plans whose different nodes hold one
// Test (a front end may build them so; share merges only equal nodes):
// the copies hold one copy of it, as layout's doc says, not one each.
// TestLayout's rules have no such nodes.
func TestLayoutSharedTest(t *testing.T) {
	test := &plan.Test{Name: "Image", Paths: []*plan.Path{plan.NewPath("Image")}, Strings: []matcher.Matcher{matcher.NewSuffix(`\cmd.exe`, true)}}
	other := &plan.Test{Name: "User", Paths: []*plan.Path{plan.NewPath("User")}, Strings: []matcher.Matcher{matcher.NewExact("system", true)}}
	a := &plan.Node{Op: ir.OpPred, Test: test}
	b := &plan.Node{Op: ir.OpPred, Test: test}
	plans := []*plan.Node{
		{Op: ir.OpAnd, Kids: []*plan.Node{a, {Op: ir.OpPred, Test: other}}},
		{Op: ir.OpNot, Kids: []*plan.Node{b}},
	}
	copies := layout(plans)
	ca, cb := copies[0].Kids[0], copies[1].Kids[0]
	if ca == cb {
		t.Fatalf("nodes %p and %p merged into %p", a, b, ca)
	}
	if ca.Test == test || ca.Test != cb.Test || ca.Test.String() != test.String() {
		t.Errorf("test %s copied as %p (%s) and %p, want one copy of %p", test, ca.Test, ca.Test, cb.Test, test)
	}
}
