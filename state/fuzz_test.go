package state_test

import (
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// FuzzRestore restores arbitrary bytes as a snapshot of a program with a
// sequence, a sample and the test's pair rule: Restore must return an
// error or succeed, never panic, and the engine must run on afterwards.
func FuzzRestore(f *testing.F) {
	p := fuzzProgram(f)
	e := p.NewEngine()
	run(f, p, e, 1, starts(5))
	f.Add(e.Snapshot(nil))
	f.Add([]byte("ruleforge-state\n\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e := p.NewEngine()
		if _, err := e.Restore(b); err != nil {
			return
		}
		run(t, p, e, 100, starts(3))
		e.Snapshot(nil)
	})
}

// fuzzProgram compiles the rules FuzzRestore restores into.
func fuzzProgram(f *testing.F) *state.Program {
	rules := []*ir.Rule{pairRule("pair", time.Minute)}
	for _, q := range []string{
		`sequence by host with maxspan=1m [any where action == "a"] ![any where action == "m"] [any where action == "b"] until [any where action == "u"]`,
		`sample by host [any where action == "a"] [any where action == "b"]`,
	} {
		r, err := eql.ParseRule("q.eql", []byte(q))
		if err != nil {
			f.Fatal(err)
		}
		r.ID += q[:6]
		rules = append(rules, r)
	}
	p, err := state.Compile(rules)
	if err != nil {
		f.Fatal(err)
	}
	return p
}
