package state_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// TestCompilePartial checks that Compile leaves out the rules that fail
// and keeps the others: a single-event rule that does not compile, a
// stateful rule with a stage that does not, a stateful rule that refers
// to one that failed, and one that refers to no rule, each with its error
// in the ir.ErrorList; the good rules run.
func TestCompilePartial(t *testing.T) {
	at := func(line int) ir.Pos { return ir.Pos{File: "r", Line: line, Col: 1} }
	badExpr := ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpRegex, Values: []ir.Value{ir.Str("a(")}})
	good := &ir.Rule{Meta: ir.Meta{ID: "good"}, Source: at(1), Expr: pred("action", "b")}
	bad := &ir.Rule{Meta: ir.Meta{ID: "bad"}, Source: at(2), Expr: badExpr}
	pairGood := pairRule("pair", time.Minute)
	pairBad := pairRule("pairbad", time.Minute)
	pairBad.Source = at(3)
	pairBad.State.Stages()[1].Expr = badExpr
	refBad := pairRule("refbad", time.Minute)
	refBad.Source = at(4)
	refBad.State.Stages()[0] = ir.Stage{Ref: "bad", Keys: []ir.Field{ir.F("host")}}
	refNone := pairRule("refnone", time.Minute)
	refNone.Source = at(5)
	refNone.State.Stages()[0] = ir.Stage{Ref: "nothing", Keys: []ir.Field{ir.F("host")}}
	p, err := state.Compile([]*ir.Rule{good, bad, pairGood, pairBad, refBad, refNone})
	want := []string{
		`r:5:1: rule "refnone": stage 1 refers to "nothing", which is no rule given`,
		"r:2:1: rule \"bad\": field \"a\": bad regular expression \"a(\": error parsing regexp: missing closing ): `a(`",
		"r:3:1: rule \"pairbad\": field \"a\": bad regular expression \"a(\": error parsing regexp: missing closing ): `a(`",
		`r:4:1: rule "refbad": stage 1 refers to "bad", which failed to compile`,
	}
	var list ir.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v, want an ir.ErrorList", err)
	}
	if len(list) != len(want) {
		t.Fatalf("%d errors, want %d:\n%s", len(list), len(want), err)
	}
	for i, e := range list {
		if e.Error() != want[i] {
			t.Errorf("error %d:\n got  %s\n want %s", i, e, want[i])
		}
	}
	if p == nil || p.Ruleset().Len() != 3 || p.Index(good) != 0 || p.Len() != 1 || p.Rule(0) != pairGood {
		t.Fatalf("program %v, want the good rule and the good pair", p)
	}
}
