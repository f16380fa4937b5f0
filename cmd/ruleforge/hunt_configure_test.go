package main

import (
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/ir"
)

// TestHuntConfigureRulesets configures one hunt (-explain) for the runs
// of two rulesets in turn, as a process matching with more than one
// would: each run's hits are explained by its own ruleset, although
// configure makes the Inspect hook once per ruleset, not once per run.
func TestHuntConfigureRulesets(t *testing.T) {
	ruleset := func(field string) *pipeline.Config {
		rule := &ir.Rule{Meta: ir.Meta{ID: field}, Expr: ir.P(&ir.Pred{Field: ir.F(field), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("x")}})}
		return &pipeline.Config{Ruleset: compile.MustCompile([]*ir.Rule{rule}), Workers: 1}
	}
	h := &hunt{fields: newFieldReader(true), sel: &selection{}, explain: true}
	for _, field := range []string{"A", "B", "A"} {
		cfg := ruleset(field)
		h.configure(cfg)
		var reasons [][]string
		_, err := pipeline.Run(*cfg, strings.NewReader(`{"A": "x", "B": "x"}`+"\n"), func(res *pipeline.Result) error {
			for _, rr := range res.Info.(*matched).reasons {
				var fields []string
				for _, r := range rr {
					fields = append(fields, r.Field)
				}
				reasons = append(reasons, fields)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(reasons) != 1 || strings.Join(reasons[0], ",") != field {
			t.Errorf("the rule on %s: reasons %v, want one hit on %s", field, reasons, field)
		}
	}
}
