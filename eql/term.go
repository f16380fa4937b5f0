package eql

import (
	"math"
	"strconv"

	"github.com/ruleforge/ruleforge/ir"
)

// This file builds computed operands (ir.Term); fold.go folds constant
// ones.

// apply returns fn applied to args: a constant when every argument is
// one, a computed operand of the given kind otherwise. pos is where the
// call or the operator is, for errors and for the result.
func (l *lowerer) apply(fn ir.Fn, fold bool, pos position, name string, kind ir.Kind, args ...operand) (operand, error) {
	constant := true
	for _, a := range args {
		constant = constant && a.isConst()
	}
	if constant {
		return evalConst(fn, fold, pos, args)
	}
	t := &ir.Term{Fn: fn, Fold: fold}
	for _, a := range args {
		t.Args = append(t.Args, asTerm(a))
	}
	return operand{pos: pos, term: t, kind: kind, name: name}, nil
}

// asTerm returns the operand as a term. A float constant with an integral
// value (4.0) is written number("4.0"): ir.Value does not tell an integer
// from a float, and the compiler takes integral numbers for integers,
// which would turn divide(4.0, n) into an integer division.
func asTerm(o operand) *ir.Term {
	switch {
	case o.field != nil:
		return &ir.Term{Fn: ir.FnField, Field: *o.field}
	case o.term != nil:
		return o.term
	case o.float && o.val.Num.Float64() == math.Trunc(o.val.Num.Float64()):
		text := strconv.FormatFloat(o.val.Num.Float64(), 'f', 1, 64)
		return &ir.Term{Fn: ir.FnNumber, Args: []*ir.Term{{Fn: ir.FnConst, Value: ir.Str(text)}}}
	}
	return &ir.Term{Fn: ir.FnConst, Value: *o.val}
}

// subjectPred returns a predicate on o, a field or a computed operand.
func subjectPred(o operand, cmp ir.Cmp, cs bool, values []ir.Value, right *ir.Term) *ir.Pred {
	p := &ir.Pred{Cmp: cmp, CaseSensitive: cs, Values: values, Right: right}
	if o.field != nil {
		p.Field = *o.field
	} else {
		p.Left = asTerm(o)
		p.Field = ir.F(p.Left.String())
	}
	return p
}

// pred returns the predicate cmp on o against constant values or, when
// right is not nil, against right's value. A predicate on a computed
// operand, or against one, is what Elasticsearch runs as a script; it is
// recorded with the condition under which its value is not null.
func (l *lowerer) pred(o operand, cmp ir.Cmp, cs bool, values []ir.Value, right *operand) *ir.Expr {
	var r *ir.Term
	if right != nil {
		r = asTerm(*right)
	}
	x := ir.P(subjectPred(o, cmp, cs, values, r))
	if o.field == nil || right != nil {
		d := present(o)
		if right != nil {
			d = conj(d, present(*right))
		}
		if d != nil {
			l.defined[x] = d
		}
	}
	return x
}

// null returns the condition whose value is null: false, and false under
// not too.
func (l *lowerer) null() *ir.Expr {
	x := ir.Const(false)
	l.defined[x] = ir.Const(false)
	return x
}

// present returns the condition that o is not null, or nil when o is a
// constant. For a computed operand it is a match of any value ("*"),
// which passes for any string, number or boolean the operand computes.
func present(o operand) *ir.Expr {
	switch {
	case o.field != nil:
		return exists(*o.field)
	case o.term != nil:
		p := &ir.Pred{Field: ir.F(o.term.String()), Left: o.term, Cmp: ir.CmpGlob, Values: []ir.Value{ir.Glob(pattern("*"))}, CaseSensitive: true}
		return ir.P(p).Clone()
	case o.isNull():
		return ir.Const(false)
	}
	return nil
}

// conj returns the conjunction of the conditions that are not nil, or nil
// when there are none.
func conj(xs ...*ir.Expr) *ir.Expr {
	var args []*ir.Expr
	for _, x := range xs {
		switch {
		case x == nil:
		case x.Op == ir.OpFalse:
			return x
		case x.Op == ir.OpAnd:
			args = append(args, x.Args...)
		default:
			args = append(args, x)
		}
	}
	switch len(args) {
	case 0:
		return nil
	case 1:
		return args[0]
	}
	return ir.And(args...)
}

// guard gives the negation of a script Elasticsearch's semantics: a
// script whose value is null does not match, and not of it does not match
// either. Elasticsearch runs not P, where P is a script, as the script
// not(P), which is null when P is; other negations are query negations
// (must_not), under which what did not match does. So an odd run of nots
// directly above a script P becomes (and D (not P)), D the condition that
// P is not null. Like Elasticsearch, an even run cancels out.
func (l *lowerer) guard(x *ir.Expr) *ir.Expr {
	switch x.Op {
	case ir.OpAnd, ir.OpOr:
		for i, a := range x.Args {
			x.Args[i] = l.guard(a)
		}
	case ir.OpNot:
		n, y := 0, x
		for y.Op == ir.OpNot {
			n++
			y = y.Args[0]
		}
		d, script := l.defined[y]
		switch {
		case !script:
			l.guard(y)
		case n%2 == 0:
		case d.Op == ir.OpFalse:
			return ir.Const(false)
		default:
			return conj(d, ir.Not(y))
		}
	}
	return x
}

// kindNames name the value types in errors.
var kindNames = map[ir.Kind]string{ir.KindString: "a string", ir.KindNumber: "a number", ir.KindBool: "a boolean"}

// wantKind checks that o can be of kind k: a field (whose type is not known
// before the event is), null, or a constant or computed value of that
// kind. A condition is not a value; in says where o is, for the error.
func wantKind(o operand, k ir.Kind, in string) error {
	if o.cond != nil {
		return unsupported(o.pos, "%s as %s", o, in)
	}
	if ok := o.valueKind(); ok != ir.KindInvalid && ok != ir.KindNull && ok != k {
		return ir.Errorf(toPos(o.pos), "unexpected %s (expected %s)", o, kindNames[k])
	}
	return nil
}
