package correlate_test

import (
	"encoding/json"
	"fmt"

	"github.com/ruleforge/ruleforge/correlate"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
	"github.com/ruleforge/ruleforge/state"
)

// A correlation and its base rule in one multi-document file: three failed
// logons of one user within a minute.
func Example() {
	src := `title: Failed logons
correlation:
  type: event_count
  rules: failed
  group-by: user
  timespan: 1m
  condition: {gte: 3}
---
title: Failed logon
name: failed
detection:
  sel: {outcome: failure}
  condition: sel
`
	f, err := sigma.ParseFile("logons.yml", []byte(src))
	if err != nil {
		panic(err)
	}
	corrs, errs := sigma.Resolve(f.Rules, f.Correlations)
	if len(errs) > 0 {
		panic(errs[0])
	}
	rules := f.Rules
	for _, c := range corrs {
		rules = append(rules, correlate.New(c, corrs))
	}
	p, err := state.Compile(rules)
	if err != nil {
		panic(err)
	}
	engine := p.NewEngine()
	var in state.Input
	for i, line := range []string{
		`{"@timestamp":"2026-12-05T10:00:00Z","outcome":"failure","user":"bob"}`,
		`{"@timestamp":"2026-12-05T10:00:20Z","outcome":"failure","user":"eve"}`,
		`{"@timestamp":"2026-12-05T10:00:30Z","outcome":"failure","user":"bob"}`,
		`{"@timestamp":"2026-12-05T10:00:59Z","outcome":"failure","user":"bob"}`,
	} {
		ev, _ := match.ParseJSON([]byte(line))
		p.Split(ev, p.Ruleset().Match(ev, nil), &in) // returns the hits to print: none, the base rule is hidden (generate: false)
		engine.Step(int64(i+1), &in, func(a *state.Alert) {
			fields, _ := json.Marshal(a.Fields)
			fmt.Println(p.Rule(a.Rule).Title, "at event", a.Event, string(fields))
		})
	}
	// Output:
	// Failed logons at event 4 [{"Name":"group","Value":{"user":"bob"}},{"Name":"correlation","Value":"event_count"},{"Name":"events","Value":[1,3,4]},{"Name":"value","Value":3}]
}
