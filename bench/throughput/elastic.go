package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// runElastic runs Elastic's EQL rules (corpus/elastic/rules) over the
// file three times per CPU count: the single-event ones alone, all of
// them with the stages only matched (no state), and all of them as
// `ruleforge match` runs them (each event's stage hits stepping a
// state.Engine in input order); it prints each and the cost the stateful
// rules add.
func runElastic(shared, path string, counts []int, runs int) {
	rules, errs := ruleforge.Load(filepath.Join(shared, "corpus", "elastic", "rules"))
	if len(errs) > 0 {
		fail(errs[0])
	}
	var single []*ir.Rule
	for _, r := range rules {
		if r.State == nil {
			single = append(single, r)
		}
	}
	all, err := state.Compile(rules)
	if err != nil {
		fail(err)
	}
	alone, err := state.Compile(single)
	if err != nil {
		fail(err)
	}
	for _, workers := range counts {
		a := median(runs, func() result { return runProgram(path, alone, workers) })
		m := median(runs, func() result { return runOurs(path, all.Ruleset(), workers) })
		b := median(runs, func() result { return runProgram(path, all, workers) })
		for _, x := range []struct {
			name string
			r    result
		}{{fmt.Sprintf("Elastic single-event (%d rules), %d CPU", len(single), workers), a},
			{fmt.Sprintf("Elastic all, stages matched only, %d CPU", workers), m},
			{fmt.Sprintf("Elastic all (%d rules), %d CPU", len(rules), workers), b}} {
			fmt.Printf("%-44s %8.0f %11.0f %8.1f %7.1f%% %9.0f\n", x.name, x.r.mbps(), x.r.eps(), x.r.heapMB, x.r.share(), x.r.nsPerEvent())
		}
		fmt.Printf("%-44s CPU per event %+.1f%% (matching their stages %+.1f%%), events/s %+.1f%%\n", fmt.Sprintf("stateful rules add, %d CPU", workers),
			100*(b.nsPerEvent()/a.nsPerEvent()-1), 100*(m.nsPerEvent()/a.nsPerEvent()-1), 100*(b.eps()/a.eps()-1))
	}
}

// runProgram streams the file through the pipeline with p's ruleset on
// workers goroutines and steps an engine with every result in input
// order.
func runProgram(path string, p *state.Program, workers int) result {
	return measure(path, workers, func(f *os.File) (pipeline.Stats, int, error) {
		eng := p.NewEngine()
		alerts := 0
		emit := func(*state.Alert) { alerts++ }
		st, err := pipeline.Run(pipeline.Config{Ruleset: p.Ruleset(), Program: p, Workers: workers}, f, func(res *pipeline.Result) error {
			if res.Bad == nil {
				eng.Step(int64(res.Ordinal), &res.State, emit)
			}
			return nil
		})
		return st, alerts, err
	})
}
