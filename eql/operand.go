package eql

import (
	"math"
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// operand is a lowered operand: a field, a constant, a computed value (a
// function of fields) or a condition. Calls and arithmetic over constants
// only are folded to constants.
type operand struct {
	pos   position
	field *ir.Field
	val   *ir.Value // a constant; KindNull for null
	float bool      // val is a number of floating-point type (1.0, 2.5e3)
	term  *ir.Term  // a computed value: a function of fields
	kind  ir.Kind   // the type of term's values; KindInvalid when unknown
	cond  *ir.Expr  // a condition
	name  string    // for a term or a condition: how errors name it
}

// String describes the operand for error messages.
func (o operand) String() string {
	switch {
	case o.field != nil:
		return "field " + o.field.Name
	case o.term != nil || o.cond != nil:
		return o.name
	case o.val.Kind == ir.KindString:
		return "string " + o.val.String()
	case o.val.Kind == ir.KindNumber:
		return "number " + numberText(o.val.Num, o.float)
	}
	return o.val.String()
}

// numberText renders a number; a float with an integral value keeps a
// ".0" so that it reads as the float it is.
func numberText(n ir.Number, float bool) string {
	s := n.String()
	if float && !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// isConst reports whether the operand is a constant, null included.
func (o operand) isConst() bool { return o.val != nil }

// isNull reports whether the operand is the constant null.
func (o operand) isNull() bool { return o.val != nil && o.val.Kind == ir.KindNull }

// valueKind returns the type of the operand's values, KindInvalid when it
// is not known before the event is (a field).
func (o operand) valueKind() ir.Kind {
	switch {
	case o.val != nil:
		return o.val.Kind
	case o.term != nil:
		return o.kind
	case o.cond != nil:
		return ir.KindBool
	}
	return ir.KindInvalid
}

// constants lowers the values of a list of :, like or regex; each must be
// a constant.
func (l *lowerer) constants(list []*arith) ([]operand, error) {
	vals := make([]operand, 0, len(list))
	for _, a := range list {
		o, err := l.arith(a)
		if err != nil {
			return nil, err
		}
		if !o.isConst() {
			return nil, ir.Errorf(toPos(o.pos), "unexpected %s (expected a constant)", o)
		}
		vals = append(vals, o)
	}
	return vals, nil
}

// arith lowers a sum or difference.
func (l *lowerer) arith(a *arith) (operand, error) {
	o, err := l.term(a.Left)
	if err != nil {
		return o, err
	}
	for _, op := range a.Ops {
		right, err := l.term(op.Right)
		if err != nil {
			return o, err
		}
		fn := map[string]ir.Fn{"+": ir.FnAdd, "-": ir.FnSub}[op.Op]
		if o, err = l.arithmetic(fn, op.Op, op.Pos, o, right); err != nil {
			return o, err
		}
	}
	return o, nil
}

// term lowers a product, quotient or remainder.
func (l *lowerer) term(t *term) (operand, error) {
	o, err := l.unary(t.Left)
	if err != nil {
		return o, err
	}
	for _, op := range t.Ops {
		right, err := l.unary(op.Right)
		if err != nil {
			return o, err
		}
		fn := map[string]ir.Fn{"*": ir.FnMul, "/": ir.FnDiv, "%": ir.FnMod}[op.Op]
		if o, err = l.arithmetic(fn, op.Op, op.Pos, o, right); err != nil {
			return o, err
		}
	}
	return o, nil
}

// unary lowers a primary under signs: "+" keeps a number, "-" negates it.
func (l *lowerer) unary(u *unary) (operand, error) {
	o, err := l.primary(u.Primary)
	if err != nil {
		return o, err
	}
	for i := len(u.Signs) - 1; i >= 0; i-- {
		if err := wantKind(o, ir.KindNumber, "an operand of "+u.Signs[i]); err != nil {
			return o, err
		}
		if u.Signs[i] == "-" {
			if o, err = l.apply(ir.FnNeg, false, u.Pos, "arithmetic expression", ir.KindNumber, o); err != nil {
				return o, err
			}
		}
	}
	o.pos = u.Pos
	return o, nil
}

// primary lowers a constant, a call, a field or a parenthesised
// expression.
func (l *lowerer) primary(p *primary) (operand, error) {
	o := operand{pos: p.Pos}
	switch {
	case p.Value != nil:
		v, err := lowerValue(p.Value)
		if err != nil {
			return o, err
		}
		o.val = &v
		o.float = p.Value.Number != nil && strings.ContainsAny(*p.Value.Number, ".eE")
	case p.Call != nil:
		return l.call(p.Call)
	case p.Field != nil:
		f, err := lowerField(p.Field)
		if err != nil {
			return o, err
		}
		o.field = &f
	case p.Paren != nil:
		if a := bareOperand(p.Paren); a != nil {
			return l.arith(a)
		}
		x, err := l.or(p.Paren)
		if err != nil {
			return o, err
		}
		o.cond, o.name = x, "condition"
	}
	return o, nil
}

// bareOperand returns the operand a parenthesised expression consists of,
// or nil when it is a condition.
func bareOperand(o *orExpr) *arith {
	if len(o.Terms) != 1 || len(o.Terms[0].Terms) != 1 {
		return nil
	}
	n := o.Terms[0].Terms[0]
	if len(n.Nots) > 0 || n.Cmp.Infix != nil || n.Cmp.In != nil || n.Cmp.Match != nil {
		return nil
	}
	return n.Cmp.Left
}

// lowerValue lowers a constant: a string, a number, a boolean or null.
func lowerValue(v *value) (ir.Value, error) {
	switch {
	case v.Str != nil:
		s, err := unquote(*v.Str)
		if err != nil {
			return ir.Value{}, ir.Errorf(toPos(v.Pos), "%s", err.msg)
		}
		return ir.Str(s), nil
	case v.Number != nil:
		// An integer literal stays exact (a long, or an unsigned long above
		// it); anything else is a double, and one that overflows is an error.
		n, err := ir.ParseNumber(*v.Number)
		if err != nil || math.IsInf(n.Float64(), 0) {
			return ir.Value{}, ir.Errorf(toPos(v.Pos), "number %s out of range", *v.Number)
		}
		return ir.NumOf(n), nil
	case v.Bool != nil:
		return ir.Bool(*v.Bool == "true"), nil
	}
	return ir.Value{Kind: ir.KindNull}, nil
}

// lowerField joins a field's parts with dots, backtick-quoted parts
// unquoted. An optional field ("?name") reads the same: a missing field
// is null, optional or not.
func lowerField(f *field) (ir.Field, error) {
	var b strings.Builder
	b.WriteString(unquoteName(f.Head))
	for _, p := range f.Tail {
		if p.Index != nil {
			return ir.Field{}, unsupported(p.Pos, "array index [%s]", *p.Index)
		}
		b.WriteByte('.')
		b.WriteString(unquoteName(p.Name))
	}
	return ir.F(b.String()), nil
}

// unquoteName returns a name with its backticks removed and doubled
// backticks made single.
func unquoteName(s string) string {
	if len(s) >= 2 && s[0] == '`' {
		return strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}
