package compile

import (
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// dedup returns the pass that removes the operands of an and/or that
// repeat an earlier operand (same printed form), keeping the first; it
// prints with pr.
func dedup(pr printer) pass {
	return func(x *ir.Expr) (*ir.Expr, bool) {
		return rebuild(x, pr.dedupNode)
	}
}

// printer holds the one-line printed forms (ir.Expr.String) of the
// expressions that one Simplify has compared, made once each: the rounds
// keep the operands they do not change, and an operand's form is made of
// its own operands'.
type printer map[*ir.Expr]string

// print returns x.String(), made from the forms of x's operands.
func (pr printer) print(x *ir.Expr) string {
	if s, ok := pr[x]; ok {
		return s
	}
	var s string
	switch {
	case x == nil || x.Op == ir.OpPred || x.Op == ir.OpTrue || x.Op == ir.OpFalse:
		s = x.String()
	default:
		var b strings.Builder
		b.WriteByte('(')
		b.WriteString(x.Op.String())
		for _, a := range x.Args {
			b.WriteByte(' ')
			b.WriteString(pr.print(a))
		}
		b.WriteByte(')')
		s = b.String()
	}
	pr[x] = s
	return s
}

// dedupNode deduplicates the operands of one node. Printing an operand
// prints its whole subtree, so only operands of one shape (shapeOf) are
// printed and compared: most nodes have none alike.
func (pr printer) dedupNode(x *ir.Expr) (*ir.Expr, bool) {
	if (x.Op != ir.OpAnd && x.Op != ir.OpOr) || len(x.Args) < 2 {
		return x, false
	}
	shapes := make(map[shape]int, len(x.Args))
	alike := false
	for _, a := range x.Args {
		s := shapeOf(a)
		shapes[s]++
		alike = alike || shapes[s] > 1
	}
	if !alike {
		return x, false
	}
	seen := map[string]bool{}
	var args []*ir.Expr
	for i, a := range x.Args {
		if shapes[shapeOf(a)] > 1 {
			k := pr.print(a)
			if seen[k] {
				if args == nil {
					args = append([]*ir.Expr(nil), x.Args[:i]...)
				}
				continue
			}
			seen[k] = true
		}
		if args != nil {
			args = append(args, a)
		}
	}
	if args == nil {
		return x, false
	}
	return &ir.Expr{Op: x.Op, Args: args}, true
}

// shape is what two expressions that print alike share, found without
// printing them: the op, and the field, comparison and number of values
// of a predicate or the number of operands of a node.
type shape struct {
	op   ir.Op
	name string
	cmp  ir.Cmp
	n    int
}

// shapeOf returns the shape of x.
func shapeOf(x *ir.Expr) shape {
	if p := x.Pred; p != nil {
		return shape{op: x.Op, name: p.Field.Name, cmp: p.Cmp, n: len(p.Values)}
	}
	return shape{op: x.Op, n: len(x.Args)}
}
