package eql

import (
	"github.com/ruleforge/ruleforge/internal/eval"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// evalConst evaluates fn over constant arguments with the runtime's own
// evaluator (package internal/eval), so that a folded value is exactly
// what the compiled rule would compute. A null argument gives null; so
// does fn where it is undefined, except for what is an error in a rule:
// a division by zero, a number that does not parse.
func evalConst(fn ir.Fn, fold bool, pos position, args []operand) (operand, error) {
	vals := make([]any, len(args))
	for i, a := range args {
		if a.isNull() {
			return nullOperand(pos), nil
		}
		vals[i] = runtimeValue(a)
	}
	v, ok := eval.Apply(fn, fold, vals)
	if !ok {
		switch fn {
		case ir.FnDiv, ir.FnMod:
			if d, _ := vals[1].(int64); d == 0 {
				return operand{}, ir.Errorf(toPos(pos), "division by zero")
			}
			if d, _ := vals[1].(float64); d == 0 {
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
func nullOperand(pos position) operand {
	return operand{pos: pos, val: &ir.Value{Kind: ir.KindNull}}
}

// runtimeValue returns a constant as computed values hold it
// (eval.Const), a float with an integral value (4.0) as a float64.
func runtimeValue(o operand) any {
	if o.float {
		return o.val.Num.Float64()
	}
	v, _ := eval.Const(*o.val)
	return v
}

// compareConst compares two constants as the compiled rule compares two
// computed values (eval.Compare), numbers exactly: an integer literal
// beyond int64 stays the unsigned long it is.
func compareConst(cmp ir.Cmp, fold bool, a, b ir.Value) bool {
	return eval.Compare(cmp, fold, exactValue(a), exactValue(b))
}

// exactValue returns a constant for eval.Compare: a number as the exact
// ir.Number, a string, a boolean, null as nil.
func exactValue(v ir.Value) any {
	switch v.Kind {
	case ir.KindString:
		s, _ := v.Pat.Literal()
		return s
	case ir.KindNumber:
		return v.Num
	case ir.KindBool:
		return v.Bool
	}
	return nil
}

// matchConst reports whether the constant v passes cmp (equal, glob,
// regex or cidr) with any of values, through the matchers the compiled
// rule would use (package internal/matcher).
func matchConst(cmp ir.Cmp, fold bool, v ir.Value, values []ir.Value) bool {
	if cmp == ir.CmpEqual {
		for _, w := range values {
			if compareConst(cmp, fold, v, w) {
				return true
			}
		}
		return false
	}
	s, ok := v.Pat.Literal()
	if v.Kind != ir.KindString || !ok {
		return false
	}
	for _, w := range values {
		text, _ := w.Pat.Literal()
		var m matcher.Matcher
		var err error
		switch cmp {
		case ir.CmpGlob:
			m, err = matcher.NewGlob(w.Pat, fold)
		case ir.CmpRegex:
			m, err = matcher.NewRegex(text, fold)
		case ir.CmpCIDR:
			m, err = matcher.NewCIDR([]string{text})
		default:
			return false
		}
		if err == nil && m.Match(s) {
			return true
		}
	}
	return false
}
