package ir

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Number is a rule or event number, kept exactly where that matters: an
// integer that fits an int64 (or, above math.MaxInt64, a uint64) is held as
// that integer, anything else as a float64. Compare orders any two Numbers
// by their exact mathematical values, so 9007199254740993 (2^53+1) differs
// from 9007199254740992 although both round to the same float64, and
// 9223372036854775808 (2^63) is greater than 9223372036854775807.
//
// This is the one place where ruleforge orders numbers: the matcher, the
// rule index, EQL constant folding and the reference evaluator all call
// Compare, so they cannot disagree.
//
// The mapping follows Elasticsearch's numeric field types (server/src/main/
// java/org/elasticsearch/index/mapper/NumberFieldMapper.java, NumberType.LONG
// and NumberType.DOUBLE): an integer text is a long when it fits, a double
// otherwise. Where Elasticsearch would refuse a value at index time (a
// long out of range, a double that is not finite), a rule engine reading
// recorded events cannot refuse the event, so ParseNumber defines the
// value instead:
//   - an integer text beyond the uint64 range is the nearest float64 (as
//     Elasticsearch's double would hold it);
//   - a text whose magnitude overflows float64 (such as 1e400) is +Inf or
//     -Inf, the IEEE 754 overflow value strconv.ParseFloat returns; it is
//     greater (or less) than every finite number, so "a > 5" and "a != 5"
//     both hold for 1e400;
//   - a text that underflows (1e-400) is 0.
//
// NaN is unordered: Compare reports it as incomparable and no equality or
// order holds with it. The zero Number is the integer 0.
type Number struct {
	f    float64 // kind numFloat: the value
	i    int64   // kind numInt: the value
	u    uint64  // kind numUint: the value, above math.MaxInt64
	kind numKind
}

// numKind says which field of a Number holds its value.
type numKind uint8

const (
	numInt   numKind = iota // an int64
	numUint                 // a uint64 above math.MaxInt64
	numFloat                // a float64
)

// Int returns the integer i as a Number.
func Int(i int64) Number { return Number{i: i} }

// Uint returns the integer u as a Number; it is an int64 when it fits.
func Uint(u uint64) Number {
	if u <= math.MaxInt64 {
		return Int(int64(u))
	}
	return Number{u: u, kind: numUint}
}

// Float returns f as a Number. It stays a float: Float(5) equals Int(5)
// under Compare but renders and computes as the float it is.
func Float(f float64) Number { return Number{f: f, kind: numFloat} }

// ParseNumber parses a decimal number text (as JSON or a rule writes it,
// optionally with a leading '+'): an integer that fits an int64 or uint64
// exactly, anything else as a float64, with the out-of-range rules in
// Number's documentation. It fails only on a text that is not a number.
func ParseNumber(s string) (Number, error) {
	if integerText(s) {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return Int(i), nil
		}
		if s[0] != '-' {
			if u, err := strconv.ParseUint(strings.TrimPrefix(s, "+"), 10, 64); err == nil {
				return Uint(u), nil
			}
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return Number{}, err
	}
	return Float(f), nil // ErrRange: f is ±Inf (overflow), as documented
}

// integerText reports whether s is an optional sign and decimal digits, so
// that strconv.ParseInt is only tried where it can succeed (a failure
// allocates an error, and matching parses many event texts).
func integerText(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NumberOf converts a number as Go holds it (every integer type, uint
// too, float32, float64), such as an event value or a computed one, to a
// Number (a map[string]any a Go program built may hold a uint); a
// Number is returned as it is. ok is false for any other value
// (json.Number and strings go through ParseNumber).
func NumberOf(v any) (n Number, ok bool) {
	switch x := v.(type) {
	case Number:
		return x, true
	case int:
		return Int(int64(x)), true
	case int8:
		return Int(int64(x)), true
	case int16:
		return Int(int64(x)), true
	case int32:
		return Int(int64(x)), true
	case int64:
		return Int(x), true
	case uint:
		return Uint(uint64(x)), true
	case uint8:
		return Int(int64(x)), true
	case uint16:
		return Int(int64(x)), true
	case uint32:
		return Int(int64(x)), true
	case uint64:
		return Uint(x), true
	case float32:
		return Float(float64(x)), true
	case float64:
		return Float(x), true
	}
	return Number{}, false
}

// IsFloat reports whether n is held as a float64 rather than an integer.
func (n Number) IsFloat() bool { return n.kind == numFloat }

// Float64 returns n as the nearest float64.
func (n Number) Float64() float64 {
	switch n.kind {
	case numUint:
		return float64(n.u)
	case numFloat:
		return n.f
	}
	return float64(n.i)
}

// Int64 returns n as an int64 when n is an integer (of either kind) that
// fits one exactly.
func (n Number) Int64() (int64, bool) {
	switch n.kind {
	case numInt:
		return n.i, true
	case numFloat:
		if n.f == math.Trunc(n.f) && n.f >= -1<<63 && n.f < 1<<63 {
			return int64(n.f), true
		}
	}
	return 0, false
}

// IsNaN reports whether n is NaN.
func (n Number) IsNaN() bool { return n.kind == numFloat && n.f != n.f }

// Text renders n in plain decimal, without an exponent: integers in full,
// floats in the shortest form that reads back to the same float64. It is
// the text a string comparison sees for a number.
func (n Number) Text() string {
	switch n.kind {
	case numUint:
		return strconv.FormatUint(n.u, 10)
	case numFloat:
		return strconv.FormatFloat(n.f, 'f', -1, 64)
	}
	return strconv.FormatInt(n.i, 10)
}

// String renders n in Go's shortest float form (1e+06), the form rule
// dumps have always used, except that an integer a float64 cannot hold
// exactly is written in full so that it reads back to the same Number.
func (n Number) String() string {
	if n.kind != numFloat {
		if f := n.Float64(); f < 1<<53 && f > -1<<53 {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return n.Text()
	}
	return strconv.FormatFloat(n.f, 'g', -1, 64)
}

// Compare orders a and b by their exact values: -1 when a < b, 0 when they
// are equal, +1 when a > b. ok is false when either is NaN (nothing holds
// then, not even equality). An integer and a float compare exactly, not
// through float64 rounding; Float(5) equals Int(5); -0 equals 0.
func Compare(a, b Number) (c int, ok bool) {
	if a.IsNaN() || b.IsNaN() {
		return 0, false
	}
	switch {
	case a.kind == numFloat && b.kind == numFloat:
		return cmpOrdered(a.f, b.f), true
	case b.kind == numFloat:
		return a.cmpFloat(b.f), true
	case a.kind == numFloat:
		return -b.cmpFloat(a.f), true
	case a.kind == numUint && b.kind == numUint:
		return cmpOrdered(a.u, b.u), true
	case a.kind == numUint:
		return 1, true // above every int64
	case b.kind == numUint:
		return -1, true
	}
	return cmpOrdered(a.i, b.i), true
}

// cmpFloat compares an integer Number with a float that is not NaN,
// exactly: the float's integer part is compared as an integer, its
// fraction breaks a tie.
func (n Number) cmpFloat(f float64) int {
	t := math.Trunc(f)
	frac := -cmpOrdered(f, t) // f above its truncation: n is below f on a tie
	if n.kind == numUint {
		switch {
		case t >= 1<<64:
			return -1
		case t < 0:
			return 1
		}
		if c := cmpOrdered(n.u, uint64(t)); c != 0 {
			return c
		}
		return frac
	}
	switch {
	case t >= 1<<63:
		return -1
	case t < -1<<63:
		return 1
	}
	if c := cmpOrdered(n.i, int64(t)); c != 0 {
		return c
	}
	return frac
}

// cmpOrdered compares two integers or two floats that are not NaN.
func cmpOrdered[T int64 | uint64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
