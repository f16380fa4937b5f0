package sigma_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/sigma"
)

// dumpExpr prints x with every predicate's paths, which String leaves
// out: two dumps are equal only when no node below x changed.
func dumpExpr(x *ir.Expr) string {
	var b strings.Builder
	b.WriteString(x.String())
	ir.Walk(x, func(y *ir.Expr) bool {
		if y.Pred != nil {
			fmt.Fprintf(&b, "|%q", y.Pred.Field.Paths)
		}
		return true
	})
	return b.String()
}

// nodes returns the set of nodes of x.
func nodes(x *ir.Expr) map[*ir.Expr]bool {
	set := map[*ir.Expr]bool{}
	ir.Walk(x, func(y *ir.Expr) bool { set[y] = true; return true })
	return set
}

// TestSharedRoutesUnchanged checks the contract that lets rules share the
// nodes of their routes (ParseRule): rules of one log source share route
// nodes, and compiling them (twice), simplifying them and mapping their
// fields (MapFields) leaves every rule's expression as it was, and
// compiling twice gives the same simplified plans.
func TestSharedRoutesUnchanged(t *testing.T) {
	srcs := []string{
		"logsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|endswith: '\\a.exe'}\n  condition: sel",
		"logsource: {product: windows, category: process_creation}\ndetection:\n  sel: {CommandLine|contains: [x, y]}\n  flt: {Image: b}\n  condition: sel and not flt",
		"logsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image: c}\n  condition: not sel",
		"logsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 4624}\n  condition: sel",
		"logsource: {product: windows, service: security}\ndetection:\n  sel: {EventID: 4625}\n  condition: sel or sel",
		"logsource: {product: linux, category: process_creation}\ndetection:\n  sel: {Image: d}\n  condition: sel",
	}
	var rules []*ir.Rule
	for i, src := range srcs {
		r, err := sigma.ParseRule(fmt.Sprintf("r%d.yml", i), []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	// The test is only worth something if nodes are shared.
	for _, pair := range [][2]int{{0, 1}, {0, 2}, {3, 4}} {
		a, b := nodes(rules[pair[0]].Expr), nodes(rules[pair[1]].Expr)
		shared := 0
		for n := range b {
			if a[n] {
				shared++
			}
		}
		if shared == 0 {
			t.Errorf("rules %d and %d share no node", pair[0], pair[1])
		}
	}
	exprs := make([]*ir.Expr, len(rules))
	before := make([]string, len(rules))
	for i, r := range rules {
		exprs[i], before[i] = r.Expr, dumpExpr(r.Expr)
	}
	var plans [2][]string
	for round := range plans {
		if _, err := compile.Compile(rules); err != nil {
			t.Fatal(err)
		}
		for _, r := range rules {
			plans[round] = append(plans[round], dumpExpr(compile.Simplify(r.Expr)))
		}
	}
	if fmt.Sprint(plans[0]) != fmt.Sprint(plans[1]) {
		t.Errorf("compiling twice gave other plans:\n%v\n%v", plans[0], plans[1])
	}
	p, err := sigma.ParsePipeline("p.yml", []byte("transformations:\n  - type: field_name_mapping\n    mapping:\n      Image: proc_path\n      Channel: chan\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		sigma.MapFields(r, p)
		if !strings.Contains(dumpExpr(r.Expr), `"proc_path"`) && strings.Contains(dumpExpr(r.Expr), "Image") {
			t.Errorf("%s: MapFields did not map Image: %s", r.Source, r.Expr)
		}
	}
	for i, x := range exprs {
		if got := dumpExpr(x); got != before[i] {
			t.Errorf("rule %d changed in place:\n got %s\nwant %s", i, got, before[i])
		}
	}
}

// TestSearchReferences checks that a search referenced several times by
// the conditions (by name or by a quantifier) is one tree per reference:
// the first takes the lowered search, later ones a copy, never a node
// shared between the references.
func TestSearchReferences(t *testing.T) {
	tests := []struct {
		cond string
		want string
	}{
		{"sel or sel", `(or Image glob~ "a" Image glob~ "a")`},
		{"sel and not sel", `(and Image glob~ "a" (not Image glob~ "a"))`},
		{"1 of sel* or sel", `(or Image glob~ "a" Image glob~ "a")`},
		{"all of them and sel", `(and Image glob~ "a" Image glob~ "a")`},
	}
	for _, tt := range tests {
		src := "logsource: {product: windows}\ndetection:\n  sel: {Image: a}\n  condition: " + tt.cond
		r, err := sigma.ParseRule("r.yml", []byte(src), sigma.Routing(false))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Expr.String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.cond, got, tt.want)
		}
		seen := map[*ir.Expr]bool{}
		ir.Walk(r.Expr, func(x *ir.Expr) bool {
			if seen[x] {
				t.Errorf("%s: node %s is in the tree twice", tt.cond, x)
			}
			seen[x] = true
			return true
		})
	}
}
