package compile

import (
	"github.com/ruleforge/ruleforge/ir"
)

// dedup removes the operands of an and/or that repeat an earlier operand
// (same printed form), keeping the first.
func dedup(x *ir.Expr) (*ir.Expr, bool) {
	return rebuild(x, dedupNode)
}

// dedupNode deduplicates the operands of one node.
func dedupNode(x *ir.Expr) (*ir.Expr, bool) {
	if (x.Op != ir.OpAnd && x.Op != ir.OpOr) || len(x.Args) < 2 {
		return x, false
	}
	seen := make(map[string]bool, len(x.Args))
	var args []*ir.Expr
	for i, a := range x.Args {
		k := a.String()
		if seen[k] {
			if args == nil {
				args = append([]*ir.Expr(nil), x.Args[:i]...)
			}
			continue
		}
		seen[k] = true
		if args != nil {
			args = append(args, a)
		}
	}
	if args == nil {
		return x, false
	}
	return &ir.Expr{Op: x.Op, Args: args}, true
}
