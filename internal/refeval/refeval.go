// Package refeval is the reference evaluation of IR expressions: a direct
// tree walk with a naive, obviously correct glob matcher. It is slow on
// purpose and exists only so that tests can check the compiler, the
// optimizer and the matchers against it.
package refeval

import (
	"encoding/json"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// Eval reports whether x holds for ev.
func Eval(x *ir.Expr, ev match.Event) bool {
	switch x.Op {
	case ir.OpTrue:
		return true
	case ir.OpFalse:
		return false
	case ir.OpNot:
		return !Eval(x.Args[0], ev)
	case ir.OpAnd:
		for _, a := range x.Args {
			if !Eval(a, ev) {
				return false
			}
		}
		return true
	case ir.OpOr:
		for _, a := range x.Args {
			if Eval(a, ev) {
				return true
			}
		}
		return false
	case ir.OpPred:
		return pred(x.Pred, ev)
	}
	panic("refeval: bad op")
}

// pred evaluates one predicate.
func pred(p *ir.Pred, ev match.Event) bool {
	if p.Left != nil || p.Right != nil {
		return computed(p, ev)
	}
	if p.Field.Any {
		w, ok := ev.(match.Walker)
		return ok && w.Each(func(v any) bool { return value(p, v) })
	}
	for _, path := range p.Field.Lookup() {
		v, ok := ev.Lookup(match.NewPath(path))
		if !ok || v == nil {
			continue
		}
		if p.Cmp == ir.CmpExists {
			return nonEmpty(v)
		}
		return anyElem(v, func(e any) bool { return value(p, e) })
	}
	return false
}

// nonEmpty mirrors match's presence rule: not null, not an array of nulls.
func nonEmpty(v any) bool {
	if a, ok := v.([]any); ok {
		for _, e := range a {
			if nonEmpty(e) {
				return true
			}
		}
		return false
	}
	if a, ok := v.([]string); ok {
		return len(a) > 0
	}
	return v != nil
}

// anyElem calls f on v, or on each element of an array, nested arrays
// flattened.
func anyElem(v any, f func(any) bool) bool {
	switch a := v.(type) {
	case []any:
		for _, e := range a {
			if anyElem(e, f) {
				return true
			}
		}
		return false
	case []string:
		for _, e := range a {
			if f(e) {
				return true
			}
		}
		return false
	}
	return f(v)
}

// value compares one scalar event value with the predicate's values.
func value(p *ir.Pred, e any) bool {
	text, isNum, num, isBool, b := scalar(e)
	if s, ok := e.(string); ok && !isNum && decimal(s) {
		if n, err := ir.ParseNumber(s); err == nil && p.Cmp.IsOrder() {
			isNum, num = true, n
		}
	}
	for _, v := range p.Values {
		switch {
		case p.Cmp.IsOrder():
			if order(p.Cmp, v, e, isNum, num) {
				return true
			}
			continue
		case p.Cmp == ir.CmpRegex:
			src, _ := v.Pat.Literal()
			if !p.CaseSensitive {
				src = "(?i)" + src
			}
			if text != nil && regexp.MustCompile(src).MatchString(*text) {
				return true
			}
			continue
		case p.Cmp == ir.CmpCIDR:
			if s, ok := e.(string); ok && inCIDR(v, s) {
				return true
			}
			continue
		}
		switch v.Kind {
		case ir.KindNumber:
			if p.Cmp == ir.CmpEqual {
				if isNum && equal(num, v.Num) {
					return true
				}
				if s, ok := e.(string); ok && decimal(s) {
					if n, err := ir.ParseNumber(s); err == nil && equal(n, v.Num) {
						return true
					}
				}
				continue
			}
			if text != nil && Glob(p.Cmp, ir.Lit(v.Num.Text()), *text, !p.CaseSensitive) {
				return true
			}
		case ir.KindBool:
			if isBool && b == v.Bool {
				return true
			}
		case ir.KindString:
			if text != nil && Glob(p.Cmp, v.Pat, *text, !p.CaseSensitive) {
				return true
			}
		}
	}
	return false
}

// order evaluates an ordering comparison of an event value.
func order(cmp ir.Cmp, v ir.Value, e any, isNum bool, num ir.Number) bool {
	var c int
	switch {
	case v.Kind == ir.KindNumber && isNum:
		var ok bool
		if c, ok = ir.Compare(num, v.Num); !ok {
			return false // NaN
		}
	case v.Kind == ir.KindString:
		s, ok := e.(string)
		if !ok {
			return false
		}
		lit, _ := v.Pat.Literal()
		c = strings.Compare(s, lit)
	default:
		return false
	}
	return cmp.Holds(c)
}

// equal reports whether two numbers are equal (ir.Compare: exactly, NaN
// equal to nothing).
func equal(a, b ir.Number) bool {
	c, ok := ir.Compare(a, b)
	return ok && c == 0
}

// inCIDR reports whether s is an address in the range v.
func inCIDR(v ir.Value, s string) bool {
	r, _ := v.Pat.Literal()
	if !strings.Contains(r, "/") {
		if strings.Contains(r, ":") {
			r += "/128"
		} else {
			r += "/32"
		}
	}
	pfx, err := netip.ParsePrefix(r)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	a = a.WithZone("")
	if pfx.Addr().Is4In6() {
		pfx = netip.PrefixFrom(pfx.Addr().Unmap(), max(pfx.Bits()-96, 0))
	}
	return pfx.Masked().Contains(a.Unmap())
}

// decimal reports whether s is plain decimal (no hex, inf or nan), the only
// numeric strings match accepts.
func decimal(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}

// scalar describes an event value: its text, if it has one, and its number
// or boolean.
func scalar(e any) (text *string, isNum bool, num ir.Number, isBool bool, b bool) {
	str := func(s string) *string { return &s }
	switch x := e.(type) {
	case string:
		return &x, false, num, false, false
	case json.Number:
		n, err := ir.ParseNumber(string(x))
		return str(string(x)), err == nil, n, false, false
	case float64:
		return str(strconv.FormatFloat(x, 'f', -1, 64)), true, ir.Float(x), false, false
	case int:
		return str(strconv.Itoa(x)), true, ir.Int(int64(x)), false, false
	case int64:
		return str(strconv.FormatInt(x, 10)), true, ir.Int(x), false, false
	case bool:
		return str(strconv.FormatBool(x)), false, num, true, x
	}
	return nil, false, num, false, false
}

// Glob matches s against pattern p under the comparison cmp (glob,
// prefix, suffix or contains), folding case when fold is set.
func Glob(cmp ir.Cmp, p ir.Pattern, s string, fold bool) bool {
	var runes []rune
	star := ir.Piece{Kind: ir.PieceStar}
	switch cmp {
	case ir.CmpPrefix:
		p = append(append(ir.Pattern{}, p...), star)
	case ir.CmpSuffix:
		p = append(ir.Pattern{star}, p...)
	case ir.CmpContains:
		p = append(append(ir.Pattern{star}, p...), star)
	}
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && n == 1 {
			r = -1 - rune(s[0]) // invalid bytes match only themselves
		}
		runes = append(runes, r)
		s = s[n:]
	}
	var toks []rune // tokStar, tokOne, or a literal code point
	for _, pc := range p {
		switch pc.Kind {
		case ir.PieceStar:
			toks = append(toks, tokStar)
		case ir.PieceOne:
			toks = append(toks, tokOne)
		case ir.PieceLit:
			for i := 0; i < len(pc.Text); {
				r, n := utf8.DecodeRuneInString(pc.Text[i:])
				if r == utf8.RuneError && n == 1 {
					r = -1 - rune(pc.Text[i])
				}
				toks = append(toks, r)
				i += n
			}
		}
	}
	return rec(toks, runes, fold)
}

// Pattern tokens that are not code points (invalid bytes are -1-b).
const (
	tokStar = -1 << 30
	tokOne  = tokStar + 1
)

// rec matches by dynamic programming over (pattern, text) positions: the
// textbook algorithm, written for clarity rather than speed.
func rec(p, s []rune, fold bool) bool {
	// ok[j] reports whether p[i:] matches s[j:], for the current i.
	ok := make([]bool, len(s)+1)
	ok[len(s)] = true
	for i := len(p) - 1; i >= 0; i-- {
		next := ok
		ok = make([]bool, len(s)+1)
		for j := len(s); j >= 0; j-- {
			switch p[i] {
			case tokStar:
				ok[j] = next[j] || (j < len(s) && ok[j+1])
			case tokOne:
				ok[j] = j < len(s) && next[j+1]
			default:
				ok[j] = j < len(s) && same(p[i], s[j], fold) && next[j+1]
			}
		}
	}
	return ok[0]
}

// same compares two code points, under simple case folding when fold is set.
func same(a, b rune, fold bool) bool {
	if a == b {
		return true
	}
	if !fold || a < 0 || b < 0 {
		return false
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
		}
	}
	return false
}
