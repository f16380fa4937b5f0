// Package ruleforge compiles security detection rules written in Sigma
// (YAML) and Elastic EQL into one intermediate representation and
// evaluates events against thousands of them at once.
//
// This package is the way in: it loads rule files (Load, LoadFS), compiles
// them into an Engine (Compile) and matches events given as JSON text of
// any shape "ruleforge match" reads (Engine.Match), as maps a program
// already decoded (Engine.MatchMap), or as a stream from an io.Reader,
// matched on every CPU with results in input order (Engine.Stream).
// Windows and Sysmon events get the ECS view that EQL rules read, as in
// the CLI. Rules that fail to load or compile are left out and named in
// an ir.ErrorList; the others run.
//
//	rules, errs := ruleforge.Load("rules/")    // Sigma, EQL and TOML files
//	eng, err := ruleforge.Compile(rules)       // errs, err: the rules left out
//	hits, err := eng.Match(line, nil)
//	for _, h := range hits {
//		fmt.Println(h.Rule.Title, h.Rule.Severity, h.Rule.Tactics)
//	}
//
// The stages live in their own packages, for programs that need them:
//
//	ir         the shared intermediate representation (ir.Rule, ir.Expr)
//	eql        EQL queries and Elastic detection-rules TOML files → ir
//	sigma      Sigma YAML rules → ir
//	compile    ir rules → an optimized, immutable match.Ruleset
//	match      the runtime: events, records, Ruleset.Match
//	normalize  event formats and the ECS view of Windows events
//	state      stateful rules (sequences, correlations) over a stream
package ruleforge
