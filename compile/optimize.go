package compile

import (
	"github.com/ruleforge/ruleforge/ir"
)

// pass is one optimizer pass: it returns an equivalent expression and
// whether it changed anything. Passes may rebuild nodes but never mutate
// their input, so the caller's rule is left as it was.
type pass func(*ir.Expr) (*ir.Expr, bool)

// Simplify returns an expression equivalent to x after the optimizer
// passes: flatten nested and/or and double negations, fold constants,
// remove duplicate operands and merge the values of predicates on the same
// field, comparison and case mode under one or. x is not changed.
func Simplify(x *ir.Expr) *ir.Expr {
	// The passes run in this order, repeatedly, until none changes
	// anything or maxPasses rounds have run.
	fs := newForms()
	defer fs.release()
	passes := []pass{flatten, foldConst, dedup(fs), mergeValues}
	for range maxPasses {
		changed := false
		for _, p := range passes {
			var c bool
			x, c = p(x)
			changed = changed || c
		}
		if !changed {
			break
		}
	}
	return x
}

// rebuild applies f to every operand of x, bottom up, and returns x or a
// copy with the new operands.
func rebuild(x *ir.Expr, f pass) (*ir.Expr, bool) {
	if len(x.Args) == 0 {
		return f(x)
	}
	var args []*ir.Expr
	changed := false
	for i, a := range x.Args {
		b, c := rebuild(a, f)
		if c && args == nil {
			args = append(make([]*ir.Expr, 0, len(x.Args)), x.Args[:i]...)
		}
		if args != nil {
			args = append(args, b)
		}
		changed = changed || c
	}
	if changed {
		x = &ir.Expr{Op: x.Op, Args: args, Pred: x.Pred}
	}
	y, c := f(x)
	return y, changed || c
}
