package compile

import (
	"fmt"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// TestForms checks that dedup's numbering gives two expressions one
// number exactly when they print alike (ir.Expr.String), for every node
// of nested expressions numbered in either order, except predicates that
// print alike but read other paths or every value.
func TestForms(t *testing.T) {
	a := pred("a", ir.CmpGlob, false, "x", `y\*z`)
	b := pred("b", ir.CmpContains, true, "(or b)")
	a2 := pred("a", ir.CmpGlob, false, "x", `y\*z`) // a again, another node
	n := ir.P(&ir.Pred{Field: ir.F("n"), Cmp: ir.CmpEqual, Values: []ir.Value{ir.NumOf(ir.Int(1))}})
	s := ir.P(&ir.Pred{Field: ir.F("n"), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("1")}})
	exprs := []*ir.Expr{
		a, a2, b, n, s,
		ir.Const(true),
		ir.Const(false),
		ir.Not(a),
		ir.Not(a2),
		ir.And(a, b, ir.Or(ir.Not(b), a, ir.Const(false))),
		ir.And(a2, b, ir.Or(ir.Not(b), a2, ir.Const(false))),
		ir.Or(ir.And(a, b), ir.And(a, b), ir.Not(ir.And(b, ir.Const(true)))),
		ir.Or(a, b),
		ir.And(a, b),
		{Op: ir.OpAnd},
		{Op: ir.OpOr},
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
	for _, order := range []string{"outside in", "inside out"} {
		fs := newForms()
		if order == "inside out" {
			for i := len(all) - 1; i >= 0; i-- {
				fs.id(all[i])
			}
		}
		for _, x := range all {
			for _, y := range all {
				if same, alike := fs.id(x) == fs.id(y), x.String() == y.String(); same != alike {
					t.Errorf("%s: %s and %s: one number %v, print alike %v", order, x, y, same, alike)
				}
			}
		}
	}
	fs := newForms()
	x := ir.P(&ir.Pred{Field: ir.Field{Name: "a", Paths: []string{"x"}}, Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("v")}})
	y := ir.P(&ir.Pred{Field: ir.Field{Name: "a", Paths: []string{"y"}}, Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("v")}})
	star := ir.P(&ir.Pred{Field: ir.F("*"), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("v")}})
	keyword := ir.P(&ir.Pred{Field: ir.AnyField(), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("v")}})
	if fs.id(x) == fs.id(y) || fs.id(star) == fs.id(keyword) {
		t.Errorf("predicates on other paths, or keywords and a field named *, have one number")
	}
	if got := Simplify(ir.Or(x, y, x)).String(); got != `(or a equal~ "v" a equal~ "v")` {
		t.Errorf("x or y or x simplified to %s, want x or y (printing alike, reading other paths)", got)
	}
}

// TestFormsComputed checks that computed predicates get one number only
// when they compute the same thing: printing alike is not enough when a
// term's field reads other paths, or a constant is 2 rather than 2.0
// (divide is an integer division only between integers).
func TestFormsComputed(t *testing.T) {
	field := func(paths ...string) *ir.Term {
		return &ir.Term{Fn: ir.FnField, Field: ir.Field{Name: "a", Paths: paths}}
	}
	num := func(n ir.Number) *ir.Term { return &ir.Term{Fn: ir.FnConst, Value: ir.NumOf(n)} }
	div := func(l, r *ir.Term) *ir.Term { return &ir.Term{Fn: ir.FnDiv, Args: []*ir.Term{l, r}} }
	cmp := func(l, r *ir.Term) *ir.Expr {
		return ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpEqual, Left: l, Right: r})
	}
	base := cmp(div(field("x"), num(ir.Int(2))), num(ir.Int(1)))
	same := cmp(div(field("x"), num(ir.Int(2))), num(ir.Int(1)))
	for _, other := range []*ir.Expr{
		cmp(div(field("y"), num(ir.Int(2))), num(ir.Int(1))),
		cmp(div(field("x"), num(ir.Float(2))), num(ir.Int(1))),
		cmp(div(field("x"), num(ir.Int(2))), num(ir.Float(1))),
		cmp(div(num(ir.Int(2)), field("x")), num(ir.Int(1))),
		cmp(num(ir.Int(1)), div(field("x"), num(ir.Int(2)))),
	} {
		fs := newForms()
		if fs.id(base) != fs.id(same) {
			t.Errorf("%s: two equal computed predicates have other numbers", base)
		}
		if fs.id(base) == fs.id(other) {
			t.Errorf("%s and %s (%s): one number", base, other, other.Pred.Left)
		}
		if got := Simplify(ir.Or(base, other, same)); len(got.Args) != 2 {
			t.Errorf("%s or %s or again: simplified to %s, want two operands", base, other, got)
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
// different rules share one compiled test (sharedTest, appendPredKey).
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
		is(ir.Glob(pat("1?")), ir.CmpGlob), // 1* but for a piece's kind
		is(ir.Bool(true), ir.CmpEqual),
		is(ir.Bool(false), ir.CmpEqual),
		is(ir.Str(""), ir.CmpEqual), // no pieces, as false has no text
	}
	rs = MustCompile(rules)
	plain := MustCompile(rules, switches(hooks.Switches{NoOptimize: true}))
	for _, ev := range []match.Map{{"n": 10}, {"n": "10"}, {"n": 10.5}, {"n": "10.5"}, {"n": "1*"}, {"n": "1x"}, {"n": "1xy"}, {"n": true}, {"n": false}, {"n": ""}} {
		if got, want := rs.Match(ev, nil), plain.Match(ev, nil); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%v: got rules %v, unoptimized %v", ev, got, want)
		}
	}
	for _, tc := range []struct {
		ev   match.Map
		want string
	}{
		{match.Map{"n": "1x"}, "[5 7]"}, // the globs 1* and 1?, not the literal "1*"
		{match.Map{"n": "1xy"}, "[5]"},
		{match.Map{"n": true}, "[8]"},
		{match.Map{"n": false}, "[9]"},
		{match.Map{"n": ""}, "[10]"},
	} {
		if got := rs.Match(tc.ev, nil); fmt.Sprint(got) != tc.want {
			t.Errorf("%v: got rules %v, want %s", tc.ev, got, tc.want)
		}
	}
}

// TestMergeReads checks that mergeValues joins the values of predicates
// only when they read the same data: not a keyword search and a field
// named "*", nor the path "a|b" and the paths a and b, which Field.Key
// gives one key.
func TestMergeReads(t *testing.T) {
	eq := func(f ir.Field, v string) *ir.Expr {
		return ir.P(&ir.Pred{Field: f, Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str(v)}})
	}
	for _, pair := range [][2]ir.Field{
		{ir.AnyField(), ir.F("*")},
		{{Name: "a", Paths: []string{"a|b"}}, {Name: "a", Paths: []string{"a", "b"}}},
	} {
		if got := Simplify(ir.Or(eq(pair[0], "v"), eq(pair[1], "w"))); len(got.Args) != 2 {
			t.Errorf("%+v or %+v: simplified to %s, want both", pair[0], pair[1], got)
		}
	}
	a, b := ir.Field{Name: "a", Paths: []string{"x"}}, ir.Field{Name: "b", Paths: []string{"x"}}
	if got := Simplify(ir.Or(eq(a, "v"), eq(b, "w"))); got.Op != ir.OpPred || len(got.Pred.Values) != 2 {
		t.Errorf("two names of one path: simplified to %s, want one predicate", got)
	}
}
