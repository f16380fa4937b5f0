package compile

import (
	"github.com/ruleforge/ruleforge/ir"
)

// flatten lifts the operands of an and inside an and (or inside an or) into
// their parent, removes double negation and replaces a one-operand and/or
// with its operand.
func flatten(x *ir.Expr) (*ir.Expr, bool) {
	return rebuild(x, flattenNode)
}

// flattenNode flattens one node whose operands are already flat.
func flattenNode(x *ir.Expr) (*ir.Expr, bool) {
	switch x.Op {
	case ir.OpNot:
		if a := x.Args[0]; a.Op == ir.OpNot {
			return a.Args[0], true
		}
	case ir.OpAnd, ir.OpOr:
		if len(x.Args) == 1 {
			return x.Args[0], true
		}
		nested := false
		for _, a := range x.Args {
			if a.Op == x.Op {
				nested = true
				break
			}
		}
		if !nested {
			return x, false
		}
		args := make([]*ir.Expr, 0, len(x.Args)+4)
		for _, a := range x.Args {
			if a.Op == x.Op {
				args = append(args, a.Args...)
			} else {
				args = append(args, a)
			}
		}
		return &ir.Expr{Op: x.Op, Args: args}, true
	}
	return x, false
}
