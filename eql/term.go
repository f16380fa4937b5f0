package eql

import (
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// This file builds computed operands (ir.Term) and folds constant ones.
// Constants are folded with the matcher's own term evaluator, so that a
// folded value is exactly what the compiled rule would compute.

// apply returns fn applied to args: a constant when every argument is
// one, a computed operand of the given kind otherwise. pos is where the
// call or the operator is, for errors and for the result.
func (l *lowerer) apply(fn ir.Fn, fold bool, pos lexer.Position, name string, kind ir.Kind, args ...operand) (operand, error) {
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

// evalConst evaluates fn over constant arguments.
func evalConst(fn ir.Fn, fold bool, pos lexer.Position, args []operand) (operand, error) {
	t := &plan.Term{Fn: fn, Fold: fold}
	for _, a := range args {
		t.Args = append(t.Args, &plan.Term{Fn: ir.FnConst, Const: runtimeValue(a)})
	}
	v, ok := t.Eval(nil, nil)
	if !ok {
		for _, a := range args {
			if a.isNull() {
				return nullOperand(pos), nil
			}
		}
		switch fn {
		case ir.FnDiv, ir.FnMod:
			if d, _ := runtimeValue(args[1]).(int64); d == 0 {
				return operand{}, ir.Errorf(toPos(pos), "division by zero")
			}
			if d, _ := runtimeValue(args[1]).(float64); d == 0 {
				return operand{}, ir.Errorf(toPos(pos), "division by zero")
			}
		case ir.FnNumber:
			base := "10"
			if len(args) > 1 {
				base = args[1].val.String()
			}
			return operand{}, ir.Errorf(toPos(pos), "cannot convert %s to a number in base %s", args[0].val, base)
		}
		return nullOperand(pos), nil
	}
	o := operand{pos: pos}
	var val ir.Value
	switch v := v.(type) {
	case string:
		val = ir.Str(v)
	case int64:
		val = ir.NumOf(ir.Int(v))
	case float64:
		val, o.float = ir.Num(v), true
	case bool:
		val = ir.Bool(v)
	}
	o.val = &val
	return o, nil
}

// nullOperand is the constant null.
func nullOperand(pos lexer.Position) operand {
	return operand{pos: pos, val: &ir.Value{Kind: ir.KindNull}}
}

// runtimeValue returns a constant as the matcher represents it: integers
// as int64 and other numbers as float64, strings, booleans, null as nil.
func runtimeValue(o operand) any {
	switch v := *o.val; v.Kind {
	case ir.KindString:
		s, _ := v.Pat.Literal()
		return s
	case ir.KindNumber:
		if i, ok := v.Num.Int64(); ok && !o.float {
			return i
		}
		return v.Num.Float64()
	case ir.KindBool:
		return v.Bool
	}
	return nil
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

// compareConst compares two constants as Elasticsearch does when it folds
// them: numbers numerically, strings by code point (fold ignores case),
// booleans for equality. Values of different types are not equal.
func compareConst(cmp ir.Cmp, fold bool, a, b ir.Value) bool {
	switch {
	case a.Kind == ir.KindNumber && b.Kind == ir.KindNumber:
		c, ok := ir.Compare(a.Num, b.Num) // exactly, as the matcher does
		return ok && cmp.Holds(c)
	case a.Kind == ir.KindString && b.Kind == ir.KindString:
		s, _ := a.Pat.Literal()
		t, _ := b.Pat.Literal()
		if fold {
			s, t = matcher.Fold(s), matcher.Fold(t)
		}
		switch cmp {
		case ir.CmpPrefix:
			return strings.HasPrefix(s, t)
		case ir.CmpSuffix:
			return strings.HasSuffix(s, t)
		case ir.CmpContains:
			return strings.Contains(s, t)
		}
		return cmp.Holds(strings.Compare(s, t))
	case a.Kind == ir.KindBool && b.Kind == ir.KindBool:
		return cmp == ir.CmpEqual && a.Bool == b.Bool
	}
	return false
}

// matchConst reports whether the constant v passes cmp (equal, glob,
// regex or cidr) with any of values.
func matchConst(cmp ir.Cmp, fold bool, v ir.Value, values []ir.Value) bool {
	s, _ := v.Pat.Literal()
	for _, w := range values {
		switch cmp {
		case ir.CmpEqual:
			if compareConst(cmp, fold, v, w) {
				return true
			}
		case ir.CmpGlob:
			if v.Kind == ir.KindString && regexMatch(globRegex(w.Pat), fold, s) {
				return true
			}
		case ir.CmpRegex:
			re, _ := w.Pat.Literal()
			if v.Kind == ir.KindString && regexMatch(re, fold, s) {
				return true
			}
		case ir.CmpCIDR:
			r, _ := w.Pat.Literal()
			if v.Kind == ir.KindString && inCIDR(s, r) {
				return true
			}
		}
	}
	return false
}

// globRegex returns an RE2 expression for a whole-value pattern.
func globRegex(p ir.Pattern) string {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for _, pc := range p {
		switch pc.Kind {
		case ir.PieceLit:
			b.WriteString(regexp.QuoteMeta(pc.Text))
		case ir.PieceStar:
			b.WriteString(`.*`)
		case ir.PieceOne:
			b.WriteString(`.`)
		}
	}
	b.WriteString(`)$`)
	return b.String()
}

// regexMatch reports whether the RE2 expression re matches s; fold ignores
// case.
func regexMatch(re string, fold bool, s string) bool {
	if fold {
		re = `(?i)` + re
	}
	ok, err := regexp.MatchString(re, s)
	return err == nil && ok
}

// inCIDR reports whether the address s is r, an address, or inside r, a
// CIDR range.
func inCIDR(s, r string) bool {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	if p, err := netip.ParsePrefix(r); err == nil {
		return p.Contains(a.Unmap())
	}
	b, err := netip.ParseAddr(r)
	return err == nil && a.Unmap() == b.Unmap()
}

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

// arithmetic lowers left op right, op one of + - * / %: numbers only.
func (l *lowerer) arithmetic(fn ir.Fn, op string, pos lexer.Position, left, right operand) (operand, error) {
	for _, o := range []operand{left, right} {
		if err := wantKind(o, ir.KindNumber, "an operand of "+op); err != nil {
			return o, err
		}
	}
	o, err := l.apply(fn, false, pos, "arithmetic expression", ir.KindNumber, left, right)
	o.pos = left.pos
	return o, err
}
