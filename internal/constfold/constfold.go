// Package constfold folds the boolean constants of one ir.Expr node: the
// rule shared by compile's optimizer pass (compile/constfold.go), which
// applies it bottom up, and the Sigma front end, which builds log source
// routes already folded (sigma/route.go).
package constfold

import "github.com/ruleforge/ruleforge/ir"

// Node folds x, whose operands are already folded: an and with a false
// operand is false and drops true operands, an or with a true operand is
// true and drops false ones, an empty and is true, an empty or false, not
// of a constant its opposite. It returns x itself and false when nothing
// folds; it never changes x.
func Node(x *ir.Expr) (*ir.Expr, bool) {
	switch x.Op {
	case ir.OpNot:
		switch x.Args[0].Op {
		case ir.OpTrue:
			return ir.Const(false), true
		case ir.OpFalse:
			return ir.Const(true), true
		}
	case ir.OpAnd, ir.OpOr:
		absorb, unit := ir.OpFalse, ir.OpTrue // and
		if x.Op == ir.OpOr {
			absorb, unit = ir.OpTrue, ir.OpFalse
		}
		keep := 0
		for _, a := range x.Args {
			if a.Op == absorb {
				return ir.Const(absorb == ir.OpTrue), true
			}
			if a.Op != unit {
				keep++
			}
		}
		if keep == 0 {
			return ir.Const(unit == ir.OpTrue), true
		}
		if keep == len(x.Args) {
			return x, false
		}
		args := make([]*ir.Expr, 0, keep)
		for _, a := range x.Args {
			if a.Op != unit {
				args = append(args, a)
			}
		}
		return &ir.Expr{Op: x.Op, Args: args}, true
	}
	return x, false
}
