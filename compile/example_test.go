package compile_test

import (
	"fmt"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// Compile a hand-built rule and match two events; the plan shows the
// matcher chosen for each pattern.
func Example() {
	p := func(field string, cmp ir.Cmp, pattern ir.Pattern) *ir.Expr {
		return ir.P(&ir.Pred{Field: ir.F(field), Cmp: cmp, Values: []ir.Value{ir.Glob(pattern)}})
	}
	star := ir.Piece{Kind: ir.PieceStar}
	rule := &ir.Rule{
		Meta: ir.Meta{
			ID:    "r1",
			Title: "MOF from a temp folder",
		},
		Expr: ir.And(
			p("process.name", ir.CmpGlob, ir.Lit("mofcomp.exe")),
			p("process.args", ir.CmpGlob, append(ir.Pattern{star}, ir.Lit(`\Temp\`)[0], star, ir.Lit(".mof")[0])),
			p("process.args", ir.CmpGlob, append(ir.Pattern{star}, ir.Lit(".mof")[0])),
		),
	}
	rs, err := compile.Compile([]*ir.Rule{rule})
	if err != nil {
		panic(err)
	}
	fmt.Print(rs.Plan(0))
	for _, ev := range []match.Map{
		{"process": map[string]any{"name": "MOFCOMP.EXE", "args": []any{"mofcomp", `C:\Temp\x.MOF`}}},
		{"process": map[string]any{"name": "mofcomp.exe", "args": []any{"mofcomp", `C:\x.mof`}}},
	} {
		fmt.Println(len(rs.Match(ev, nil)) == 1)
	}
	// Output:
	// and
	//   process.name [exact~ "mofcomp.exe"]
	//   process.args [suffix~ ".mof"]
	//   process.args [segments~ "" * "\temp\" * ".mof"]
	// true
	// false
}

// Simplify flattens, folds constants, removes duplicates and merges the
// values of predicates on the same field under one or.
func ExampleSimplify() {
	a := ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpSuffix, Values: []ir.Value{ir.Str(".exe")}})
	b := ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpSuffix, Values: []ir.Value{ir.Str(".dll")}})
	x := ir.Or(a, ir.Or(b, ir.Const(false)), a)
	fmt.Println(compile.Simplify(x))
	// Output:
	// a suffix~ (".exe", ".dll")
}
