package eql

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
)

// function is an EQL function that lowers to one predicate on its first
// argument, a field, against the constant strings that follow it.
type function struct {
	cmp  ir.Cmp
	args string // what the function takes, for errors
	many bool   // one or more strings after the field, not exactly one
	fold bool   // has a case-insensitive form, name~
	// value lowers a string argument, or says what was expected instead.
	value func(s string) (ir.Value, string)
}

// functions are the functions that lower, by lower-case name: function
// names are case insensitive, as in Elasticsearch.
//
// Elasticsearch runs startsWith as a prefix query, so its string is
// literal, but endsWith and stringContains as wildcard queries ("*" + s and
// "*" + s + "*"), so theirs is a wildcard pattern. Rules rely on that:
// stringContains(f, "principal=\\*") looks for a literal "principal=*".
var functions = map[string]function{
	"startswith":     {cmp: ir.CmpPrefix, args: "a field and a string", fold: true, value: literalValue},
	"endswith":       {cmp: ir.CmpSuffix, args: "a field and a string", fold: true, value: wildcardValue},
	"stringcontains": {cmp: ir.CmpContains, args: "a field and a string", fold: true, value: wildcardValue},
	"cidrmatch":      {cmp: ir.CmpCIDR, args: "a field and one or more CIDR ranges", many: true, value: cidrValue},
}

// lookupFunction returns the function a call names, without its "~".
func lookupFunction(name string) (function, bool) {
	fn, ok := functions[strings.ToLower(strings.TrimSuffix(name, "~"))]
	return fn, ok
}

// lowerCall lowers a call of one of the functions.
func lowerCall(c *call) (*ir.Expr, error) {
	fn, _ := lookupFunction(c.Name)
	base, fold := strings.CutSuffix(c.Name, "~")
	if fold && !fn.fold {
		return nil, ir.Errorf(toPos(c.Pos), "unexpected %q (%s has no case-insensitive form)", c.Name, base)
	}
	if n := len(c.Args); n < 2 || n > 2 && !fn.many {
		plural := "s"
		if n == 1 {
			plural = ""
		}
		return nil, ir.Errorf(toPos(c.Pos), "%s takes %s (found %d argument%s)", c.Name, fn.args, n, plural)
	}
	first, err := callArg(c.Args[0])
	if err != nil {
		return nil, err
	}
	switch {
	case first.cond != nil:
		return nil, ir.Errorf(toPos(first.pos), "unexpected condition (expected a field)")
	case first.field == nil:
		return nil, unsupported(first.pos, "%s as the first argument of %s", first, c.Name)
	}
	values := make([]ir.Value, 0, len(c.Args)-1)
	for _, a := range c.Args[1:] {
		o, err := callArg(a)
		if err != nil {
			return nil, err
		}
		switch {
		case o.cond != nil:
			return nil, ir.Errorf(toPos(o.pos), "unexpected condition (expected a string)")
		case o.field != nil || o.call != nil || o.val.Kind == ir.KindNull:
			return nil, unsupported(o.pos, "%s as an argument of %s", o, c.Name)
		case o.val.Kind != ir.KindString:
			return nil, ir.Errorf(toPos(o.pos), "unexpected %s (expected a string)", o)
		}
		s, _ := o.val.Pat.Literal()
		v, want := fn.value(s)
		if want != "" {
			return nil, ir.Errorf(toPos(o.pos), "unexpected %s (expected %s)", o, want)
		}
		values = append(values, v)
	}
	return ir.P(&ir.Pred{Field: *first.field, Cmp: fn.cmp, Values: values, CaseSensitive: !fold}), nil
}

// callArg lowers an argument of a call: an operand, or a condition.
func callArg(o *orExpr) (operand, error) {
	if a := bareOperand(o); a != nil {
		return lowerArith(a)
	}
	return operand{pos: o.Pos, cond: o}, nil
}

// literalValue is a string that stands for itself.
func literalValue(s string) (ir.Value, string) { return ir.Str(s), "" }

// wildcardValue is a Lucene wildcard pattern: "*" matches any run of code
// points, "?" one code point, and a backslash makes the code point after
// it literal (a backslash at the end is itself).
func wildcardValue(s string) (ir.Value, string) {
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
	return ir.Glob(p.Norm()), ""
}

// cidrValue is an IP address or a CIDR range, IPv4 or IPv6.
func cidrValue(s string) (ir.Value, string) {
	ok := false
	if strings.Contains(s, "/") {
		_, err := netip.ParsePrefix(s)
		ok = err == nil
	} else {
		a, err := netip.ParseAddr(s)
		ok = err == nil && a.Zone() == ""
	}
	if !ok {
		return ir.Value{}, "an IP address or a CIDR range such as 10.0.0.0/8"
	}
	return ir.Str(s), ""
}
