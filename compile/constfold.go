package compile

import (
	"github.com/ruleforge/ruleforge/internal/constfold"
	"github.com/ruleforge/ruleforge/ir"
)

// foldConst evaluates constants bottom up (constfold.Node): an and with a
// false operand is false and drops true operands, an or with a true operand
// is true and drops false ones, an empty and is true, an empty or false,
// not of a constant its opposite.
func foldConst(x *ir.Expr) (*ir.Expr, bool) {
	return rebuild(x, constfold.Node)
}
