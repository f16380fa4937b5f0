package ruleforge_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// corpusRules loads every rule file under ../shared/corpus/<sub> that
// parses, or skips the test when the corpus is absent.
func corpusRules(t *testing.T, sub string) []*ir.Rule {
	t.Helper()
	dir := filepath.Join("..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", dir)
	}
	rules, _ := ruleforge.Load(dir)
	if len(rules) == 0 {
		t.Fatalf("no rule in %s parsed", dir)
	}
	return rules
}

// literalEvents builds events from a rule's own fields and literals: each
// event gives every field one of the rule's values for it (as written, in
// upper case, with text around it, or split into an array) or leaves it
// out, so that most branches of the rule are exercised.
func literalEvents(r *ir.Rule, rng *rand.Rand, n int) []match.Map {
	vals := map[string][]any{}
	exact := map[string][]any{} // the values as written, to satisfy the rule more often
	var fields []string
	add := func(path string, v any) {
		if _, ok := vals[path]; !ok {
			fields = append(fields, path)
		}
		vals[path] = append(vals[path], v)
	}
	ir.Walk(r.Expr, func(x *ir.Expr) bool {
		if x.Op != ir.OpPred {
			return true
		}
		p := x.Pred
		paths := p.Field.Lookup()
		if p.Field.Any {
			paths = []string{"message"}
		}
		if p.Left != nil {
			paths = nil
			for _, f := range p.Left.Fields() {
				paths = append(paths, f.Lookup()...)
			}
		}
		for _, path := range paths {
			add(path, nil)
			for _, v := range p.Values {
				switch v.Kind {
				case ir.KindString:
					var b strings.Builder
					for _, pc := range v.Pat {
						switch pc.Kind {
						case ir.PieceLit:
							b.WriteString(pc.Text)
						case ir.PieceOne:
							b.WriteString("é")
						case ir.PieceStar:
							b.WriteString("zz")
						}
					}
					s := b.String()
					add(path, s)
					exact[path] = append(exact[path], s)
					add(path, strings.ToUpper(s))
					add(path, "x"+s+"y")
				case ir.KindNumber:
					f := v.Num.Float64()
					add(path, f)
					exact[path] = append(exact[path], f)
					add(path, f+1)
				case ir.KindBool:
					add(path, v.Bool)
				}
			}
		}
		return true
	})
	events := make([]match.Map, n)
	for i := range events {
		ev := match.Map{}
		for _, f := range fields {
			vs := vals[f]
			if ex := exact[f]; len(ex) > 0 && rng.IntN(10) < 6 {
				vs = ex
			}
			v := vs[rng.IntN(len(vs))]
			if v == nil {
				continue
			}
			if rng.IntN(4) == 0 {
				v = []any{"other", v}
			}
			ev[f] = v
		}
		events[i] = ev
	}
	return events
}

// differential checks that every rule's compiled form agrees with the
// reference evaluation of its IR on events built from its literals.
func differential(t *testing.T, rules []*ir.Rule) {
	rng := rand.New(rand.NewPCG(3, 5))
	checked, matched := 0, 0
	for _, r := range rules {
		rs, err := compile.Compile([]*ir.Rule{r})
		if err != nil {
			continue // compile errors are the corpus tests' business
		}
		for _, ev := range literalEvents(r, rng, 40) {
			want := refeval.Eval(r.Expr, ev)
			if got := hooks.RulesetPlan(rs, 0).Eval(ev); got != want {
				t.Fatalf("%s: compiled %v, reference %v on %v\nrule: %s\nplan:\n%s", r.Source, got, want, ev, r.Expr, rs.Plan(0))
			}
			checked++
			if want {
				matched++
			}
		}
	}
	t.Logf("%d rules, %d (rule, event) pairs agree, %d of them matches", len(rules), checked, matched)
	if matched == 0 {
		t.Error("no generated event matched any rule: the generator is broken")
	}
}

// TestElasticDifferential runs the differential check over Elastic's EQL
// rules.
func TestElasticDifferential(t *testing.T) {
	differential(t, corpusRules(t, "elastic/rules"))
}

// TestSigmaDifferential runs the differential check over SigmaHQ's rules.
func TestSigmaDifferential(t *testing.T) {
	differential(t, corpusRules(t, "sigmahq/rules"))
}

// TestSigmaRulesetAgrees compiles every SigmaHQ rule into one ruleset,
// where rules share subtrees and Match evaluates each shared one once per
// event, and checks Match against the reference evaluation of every rule
// on events built from a sample of the rules' literals.
func TestSigmaRulesetAgrees(t *testing.T) {
	rules := corpusRules(t, "sigmahq/rules")
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rules share %d subtrees", rs.Len(), hooks.RulesetShared(rs))
	rng := rand.New(rand.NewPCG(9, 9))
	hits := 0
	for k := 0; k < 12; k++ {
		r := rules[rng.IntN(len(rules))]
		for _, ev := range literalEvents(r, rng, 2) {
			var want []int
			for i, r := range rules {
				if refeval.Eval(r.Expr, ev) {
					want = append(want, i)
				}
			}
			got := rs.Match(ev, nil)
			if len(got) != len(want) {
				t.Fatalf("ruleset: %d hits, reference %d on %v", len(got), len(want), ev)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("ruleset: rule %d, reference rule %d on %v", got[i], want[i], ev)
				}
			}
			hits += len(got)
		}
	}
	if hits == 0 {
		t.Error("no event matched any rule")
	}
}
