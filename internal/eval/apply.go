package eval

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// MaxComputed is the longest string a function computes: concat() of
// more gives null, as a function undefined for its inputs does (one
// rule's concat() of 20,000 copies of a 200 KB field would otherwise
// build 4 GB per event). An event is at most stream.MaxValue (64 MiB)
// long unless its reader is told otherwise, so this cuts only what
// repeats the event's own text; it has no option.
const MaxComputed = 16 << 20

// Apply runs fn on evaluated, non-null arguments: strings, int64,
// float64 and bool, as computed values are. It returns null (ok false)
// where the function is undefined for its inputs: division by zero, a
// number that does not parse, a string longer than MaxComputed, an
// argument of the wrong type. fold selects the case-insensitive variant
// (between~, indexOf~).
func Apply(fn ir.Fn, fold bool, a []any) (any, bool) {
	switch fn {
	case ir.FnAdd, ir.FnSub, ir.FnMul, ir.FnDiv, ir.FnMod:
		return arith(fn, a[0], a[1])
	case ir.FnNeg:
		return arith(ir.FnSub, int64(0), a[0])
	case ir.FnLength:
		s, ok := a[0].(string)
		if !ok {
			return nil, false
		}
		return int64(utf16Len(s)), true
	case ir.FnConcat:
		var b strings.Builder
		for _, v := range a {
			s := text(v)
			if b.Len()+len(s) > MaxComputed {
				return nil, false
			}
			b.WriteString(s)
		}
		return b.String(), true
	case ir.FnString:
		return text(a[0]), true
	case ir.FnNumber:
		return number(a)
	case ir.FnSubstring:
		return substring(a)
	case ir.FnIndexOf:
		return indexOf(a, fold)
	case ir.FnBetween:
		return between(a, fold)
	}
	if fn.IsTimePart() {
		return timePart(fn, a[0])
	}
	return nil, false
}

// timeLayouts are the timestamp forms the time-part functions read.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"}

// timePart returns a part of a timestamp, in UTC.
func timePart(fn ir.Fn, v any) (any, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	for _, layout := range timeLayouts {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t = t.UTC()
		switch fn {
		case ir.FnMinute:
			return int64(t.Minute()), true
		case ir.FnHour:
			return int64(t.Hour()), true
		case ir.FnDay:
			return int64(t.Day()), true
		case ir.FnWeek:
			_, w := t.ISOWeek()
			return int64(w), true
		case ir.FnMonth:
			return int64(t.Month()), true
		}
		return int64(t.Year()), true
	}
	return nil, false
}

// arith computes a binary arithmetic function: integers stay integers
// (division truncates), otherwise float64.
func arith(fn ir.Fn, x, y any) (any, bool) {
	xi, xInt := x.(int64)
	yi, yInt := y.(int64)
	if xInt && yInt {
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
		case ir.FnMod:
			if yi == 0 {
				return nil, false
			}
			return xi % yi, true
		}
	}
	xf, ok1 := toFloat(x)
	yf, ok2 := toFloat(y)
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
		if yf == 0 {
			return nil, false
		}
		return xf / yf, true
	case ir.FnMod:
		if yf == 0 {
			return nil, false
		}
		return math.Mod(xf, yf), true
	}
	return nil, false
}

// toFloat converts a number.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// toInt converts an integral number.
func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) {
			return int64(x), true
		}
	}
	return 0, false
}

// number parses a string as a number, in base 10 or the given base; a 0x
// prefix means base 16 when no base is given, and is allowed with base 16.
func number(a []any) (any, bool) {
	s, ok := a[0].(string)
	if !ok {
		if _, isNum := toFloat(a[0]); isNum {
			return a[0], true
		}
		return nil, false
	}
	s = strings.TrimSpace(s)
	base := int64(10)
	if len(a) > 1 {
		if base, ok = toInt(a[1]); !ok || base < 2 || base > 36 {
			return nil, false
		}
	}
	if hex := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X"); hex != s && (base == 16 || len(a) == 1) {
		s, base = hex, 16
	}
	if i, err := strconv.ParseInt(s, int(base), 64); err == nil {
		return i, true
	}
	if base == 10 {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, true
		}
	}
	return nil, false
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// units converts s to UTF-16 code units.
func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

// fromUnits converts UTF-16 code units back to a string.
func fromUnits(u []uint16) string { return string(utf16.Decode(u)) }

// substring is Python-style slicing in UTF-16 code units: negative offsets
// count from the end, out-of-range offsets are clamped.
func substring(a []any) (any, bool) {
	s, ok := a[0].(string)
	if !ok {
		return nil, false
	}
	u := units(s)
	n := int64(len(u))
	start, ok := toInt(a[1])
	if !ok {
		return nil, false
	}
	end := n
	if len(a) > 2 {
		if end, ok = toInt(a[2]); !ok {
			return nil, false
		}
	}
	clamp := func(i int64) int64 {
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n)
	}
	start, end = clamp(start), clamp(end)
	if start >= end {
		return "", true
	}
	return fromUnits(u[start:end]), true
}

// indexOf returns the first offset of a[1] in a[0] at or after a[2], or
// null when there is none.
func indexOf(a []any, fold bool) (any, bool) {
	s, ok1 := a[0].(string)
	sub, ok2 := a[1].(string)
	if !ok1 || !ok2 {
		return nil, false
	}
	if fold {
		s, sub = foldSameLength(s), foldSameLength(sub)
	}
	u, su := units(s), units(sub)
	start := int64(0)
	if len(a) > 2 {
		var ok bool
		if start, ok = toInt(a[2]); !ok {
			return nil, false
		}
		start = max(start, 0)
	}
	for i := start; i+int64(len(su)) <= int64(len(u)); i++ {
		if equalUnits(u[i:i+int64(len(su))], su) {
			return i, true
		}
	}
	return nil, false
}

// equalUnits compares two UTF-16 slices.
func equalUnits(a, b []uint16) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// foldSameLength lower-cases s code point by code point where that keeps
// the UTF-16 length, so offsets computed on the result hold for s.
func foldSameLength(s string) string {
	var b strings.Builder
	for _, r := range s {
		f := matcher.FoldRune(r)
		if utf16.RuneLen(f) != utf16.RuneLen(r) {
			f = r
		}
		b.WriteRune(f)
	}
	return b.String()
}

// between returns the text of a[0] between the first a[1] and the next
// a[2] (the last a[2] when a[3], greedy, is true), or "" when either is
// missing.
func between(a []any, fold bool) (any, bool) {
	s, ok1 := a[0].(string)
	left, ok2 := a[1].(string)
	right, ok3 := a[2].(string)
	if !ok1 || !ok2 || !ok3 {
		return nil, false
	}
	greedy := false
	if len(a) > 3 {
		g, ok := a[3].(bool)
		if !ok {
			return nil, false
		}
		greedy = g
	}
	hay, l, r := s, left, right
	if fold {
		hay, l, r = foldSameLength(s), foldSameLength(left), foldSameLength(right)
	}
	i := strings.Index(hay, l)
	if i < 0 {
		return "", true
	}
	from := i + len(l)
	var j int
	if greedy {
		j = strings.LastIndex(hay[from:], r)
	} else {
		j = strings.Index(hay[from:], r)
	}
	if j < 0 {
		return "", true
	}
	return s[from : from+j], true
}

// Const returns a constant as computed values hold it: a string, an
// integer as int64, another number as float64 (computed values are
// Elasticsearch EQL's long and double, so an integer beyond int64 becomes
// the nearest double), a boolean. ok is false for null, for a string
// with wildcards and for an invalid value.
func Const(v ir.Value) (any, bool) {
	switch v.Kind {
	case ir.KindString:
		return v.Pat.Literal()
	case ir.KindNumber:
		if i, ok := v.Num.Int64(); ok {
			return i, true
		}
		return v.Num.Float64(), true
	case ir.KindBool:
		return v.Bool, true
	}
	return nil, false
}
