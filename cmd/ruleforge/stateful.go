package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge/internal/hitline"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// stateRun runs the stateful rules of one input: a state.Engine stepped
// with each event's result, in input order, writing one line per alert.
type stateRun struct {
	p       *state.Program
	eng     *state.Engine
	opt     matchOptions
	name    string
	now     string
	out     *bufio.Writer
	perRule []int // the ruleset's rules, then the stateful ones
	alerts  int
}

// newStateRun returns the stateful run of one input.
func newStateRun(p *state.Program, opt matchOptions, name, now string, out *bufio.Writer, perRule []int) *stateRun {
	return &stateRun{p: p, eng: p.NewEngine(), opt: opt, name: name, now: now, out: out, perRule: perRule}
}

// step feeds one event's result to the engine and writes its alerts:
// the usual fields of a hit (or an alert document) for the stateful rule,
// "event" the ordinal of the event that completed it, and the alert's
// own fields ("sequence" and "join"; "group", "correlation", "events").
func (s *stateRun) step(res *pipeline.Result) {
	if s.p.Len() == 0 || res.Bad != nil {
		return
	}
	s.eng.Step(int64(res.Ordinal), &res.State, func(a *state.Alert) {
		rule := s.p.Rule(a.Rule)
		info, keep := s.opt.hunt.stateful(res)
		if !keep {
			return // outside -from/-to
		}
		s.alerts++
		s.perRule[s.p.Ruleset().Len()+a.Rule]++
		if s.opt.count || s.opt.hunt.statefulRow(s.out, s.name, int(a.Event), rule, info) {
			return
		}
		var line []byte
		if s.opt.output == "alert" {
			line, _ = json.Marshal(alert{
				Timestamp: s.now,
				Event:     alertEvent{Kind: "alert", Original: string(res.Raw), Code: info.eventCode()},
				Rule:      newAlertRule(rule),
				Input:     alertSource{Name: s.name, Event: int(a.Event), Line: res.Line},
				Threat:    newAlertThreat(rule),
				alertInfo: info.alert(-1),
			})
			line = withFields(line, a.Fields)
		} else {
			line = info.appendHit(&s.opt.hunt.lines, s.out.AvailableBuffer(), s.name, int(a.Event), rule, -1, a.Fields)
		}
		s.out.Write(line)
		s.out.WriteByte('\n')
	})
}

// withFields returns the JSON object line, an alert document, with a
// stateful rule's fields added at its end, as hit lines have them.
func withFields(line []byte, fields []state.Field) []byte {
	if len(fields) == 0 || len(line) < 2 {
		return line
	}
	return append(hitline.AppendState(line[:len(line)-1], fields), '}')
}

// ruleAt returns rule i of perRule's numbering: the ruleset's rules, then
// the stateful ones.
func ruleAt(p *state.Program, i int) *ir.Rule {
	if n := p.Ruleset().Len(); i >= n {
		return p.Rule(i - n)
	}
	return p.Ruleset().Rule(i)
}

// stateStats sums the engines' counts over the inputs of a run.
type stateStats struct {
	total      state.Stats
	outOfOrder int64
	untimed    int64
}

// add adds the counts of one input's run.
func (t *stateStats) add(s *stateRun) {
	st := s.eng.Stats()
	t.total = t.total.Add(st.Total)
	t.outOfOrder += st.Clock.OutOfOrder
	t.untimed += st.Clock.Untimed
}

// report writes the stateful rules' summary line, when there are any.
func (t *stateStats) report(w io.Writer, p *state.Program) {
	if p.Len() == 0 {
		return
	}
	s := t.total
	fmt.Fprintf(w, "ruleforge: %d stateful rules: %d results, %d keys pending, %d evicted (%d by the key limit, %d by memory), %d items dropped, %d expired; %d events out of time order, %d without a time",
		p.Len(), s.Alerts, s.Keys, s.Evicted+s.EvictedMemory, s.Evicted, s.EvictedMemory, s.Dropped+s.DroppedValues, s.Expired, t.outOfOrder, t.untimed)
	if s.DroppedValues > 0 {
		// Only then, so that the line stays as it was for every run
		// without such drops.
		fmt.Fprintf(w, "; %d of the items dropped were value_count's distinct values (state.MaxValues)", s.DroppedValues)
	}
	fmt.Fprintln(w)
}
