package refeval

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/ruleforge/ruleforge/internal/eval"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// computed evaluates a predicate with computed operands, written out
// plainly: every candidate value of the operand (each array element of
// the one field it reads) against the constant values or the right term.
func computed(p *ir.Pred, ev match.Event) bool {
	var right any
	if p.Right != nil {
		r, ok := term(p.Right, ev, "", nil)
		if !ok {
			return false
		}
		right = r
	}
	test := func(v any) bool {
		if p.Right == nil {
			return value(p, v)
		}
		return compare(p.Cmp, !p.CaseSensitive, v, right)
	}
	if p.Left == nil {
		v, ok := fieldValue(p.Field, ev)
		return ok && anyElem(v, func(e any) bool { n, ok := norm(e); return ok && test(n) })
	}
	if fs := p.Left.Fields(); len(fs) == 1 {
		if v, ok := fieldValue(fs[0], ev); ok {
			if a, isArray := v.([]any); isArray {
				for _, e := range a {
					if l, ok := term(p.Left, ev, fs[0].Key(), e); ok && test(l) {
						return true
					}
				}
				return false
			}
		}
	}
	l, ok := term(p.Left, ev, "", nil)
	return ok && test(l)
}

// fieldValue returns the value of the first present path of f.
func fieldValue(f ir.Field, ev match.Event) (any, bool) {
	for _, path := range f.Lookup() {
		if v, ok := ev.Lookup(match.NewPath(path)); ok && v != nil {
			return v, true
		}
	}
	return nil, false
}

// norm turns event numbers into int64 or float64.
func norm(v any) (any, bool) {
	switch x := v.(type) {
	case string, bool, int64, float64:
		return x, true
	case int:
		return int64(x), true
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, true
		}
		f, err := x.Float64()
		return f, err == nil
	}
	return nil, false
}

// term evaluates a term; the field with key boundKey takes the value bound.
func term(t *ir.Term, ev match.Event, boundKey string, bound any) (any, bool) {
	switch t.Fn {
	case ir.FnConst:
		switch t.Value.Kind {
		case ir.KindString:
			s, _ := t.Value.Pat.Literal()
			return s, true
		case ir.KindNumber:
			if i, ok := t.Value.Num.Int64(); ok {
				return i, true
			}
			return t.Value.Num.Float64(), true
		case ir.KindBool:
			return t.Value.Bool, true
		}
		return nil, false
	case ir.FnField:
		if boundKey != "" && t.Field.Key() == boundKey {
			return norm(bound)
		}
		v, ok := fieldValue(t.Field, ev)
		if !ok {
			return nil, false
		}
		if a, isArray := v.([]any); isArray {
			if len(a) == 0 {
				return nil, false
			}
			v = a[0]
		}
		return norm(v)
	}
	var args []any
	for _, a := range t.Args {
		v, ok := term(a, ev, boundKey, bound)
		if !ok {
			return nil, false
		}
		args = append(args, v)
	}
	return call(t.Fn, t.Fold, args)
}

// call applies a function.
func call(fn ir.Fn, fold bool, a []any) (any, bool) {
	str := func(i int) (string, bool) {
		s, ok := a[i].(string)
		return s, ok
	}
	integer := func(i int) (int, bool) {
		switch x := a[i].(type) {
		case int64:
			return int(x), true
		case float64:
			return int(x), x == math.Trunc(x)
		}
		return 0, false
	}
	switch fn {
	case ir.FnAdd, ir.FnSub, ir.FnMul, ir.FnDiv, ir.FnMod, ir.FnNeg:
		x, y := a[0], any(nil)
		if fn == ir.FnNeg {
			x, y, fn = int64(0), a[0], ir.FnSub
		} else {
			y = a[1]
		}
		xi, ok1 := x.(int64)
		yi, ok2 := y.(int64)
		if ok1 && ok2 {
			switch fn {
			case ir.FnAdd:
				return xi + yi, true
			case ir.FnSub:
				return xi - yi, true
			case ir.FnMul:
				return xi * yi, true
			case ir.FnDiv:
				if yi == 0 {
					return nil, false
				}
				return xi / yi, true
			}
			if yi == 0 {
				return nil, false
			}
			return xi % yi, true
		}
		xf, ok1 := asFloat(x)
		yf, ok2 := asFloat(y)
		if !ok1 || !ok2 {
			return nil, false
		}
		switch fn {
		case ir.FnAdd:
			return xf + yf, true
		case ir.FnSub:
			return xf - yf, true
		case ir.FnMul:
			return xf * yf, true
		case ir.FnDiv:
			return xf / yf, yf != 0
		}
		return math.Mod(xf, yf), yf != 0
	case ir.FnLength:
		s, ok := str(0)
		return int64(len(utf16.Encode([]rune(s)))), ok
	case ir.FnConcat:
		out := ""
		for _, v := range a {
			if out += show(v); len(out) > eval.MaxComputed {
				return nil, false
			}
		}
		return out, true
	case ir.FnString:
		return show(a[0]), true
	case ir.FnNumber:
		if _, ok := a[0].(string); !ok {
			_, isNum := asFloat(a[0])
			return a[0], isNum
		}
		s := strings.TrimSpace(a[0].(string))
		base := 10
		if len(a) > 1 {
			b, ok := integer(1)
			if !ok || b < 2 || b > 36 {
				return nil, false
			}
			base = b
		}
		if strings.HasPrefix(strings.ToLower(s), "0x") && (base == 16 || len(a) == 1) {
			s, base = s[2:], 16
		}
		if i, err := strconv.ParseInt(s, base, 64); err == nil {
			return i, true
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && base == 10 {
			return f, true
		}
		return nil, false
	case ir.FnSubstring:
		s, ok := str(0)
		start, ok2 := integer(1)
		if !ok || !ok2 {
			return nil, false
		}
		u := utf16.Encode([]rune(s))
		end := len(u)
		if len(a) > 2 {
			e, ok := integer(2)
			if !ok {
				return nil, false
			}
			end = e
		}
		fix := func(i int) int {
			if i < 0 {
				i += len(u)
			}
			return min(max(i, 0), len(u))
		}
		start, end = fix(start), fix(end)
		if start >= end {
			return "", true
		}
		return string(utf16.Decode(u[start:end])), true
	case ir.FnIndexOf:
		s, ok1 := str(0)
		sub, ok2 := str(1)
		if !ok1 || !ok2 {
			return nil, false
		}
		start := 0
		if len(a) > 2 {
			st, ok := integer(2)
			if !ok {
				return nil, false
			}
			start = max(st, 0)
		}
		u, su := utf16.Encode([]rune(s)), utf16.Encode([]rune(sub))
		for i := start; i+len(su) <= len(u); i++ {
			if equalFoldUnits(u[i:i+len(su)], su, fold) {
				return int64(i), true
			}
		}
		return nil, false
	case ir.FnMinute, ir.FnHour, ir.FnDay, ir.FnWeek, ir.FnMonth, ir.FnYear:
		s, ok := str(0)
		if !ok {
			return nil, false
		}
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
			if t, err := time.Parse(layout, s); err == nil {
				t = t.UTC()
				_, week := t.ISOWeek()
				parts := map[ir.Fn]int{ir.FnMinute: t.Minute(), ir.FnHour: t.Hour(), ir.FnDay: t.Day(), ir.FnWeek: week, ir.FnMonth: int(t.Month()), ir.FnYear: t.Year()}
				return int64(parts[fn]), true
			}
		}
		return nil, false
	case ir.FnBetween:
		s, ok1 := str(0)
		l, ok2 := str(1)
		r, ok3 := str(2)
		greedy := false
		if len(a) > 3 {
			g, ok := a[3].(bool)
			if !ok {
				return nil, false
			}
			greedy = g
		}
		if !ok1 || !ok2 || !ok3 {
			return nil, false
		}
		hay, ll, rr := s, l, r
		if fold {
			hay, ll, rr = matcher.Fold(s), matcher.Fold(l), matcher.Fold(r)
			if len(hay) != len(s) { // folding changed lengths: give up on folding
				hay, ll, rr = s, l, r
			}
		}
		i := strings.Index(hay, ll)
		if i < 0 {
			return "", true
		}
		rest := hay[i+len(ll):]
		j := strings.Index(rest, rr)
		if greedy {
			j = strings.LastIndex(rest, rr)
		}
		if j < 0 {
			return "", true
		}
		return s[i+len(ll) : i+len(ll)+j], true
	}
	return nil, false
}

// equalFoldUnits compares UTF-16 code units, ignoring case when fold is
// set.
func equalFoldUnits(a, b []uint16, fold bool) bool {
	for i := range a {
		x, y := rune(a[i]), rune(b[i])
		if x != y && !(fold && same(x, y, true)) {
			return false
		}
	}
	return true
}

// asFloat converts a number.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// show renders a value as text.
func show(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return eval.JavaDouble(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// compare compares two computed values.
func compare(cmp ir.Cmp, fold bool, l, r any) bool {
	ls, ok1 := l.(string)
	rs, ok2 := r.(string)
	if ok1 && ok2 {
		if fold {
			ls, rs = matcher.Fold(ls), matcher.Fold(rs)
		}
		switch cmp {
		case ir.CmpEqual:
			return ls == rs
		case ir.CmpPrefix:
			return strings.HasPrefix(ls, rs)
		case ir.CmpSuffix:
			return strings.HasSuffix(ls, rs)
		case ir.CmpContains:
			return strings.Contains(ls, rs)
		}
		return cmp.IsOrder() && order(cmp, ir.Str(rs), ls, false, ir.Number{})
	}
	ln, ok1 := ir.NumberOf(l)
	rn, ok2 := ir.NumberOf(r)
	if ok1 && ok2 {
		if cmp == ir.CmpEqual {
			return equal(ln, rn)
		}
		return cmp.IsOrder() && order(cmp, ir.NumOf(rn), nil, true, ln)
	}
	lb, ok1 := l.(bool)
	rb, ok2 := r.(bool)
	return ok1 && ok2 && cmp == ir.CmpEqual && lb == rb
}
