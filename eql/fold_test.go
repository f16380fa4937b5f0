package eql_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// foldValues are the constants TestFoldSameAsRuntime compares, as EQL
// writes them and as JSON does.
var foldValues = []struct{ eql, json string }{
	{`"abc"`, `"abc"`}, {`"ABC"`, `"ABC"`}, {`"ab"`, `"ab"`}, {`"a*c"`, `"a*c"`}, {`""`, `""`},
	{`"K"`, `"K"`}, {`"\u212a"`, `"\u212a"`}, {`"ǆ"`, `"ǆ"`}, {`"ǅ"`, `"ǅ"`}, {`"ß"`, `"ß"`}, {`"ẞ"`, `"ẞ"`},
	{`"10.1.2.3"`, `"10.1.2.3"`}, {`"10.0.0.0/8"`, `"10.0.0.0/8"`}, {`"1"`, `"1"`},
	{`1`, `1`}, {`2`, `2`}, {`1.0`, `1.0`}, {`-3`, `-3`}, {`0.5`, `0.5`},
	{`9007199254740993`, `9007199254740993`}, {`9007199254740992`, `9007199254740992`},
}

// TestFoldSameAsRuntime checks that a comparison of constants, which the
// front end folds to true or false, gives what the compiled rule computes
// when the constants come from an event instead, through computed
// operands (scripts in Elasticsearch, as the folded form is): concat(a)
// for a string and add(a, 0) for a number. An ordering or equality
// compares two computed operands; the other operators compare one with
// the constants of the same type. (A computed operand compared with a
// constant of another type follows the event-value rules instead, 1
// matching "1", where the folding and the comparison of two computed
// operands say different types are unequal.)
func TestFoldSameAsRuntime(t *testing.T) {
	orders := []string{"%s == %s", "%s != %s", "%s < %s", "%s <= %s", "%s > %s", "%s >= %s"}
	others := []string{
		"%s : %s", "%s like %s", "%s like~ %s", "%s regex %s", "%s regex~ %s",
		"%s in (%s)", "%s in~ (%s)", "%s not in (%s)",
		"startsWith(%s, %s)", "startsWith~(%s, %s)", "endsWith(%s, %s)", "endsWith~(%s, %s)",
		"stringContains(%s, %s)", "stringContains~(%s, %s)", "cidrMatch(%s, %s)",
	}
	computed := func(v, field string) string {
		if strings.HasPrefix(v, `"`) {
			return "concat(" + field + ")"
		}
		return "add(" + field + ", 0)"
	}
	folded := 0
	for _, l := range foldValues {
		for _, r := range foldValues {
			src := `{"a": ` + l.json + `, "b": ` + r.json + `}`
			ev, err := match.ParseJSON([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			sameType := strings.HasPrefix(l.eql, `"`) == strings.HasPrefix(r.eql, `"`)
			for _, op := range append(orders, others...) {
				right := computed(r.eql, "b")
				if !slices.Contains(orders, op) {
					if !sameType {
						continue
					}
					right = r.eql
				}
				constQ := "any where " + fmt.Sprintf(op, l.eql, r.eql)
				fieldQ := "any where " + fmt.Sprintf(op, computed(l.eql, "a"), right)
				cx, err1 := eql.Parse("q.eql", constQ)
				fx, err2 := eql.Parse("q.eql", fieldQ)
				if err1 != nil || err2 != nil {
					continue // a type error found before folding
				}
				if !constant(cx) {
					t.Errorf("%s: not folded: %s", constQ, cx)
					continue
				}
				folded++
				if got, want := holds(t, cx, ev), holds(t, fx, ev); got != want {
					t.Errorf("%s folds to %v; %s on %s: %v", constQ, got, fieldQ, src, want)
				}
			}
		}
	}
	if folded < 1000 {
		t.Errorf("only %d comparisons folded", folded)
	}
}

// constant reports whether x has no predicate: the front end folded it.
func constant(x *ir.Expr) bool {
	c := true
	ir.Walk(x, func(y *ir.Expr) bool {
		c = c && y.Pred == nil
		return c
	})
	return c
}

// holds reports whether x, compiled, matches ev.
func holds(t *testing.T, x *ir.Expr, ev match.Event) bool {
	t.Helper()
	rs, err := compile.Compile([]*ir.Rule{{Meta: ir.Meta{ID: "q"}, Expr: x}})
	if err != nil {
		t.Fatalf("%s: %v", x, err)
	}
	return len(rs.Match(ev, nil)) == 1
}
