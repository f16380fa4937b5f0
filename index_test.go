package ruleforge_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// regressionEvents loads every event of ../shared/corpus/sigma-regression
// as a match.Doc, or skips the test when the corpus is absent.
func regressionEvents(t *testing.T) []match.Event {
	t.Helper()
	var out []match.Event
	for _, raw := range regressionJSON(t) {
		ev, err := match.ParseJSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
	return out
}

// regressionJSON returns the JSON texts of the events of the regression
// cases, in the order of their directories, skipping the test when the
// shared corpus is absent.
func regressionJSON(t *testing.T) []json.RawMessage {
	t.Helper()
	dir := filepath.Join("..", "shared", "corpus", "sigma-regression")
	dirs, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", dir)
	}
	var out []json.RawMessage
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, d.Name(), "events.json"))
		if err != nil {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatalf("%s: %v", d.Name(), err)
			}
			out = append(out, raw)
		}
	}
	if len(out) == 0 {
		t.Fatal("no regression event loaded")
	}
	return out
}

// nest turns a map with dotted keys into nested objects ({"a.b": 1} into
// {"a": {"b": 1}}); a key that is both a value and a parent keeps the
// value under its dotted name.
func nest(m match.Map) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		parts := strings.Split(k, ".")
		o := out
		ok := true
		for _, p := range parts[:len(parts)-1] {
			next, isMap := o[p].(map[string]any)
			if _, taken := o[p]; taken && !isMap {
				ok = false
				break
			}
			if next == nil {
				next = map[string]any{}
				o[p] = next
			}
			o = next
		}
		if _, taken := o[parts[len(parts)-1]]; !ok || taken {
			out[k] = v
			continue
		}
		o[parts[len(parts)-1]] = v
	}
	return out
}

// TestIndexAgrees is the rule index's differential test: every SigmaHQ
// rule, and every Elastic EQL rule (a sequence's is the constant false
// to Compile: package state runs it), in one indexed, optimized
// ruleset against the same rules unindexed and unoptimized (every rule
// evaluated on every event), on every regression event and on events
// built from a sample of the rules' own literals in three shapes (flat
// keys, dotted keys in a Doc, nested objects in a Doc). Any difference in
// any (rule, event) pair fails.
func TestIndexAgrees(t *testing.T) {
	for _, sub := range []string{"sigmahq/rules", "elastic/rules"} {
		t.Run(sub, func(t *testing.T) { testIndexAgrees(t, corpusRules(t, sub)) })
	}
}

// testIndexAgrees is TestIndexAgrees on one folder's rules.
func testIndexAgrees(t *testing.T, rules []*ir.Rule) {
	indexed, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := compile.Compile(rules, hooks.CompileOption(hooks.Switches{NoOptimize: true, NoSpecialize: true}).(compile.Option))
	if err != nil {
		t.Fatal(err)
	}
	st := indexed.IndexStats()
	if !st.Indexed || plain.IndexStats().Indexed {
		t.Fatalf("indexed: %+v, plain: %+v", st, plain.IndexStats())
	}
	events := regressionEvents(t)
	rng := rand.New(rand.NewPCG(17, 29))
	sample := 300
	if raceEnabled { // several times slower: fewer events
		sample = 20
		events = events[:len(events)/4]
	}
	for k := 0; k < sample; k++ {
		r := rules[rng.IntN(len(rules))]
		for _, ev := range literalEvents(r, rng, 1) {
			events = append(events, ev, match.NewDoc(ev), match.NewDoc(nest(ev)))
		}
	}
	pairs, hits := 0, 0
	var got, want []int
	for i, ev := range events {
		got = indexed.Match(ev, got[:0])
		want = plain.Match(ev, want[:0])
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("event %d (%T): indexed %v, unindexed %v\n%v", i, ev, got, want, ev)
		}
		pairs += len(rules)
		hits += len(got)
	}
	t.Logf("%d rules (%d gated, %d keys), %d events: %d (rule, event) pairs agree, %d matches", len(rules), st.Gated, st.Keys, len(events), pairs, hits)
	if hits == 0 && !raceEnabled { // with -race, 20 sampled EQL rules may match none
		t.Error("no event matched any rule")
	}
}
