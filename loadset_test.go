package ruleforge_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/state"
)

// TestLoadCorrelations checks correlations across files (specification
// v2.1, "Related rules": by id or name, in this file or another): a
// correlation in one file refers to a rule of another by id and to a
// correlation of a third by name; Load returns them as stateful rules
// that run; a reference to no rule is an error at its place, and a
// correlation over that one fails too.
func TestLoadCorrelations(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a_whoami.yml": whoamiRule,
		"b_inner.yml": "title: Whoami twice\nname: whoami_twice\ncorrelation:\n  type: event_count\n" +
			"  rules: 11111111-2222-3333-4444-555555555555\n  group-by: User\n  timespan: 1h\n  condition: {gte: 2}\n",
		"c_outer.yml": "title: Whoami twice, twice\ncorrelation:\n  type: event_count\n  rules: whoami_twice\n  group-by: User\n  timespan: 1h\n  condition: {gte: 2}\n",
		"d_bad.yml":   "title: Bad\nname: bad\ncorrelation:\n  type: temporal\n  rules: [whoami_twice, nothing]\n  timespan: 1h\n",
		"e_worse.yml": "title: Worse\ncorrelation:\n  type: event_count\n  rules: bad\n  timespan: 1h\n  condition: {gte: 1}\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, errs := ruleforge.Loader{}.LoadSet(dir)
	var got []string
	for _, err := range errs {
		got = append(got, strings.TrimPrefix(err.Error(), dir+string(filepath.Separator)))
	}
	want := []string{
		`d_bad.yml:5:25: correlation "Bad" refers to rule "nothing", which no loaded rule has as its id or name`,
		`e_worse.yml:4:10: correlation "Worse" refers to "bad", which has errors`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(set.Rules) != 1 || len(set.Correlations) != 2 {
		t.Fatalf("%d rules, %d correlations; want 1, 2", len(set.Rules), len(set.Correlations))
	}
	rules, _ := ruleforge.Load(dir)
	p, err := state.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	e := p.NewEngine()
	var in state.Input
	var alerts []string
	for i := range 4 {
		ev, _ := match.ParseJSON([]byte(`{"@timestamp":"2026-12-05T10:00:00Z","EventID":1,"Image":"C:\\w\\whoami.exe","User":"bob"}`))
		hits := p.Split(ev, p.Ruleset().Match(ev, nil), &in)
		if len(hits) != 0 {
			t.Errorf("event %d: the base rule printed %d hits (generate: false)", i+1, len(hits))
		}
		e.Step(int64(i+1), &in, func(a *state.Alert) {
			if p.AlertVisible(a.Rule) {
				alerts = append(alerts, p.Rule(a.Rule).Title)
			}
		})
	}
	if strings.Join(alerts, ",") != "Whoami twice, twice" {
		t.Errorf("alerts %q, want the outer correlation's once (the inner one feeds it, hidden)", alerts)
	}
}

// TestLoadSetErrorOrder checks that LoadSet, which reads and parses the
// files in parallel, reports its errors in the same order on every run:
// those of the walk and the reads (a file over MaxFileSize, a path that
// is not there) in the order of the walk, then the parse errors in file
// order, as when it read one file after another.
func TestLoadSetErrorOrder(t *testing.T) {
	dir := t.TempDir()
	big := "title: x\n" + strings.Repeat("# padding\n", 40)
	sigmaRule := "title: ok\nlogsource: {product: windows}\ndetection:\n  sel: {Image: a}\n  condition: sel\n"
	for name, src := range map[string]string{
		"a.yml": big, "b.eql": "any where (", "c.yml": sigmaRule, "d.eql": big, "e.yml": "title: [\n",
		"f.yml": sigmaRule, "g.eql": "any where a ==",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(dir, "missing.yml")
	want := []string{"a.yml", "d.eql", "missing.yml", "b.eql", "e.yml", "g.eql"}
	l := ruleforge.Loader{MaxFileSize: 200}
	for run := range 20 {
		set, errs := l.LoadSet(dir, missing)
		if len(set.Rules) != 2 || len(errs) != len(want) {
			t.Fatalf("run %d: %d rules, errors %v; want 2 rules and errors of %v", run, len(set.Rules), errs, want)
		}
		for i, err := range errs {
			if !strings.Contains(err.Error(), want[i]) {
				t.Fatalf("run %d: error %d is %v, want one naming %s (errors %v)", run, i, err, want[i], errs)
			}
		}
	}
}
