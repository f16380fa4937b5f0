package eql

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
)

// function is one of Elasticsearch's EQL functions.
type function struct {
	name     string // as Elasticsearch's documentation spells it
	args     string // what it takes, for errors
	min, max int    // how many arguments; max -1 for any number
	fold     bool   // has a case-insensitive form, name~
	// lower lowers a call whose arguments are lowered and counted.
	lower func(l *lowerer, c callSite, args []operand) (operand, error)
}

// callSite is what a function's lowering needs to know about its call.
type callSite struct {
	pos  position
	name string // as written, "~" included
	fold bool   // the case-insensitive form
}

// functions are the functions by lower-case name: function names are case
// insensitive, as in Elasticsearch.
var functions = map[string]*function{}

func init() {
	for _, fn := range []*function{
		{name: "add", args: "two numbers", min: 2, max: 2, lower: arithFunc(ir.FnAdd)},
		{name: "between", args: "three strings and an optional boolean", min: 3, max: 4, fold: true, lower: lowerBetween},
		{name: "cidrMatch", args: "a field and one or more CIDR ranges", min: 2, max: -1, lower: lowerCIDRMatch},
		{name: "concat", args: "one or more values", min: 1, max: -1, lower: lowerConcat},
		{name: "divide", args: "two numbers", min: 2, max: 2, lower: arithFunc(ir.FnDiv)},
		{name: "endsWith", args: "two strings", min: 2, max: 2, fold: true, lower: stringPredicate(ir.CmpSuffix)},
		{name: "indexOf", args: "two strings and an optional number", min: 2, max: 3, fold: true, lower: lowerIndexOf},
		{name: "length", args: "a string", min: 1, max: 1, lower: lowerLength},
		{name: "modulo", args: "two numbers", min: 2, max: 2, lower: arithFunc(ir.FnMod)},
		{name: "multiply", args: "two numbers", min: 2, max: 2, lower: arithFunc(ir.FnMul)},
		{name: "number", args: "a string and an optional base", min: 1, max: 2, lower: lowerNumber},
		{name: "startsWith", args: "two strings", min: 2, max: 2, fold: true, lower: stringPredicate(ir.CmpPrefix)},
		{name: "string", args: "a value", min: 1, max: 1, lower: lowerString},
		{name: "stringContains", args: "two strings", min: 2, max: 2, fold: true, lower: stringPredicate(ir.CmpContains)},
		{name: "substring", args: "a string and one or two numbers", min: 2, max: 3, lower: lowerSubstring},
		{name: "subtract", args: "two numbers", min: 2, max: 2, lower: arithFunc(ir.FnSub)},
	} {
		functions[strings.ToLower(fn.name)] = fn
	}
}

// call lowers a function call: its arguments first, in order, then the
// call.
func (l *lowerer) call(c *call) (operand, error) {
	base, fold := strings.CutSuffix(c.Name, "~")
	fn, ok := functions[strings.ToLower(base)]
	switch {
	case !ok:
		return operand{}, ir.Errorf(toPos(c.Pos), "unknown function %s", base)
	case fold && !fn.fold:
		return operand{}, ir.Errorf(toPos(c.Pos), "unexpected %q (%s has no case-insensitive form)", c.Name, base)
	}
	if n := len(c.Args); n < fn.min || fn.max >= 0 && n > fn.max {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		return operand{}, ir.Errorf(toPos(c.Pos), "%s takes %s (found %d argument%s)", c.Name, fn.args, n, plural)
	}
	args := make([]operand, len(c.Args))
	for i, a := range c.Args {
		var err error
		if args[i], err = l.callArg(a); err != nil {
			return operand{}, err
		}
	}
	return fn.lower(l, callSite{pos: c.Pos, name: c.Name, fold: fold}, args)
}

// callArg lowers an argument of a call: an operand, or a condition.
func (l *lowerer) callArg(o *orExpr) (operand, error) {
	if a := bareOperand(o); a != nil {
		return l.arith(a)
	}
	x, err := l.or(o)
	if err != nil {
		return operand{}, err
	}
	return operand{pos: o.Pos, cond: x, name: "condition"}, nil
}

// wantArgs checks the kind of each argument: kinds[i] for args[i], the
// last kind for any further ones, KindInvalid for any value.
func wantArgs(c callSite, args []operand, kinds ...ir.Kind) error {
	for i, a := range args {
		k := kinds[min(i, len(kinds)-1)]
		if k == ir.KindInvalid {
			if a.cond != nil {
				return unsupported(a.pos, "%s as an argument of %s", a, c.name)
			}
			continue
		}
		if err := wantKind(a, k, "an argument of "+c.name); err != nil {
			return err
		}
	}
	return nil
}

// wantInteger checks that a constant argument is an integer.
func wantInteger(a operand) error {
	if a.val != nil && a.val.Kind == ir.KindNumber && !isInteger(a) {
		return ir.Errorf(toPos(a.pos), "unexpected %s (expected an integer)", a)
	}
	return nil
}

// result returns how errors name the call's result.
func (c callSite) result() string { return c.name + "(…)" }

// arithFunc lowers add, subtract, multiply, divide or modulo.
func arithFunc(fn ir.Fn) func(*lowerer, callSite, []operand) (operand, error) {
	return func(l *lowerer, c callSite, args []operand) (operand, error) {
		if err := wantArgs(c, args, ir.KindNumber); err != nil {
			return operand{}, err
		}
		return l.apply(fn, false, c.pos, c.result(), ir.KindNumber, args...)
	}
}

func lowerBetween(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindString, ir.KindString, ir.KindString, ir.KindBool); err != nil {
		return operand{}, err
	}
	return l.apply(ir.FnBetween, c.fold, c.pos, c.result(), ir.KindString, args...)
}

func lowerConcat(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindInvalid); err != nil {
		return operand{}, err
	}
	return l.apply(ir.FnConcat, false, c.pos, c.result(), ir.KindString, args...)
}

func lowerIndexOf(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindString, ir.KindString, ir.KindNumber); err != nil {
		return operand{}, err
	}
	if len(args) > 2 {
		if err := wantInteger(args[2]); err != nil {
			return operand{}, err
		}
	}
	return l.apply(ir.FnIndexOf, c.fold, c.pos, c.result(), ir.KindNumber, args...)
}

func lowerLength(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindString); err != nil {
		return operand{}, err
	}
	return l.apply(ir.FnLength, false, c.pos, c.result(), ir.KindNumber, args...)
}

// lowerNumber lowers number(s[, base]). The base is a constant integer
// from 2 to 36, or null for the default: 16 for a string that starts with
// "0x", 10 otherwise.
func lowerNumber(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindString, ir.KindNumber); err != nil {
		return operand{}, err
	}
	if len(args) > 1 {
		b := args[1]
		switch {
		case b.isNull():
			args = args[:1]
		case !b.isConst():
			return operand{}, ir.Errorf(toPos(b.pos), "unexpected %s (expected a constant base)", b)
		case !isInteger(b) || !inRange(b.val.Num, 2, 36):
			return operand{}, ir.Errorf(toPos(b.pos), "unexpected %s (expected a base from 2 to 36)", b)
		}
	}
	if s := args[0]; len(args) == 1 && s.isConst() && !s.isNull() {
		if text, _ := s.val.Pat.Literal(); strings.HasPrefix(text, "0x") {
			sixteen := ir.Num(16)
			args = append(args, operand{pos: s.pos, val: &sixteen})
		}
	}
	return l.apply(ir.FnNumber, false, c.pos, c.result(), ir.KindNumber, args...)
}

func lowerString(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindInvalid); err != nil {
		return operand{}, err
	}
	return l.apply(ir.FnString, false, c.pos, c.result(), ir.KindString, args...)
}

func lowerSubstring(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindString, ir.KindNumber); err != nil {
		return operand{}, err
	}
	for _, a := range args[1:] {
		if err := wantInteger(a); err != nil {
			return operand{}, err
		}
	}
	return l.apply(ir.FnSubstring, false, c.pos, c.result(), ir.KindString, args...)
}

// stringPredicate lowers startsWith, endsWith or stringContains, whose
// comparison is cmp.
//
// Over a field and a constant, Elasticsearch runs them as queries on the
// field: startsWith as a prefix query, so its string is literal, but
// endsWith and stringContains as wildcard queries ("*" + s and "*" + s +
// "*"), so theirs is a wildcard pattern. Rules rely on that:
// stringContains(f, "principal=\\*") looks for a literal "principal=*".
// Otherwise (a computed operand, a field as the second argument) they are
// scripts and compare literally.
func stringPredicate(cmp ir.Cmp) func(*lowerer, callSite, []operand) (operand, error) {
	return func(l *lowerer, c callSite, args []operand) (operand, error) {
		if err := wantArgs(c, args, ir.KindString); err != nil {
			return operand{}, err
		}
		src, sub := args[0], args[1]
		o := operand{pos: c.pos, name: c.result()}
		switch {
		case src.isNull() || sub.isNull():
			o.cond = l.null()
		case src.isConst() && sub.isConst():
			o.cond = ir.Const(compareConst(cmp, c.fold, *src.val, *sub.val))
		case src.field != nil && sub.isConst():
			s, _ := sub.val.Pat.Literal()
			v := ir.Str(s)
			if cmp != ir.CmpPrefix {
				v = wildcardValue(s)
			}
			o.cond = ir.P(&ir.Pred{Field: *src.field, Cmp: cmp, Values: []ir.Value{v}, CaseSensitive: !c.fold})
		case sub.isConst():
			o.cond = l.pred(src, cmp, !c.fold, []ir.Value{*sub.val}, nil)
		default:
			o.cond = l.pred(src, cmp, !c.fold, nil, &sub)
		}
		return o, nil
	}
}

// lowerCIDRMatch lowers cidrMatch(f, r1, r2, …): f a field (Elasticsearch
// takes an IP field only), each r an IP address or a CIDR range, IPv4 or
// IPv6.
func lowerCIDRMatch(l *lowerer, c callSite, args []operand) (operand, error) {
	if err := wantArgs(c, args, ir.KindString); err != nil {
		return operand{}, err
	}
	o := operand{pos: c.pos, name: c.result()}
	f := args[0]
	if !f.isNull() && f.field == nil {
		return o, ir.Errorf(toPos(f.pos), "unexpected %s (expected a field)", f)
	}
	values := make([]ir.Value, 0, len(args)-1)
	null := f.isNull()
	for _, a := range args[1:] {
		switch {
		case a.isNull():
			null = true
			continue
		case !a.isConst():
			return o, ir.Errorf(toPos(a.pos), "unexpected %s (expected a constant)", a)
		}
		s, _ := a.val.Pat.Literal()
		if !validCIDR(s) {
			return o, ir.Errorf(toPos(a.pos), "unexpected %s (expected an IP address or a CIDR range such as 10.0.0.0/8)", a)
		}
		values = append(values, ir.Str(s))
	}
	if null {
		o.cond = l.null()
	} else {
		o.cond = ir.P(&ir.Pred{Field: *f.field, Cmp: ir.CmpCIDR, Values: values, CaseSensitive: true})
	}
	return o, nil
}

// wildcardValue is a Lucene wildcard pattern: "*" matches any run of code
// points, "?" one code point, and a backslash makes the code point after
// it literal (a backslash at the end is itself).
func wildcardValue(s string) ir.Value {
	var p ir.Pattern
	var text strings.Builder
	wild := func(k ir.PieceKind) {
		p = append(p, ir.Piece{Kind: ir.PieceLit, Text: text.String()}, ir.Piece{Kind: k})
		text.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '*':
			wild(ir.PieceStar)
		case c == '?':
			wild(ir.PieceOne)
		case c == '\\' && i+1 < len(s):
			_, n := utf8.DecodeRuneInString(s[i+1:])
			text.WriteString(s[i+1 : i+1+n])
			i += n
		default:
			text.WriteByte(c)
		}
	}
	p = append(p, ir.Piece{Kind: ir.PieceLit, Text: text.String()})
	return ir.Glob(p.Norm())
}

// validCIDR reports whether s is an IP address or a CIDR range.
func validCIDR(s string) bool {
	if strings.Contains(s, "/") {
		_, err := netip.ParsePrefix(s)
		return err == nil
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Zone() == ""
}
