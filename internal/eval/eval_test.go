package eval

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestApply checks each function on values it takes and on values for
// which it is undefined (null, ok false). Offsets and lengths are UTF-16
// code units (Java's String, which Elasticsearch's EQL functions use).
func TestApply(t *testing.T) {
	null := "null"
	tests := []struct {
		fn   ir.Fn
		fold bool
		args []any
		want string // fmt %T:%v of the result, or null
	}{
		{ir.FnAdd, false, []any{int64(2), int64(3)}, "int64:5"},
		{ir.FnAdd, false, []any{int64(2), 0.5}, "float64:2.5"},
		{ir.FnAdd, false, []any{"2", int64(3)}, null},
		{ir.FnSub, false, []any{int64(2), int64(3)}, "int64:-1"},
		{ir.FnMul, false, []any{1.5, int64(2)}, "float64:3"},
		{ir.FnDiv, false, []any{int64(7), int64(2)}, "int64:3"},
		{ir.FnDiv, false, []any{int64(-7), int64(2)}, "int64:-3"},
		{ir.FnDiv, false, []any{7.0, int64(2)}, "float64:3.5"},
		{ir.FnDiv, false, []any{int64(1), int64(0)}, null},
		{ir.FnDiv, false, []any{1.0, 0.0}, null},
		{ir.FnMod, false, []any{int64(-10), int64(6)}, "int64:-4"},
		{ir.FnMod, false, []any{10.25, 0.5}, "float64:0.25"},
		{ir.FnMod, false, []any{int64(1), int64(0)}, null},
		{ir.FnNeg, false, []any{int64(4)}, "int64:-4"},
		{ir.FnLength, false, []any{"a😀"}, "int64:3"},
		{ir.FnLength, false, []any{int64(12)}, null},
		{ir.FnConcat, false, []any{"a", int64(1), 2.0, true}, "string:a12.0true"},
		{ir.FnString, false, []any{1e7}, "string:1.0E7"},
		{ir.FnString, false, []any{int64(-3)}, "string:-3"},
		{ir.FnNumber, false, []any{" 1337 "}, "int64:1337"},
		{ir.FnNumber, false, []any{"42.5"}, "float64:42.5"},
		{ir.FnNumber, false, []any{"0x1F"}, "int64:31"},
		{ir.FnNumber, false, []any{"1f", int64(16)}, "int64:31"},
		{ir.FnNumber, false, []any{"1.5", int64(16)}, null},
		{ir.FnNumber, false, []any{"12", int64(37)}, null},
		{ir.FnNumber, false, []any{"x"}, null},
		{ir.FnNumber, false, []any{int64(5)}, "int64:5"},
		{ir.FnSubstring, false, []any{"hello", int64(1), int64(3)}, "string:el"},
		{ir.FnSubstring, false, []any{"hello", int64(-3)}, "string:llo"},
		{ir.FnSubstring, false, []any{"hello", int64(4), int64(2)}, "string:"},
		{ir.FnSubstring, false, []any{"😀x", int64(2)}, "string:x"},
		{ir.FnIndexOf, false, []any{"abcabc", "c", int64(3)}, "int64:5"},
		{ir.FnIndexOf, false, []any{"abc", "C"}, null},
		{ir.FnIndexOf, true, []any{"abc", "C"}, "int64:2"},
		{ir.FnIndexOf, false, []any{"abc", "a", int64(-5)}, "int64:0"},
		{ir.FnBetween, false, []any{`C:\Windows\System32\cmd.exe`, `\`, `\`}, `string:Windows`},
		{ir.FnBetween, false, []any{`C:\Windows\System32\cmd.exe`, `\`, `\`, true}, `string:Windows\System32`},
		{ir.FnBetween, true, []any{"xAby", "a", "Y"}, "string:b"},
		{ir.FnBetween, false, []any{"abc", "x", "y"}, "string:"},
		{ir.FnHour, false, []any{"2024-03-05T17:04:05+02:00"}, "int64:15"},
		{ir.FnWeek, false, []any{"2024-12-30 10:00:00"}, "int64:1"},
		{ir.FnYear, false, []any{"yesterday"}, null},
	}
	for _, tt := range tests {
		v, ok := Apply(tt.fn, tt.fold, tt.args)
		got := null
		if ok {
			got = fmt.Sprintf("%T:%v", v, v)
		}
		if got != tt.want {
			t.Errorf("Apply(%s, %t, %#v) = %s, want %s", tt.fn, tt.fold, tt.args, got, tt.want)
		}
	}
	long := strings.Repeat("x", MaxComputed/2+1)
	if v, ok := Apply(ir.FnConcat, false, []any{long, long}); ok {
		t.Errorf("concat beyond MaxComputed = %d bytes, want null", len(v.(string)))
	}
}

// TestCompare checks the comparison of computed values: strings by code
// point (fold with Unicode simple folding), numbers exactly, booleans for
// equality, values of different types never.
func TestCompare(t *testing.T) {
	tests := []struct {
		cmp  ir.Cmp
		fold bool
		l, r any
		want bool
	}{
		{ir.CmpEqual, false, "abc", "abc", true},
		{ir.CmpEqual, false, "abc", "ABC", false},
		{ir.CmpEqual, true, "abc", "ABC", true},
		{ir.CmpEqual, true, "k", "\u212a", true}, // Kelvin sign folds to k
		{ir.CmpPrefix, true, "Regsvr32.exe", "regsvr", true},
		{ir.CmpSuffix, false, "cmd.exe", ".EXE", false},
		{ir.CmpContains, true, "cmd.exe", "D.E", true},
		{ir.CmpLT, false, "B", "a", true}, // code point order
		{ir.CmpGE, false, "b", "b", true},
		{ir.CmpEqual, false, int64(1), 1.0, true},
		{ir.CmpLT, false, int64(1<<53 + 1), float64(1 << 53), false},
		{ir.CmpGT, false, int64(1<<53 + 1), float64(1 << 53), true},
		{ir.CmpGT, false, ir.Uint(1<<64 - 1), ir.Uint(1<<64 - 2), true},
		{ir.CmpPrefix, false, int64(12), int64(1), false},
		{ir.CmpEqual, false, true, true, true},
		{ir.CmpLT, false, false, true, false},
		{ir.CmpEqual, false, int64(1), "1", false},
		{ir.CmpEqual, false, "true", true, false},
	}
	for _, tt := range tests {
		if got := Compare(tt.cmp, tt.fold, tt.l, tt.r); got != tt.want {
			t.Errorf("Compare(%s, %t, %#v, %#v) = %t, want %t", tt.cmp, tt.fold, tt.l, tt.r, got, tt.want)
		}
	}
}

// TestConst checks how a constant becomes a computed value.
func TestConst(t *testing.T) {
	tests := []struct {
		v    ir.Value
		want string // %T:%v, or null
	}{
		{ir.Str("a*b"), "string:a*b"},
		{ir.Glob(ir.Pattern{{Kind: ir.PieceLit, Text: "a"}, {Kind: ir.PieceStar}}), "null"},
		{ir.NumOf(ir.Int(-5)), "int64:-5"},
		{ir.NumOf(ir.Uint(1<<64 - 1)), "float64:1.8446744073709552e+19"},
		{ir.Num(2.5), "float64:2.5"},
		{ir.NumOf(ir.Float(4)), "int64:4"}, // integral: see eql.asTerm for 4.0
		{ir.Bool(true), "bool:true"},
		{ir.Value{Kind: ir.KindNull}, "null"},
	}
	for _, tt := range tests {
		got := "null"
		if v, ok := Const(tt.v); ok {
			got = fmt.Sprintf("%T:%v", v, v)
		}
		if got != tt.want {
			t.Errorf("Const(%s) = %s, want %s", tt.v, got, tt.want)
		}
	}
}
