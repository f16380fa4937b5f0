package eql

import (
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// FuzzParse checks that no query makes the parser panic, that every error
// is an *ir.Error at a position inside the query, and that every
// expression is well formed. It calls parse, not Parse, so that a panic is
// not turned into an error. Seeds are in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.query)
	}
	for _, tt := range errorTests {
		f.Add(tt.query)
	}
	f.Fuzz(func(t *testing.T, query string) {
		x, _, err := parse("f.eql", query)
		if err != nil {
			if x != nil {
				t.Errorf("Parse(%q) returned both %s and error %v", query, x, err)
			}
			checkError(t, query, err)
			return
		}
		checkExpr(t, query, x)
	})
}

// checkExpr checks that x is a well-formed expression.
func checkExpr(t *testing.T, query string, x *ir.Expr) {
	t.Helper()
	if x == nil {
		t.Fatalf("Parse(%q) returned neither an expression nor an error", query)
	}
	ir.Walk(x, func(n *ir.Expr) bool {
		switch n.Op {
		case ir.OpAnd, ir.OpOr:
			if len(n.Args) < 2 {
				t.Errorf("Parse(%q): %s has %d arguments", query, n.Op, len(n.Args))
			}
		case ir.OpNot:
			if len(n.Args) != 1 {
				t.Errorf("Parse(%q): not has %d arguments", query, len(n.Args))
			}
		case ir.OpPred:
			if n.Pred == nil || n.Pred.Field.Name == "" || n.Pred.Cmp == ir.CmpInvalid {
				t.Errorf("Parse(%q): bad predicate %v", query, n.Pred)
			}
		case ir.OpTrue, ir.OpFalse:
		default:
			t.Errorf("Parse(%q): bad node %v", query, n.Op)
		}
		return true
	})
}
