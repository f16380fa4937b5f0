package ir

import (
	"fmt"
	"math"
	"math/big"
	"testing"
)

// TestParseNumber checks which texts stay exact integers and what happens
// out of range (see Number).
func TestParseNumber(t *testing.T) {
	for _, tt := range []struct {
		in      string
		text    string // Text of the result
		isFloat bool
		err     bool
	}{
		{"0", "0", false, false},
		{"-0", "0", false, false},
		{"+12", "12", false, false},
		{"9007199254740993", "9007199254740993", false, false},
		{"9223372036854775807", "9223372036854775807", false, false},
		{"9223372036854775808", "9223372036854775808", false, false}, // uint64
		{"+9223372036854775808", "9223372036854775808", false, false},
		{"18446744073709551615", "18446744073709551615", false, false},
		{"18446744073709551616", "18446744073709552000", true, false}, // beyond uint64: a double
		{"-9223372036854775808", "-9223372036854775808", false, false},
		{"-9223372036854775809", "-9223372036854776000", true, false}, // beyond int64: a double
		{"5.0", "5", true, false},
		{"1.5", "1.5", true, false},
		{"1e3", "1000", true, false},
		{"1e400", "+Inf", true, false},
		{"-1e400", "-Inf", true, false},
		{"1e-400", "0", true, false},
		{"", "", false, true},
		{"12a", "", false, true},
		{"-", "", false, true},
	} {
		n, err := ParseNumber(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseNumber(%q): error %v, want error %t", tt.in, err, tt.err)
			continue
		}
		if err == nil && (n.Text() != tt.text || n.IsFloat() != tt.isFloat) {
			t.Errorf("ParseNumber(%q) = %s (float %t), want %s (float %t)", tt.in, n.Text(), n.IsFloat(), tt.text, tt.isFloat)
		}
	}
}

// TestCompare checks exact comparison around the limits of float64's
// integers (2^53), int64 (2^63, -2^63) and uint64 (2^64).
func TestCompare(t *testing.T) {
	p := func(s string) Number {
		n, err := ParseNumber(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tt := range []struct {
		a, b Number
		want int
		ok   bool
	}{
		{p("9007199254740993"), p("9007199254740992"), 1, true},
		{p("9007199254740993"), Float(1 << 53), 1, true},
		{Float(1 << 53), p("9007199254740993"), -1, true},
		{p("9007199254740992"), Float(1 << 53), 0, true},
		{p("9223372036854775808"), p("9223372036854775807"), 1, true},
		{p("9223372036854775807"), Float(1 << 63), -1, true},
		{p("9223372036854775808"), Float(1 << 63), 0, true},
		{p("18446744073709551615"), Float(1 << 64), -1, true},
		{p("18446744073709551615"), p("9223372036854775808"), 1, true},
		{p("-9223372036854775808"), Float(-1 << 63), 0, true},
		{p("-9223372036854775808"), p("-9223372036854775807"), -1, true},
		{p("-9223372036854775808"), Float(math.Nextafter(-1<<63, math.Inf(-1))), 1, true},
		{Int(5), Float(5), 0, true},
		{Int(5), Float(5.5), -1, true},
		{Int(-5), Float(-5.5), 1, true},
		{Int(-5), Float(-4.5), -1, true},
		{Int(0), Float(math.Copysign(0, -1)), 0, true},
		{Int(math.MaxInt64), Float(math.Inf(1)), -1, true},
		{Uint(math.MaxUint64), Float(math.Inf(1)), -1, true},
		{Int(math.MinInt64), Float(math.Inf(-1)), 1, true},
		{p("1e400"), Int(5), 1, true},
		{Int(5), Float(math.NaN()), 0, false},
		{Float(math.NaN()), Float(math.NaN()), 0, false},
	} {
		got, ok := Compare(tt.a, tt.b)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Compare(%s, %s) = %d, %t; want %d, %t", tt.a.Text(), tt.b.Text(), got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzCompare checks Compare against exact arithmetic in math/big, and
// that it is antisymmetric, for any two number texts.
func FuzzCompare(f *testing.F) {
	for _, s := range [][2]string{
		{"9007199254740993", "9007199254740992.0"},
		{"9223372036854775808", "9.223372036854775807e18"},
		{"-9223372036854775808", "-9.2233720368547758e18"},
		{"18446744073709551615", "1.8446744073709552e19"},
		{"5", "5.000000000000001"},
		{"1e400", "-1e400"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, x, y string) {
		a, err1 := ParseNumber(x)
		b, err2 := ParseNumber(y)
		if err1 != nil || err2 != nil {
			return
		}
		c, ok := Compare(a, b)
		back, okBack := Compare(b, a)
		if ok != okBack || back != -c {
			t.Fatalf("Compare(%s, %s) = %d, %t but swapped %d, %t", x, y, c, ok, back, okBack)
		}
		if a.IsNaN() || b.IsNaN() {
			if ok {
				t.Fatalf("Compare(%s, %s) is ordered with NaN", x, y)
			}
			return
		}
		if want := exact(a).Cmp(exact(b)); !ok || c != want {
			t.Fatalf("Compare(%s, %s) = %d, %t; exactly %d", x, y, c, ok, want)
		}
	})
}

// exact returns n as a big.Float holding its value exactly.
func exact(n Number) *big.Float {
	x := new(big.Float).SetPrec(256)
	switch n.kind {
	case numInt:
		return x.SetInt64(n.i)
	case numUint:
		return x.SetUint64(n.u)
	}
	return x.SetFloat64(n.f)
}

// TestNumberOf checks the Go number types, a Number itself, and that
// nothing else converts.
func TestNumberOf(t *testing.T) {
	for _, tt := range []struct {
		in   any
		text string
		ok   bool
	}{
		{int(-3), "-3", true},
		{int8(-8), "-8", true},
		{int16(16), "16", true},
		{int32(-32), "-32", true},
		{int64(1<<53 + 1), "9007199254740993", true},
		{uint(7), "7", true},
		{^uint(0), fmt.Sprint(^uint(0)), true},
		{uint8(8), "8", true},
		{uint16(16), "16", true},
		{uint32(4688), "4688", true},
		{uint64(1<<63 + 1), "9223372036854775809", true},
		{float32(1.5), "1.5", true},
		{2.25, "2.25", true},
		{Uint(1<<64 - 1), "18446744073709551615", true},
		{"5", "", false},
		{true, "", false},
		{nil, "", false},
	} {
		n, ok := NumberOf(tt.in)
		if ok != tt.ok || ok && n.Text() != tt.text {
			t.Errorf("NumberOf(%#v) = %s, %t; want %s, %t", tt.in, n.Text(), ok, tt.text, tt.ok)
		}
	}
}
