package constfold

import (
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestNode checks the folding of one node, and that the input is left as
// it was.
func TestNode(t *testing.T) {
	a := ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpExists})
	b := ir.P(&ir.Pred{Field: ir.F("b"), Cmp: ir.CmpExists})
	yes, no := ir.Const(true), ir.Const(false)
	tests := []struct {
		in      *ir.Expr
		want    string
		changed bool
	}{
		{ir.Not(yes), "false", true},
		{ir.Not(no), "true", true},
		{ir.Not(a), "(not a exists)", false},
		{ir.And(a, no, b), "false", true},
		{ir.And(a, yes, b), "(and a exists b exists)", true},
		{ir.And(yes, yes), "true", true},
		{ir.And(), "true", true},
		{ir.And(a, b), "(and a exists b exists)", false},
		{ir.Or(a, yes), "true", true},
		{ir.Or(no, a, no), "(or a exists)", true},
		{ir.Or(no), "false", true},
		{ir.Or(), "false", true},
		{ir.Or(a, b), "(or a exists b exists)", false},
		{a, "a exists", false},
	}
	for _, tt := range tests {
		before := tt.in.String()
		got, changed := Node(tt.in)
		if got.String() != tt.want || changed != tt.changed {
			t.Errorf("Node(%s) = %s, %t; want %s, %t", before, got, changed, tt.want, tt.changed)
		}
		if !changed && got != tt.in {
			t.Errorf("Node(%s): unchanged but a new node", before)
		}
		if tt.in.String() != before {
			t.Errorf("Node(%s) changed its input to %s", before, tt.in)
		}
	}
}
