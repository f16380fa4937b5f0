package eql

import (
	"github.com/ruleforge/ruleforge/ir"
)

// simplifyArith moves integer constants out of an addition, subtraction
// or negation compared with an integer, as Elasticsearch's optimizer does
// (SimplifyComparisonsArithmetics): a + 1 > 5 is a > 4 and 10 - a == 3 is
// a == 7. When what remains is a field, the comparison is a query on the
// field rather than a script.
func simplifyArith(left operand, op string, right operand) (operand, string, operand) {
	for left.term != nil && isInteger(right) && smallInt(right.val.Num) {
		t, k := left.term, exactInt(right.val.Num)
		var x *ir.Term
		switch {
		case t.Fn == ir.FnNeg:
			x, k, op = t.Args[0], -k, flipped[op]
		case t.Fn == ir.FnAdd && intConst(t.Args[1]):
			x, k = t.Args[0], k-exactInt(t.Args[1].Value.Num)
		case t.Fn == ir.FnAdd && intConst(t.Args[0]):
			x, k = t.Args[1], k-exactInt(t.Args[0].Value.Num)
		case t.Fn == ir.FnSub && intConst(t.Args[1]):
			x, k = t.Args[0], k+exactInt(t.Args[1].Value.Num)
		case t.Fn == ir.FnSub && intConst(t.Args[0]):
			x, k, op = t.Args[1], exactInt(t.Args[0].Value.Num)-k, flipped[op]
		default:
			return left, op, right
		}
		if k < -1<<53 || k > 1<<53 { // beyond the exact integers of a double: leave it
			return left, op, right
		}
		if x.Fn == ir.FnField {
			left = operand{pos: left.pos, field: &x.Field}
		} else {
			left = operand{pos: left.pos, term: x, kind: ir.KindNumber, name: left.name}
		}
		v := ir.NumOf(ir.Int(k))
		right = operand{pos: right.pos, val: &v}
	}
	return left, op, right
}

// isInteger reports whether o is an integer constant (a long).
func isInteger(o operand) bool {
	if o.val == nil || o.val.Kind != ir.KindNumber || o.float {
		return false
	}
	_, ok := o.val.Num.Int64()
	return ok
}

// intConst reports whether t is an integer constant within 2^53, where
// simplifyArith's sums stay exact and cannot overflow an int64.
func intConst(t *ir.Term) bool {
	return t.Fn == ir.FnConst && t.Value.Kind == ir.KindNumber && smallInt(t.Value.Num)
}

// smallInt reports whether n is an integer from -2^53 to 2^53.
func smallInt(n ir.Number) bool {
	i, ok := n.Int64()
	return ok && i >= -1<<53 && i <= 1<<53
}

// exactInt returns n, an integer that smallInt accepts, as an int64.
func exactInt(n ir.Number) int64 {
	i, _ := n.Int64()
	return i
}

// inRange reports whether n is an integer from lo to hi.
func inRange(n ir.Number, lo, hi int64) bool {
	i, ok := n.Int64()
	return ok && i >= lo && i <= hi
}

// arithmetic lowers left op right, op one of + - * / %: numbers only.
func (l *lowerer) arithmetic(fn ir.Fn, op string, pos position, left, right operand) (operand, error) {
	for _, o := range []operand{left, right} {
		if err := wantKind(o, ir.KindNumber, "an operand of "+op); err != nil {
			return o, err
		}
	}
	o, err := l.apply(fn, false, pos, "arithmetic expression", ir.KindNumber, left, right)
	o.pos = left.pos
	return o, err
}
