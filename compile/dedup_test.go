package compile

import (
	"fmt"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// TestPrinter checks that dedup's printer gives ir.Expr.String's one-line
// form, which it builds from the operands' cached forms, for every node of
// nested expressions, asked inside out and outside in.
func TestPrinter(t *testing.T) {
	a := pred("a", ir.CmpGlob, false, "x", `y\*z`)
	b := pred("b", ir.CmpContains, true, "(or b)")
	exprs := []*ir.Expr{
		a,
		ir.Const(true),
		ir.Const(false),
		ir.Not(a),
		ir.And(a, b, ir.Or(ir.Not(b), a, ir.Const(false))),
		ir.Or(ir.And(a, b), ir.And(a, b), ir.Not(ir.And(b, ir.Const(true)))),
		{Op: ir.OpAnd},
	}
	var all []*ir.Expr
	var walk func(x *ir.Expr)
	walk = func(x *ir.Expr) {
		all = append(all, x)
		for _, k := range x.Args {
			walk(k)
		}
	}
	for _, x := range exprs {
		walk(x)
	}
	outer := printer{}
	for _, x := range all {
		if got, want := outer.print(x), x.String(); got != want {
			t.Errorf("outside in: got %s, want %s", got, want)
		}
	}
	inner := printer{}
	for i := len(all) - 1; i >= 0; i-- {
		if got, want := inner.print(all[i]), all[i].String(); got != want {
			t.Errorf("inside out: got %s, want %s", got, want)
		}
	}
}

// TestPrintedBound checks that printedBound is at least the printed
// length of patterns with escapes, wildcards and invalid pieces.
func TestPrintedBound(t *testing.T) {
	for _, p := range []ir.Pattern{
		nil,
		ir.Lit(""),
		ir.Lit(`a"b`),
		ir.Lit(`\\\`),
		ir.Lit(`***???`),
		pat(`*\\*`),
		pat(`?`),
		{{Kind: ir.PieceInvalid}},
		{{Kind: ir.PieceLit, Text: `\`}, {Kind: ir.PieceStar}, {Kind: ir.PieceLit, Text: `"\`}},
	} {
		if n, bound := len(p.String()), printedBound(p); n > bound {
			t.Errorf("%s: printed %d bytes, bound %d", p, n, bound)
		}
	}
}

// TestSharedTest checks that rules whose predicates print alike but read
// other paths, or every value (a keyword search) rather than a field
// named "*", get tests of their own, while identical predicates of
// different rules share one compiled test (sharedTest, predKey).
func TestSharedTest(t *testing.T) {
	eq := func(f ir.Field) *ir.Expr {
		return ir.P(&ir.Pred{Field: f, Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("v")}})
	}
	fields := []ir.Field{
		{Name: "a", Paths: []string{"x"}},
		{Name: "a", Paths: []string{"y"}},
		{Name: "a", Paths: []string{"x"}}, // the first again
		{Name: "a", Paths: []string{"y", "x"}},
		{Name: "*"},
		ir.AnyField(),
	}
	var rules []*ir.Rule
	for i, f := range fields {
		rules = append(rules, &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint(i)}, Expr: eq(f)})
	}
	rs := MustCompile(rules)
	for _, tc := range []struct {
		ev   match.Map
		want []int
	}{
		{match.Map{"x": "v"}, []int{0, 2, 3, 5}},
		{match.Map{"y": "v"}, []int{1, 3, 5}},
		{match.Map{"*": "v"}, []int{4, 5}},
		{match.Map{"z": "v"}, []int{5}},
		{match.Map{"x": "w"}, nil},
	} {
		if got := rs.Match(tc.ev, nil); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%v: got rules %v, want %v", tc.ev, got, tc.want)
		}
	}
	if hooks.RulesetPlan(rs, 0) != hooks.RulesetPlan(rs, 2) {
		t.Error("rules 0 and 2 have the same predicate but not one plan")
	}
	// Values that print alike or nearly: a number and a string, an
	// integer and a float, a literal and a pattern.
	is := func(v ir.Value, cmp ir.Cmp) *ir.Rule {
		return &ir.Rule{Expr: ir.P(&ir.Pred{Field: ir.F("n"), Cmp: cmp, Values: []ir.Value{v}})}
	}
	// The optimized ruleset gives what the naive one (no sharing) gives.
	rules = []*ir.Rule{
		is(ir.NumOf(ir.Int(10)), ir.CmpEqual),
		is(ir.Str("10"), ir.CmpEqual),
		is(ir.Num(10.5), ir.CmpEqual),
		is(ir.NumOf(ir.Int(10)), ir.CmpPrefix),
		is(ir.Str("1*"), ir.CmpGlob),
		is(ir.Glob(pat("1*")), ir.CmpGlob),
		is(ir.Num(10), ir.CmpEqual),
	}
	rs = MustCompile(rules)
	plain := MustCompile(rules, switches(hooks.Switches{NoOptimize: true}))
	for _, ev := range []match.Map{{"n": 10}, {"n": "10"}, {"n": 10.5}, {"n": "10.5"}, {"n": "1*"}, {"n": "1x"}} {
		if got, want := rs.Match(ev, nil), plain.Match(ev, nil); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%v: got rules %v, unoptimized %v", ev, got, want)
		}
	}
	if got := rs.Match(match.Map{"n": "1x"}, nil); fmt.Sprint(got) != "[5]" {
		t.Errorf(`"1x": got rules %v, want [5] (the glob 1*, not the literal "1*")`, got)
	}
}
