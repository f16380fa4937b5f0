package compile

import (
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

func fieldT(name string) *ir.Term { return &ir.Term{Fn: ir.FnField, Field: ir.F(name)} }
func constT(v ir.Value) *ir.Term  { return &ir.Term{Fn: ir.FnConst, Value: v} }
func fnT(fn ir.Fn, fold bool, args ...*ir.Term) *ir.Term {
	return &ir.Term{Fn: fn, Fold: fold, Args: args}
}

// TestTerms checks computed operands, compiled and through the reference.
func TestTerms(t *testing.T) {
	num, str := ir.Num, ir.Str
	ev := match.Map{
		"n": 4, "m": 2, "f": 2.5, "s": "hello", "path": `C:\Windows\System32\cmd.exe`,
		"args": []any{"ab", "abcd"}, "a": "Cmd.exe", "b": "cmd", "num": "0x1F", "dec": "42",
		"emoji": "a😀b", "nul": nil, "big": strings.Repeat("x", 200<<10), "ts": "2026-11-25T01:24:13.123+01:00", "ts2": "2024-12-30 23:59:59",
	}
	pred := func(left *ir.Term, cmp ir.Cmp, cs bool, vals ...ir.Value) *ir.Expr {
		return ir.P(&ir.Pred{Field: ir.F(left.String()), Left: left, Cmp: cmp, CaseSensitive: cs, Values: vals})
	}
	vs := func(field string, cmp ir.Cmp, cs bool, right *ir.Term) *ir.Expr {
		return ir.P(&ir.Pred{Field: ir.F(field), Cmp: cmp, CaseSensitive: cs, Right: right})
	}
	bigs := func(n int) []*ir.Term { // n copies of the 200 KB field
		args := make([]*ir.Term, n)
		for i := range args {
			args[i] = fieldT("big")
		}
		return args
	}
	tests := []struct {
		name string
		x    *ir.Expr
		want bool
	}{
		// concat() of more than eval.MaxComputed (16 MiB) bytes is null (issue 21: 20,000 copies died out of memory).
		{"concat_under_limit", pred(fnT(ir.FnLength, false, fnT(ir.FnConcat, false, bigs(80)...)), ir.CmpEqual, true, num(80*200<<10)), true},
		{"concat_over_limit_null", pred(fnT(ir.FnLength, false, fnT(ir.FnConcat, false, bigs(20000)...)), ir.CmpGE, true, num(0)), false},
		{"add_ints", pred(fnT(ir.FnAdd, false, fieldT("n"), constT(num(5))), ir.CmpEqual, true, num(9)), true},
		{"add_float", pred(fnT(ir.FnAdd, false, fieldT("n"), constT(num(0.5))), ir.CmpEqual, true, num(4.5)), true},
		{"divide_ints_truncates", pred(fnT(ir.FnDiv, false, constT(num(5)), fieldT("m")), ir.CmpEqual, true, num(2)), true},
		{"divide_float", pred(fnT(ir.FnDiv, false, fieldT("f"), constT(num(2))), ir.CmpEqual, true, num(1.25)), true},
		{"divide_by_zero_null", pred(fnT(ir.FnDiv, false, fieldT("n"), constT(num(0))), ir.CmpGE, true, num(0)), false},
		{"modulo", pred(fnT(ir.FnMod, false, constT(num(10)), constT(num(6))), ir.CmpEqual, true, num(4)), true},
		{"negate", pred(fnT(ir.FnNeg, false, fieldT("n")), ir.CmpLT, true, num(0)), true},
		{"missing_field_null", pred(fnT(ir.FnAdd, false, fieldT("nope"), constT(num(1))), ir.CmpGE, true, num(0)), false},
		{"null_field_null", pred(fnT(ir.FnLength, false, fieldT("nul")), ir.CmpGE, true, num(0)), false},
		{"length", pred(fnT(ir.FnLength, false, fieldT("s")), ir.CmpEqual, true, num(5)), true},
		{"length_utf16_units", pred(fnT(ir.FnLength, false, fieldT("emoji")), ir.CmpEqual, true, num(4)), true},
		{"length_array_any_element", pred(fnT(ir.FnLength, false, fieldT("args")), ir.CmpGT, true, num(3)), true},
		{"length_array_no_element", pred(fnT(ir.FnLength, false, fieldT("args")), ir.CmpGT, true, num(4)), false},
		{"concat", pred(fnT(ir.FnConcat, false, fieldT("s"), constT(str("-")), fieldT("n")), ir.CmpEqual, true, str("hello-4")), true},
		{"concat_glob", pred(fnT(ir.FnConcat, false, fieldT("s"), constT(str("X"))), ir.CmpGlob, false, ir.Glob(ir.Pattern{{Kind: ir.PieceStar}, {Kind: ir.PieceLit, Text: "ox"}})), true},
		{"number_hex_prefix_no_base", pred(fnT(ir.FnNumber, false, fieldT("num")), ir.CmpEqual, true, num(31)), true},
		{"string_of_float_java_style", pred(fnT(ir.FnString, false, fieldT("f")), ir.CmpEqual, true, str("2.5")), true},
		{"concat_integral_float", pred(fnT(ir.FnConcat, false, fnT(ir.FnMul, false, fieldT("f"), constT(num(2))), constT(str("x"))), ir.CmpEqual, true, str("5.0x")), true},
		{"string_of_number", pred(fnT(ir.FnString, false, fieldT("n")), ir.CmpEqual, true, str("4")), true},
		{"number_hex", pred(fnT(ir.FnNumber, false, fieldT("num"), constT(num(16))), ir.CmpEqual, true, num(31)), true},
		{"number_decimal", pred(fnT(ir.FnNumber, false, fieldT("dec")), ir.CmpGT, true, num(41)), true},
		{"number_bad_null", pred(fnT(ir.FnNumber, false, fieldT("s")), ir.CmpGE, true, num(0)), false},
		{"substring_negative", pred(fnT(ir.FnSubstring, false, fieldT("s"), constT(num(-3))), ir.CmpEqual, true, str("llo")), true},
		{"substring_range", pred(fnT(ir.FnSubstring, false, fieldT("s"), constT(num(1)), constT(num(3))), ir.CmpEqual, true, str("el")), true},
		{"substring_empty", pred(fnT(ir.FnSubstring, false, fieldT("s"), constT(num(4)), constT(num(2))), ir.CmpEqual, true, str("")), true},
		{"indexof", pred(fnT(ir.FnIndexOf, false, fieldT("s"), constT(str("l"))), ir.CmpEqual, true, num(2)), true},
		{"indexof_start", pred(fnT(ir.FnIndexOf, false, fieldT("s"), constT(str("l")), constT(num(3))), ir.CmpEqual, true, num(3)), true},
		{"indexof_missing_null", pred(fnT(ir.FnIndexOf, false, fieldT("s"), constT(str("z"))), ir.CmpGE, true, num(0)), false},
		{"indexof_fold", pred(fnT(ir.FnIndexOf, true, fieldT("s"), constT(str("LL"))), ir.CmpEqual, true, num(2)), true},
		{"between", pred(fnT(ir.FnBetween, false, fieldT("path"), constT(str(`System32\`)), constT(str(".exe"))), ir.CmpEqual, true, str("cmd")), true},
		{"between_case", pred(fnT(ir.FnBetween, false, fieldT("path"), constT(str(`system32\`)), constT(str(".exe"))), ir.CmpEqual, true, str("")), true},
		{"between_fold", pred(fnT(ir.FnBetween, true, fieldT("path"), constT(str(`system32\`)), constT(str(".exe"))), ir.CmpEqual, true, str("cmd")), true},
		{"between_greedy", pred(fnT(ir.FnBetween, false, fieldT("path"), constT(str(`\`)), constT(str(`\`)), constT(ir.Bool(true))), ir.CmpEqual, true, str(`Windows\System32`)), true},
		{"hour_utc", pred(fnT(ir.FnHour, false, fieldT("ts")), ir.CmpEqual, true, num(0)), true},
		{"minute", pred(fnT(ir.FnMinute, false, fieldT("ts")), ir.CmpEqual, true, num(24)), true},
		{"day", pred(fnT(ir.FnDay, false, fieldT("ts")), ir.CmpEqual, true, num(25)), true},
		{"month", pred(fnT(ir.FnMonth, false, fieldT("ts")), ir.CmpEqual, true, num(11)), true},
		{"year", pred(fnT(ir.FnYear, false, fieldT("ts2")), ir.CmpEqual, true, num(2024)), true},
		{"iso_week_of_dec_30", pred(fnT(ir.FnWeek, false, fieldT("ts2")), ir.CmpEqual, true, num(1)), true},
		{"time_part_not_a_time", pred(fnT(ir.FnHour, false, fieldT("s")), ir.CmpGE, true, num(0)), false},
		{"field_eq_field_fold", vs("a", ir.CmpPrefix, false, fieldT("b")), true},
		{"field_eq_field_cs", vs("a", ir.CmpPrefix, true, fieldT("b")), false},
		{"field_vs_missing", vs("a", ir.CmpEqual, false, fieldT("nope")), false},
		{"number_vs_field", vs("n", ir.CmpGT, true, fieldT("m")), true},
		{"computed_vs_computed", ir.P(&ir.Pred{Field: ir.F("x"), Left: fnT(ir.FnAdd, false, fieldT("m"), fieldT("m")), Cmp: ir.CmpEqual, CaseSensitive: true, Right: fieldT("n")}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &ir.Rule{Meta: ir.Meta{ID: tt.name}, Expr: tt.x}
			rs, err := Compile([]*ir.Rule{r})
			if err != nil {
				t.Fatal(err)
			}
			if got := hooks.RulesetPlan(rs, 0).Eval(ev); got != tt.want {
				t.Errorf("compiled %s = %v, want %v", tt.x, got, tt.want)
			}
			if got := refeval.Eval(tt.x, ev); got != tt.want {
				t.Errorf("reference %s = %v, want %v", tt.x, got, tt.want)
			}
		})
	}
}

func TestTermErrors(t *testing.T) {
	bad := []struct {
		x    *ir.Expr
		want string
	}{
		{ir.P(&ir.Pred{Field: ir.F("x"), Left: fnT(ir.FnLength, false), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Num(1)}}), `rule "r": length takes 1 to 1 arguments, not 0`},
		{ir.P(&ir.Pred{Field: ir.F("x"), Cmp: ir.CmpRegex, Right: fieldT("y")}), `rule "r": x: regex cannot compare with a computed value`},
		{ir.P(&ir.Pred{Field: ir.F("x"), Left: fnT(ir.FnInvalid, false, fieldT("y")), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Num(1)}}), `rule "r": invalid takes 1 to 0 arguments, not 1`},
	}
	for _, tt := range bad {
		_, err := Compile([]*ir.Rule{{Meta: ir.Meta{ID: "r"}, Expr: tt.x}})
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.x, err, tt.want)
		}
	}
}
