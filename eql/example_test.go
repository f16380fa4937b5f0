package eql_test

import (
	"fmt"
	"strings"

	"github.com/ruleforge/ruleforge/eql"
)

func ExampleParse() {
	x, err := eql.Parse("", `process where process.name : "mofcomp.exe" and not user.id in ("S-1-5-18", "S-1-5-19")`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x)
	// Output:
	// (and event.category equal "process" process.name glob~ "mofcomp.exe" (not user.id equal ("S-1-5-18", "S-1-5-19")))
}

func ExampleParse_error() {
	_, err := eql.Parse("rules/x.eql", `process where process.name : "mofcomp.exe" and`)
	fmt.Println(err)
	_, err = eql.Parse("rules/y.eql", `process where length(process.pid + 1) > 3`)
	fmt.Println(err)
	_, err = eql.Parse("rules/z.eql", `sequence [process where true] [file where true]`)
	fmt.Println(err)
	// Output:
	// rules/x.eql:1:47: unexpected end of query (expected a value)
	// rules/y.eql:1:22: unexpected arithmetic expression (expected a string)
	// rules/z.eql:1:1: unsupported: sequence outside a rule (it spans several events: use ParseRule or ParseTOML)
}

func ExampleParseRule() {
	r, err := eql.ParseRule("rules/mofcomp.eql", []byte("process where process.args : (\"*.mof\", \"*.MFL\")\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(r.Dump())
	// Output:
	// rule eql "mofcomp"
	//   title: "mofcomp"
	//   source: rules/mofcomp.eql:1:1
	//   (and
	//     event.category equal "process"
	//     process.args glob~ ("*.mof", "*.MFL"))
}

func ExampleWithMaxDepth() {
	q := "any where " + strings.Repeat("(", 2000) + "a == 1" + strings.Repeat(")", 2000)
	_, err := eql.Parse("x.eql", q)
	fmt.Println(err)
	_, err = eql.Parse("x.eql", q, eql.WithMaxDepth(2000))
	fmt.Println(err)
	// Output:
	// x.eql:1:1011: nesting deeper than 1000
	// <nil>
}
