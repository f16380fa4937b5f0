package ruleforge

import (
	"io"

	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/state"
)

// Result is what Stream found for one event.
type Result struct {
	Ordinal int   // the event's 1-based position in the input
	Line    int   // the line where the event starts
	Hits    []Hit // the rules that matched: single-event rules, then stateful results the event completed
	Err     error // why the event was skipped (it does not decode, or is larger than the limit); nil for a good event
}

// Stats counts the events of a Stream: Events = Matched + Unmatched + Bad.
type Stats struct {
	Events, Matched, Unmatched, Bad int
	Hits                            int   // hits reported, stateful results included
	Bytes                           int64 // bytes of input read
}

// Stream matches every event of r, a stream of JSON values (NDJSON, or
// concatenated pretty-printed objects, or JSON arrays of events, in any
// mix, as "ruleforge match" reads them), on several goroutines
// (WithWorkers), and calls fn with each event's Result on the calling
// goroutine, in input order; Hits are fn's to keep, the Result is valid
// during the call only. Stateful rules run over the events in that order.
// A bad event is reported to fn with its position and counted, and the
// stream goes on. Memory stays bounded whatever r's size.
//
// Stream returns the counts and the first read error of r, or the first
// error fn returns, which stops the run.
func (e *Engine) Stream(r io.Reader, fn func(*Result) error) (Stats, error) {
	cfg := pipeline.Config{Ruleset: e.rs, Program: e.prog, Workers: e.cfg.workers, Format: e.cfg.format}
	var eng *state.Engine
	if e.prog.Len() > 0 {
		eng = e.prog.NewEngine()
	}
	alerts := 0
	var out Result
	st, err := pipeline.Run(cfg, r, func(res *pipeline.Result) error {
		out = Result{Ordinal: res.Ordinal, Line: res.Line, Err: res.Bad}
		if res.Bad == nil {
			out.Hits = e.appendHits(nil, res.Hits)
			if eng != nil {
				eng.Step(int64(res.Ordinal), &res.State, func(a *state.Alert) {
					alerts++
					out.Hits = append(out.Hits, Hit{Rule: e.prog.Rule(a.Rule), Fields: append([]state.Field(nil), a.Fields...)})
				})
			}
		}
		return fn(&out)
	})
	return Stats{Events: st.Events, Matched: st.Matched, Unmatched: st.Unmatched, Bad: st.Bad, Hits: st.Hits + alerts, Bytes: st.Bytes}, err
}
