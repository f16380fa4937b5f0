package ir_test

import (
	"fmt"

	"github.com/ruleforge/ruleforge/ir"
)

// A rule built by hand: process.name is mofcomp.exe (ignoring case) and
// user.id is not S-1-5-18.
func Example() {
	name := ir.P(&ir.Pred{Field: ir.F("process.name"), Cmp: ir.CmpGlob, Values: []ir.Value{ir.Str("mofcomp.exe")}})
	user := ir.P(&ir.Pred{Field: ir.F("user.id"), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("S-1-5-18")}, CaseSensitive: true})
	r := &ir.Rule{Meta: ir.Meta{ID: "demo", Title: "Demo"}, Lang: ir.LangEQL, Expr: ir.And(name, ir.Not(user))}
	fmt.Println(r.Expr)
	fmt.Print(r.Dump())
	// Output:
	// (and process.name glob~ "mofcomp.exe" (not user.id equal "S-1-5-18"))
	// rule eql "demo"
	//   title: "Demo"
	//   (and
	//     process.name glob~ "mofcomp.exe"
	//     (not
	//       user.id equal "S-1-5-18"))
}

// Patterns are literal text and wildcards; String escapes what would
// otherwise read as a wildcard or an escape.
func ExamplePattern_String() {
	p := ir.Pattern{
		{Kind: ir.PieceStar},
		{Kind: ir.PieceLit, Text: `\MSSQL\Binn\`},
		{Kind: ir.PieceOne},
		{Kind: ir.PieceLit, Text: `literal*star\`},
	}
	fmt.Println(p)
	// Output:
	// *\MSSQL\Binn\\?literal\*star\\
}
