package eql

import (
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// categoryField is the field an event category is compared with.
const categoryField = "event.category"

// lowerer turns a parsed query into an IR expression. Errors are reported
// in source order: the first error or unsupported construct wins.
type lowerer struct {
	// defined holds the nodes Elasticsearch runs as scripts (computed
	// operands), each with the condition under which its value is not
	// null. A script whose value is null does not match, and neither does
	// its negation: guard rewrites the nots above these nodes.
	defined map[*ir.Expr]*ir.Expr
}

// lower turns a parsed query into an IR expression, or the constant
// false and the rule's State for a sequence or a sample.
func lower(q *query) (x *ir.Expr, st ir.Stateful, err error) {
	switch {
	case q.Sequence != nil:
		x = ir.Const(false)
		st, err = lowerSequence(q.Sequence)
	case q.Sample != nil:
		x = ir.Const(false)
		st, err = lowerSample(q.Sample)
	default:
		x, err = lowerEvent(q.Event)
	}
	for _, p := range q.Pipes {
		if err != nil || st != nil && limitPipe(p) {
			continue
		}
		err = unsupported(p.Pos, "pipe %s", p.Name)
	}
	if err != nil {
		return nil, nil, err
	}
	return x, st, nil
}

// lowerEvent turns an event query ("<category> where <cond>") into an IR
// expression.
func lowerEvent(e *eventQuery) (*ir.Expr, error) {
	l := &lowerer{defined: map[*ir.Expr]*ir.Expr{}}
	x, err := l.or(e.Cond)
	if err != nil {
		return nil, err
	}
	x = l.guard(x)
	if e.Any {
		return x, nil
	}
	cat := e.Category
	if strings.HasPrefix(cat, `"`) {
		s, serr := unquote(cat)
		if serr != nil {
			return nil, ir.Errorf(toPos(e.Pos), "%s", serr.msg)
		}
		cat = s
	}
	pred := ir.P(&ir.Pred{Field: ir.F(categoryField), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str(cat)}, CaseSensitive: true})
	if x.Op == ir.OpAnd {
		return ir.And(append([]*ir.Expr{pred}, x.Args...)...), nil
	}
	return ir.And(pred, x), nil
}

// or lowers a disjunction.
func (l *lowerer) or(o *orExpr) (*ir.Expr, error) {
	args := make([]*ir.Expr, len(o.Terms))
	for i, t := range o.Terms {
		x, err := l.and(t)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	if len(args) == 1 {
		return args[0], nil
	}
	return ir.Or(args...), nil
}

// and lowers a conjunction.
func (l *lowerer) and(a *andExpr) (*ir.Expr, error) {
	args := make([]*ir.Expr, len(a.Terms))
	for i, t := range a.Terms {
		x, err := l.comparison(t.Cmp)
		if err != nil {
			return nil, err
		}
		for range t.Nots {
			x = ir.Not(x)
		}
		args[i] = x
	}
	if len(args) == 1 {
		return args[0], nil
	}
	return ir.And(args...), nil
}

// comparison lowers one comparison: an operand with an infix operator, in
// or a match operator, or an operand alone (a condition, true or false).
func (l *lowerer) comparison(c *comparison) (*ir.Expr, error) {
	left, err := l.arith(c.Left)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Infix != nil:
		right, err := l.arith(c.Infix.Right)
		if err != nil {
			return nil, err
		}
		return l.infix(left, c.Infix.Op, right)
	case c.In != nil:
		return l.in(left, c.In)
	case c.Match != nil:
		return l.match(left, c.Match)
	}
	switch {
	case left.cond != nil:
		return left.cond, nil
	case left.val != nil && left.val.Kind == ir.KindBool:
		return ir.Const(left.val.Bool), nil
	}
	return nil, ir.Errorf(toPos(left.pos), "unexpected %s (expected a condition)", left)
}

// orderCmps are the comparisons of the ordering operators, and flipped
// the operator that compares the same with its operands swapped.
var (
	orderCmps = map[string]ir.Cmp{"<": ir.CmpLT, "<=": ir.CmpLE, ">": ir.CmpGT, ">=": ir.CmpGE}
	flipped   = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
)

// infix lowers left op right, op one of == != < <= > >=.
func (l *lowerer) infix(left operand, op string, right operand) (*ir.Expr, error) {
	if left.cond != nil || right.cond != nil {
		return l.compareCondition(left, op, right)
	}
	_, order := orderCmps[op]
	if order {
		for _, o := range []operand{left, right} {
			if k := o.valueKind(); o.isConst() && k != ir.KindNumber && k != ir.KindString && k != ir.KindNull {
				return nil, ir.Errorf(toPos(o.pos), "unexpected %s (expected a number or a string)", o)
			}
		}
		if left.isNull() || right.isNull() {
			return l.null(), nil // null < anything is null
		}
	}
	if left.isConst() && !right.isConst() || left.isNull() {
		// A constant goes on the right, as Elasticsearch puts it; null
		// compares with anything there.
		left, right = right, left
		op = flipped[op]
	}
	if right.isNull() { // f == null, f != null
		x := nullTest(left)
		if op == "!=" {
			x = negate(x)
		}
		return x, nil
	}
	if left.isConst() {
		cmp := ir.CmpEqual
		if order {
			cmp = orderCmps[op]
		}
		eq := compareConst(cmp, false, *left.val, *right.val)
		return ir.Const(eq != (op == "!=")), nil
	}
	if left.term != nil && right.isConst() {
		left, op, right = simplifyArith(left, op, right)
	}
	cmp := ir.CmpEqual
	if order {
		cmp = orderCmps[op]
	}
	var x *ir.Expr
	if right.isConst() {
		x = l.pred(left, cmp, true, []ir.Value{*right.val}, nil)
	} else {
		x = l.pred(left, cmp, true, nil, &right)
	}
	if op == "!=" {
		x = ir.Not(x)
	}
	return x, nil
}

// compareCondition lowers a comparison of a condition with true or false:
// cond == true is cond and cond == false is not cond, as Elasticsearch
// simplifies them.
func (l *lowerer) compareCondition(left operand, op string, right operand) (*ir.Expr, error) {
	if left.cond == nil {
		left, right = right, left
	}
	if (op != "==" && op != "!=") || right.val == nil || right.val.Kind != ir.KindBool {
		return nil, unsupported(left.pos, "%s as an operand of %s", left, op)
	}
	x := left.cond
	if right.val.Bool != (op == "==") {
		x = ir.Not(x)
	}
	return x, nil
}

// negate returns not x, unwrapping x when it is a negation already and
// folding a constant.
func negate(x *ir.Expr) *ir.Expr {
	switch x.Op {
	case ir.OpNot:
		return x.Args[0]
	case ir.OpTrue, ir.OpFalse:
		return ir.Const(x.Op == ir.OpFalse)
	}
	return ir.Not(x)
}

// exists returns "f exists".
func exists(f ir.Field) *ir.Expr { return ir.P(&ir.Pred{Field: f, Cmp: ir.CmpExists}) }

// nullTest returns the condition that o is null: a field that is missing,
// a computed value whose input is missing or that is undefined for it.
func nullTest(o operand) *ir.Expr {
	if o.isConst() {
		return ir.Const(o.isNull())
	}
	return ir.Not(present(o))
}

// unsupported returns the error for a construct that parses but is not
// lowered yet.
func unsupported(p position, format string, args ...any) error {
	return ir.Unsupported(toPos(p), format, args...)
}
