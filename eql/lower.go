package eql

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/ruleforge/ruleforge/ir"
)

// categoryField is the field an event category is compared with.
const categoryField = "event.category"

// lower turns a parsed query into an IR expression. Errors are reported
// in source order: the first unsupported construct wins.
func lower(q *query) (*ir.Expr, error) {
	x, err := lowerOr(q.Event.Cond)
	if err != nil {
		return nil, err
	}
	if len(q.Pipes) > 0 {
		p := q.Pipes[0]
		return nil, unsupported(p.Pos, "pipe %s", p.Name)
	}
	if q.Event.Any {
		return x, nil
	}
	cat := q.Event.Category
	if strings.HasPrefix(cat, `"`) {
		s, serr := unquote(cat)
		if serr != nil {
			return nil, ir.Errorf(toPos(q.Event.Pos), "%s", serr.msg)
		}
		cat = s
	}
	pred := ir.P(&ir.Pred{Field: ir.F(categoryField), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str(cat)}, CaseSensitive: true})
	if x.Op == ir.OpAnd {
		return ir.And(append([]*ir.Expr{pred}, x.Args...)...), nil
	}
	return ir.And(pred, x), nil
}

func lowerOr(o *orExpr) (*ir.Expr, error) {
	args := make([]*ir.Expr, len(o.Terms))
	for i, t := range o.Terms {
		x, err := lowerAnd(t)
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

func lowerAnd(a *andExpr) (*ir.Expr, error) {
	args := make([]*ir.Expr, len(a.Terms))
	for i, t := range a.Terms {
		x, err := lowerComparison(t.Cmp)
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

// operand is a lowered comparison operand: a field, a constant, a call of
// one of the functions or a parenthesised condition.
type operand struct {
	pos   lexer.Position
	field *ir.Field
	val   *ir.Value // KindNull for null
	call  *call     // a call of one of functions
	cond  *orExpr
}

// String describes the operand for error messages.
func (o operand) String() string {
	switch {
	case o.field != nil:
		return "field " + o.field.Name
	case o.call != nil:
		return o.call.Name + "(…)"
	case o.val == nil:
		return "condition"
	case o.val.Kind == ir.KindString:
		return "string " + o.val.String()
	case o.val.Kind == ir.KindNumber:
		return "number " + o.val.String()
	}
	return o.val.String()
}

func lowerComparison(c *comparison) (*ir.Expr, error) {
	left, err := lowerArith(c.Left)
	if err != nil {
		return nil, err
	}
	switch {
	case c.Infix != nil:
		return lowerInfix(left, c.Infix)
	case c.In != nil:
		return lowerIn(left, c.In)
	case c.Match != nil:
		return lowerMatch(left, c.Match)
	}
	switch {
	case left.cond != nil:
		return lowerOr(left.cond)
	case left.call != nil:
		return lowerCall(left.call)
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

func lowerInfix(left operand, in *infix) (*ir.Expr, error) {
	right, err := lowerArith(in.Right)
	if err != nil {
		return nil, err
	}
	op := in.Op
	for _, o := range []operand{left, right} {
		if o.call != nil {
			return nil, unsupported(o.pos, "%s as an operand of %s", o, op)
		}
	}
	if left.field == nil {
		left, right = right, left
		op = flipped[op]
	}
	switch {
	case left.cond != nil || right.cond != nil:
		return nil, unsupported(in.Pos, "condition as an operand of %s", in.Op)
	case left.field == nil:
		return nil, unsupported(in.Pos, "%s between two constants", in.Op)
	case right.field != nil:
		return nil, unsupported(in.Pos, "%s between two fields", in.Op)
	}
	if cmp, ok := orderCmps[op]; ok {
		if k := right.val.Kind; k != ir.KindNumber && k != ir.KindString {
			return nil, ir.Errorf(toPos(right.pos), "unexpected %s (expected a number or a string)", right)
		}
		return ir.P(&ir.Pred{Field: *left.field, Cmp: cmp, Values: []ir.Value{*right.val}, CaseSensitive: true}), nil
	}
	var x *ir.Expr
	if right.val.Kind == ir.KindNull {
		x = ir.Not(exists(*left.field))
	} else {
		x = ir.P(&ir.Pred{Field: *left.field, Cmp: ir.CmpEqual, Values: []ir.Value{*right.val}, CaseSensitive: true})
	}
	if op == "!=" {
		x = negate(x)
	}
	return x, nil
}

// negate returns not x, unwrapping x when it is a negation already.
func negate(x *ir.Expr) *ir.Expr {
	if x.Op == ir.OpNot {
		return x.Args[0]
	}
	return ir.Not(x)
}

func exists(f ir.Field) *ir.Expr { return ir.P(&ir.Pred{Field: f, Cmp: ir.CmpExists}) }

func lowerIn(left operand, in *inList) (*ir.Expr, error) {
	if err := wantField(left, in.Op); err != nil {
		return nil, err
	}
	vals, err := constants(in.Values, in.Op)
	if err != nil {
		return nil, err
	}
	var values []ir.Value
	null := false
	for _, o := range vals {
		if o.val.Kind == ir.KindNull {
			null = true
			continue
		}
		values = append(values, *o.val)
	}
	var x *ir.Expr
	if len(values) > 0 {
		x = ir.P(&ir.Pred{Field: *left.field, Cmp: ir.CmpEqual, Values: values, CaseSensitive: in.Op == "in"})
	}
	x = orNull(x, null, *left.field)
	if in.Not {
		x = ir.Not(x)
	}
	return x, nil
}

// orNull adds "the field is missing" to x when the values include null.
func orNull(x *ir.Expr, null bool, f ir.Field) *ir.Expr {
	switch {
	case !null:
		return x
	case x == nil:
		return ir.Not(exists(f))
	}
	return ir.Or(x, ir.Not(exists(f)))
}

// wantField checks that the operand before op is a field.
func wantField(o operand, op string) error {
	switch {
	case o.call != nil:
		return unsupported(o.pos, "%s as an operand of %s", o, op)
	case o.field == nil:
		return ir.Errorf(toPos(o.pos), "unexpected %s (expected a field before %q)", o, op)
	}
	return nil
}

func lowerMatch(left operand, m *match) (*ir.Expr, error) {
	if err := wantField(left, m.Op); err != nil {
		return nil, err
	}
	list := m.List
	if m.One != nil {
		list = []*arith{m.One}
	}
	vals, err := constants(list, m.Op)
	if err != nil {
		return nil, err
	}
	f := *left.field
	if m.Op == ":" {
		return lowerColon(f, vals), nil
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
	return ir.P(&ir.Pred{Field: f, Cmp: cmp, Values: values, CaseSensitive: !strings.HasSuffix(m.Op, "~")}), nil
}

// lowerColon lowers f : (values…): strings are case-insensitive patterns,
// other values compare equal, and null means f is missing.
func lowerColon(f ir.Field, vals []operand) *ir.Expr {
	var pats, others []ir.Value
	null := false
	for _, o := range vals {
		switch v := *o.val; v.Kind {
		case ir.KindString:
			lit, _ := v.Pat.Literal()
			pats = append(pats, ir.Glob(pattern(lit)))
		case ir.KindNull:
			null = true
		default:
			others = append(others, v)
		}
	}
	var args []*ir.Expr
	if len(pats) > 0 {
		args = append(args, ir.P(&ir.Pred{Field: f, Cmp: ir.CmpGlob, Values: pats}))
	}
	if len(others) > 0 {
		args = append(args, ir.P(&ir.Pred{Field: f, Cmp: ir.CmpEqual, Values: others}))
	}
	if null {
		args = append(args, ir.Not(exists(f)))
	}
	if len(args) == 1 {
		return args[0]
	}
	return ir.Or(args...)
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

// constants lowers the values of a list; each must be a constant. Lists
// of in and in~ may hold other expressions in Elasticsearch; the lists of
// :, like and regex only constants.
func constants(list []*arith, op string) ([]operand, error) {
	vals := make([]operand, 0, len(list))
	for _, a := range list {
		o, err := lowerArith(a)
		if err != nil {
			return nil, err
		}
		if o.val == nil {
			if (o.field != nil || o.call != nil) && (op == "in" || op == "in~") {
				return nil, unsupported(o.pos, "%s in a value list", o)
			}
			return nil, ir.Errorf(toPos(o.pos), "unexpected %s (expected a constant)", o)
		}
		vals = append(vals, o)
	}
	return vals, nil
}

func lowerArith(a *arith) (operand, error) {
	o, err := lowerTerm(a.Left)
	if err != nil {
		return o, err
	}
	if len(a.Ops) > 0 {
		return o, unsupported(a.Ops[0].Pos, "operator %s", a.Ops[0].Op)
	}
	return o, nil
}

func lowerTerm(t *term) (operand, error) {
	o, err := lowerUnary(t.Left)
	if err != nil {
		return o, err
	}
	if len(t.Ops) > 0 {
		return o, unsupported(t.Ops[0].Pos, "operator %s", t.Ops[0].Op)
	}
	return o, nil
}

// lowerUnary lowers a primary under signs; signs apply to numbers only.
func lowerUnary(u *unary) (operand, error) {
	if len(u.Signs) > 0 && (u.Primary.Value == nil || u.Primary.Value.Number == nil) {
		return operand{}, unsupported(u.Pos, "operator %s", u.Signs[0])
	}
	o, err := lowerPrimary(u.Primary)
	if err != nil {
		return o, err
	}
	for _, s := range u.Signs {
		if s == "-" {
			o.val.Num = -o.val.Num
		}
	}
	o.pos = u.Pos
	return o, nil
}

func lowerPrimary(p *primary) (operand, error) {
	o := operand{pos: p.Pos}
	switch {
	case p.Value != nil:
		v, err := lowerValue(p.Value)
		if err != nil {
			return o, err
		}
		o.val = &v
	case p.Call != nil:
		if _, ok := lookupFunction(p.Call.Name); !ok {
			return o, unsupported(p.Call.Pos, "function %s", p.Call.Name)
		}
		o.call = p.Call
	case p.Field != nil:
		f, err := lowerField(p.Field)
		if err != nil {
			return o, err
		}
		o.field = &f
	case p.Paren != nil:
		if a := bareOperand(p.Paren); a != nil {
			return lowerArith(a)
		}
		o.cond = p.Paren
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
		f, err := strconv.ParseFloat(*v.Number, 64)
		if err != nil || math.IsInf(f, 0) {
			return ir.Value{}, ir.Errorf(toPos(v.Pos), "number %s out of range", *v.Number)
		}
		return ir.Num(f), nil
	case v.Bool != nil:
		return ir.Bool(*v.Bool == "true"), nil
	}
	return ir.Value{Kind: ir.KindNull}, nil
}

// lowerField joins a field's parts with dots, backtick-quoted parts
// unquoted. An optional field ("?name") reads the same: a missing field
// never matches a comparison, optional or not.
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
	return ir.Errorf(toPos(p), "unsupported: %s", fmt.Sprintf(format, args...))
}
