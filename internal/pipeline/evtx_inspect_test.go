package pipeline

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/match"
)

// TestRunEVTXInspectPaths runs the .evtx corpus with the SigmaHQ Windows
// rules, Paths and an Inspect that reads them (as ruleforge match's
// hit fields do, ECS view fields among them), through RunEVTX and
// through Run on the files' evtx-JSON dumps: the same events are
// inspected, with the same values at every path, the same
// explanations, and the same hits emitted (Inspect drops every hit of
// each third inspected event, as the CLI's time window does), with one
// worker and two. Under the race detector, every eighth file.
func TestRunEVTXInspectPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the whole corpus with the SigmaHQ Windows rules")
	}
	c, base := benchSetup(t)
	rs := base.Ruleset
	var paths []*match.Path
	for _, p := range []string{
		"Event.System.TimeCreated.#attributes.SystemTime", "@timestamp", "Event.System.Computer", "host.name",
		"winlog.computer_name", "Event.System.EventRecordID", "winlog.record_id", "event.code", "Event.EventData.UtcTime",
		"UtcTime", "Event.EventData.CommandLine", "process.command_line", "user.name", "Event.System.Nope",
	} {
		paths = append(paths, match.NewPath(p))
	}
	run := func(i, workers int, fromEVTX bool) []string {
		seen := 0
		cfg := Config{Ruleset: rs, Workers: workers, Paths: paths, Inspect: func(rec *match.Record, res *Result) {
			var b strings.Builder
			for _, p := range paths {
				v, ok := rec.Lookup(p)
				fmt.Fprintf(&b, "%s=%#v(%v) ", p, v, ok)
			}
			for _, h := range res.Hits {
				fmt.Fprintf(&b, "%s:%v ", rs.Rule(h).ID, rs.Explain(rec, h))
			}
			res.Info = b.String()
			if workers == 1 { // on one goroutine
				if seen++; seen%3 == 0 {
					res.Hits = res.Hits[:0]
				}
			}
		}}
		var got []string
		emit := func(res *Result) error {
			got = append(got, fmt.Sprint(res.Ordinal, res.Hits, res.Bad, res.Info))
			return nil
		}
		if !fromEVTX {
			if _, err := Run(cfg, bytes.NewReader(c.dumps[i]), emit); err != nil {
				t.Fatal(err)
			}
			return got
		}
		r, err := evtx.NewReader(bytes.NewReader(c.files[i]))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := RunEVTX(cfg, r, emit); err != nil {
			t.Fatal(err)
		}
		return got
	}
	inspected := 0
	for i := range c.files {
		if raceEnabled && i%8 != 0 {
			continue
		}
		for _, workers := range []int{1, 2} {
			got, want := run(i, workers, true), run(i, workers, false)
			if !slices.Equal(got, want) {
				k := 0
				for k < min(len(got), len(want)) && got[k] == want[k] {
					k++
				}
				t.Fatalf("file %d, %d workers: %d results from the .evtx file, %d from its dump; result %d:\n%q\n%q",
					i, workers, len(got), len(want), k, got[min(k, len(got)-1)], want[min(k, len(want)-1)])
			}
			if workers == 1 {
				for _, s := range got {
					if !strings.HasSuffix(s, " <nil>") {
						inspected++
					}
				}
			}
		}
	}
	if inspected == 0 {
		t.Error("no event inspected")
	}
	t.Logf("%d events inspected", inspected)
}
