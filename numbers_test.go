package ruleforge_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// numberCases are comparisons of a field with a number constant, the
// event's value given as JSON text. Integers compare exactly (ir.Compare):
// a float64 cannot tell 2^53 from 2^53+1 or 2^63-1 from 2^63, the rule
// engine must (issue 21). Out of range, as ir.Number documents: an event
// number that overflows a double (1e400) is +Inf, so "> 5" and "!= 5"
// agree; an integer beyond the uint64 range is its nearest double.
var numberCases = []struct {
	op, k, event string
	want         bool
}{
	// issue 21's three examples
	{"==", "9007199254740993", "9007199254740992", false},
	{">", "9223372036854775807", "9223372036854775808", true},
	{">", "5", "1e400", true},
	{"!=", "5", "1e400", true},
	{"==", "5", "1e400", false},
	{"<", "5", "1e400", false},
	{"<", "5", "-1e400", true},
	{">=", "-5", "-1e400", false},
	// around 2^53
	{"==", "9007199254740993", "9007199254740993", true},
	{"!=", "9007199254740993", "9007199254740992", true},
	{">", "9007199254740992", "9007199254740993", true},
	{"<", "9007199254740993", "9007199254740992", true},
	{"<", "9007199254740993", "9007199254740992.0", true}, // a double 2^53, exactly below
	{"==", "9007199254740992", "9007199254740992.0", true},
	{">=", "9007199254740993", "9007199254740992.0", false},
	// around 2^63 (int64's end; uint64 above it)
	{"==", "9223372036854775807", "9223372036854775807", true},
	{"==", "9223372036854775807", "9223372036854775806", false},
	{"==", "9223372036854775807", "9223372036854775808", false},
	{">=", "9223372036854775808", "9223372036854775808", true},
	{">", "9223372036854775808", "9223372036854775807", false},
	{"==", "9223372036854775808", "9.223372036854775808e18", true}, // the double 2^63 is exactly 2^63
	{">", "9223372036854775807", "9.223372036854775807e18", true},  // that double is 2^63 too
	{"<", "18446744073709551615", "18446744073709551616", false},   // 2^64: beyond uint64, a double
	// around -2^63
	{"==", "-9223372036854775808", "-9223372036854775808", true},
	{"<", "-9223372036854775807", "-9223372036854775808", true},
	{"==", "-9223372036854775807", "-9223372036854775808", false},
	{">", "-9223372036854775808", "-9223372036854775807", true},
	// integers and floats
	{"==", "5", "5.0", true},
	{"==", "5.0", "5", true},
	{"==", "5", "5.5", false},
	{">", "5", "5.5", true},
	{"<", "5.5", "5", true},
	{"!=", "5", "5.0", false},
	{"==", "0", "-0.0", true},
}

// TestNumbers runs numberCases in EQL and Sigma, each rule compiled with
// and without the optimizer and index, matched from a parsed event and from
// its JSON text, against the reference evaluator, and all rules together in
// one indexed ruleset.
func TestNumbers(t *testing.T) {
	for _, lang := range []string{"eql", "sigma"} {
		t.Run(lang, func(t *testing.T) {
			var rules []*ir.Rule
			for i, c := range numberCases {
				r := numberRule(t, lang, c.op, c.k)
				r.ID = fmt.Sprint(i)
				rules = append(rules, r)
			}
			all, err := compile.Compile(rules)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range numberCases {
				r := rules[i]
				src := `{"a": ` + c.event + `}`
				ev, err := match.ParseJSON([]byte(src))
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{"reference": refeval.Eval(r.Expr, ev)}
				for _, cfg := range []struct {
					name string
					opts []compile.Option
				}{
					{"indexed", nil},
					{"unindexed", []compile.Option{hooks.CompileOption(hooks.Switches{NoIndex: true}).(compile.Option)}},
					{"unoptimized", []compile.Option{hooks.CompileOption(hooks.Switches{NoOptimize: true, NoSpecialize: true}).(compile.Option)}},
				} {
					rs, err := compile.Compile([]*ir.Rule{r}, cfg.opts...)
					if err != nil {
						t.Fatal(err)
					}
					got[cfg.name] = len(rs.Match(ev, nil)) > 0
					rec := rs.NewRecord()
					if err := rec.ResetJSON([]byte(src)); err != nil {
						t.Fatal(err)
					}
					got[cfg.name+" from JSON text"] = len(rs.MatchRecord(rec, nil)) > 0
				}
				got["all rules indexed"] = false
				for _, j := range all.Match(ev, nil) {
					if j == i {
						got["all rules indexed"] = true
					}
				}
				for how, g := range got {
					if g != c.want {
						t.Errorf("a %s %s with %s: %s says %t, want %t\nrule: %s", c.op, c.k, src, how, g, c.want, r.Expr)
					}
				}
			}
		})
	}
}

// numberRule returns the rule "a op k" in lang: an EQL query, or a Sigma
// detection (== a plain value, != its negation, orders the lt/lte/gt/gte
// modifiers).
func numberRule(t *testing.T, lang, op, k string) *ir.Rule {
	t.Helper()
	if lang == "eql" {
		x, err := eql.Parse("n.eql", "any where a "+op+" "+k)
		if err != nil {
			t.Fatal(err)
		}
		return &ir.Rule{Expr: x}
	}
	mod := map[string]string{"==": "", "!=": "", "<": "|lt", "<=": "|lte", ">": "|gt", ">=": "|gte"}[op]
	cond := "sel"
	if op == "!=" {
		cond = "not sel"
	}
	src := "title: n\nlogsource:\n  product: test\ndetection:\n  sel:\n    a" + mod + ": " + k + "\n  condition: " + cond + "\n"
	r, err := sigma.ParseRule("n.yml", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", strings.ReplaceAll(src, "\n", " | "), err)
	}
	return r
}
