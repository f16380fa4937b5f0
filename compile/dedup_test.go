package compile

import (
	"testing"

	"github.com/ruleforge/ruleforge/ir"
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
