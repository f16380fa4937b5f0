package state_test

import (
	"fmt"

	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// Compile a sequence with the rules it runs beside, then match each event
// as a worker does (MatchRecord, Split) and step the engine in input
// order.
func Example() {
	rule, err := eql.ParseRule("cmd_then_smb.eql", []byte(`
		sequence by host.name with maxspan=1m
		  [process where process.name == "cmd.exe"]
		  [network where destination.port == 445]`))
	if err != nil {
		panic(err)
	}
	p, err := state.Compile([]*ir.Rule{rule})
	if err != nil {
		panic(err)
	}
	events := []string{
		`{"@timestamp":"2026-01-01T10:00:00Z","event":{"category":"process"},"host":{"name":"a"},"process":{"name":"cmd.exe"}}`,
		`{"@timestamp":"2026-01-01T10:00:10Z","event":{"category":"process"},"host":{"name":"b"},"process":{"name":"cmd.exe"}}`,
		`{"@timestamp":"2026-01-01T10:00:30Z","event":{"category":"network"},"host":{"name":"a"},"destination":{"port":445}}`,
		`{"@timestamp":"2026-01-01T10:05:00Z","event":{"category":"network"},"host":{"name":"b"},"destination":{"port":445}}`,
	}
	rs := p.Ruleset()
	rec := rs.NewRecord()
	eng := p.NewEngine()
	var in state.Input
	for i, ev := range events {
		if err := rec.ResetJSON([]byte(ev)); err != nil {
			panic(err)
		}
		hits := p.Split(rec, rs.MatchRecord(rec, nil), &in) // no visible rule hits
		eng.Step(int64(i+1), &in, func(a *state.Alert) {
			fmt.Println(p.Rule(a.Rule).ID, "event", a.Event, a.Fields[0].Name, a.Fields[0].Value, a.Fields[1].Name, a.Fields[1].Value, len(hits))
		})
	}
	st := eng.Stats()
	fmt.Println("results", st.Total.Alerts, "expired", st.Total.Expired, "keys", st.Total.Keys)
	// Output:
	// cmd_then_smb event 3 sequence [1 3] join [a] 0
	// results 1 expired 1 keys 0
}
