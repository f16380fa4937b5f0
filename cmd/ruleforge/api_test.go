package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
)

// TestAPISameHits checks that the root API (ruleforge.Load, Compile, and
// the Engine's Stream, Match and MatchMap) gives the hits "ruleforge
// match" gives, on the SigmaHQ regression events (Windows event records
// as evtx exports them, concatenated pretty-printed JSON) with the SigmaHQ
// and Elastic rules: the obvious path of the API is the correct one
// (issue 15, point 1: ParseJSON + Ruleset.Match gave 0 EQL hits there).
// Stream must equal the CLI's output, stateful results included; Match
// and MatchMap, which see one event, its single-event hits.
func TestAPISameHits(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	regression := filepath.Join(corpus, "sigma-regression")
	events, _ := filepath.Glob(filepath.Join(regression, "*", "events.json"))
	if len(events) == 0 {
		t.Skipf("no regression events in %s: the shared corpus is not beside the repository", regression)
	}
	roots := []string{"sigmahq/rules", "sigmahq/rules-emerging-threats", "sigmahq/rules-threat-hunting", "elastic/rules", "elastic/rules_building_block"}
	if raceEnabled || testing.Short() {
		// Fewer rules, both languages: all of them take minutes with the
		// race detector.
		roots = []string{"sigmahq/rules/windows/process_creation", "elastic/rules"}
	}
	args := []string{"-status", "all"} // the API leaves no rule out by its status
	var paths []string
	for _, r := range roots {
		paths = append(paths, filepath.Join(corpus, r))
		args = append(args, "-rules", paths[len(paths)-1])
	}
	var stdout, stderr bytes.Buffer
	runMatch(append(args, events...), nil, &stdout, &stderr)
	want := map[string][]string{} // per events file and ordinal: "rule file|id|title" of each hit, in output order
	for line := range strings.Lines(stdout.String()) {
		var h hit
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			t.Fatalf("CLI output %q: %v", line, err)
		}
		k := key(h.Input, h.Event)
		want[k] = append(want[k], h.RuleFile+"|"+h.RuleID+"|"+h.Title)
	}
	if len(want) == 0 {
		t.Fatalf("the CLI found no hit:\n%s", stderr.String())
	}

	rules, errs := ruleforge.Load(paths...)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	eng, err := ruleforge.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	eql := 0
	for _, name := range events {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var docs []json.RawMessage // each event's text, for Match and MatchMap
		dec := json.NewDecoder(bytes.NewReader(raw))
		for dec.More() {
			var doc json.RawMessage
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			docs = append(docs, doc)
		}
		_, err = eng.Stream(bytes.NewReader(raw), func(res *ruleforge.Result) error {
			if res.Err != nil {
				t.Errorf("%s: event %d: %v", name, res.Ordinal, res.Err)
				return nil
			}
			k := key(name, res.Ordinal)
			var single []string
			for _, h := range res.Hits {
				id := h.Rule.Source.File + "|" + h.Rule.ID + "|" + h.Rule.Title
				got[k] = append(got[k], id)
				if h.Rule.State == nil {
					single = append(single, id)
				}
				if h.Rule.Lang.String() == "eql" {
					eql++
				}
			}
			matched, err := eng.Match(docs[res.Ordinal-1], nil)
			if err != nil {
				t.Errorf("%s: Match of event %d: %v", name, res.Ordinal, err)
			}
			if ids := hitIDs(matched); !slices.Equal(ids, single) {
				t.Errorf("%s: event %d: Match gives\n%v\nStream\n%v", k, res.Ordinal, ids, single)
			}
			var m map[string]any
			if err := json.Unmarshal(docs[res.Ordinal-1], &m); err != nil {
				t.Fatal(err)
			}
			if ids := hitIDs(eng.MatchMap(m, nil)); !slices.Equal(ids, single) {
				t.Errorf("%s: event %d: MatchMap gives\n%v\nStream\n%v", k, res.Ordinal, ids, single)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("%s: Stream gives\n%v\nthe CLI\n%v", k, got[k], w)
		}
	}
	for k, g := range got {
		if want[k] == nil {
			t.Errorf("%s: Stream gives %v, the CLI nothing", k, g)
		}
	}
	if eql == 0 {
		t.Errorf("no EQL hit: the events lack their ECS view")
	}
	t.Logf("%d events files, %d events with hits, %d EQL hits", len(events), len(want), eql)
}

// key names an event of an input.
func key(input string, ordinal int) string { return fmt.Sprintf("%s#%d", input, ordinal) }

// hitIDs returns "rule file|id|title" of each hit.
func hitIDs(hits []ruleforge.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Rule.Source.File+"|"+h.Rule.ID+"|"+h.Rule.Title)
	}
	return out
}
