package eql

import (
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// in lowers "left in (…)" and "left in~ (…)": evaluated now when all is
// constant, one predicate (a terms query) on a field against constants,
// comparisons one by one otherwise.
func (l *lowerer) in(left operand, in *inList) (*ir.Expr, error) {
	if left.cond != nil {
		return nil, unsupported(left.pos, "%s as an operand of %s", left, in.Op)
	}
	fold := in.Op == "in~"
	var values []ir.Value
	var others []operand // fields and computed values
	null := false
	for _, a := range in.Values {
		o, err := l.arith(a)
		if err != nil {
			return nil, err
		}
		switch {
		case o.cond != nil:
			return nil, unsupported(o.pos, "%s in a value list", o)
		case o.isNull():
			null = true
		case o.isConst():
			values = append(values, *o.val)
		default:
			others = append(others, o)
		}
	}
	var x *ir.Expr
	switch {
	case left.isConst() && len(others) == 0:
		x = l.constIn(left, values, null, fold)
	case left.field != nil && len(others) == 0:
		// A terms query on the field, as Elasticsearch runs it: null is
		// left out of the list (and a list of null only never matches).
		if len(values) == 0 {
			x = l.null()
			break
		}
		x = ir.P(&ir.Pred{Field: *left.field, Cmp: ir.CmpEqual, Values: values, CaseSensitive: !fold})
	default:
		x = l.computedIn(left, values, others, null, fold)
	}
	if in.Not {
		x = ir.Not(x)
	}
	return x, nil
}

// constIn evaluates a constant in a list of constants.
func (l *lowerer) constIn(left operand, values []ir.Value, null, fold bool) *ir.Expr {
	if left.isNull() {
		return l.null()
	}
	for _, v := range values {
		if compareConst(ir.CmpEqual, fold, *left.val, v) {
			return ir.Const(true)
		}
	}
	if null {
		return l.null()
	}
	return ir.Const(false)
}

// computedIn lowers an in whose operand is computed or whose list holds
// fields or computed values: Elasticsearch runs it as a script, whose
// value is null when the operand is null, or when no item is equal and
// one of them is null.
func (l *lowerer) computedIn(left operand, values []ir.Value, others []operand, null, fold bool) *ir.Expr {
	if len(values) == 0 && len(others) == 0 { // in (null)
		return l.null()
	}
	var args []*ir.Expr
	if len(values) > 0 {
		args = append(args, ir.P(subjectPred(left, ir.CmpEqual, !fold, values, nil)))
	}
	defined := []*ir.Expr{present(left)}
	for _, o := range others {
		args = append(args, ir.P(subjectPred(left, ir.CmpEqual, !fold, nil, asTerm(o))))
		defined = append(defined, present(o))
	}
	x := args[0]
	if len(args) > 1 {
		x = ir.Or(args...)
	}
	d := conj(defined...)
	if null {
		d = ir.Const(false)
	}
	if d != nil {
		l.defined[x] = d
	}
	return x
}

// match lowers ":", like, like~, regex and regex~, whose values are
// constants: evaluated now on a constant, a predicate otherwise.
func (l *lowerer) match(left operand, m *matchOp) (*ir.Expr, error) {
	if left.cond != nil {
		return nil, unsupported(left.pos, "%s as an operand of %s", left, m.Op)
	}
	list := m.List
	if m.One != nil {
		list = []*arith{m.One}
	}
	vals, err := l.constants(list)
	if err != nil {
		return nil, err
	}
	if m.Op == ":" {
		return l.colon(left, vals), nil
	}
	values := make([]ir.Value, len(vals))
	for i, o := range vals {
		if o.val.Kind != ir.KindString {
			return nil, ir.Errorf(toPos(o.pos), "unexpected %s (expected a string)", o)
		}
		s, _ := o.val.Pat.Literal()
		if m.Op == "like" || m.Op == "like~" {
			values[i] = ir.Glob(pattern(s))
			continue
		}
		re, err := translateRegex(s)
		if err != nil {
			if e := err.(*regexError); e.unsupported {
				return nil, unsupported(o.pos, "%s in regex %q", e.msg, s)
			}
			return nil, ir.Errorf(toPos(o.pos), "bad regex %q: %s", s, err)
		}
		values[i] = ir.Str(re)
	}
	cmp := ir.CmpGlob
	if m.Op == "regex" || m.Op == "regex~" {
		cmp = ir.CmpRegex
	}
	cs := !strings.HasSuffix(m.Op, "~")
	switch {
	case left.isNull():
		return l.null(), nil
	case left.isConst():
		return ir.Const(matchConst(cmp, !cs, *left.val, values)), nil
	}
	return l.pred(left, cmp, cs, values, nil), nil
}

// colon lowers o : (values…): strings are case-insensitive patterns, other
// values compare equal, and null means o is null.
func (l *lowerer) colon(o operand, vals []operand) *ir.Expr {
	var pats, others []ir.Value
	null := false
	for _, v := range vals {
		switch v := *v.val; v.Kind {
		case ir.KindString:
			lit, _ := v.Pat.Literal()
			pats = append(pats, ir.Glob(pattern(lit)))
		case ir.KindNull:
			null = true
		default:
			others = append(others, v)
		}
	}
	if o.isConst() {
		if o.isNull() && !null {
			return l.null()
		}
		if o.isNull() {
			return ir.Const(true)
		}
		eq := matchConst(ir.CmpGlob, true, *o.val, pats) || matchConst(ir.CmpEqual, true, *o.val, others)
		return ir.Const(eq)
	}
	var args []*ir.Expr
	if len(pats) > 0 {
		args = append(args, ir.P(subjectPred(o, ir.CmpGlob, false, pats, nil)))
	}
	if len(others) > 0 {
		args = append(args, ir.P(subjectPred(o, ir.CmpEqual, false, others, nil)))
	}
	if null {
		args = append(args, nullTest(o))
	}
	x := args[0]
	if len(args) > 1 {
		x = ir.Or(args...)
	}
	if o.term != nil && !null {
		l.defined[x] = present(o)
	}
	return x
}

// pattern parses the text of a ":" value: "*" is any run of code points,
// "?" one code point, and every other character, backslash included,
// stands for itself.
func pattern(s string) ir.Pattern {
	var p ir.Pattern
	lit := 0
	for i := 0; i < len(s); i++ {
		var k ir.PieceKind
		switch s[i] {
		case '*':
			k = ir.PieceStar
		case '?':
			k = ir.PieceOne
		default:
			continue
		}
		p = append(p, ir.Piece{Kind: ir.PieceLit, Text: s[lit:i]}, ir.Piece{Kind: k})
		lit = i + 1
	}
	p = append(p, ir.Piece{Kind: ir.PieceLit, Text: s[lit:]})
	return p.Norm()
}
