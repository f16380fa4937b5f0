package eql_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

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
	folded := 0
	for _, l := range foldValues {
		for _, r := range foldValues {
			for i := range foldOps {
				if checkFold(t, i, l.eql, l.json, r.eql, r.json) {
					folded++
				}
			}
		}
	}
	if folded < 1000 {
		t.Errorf("only %d comparisons folded", folded)
	}
}

// FuzzFoldSameAsRuntime is TestFoldSameAsRuntime over two strings: any
// operator of foldOps on them, folded, against the compiled rule.
func FuzzFoldSameAsRuntime(f *testing.F) {
	for _, l := range foldValues[:6] {
		f.Add(strings.Trim(l.eql, `"`), "a*c", uint8(7))
	}
	f.Add("Straße", "STRASSE", uint8(10))
	f.Add("10.1.2.3", "10.0.0.0/8", uint8(20))
	f.Fuzz(func(t *testing.T, l, r string, op uint8) {
		lq, lj, ok1 := eqlString(l)
		rq, rj, ok2 := eqlString(r)
		if !ok1 || !ok2 {
			return
		}
		checkFold(t, int(op)%len(foldOps), lq, lj, rq, rj)
	})
}

// foldOps are the operators TestFoldSameAsRuntime folds; the first six
// compare two computed operands, the others one with constants.
var foldOps = []string{
	"%s == %s", "%s != %s", "%s < %s", "%s <= %s", "%s > %s", "%s >= %s",
	"%s : %s", "%s like %s", "%s like~ %s", "%s regex %s", "%s regex~ %s",
	"%s in (%s)", "%s in~ (%s)", "%s not in (%s)",
	"startsWith(%s, %s)", "startsWith~(%s, %s)", "endsWith(%s, %s)", "endsWith~(%s, %s)",
	"stringContains(%s, %s)", "stringContains~(%s, %s)", "cidrMatch(%s, %s)",
}

// checkFold folds operator foldOps[op] over the constants l and r (EQL
// and JSON texts), and compares the result with the compiled rule that
// reads them from an event through computed operands: concat(a) for a
// string, add(a, 0) for a number. It reports whether the query folded;
// one the front end rejects, as a type error, does not count.
func checkFold(t *testing.T, op int, leql, ljson, reql, rjson string) bool {
	t.Helper()
	computed := func(v, field string) string {
		if strings.HasPrefix(v, `"`) {
			return "concat(" + field + ")"
		}
		return "add(" + field + ", 0)"
	}
	right := computed(reql, "b")
	if op >= 6 {
		if strings.HasPrefix(leql, `"`) != strings.HasPrefix(reql, `"`) {
			return false // a computed operand against another type: see above
		}
		right = reql
	}
	constQ := "any where " + fmt.Sprintf(foldOps[op], leql, reql)
	fieldQ := "any where " + fmt.Sprintf(foldOps[op], computed(leql, "a"), right)
	cx, err1 := eql.Parse("q.eql", constQ)
	fx, err2 := eql.Parse("q.eql", fieldQ)
	if err1 != nil || err2 != nil {
		return false
	}
	if !constant(cx) {
		t.Errorf("%s: not folded: %s", constQ, cx)
		return false
	}
	src := `{"a": ` + ljson + `, "b": ` + rjson + `}`
	ev, err := match.ParseJSON([]byte(src))
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	if got, want := holds(t, cx, ev), holds(t, fx, ev); got != want {
		t.Errorf("%s folds to %v; %s on %s: %v", constQ, got, fieldQ, src, want)
	}
	return true
}

// eqlString returns s as an EQL string literal and as JSON, or false for
// what the literal would have to escape (quotes, backslashes, control
// characters, invalid UTF-8).
func eqlString(s string) (lit, js string, ok bool) {
	if !utf8.ValidString(s) || strings.ContainsAny(s, "\\\"") {
		return "", "", false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			return "", "", false
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return "", "", false
	}
	return `"` + s + `"`, string(b), true
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
