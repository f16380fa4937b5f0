// Package ruleforge compiles security detection rules written in Sigma
// (YAML) and Elastic EQL into one intermediate representation and
// evaluates events against thousands of them at once.
//
// This package reads rule files; the stages live in their own packages:
//
//	ir       the shared intermediate representation (ir.Rule, ir.Expr)
//	eql      EQL queries and Elastic detection-rules TOML files → ir
//	sigma    Sigma YAML rules → ir
//	compile  ir rules → an optimized, immutable match.Ruleset
//	match    the runtime: events, matchers and Ruleset.Match
//
// A typical program:
//
//	rules, errs := ruleforge.Load("rules/")   // Sigma, EQL and TOML files
//	rs, err := compile.Compile(rules)
//	ev, err := match.ParseJSON(line)
//	for _, i := range rs.Match(ev, nil) {
//		fmt.Println(rs.Rule(i).Title)
//	}
package ruleforge
