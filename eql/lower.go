package eql

import (
	"math"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
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

// operand is a lowered operand: a field, a constant, a computed value (a
// function of fields) or a condition. Calls and arithmetic over constants
// only are folded to constants.
type operand struct {
	pos   lexer.Position
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

func exists(f ir.Field) *ir.Expr { return ir.P(&ir.Pred{Field: f, Cmp: ir.CmpExists}) }

// nullTest returns the condition that o is null: a field that is missing,
// a computed value whose input is missing or that is undefined for it.
func nullTest(o operand) *ir.Expr {
	if o.isConst() {
		return ir.Const(o.isNull())
	}
	return ir.Not(present(o))
}

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

// unsupported returns the error for a construct that parses but is not
// lowered yet.
func unsupported(p lexer.Position, format string, args ...any) error {
	return ir.Unsupported(toPos(p), format, args...)
}
