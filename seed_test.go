package ruleforge_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// seedRules are the seed rule files in testdata, by the names the cases use.
var seedRules = map[string]string{
	"mofcomp_activity":                    "testdata/mofcomp_activity.eql",
	"execution_mofcomp":                   "testdata/execution_mofcomp.toml",
	"proc_creation_win_mofcomp_execution": "testdata/proc_creation_win_mofcomp_execution.yml",
}

// seedCase is one hand-made event with the expected outcome per rule.
type seedCase struct {
	Name   string          `json:"name"`
	Event  json.RawMessage `json:"event"`
	Expect map[string]bool `json:"expect"`
}

// loadSeedCases reads testdata/seed_cases.json and parses every event.
func loadSeedCases(t testing.TB) ([]seedCase, []match.Event) {
	t.Helper()
	data, err := os.ReadFile("testdata/seed_cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []seedCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	events := make([]match.Event, len(cases))
	for i, c := range cases {
		if events[i], err = match.ParseJSON(c.Event); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
	}
	return cases, events
}

// loadSeedRules reads the three seed rule files.
func loadSeedRules(t testing.TB) map[string]*ir.Rule {
	t.Helper()
	rules := map[string]*ir.Rule{}
	for name, path := range seedRules {
		r, err := ruleforge.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rules[name] = r
	}
	return rules
}

// TestSeedRules runs every hand-made event through each seed rule,
// compiled with and without the optimizer, and through the reference
// evaluation; all must give the expected answer.
func TestSeedRules(t *testing.T) {
	cases, events := loadSeedCases(t)
	rules := loadSeedRules(t)
	shapes := map[string]int{}
	perRule := map[string][2]int{}
	for name, r := range rules {
		opt := compile.MustCompile([]*ir.Rule{r})
		plain := compile.MustCompile([]*ir.Rule{r}, hooks.CompileOption(hooks.Switches{NoOptimize: true, NoSpecialize: true}).(compile.Option))
		for i, c := range cases {
			want, ok := c.Expect[name]
			if !ok {
				t.Fatalf("%s: no expectation for %s", c.Name, name)
			}
			t.Run(name+"/"+c.Name, func(t *testing.T) {
				if got := len(opt.Match(events[i], nil)) == 1; got != want {
					t.Errorf("optimized: got %v, want %v", got, want)
				}
				if got := len(plain.Match(events[i], nil)) == 1; got != want {
					t.Errorf("unoptimized: got %v, want %v", got, want)
				}
				if got := refeval.Eval(r.Expr, events[i]); got != want {
					t.Errorf("reference: got %v, want %v", got, want)
				}
			})
			n := perRule[name]
			if want {
				n[0]++
			} else {
				n[1]++
			}
			perRule[name] = n
		}
	}
	for _, c := range cases {
		shapes[strings.Split(c.Name, "/")[0]]++
	}
	// The cases must keep covering every shape and both outcomes.
	for _, s := range []string{"ecs_nested", "ecs_dotted", "sysmon_flat", "winevent_json"} {
		if shapes[s] < 10 {
			t.Errorf("only %d %s cases", shapes[s], s)
		}
	}
	for name, n := range perRule {
		if n[0] < 15 || n[1] < 15 {
			t.Errorf("%s: %d matching and %d non-matching cases, want at least 15 of each", name, n[0], n[1])
		}
	}
}

// TestSeedRulesLoad checks that Load finds the three seed rule files in
// testdata and picks each one's language by its extension.
func TestSeedRulesLoad(t *testing.T) {
	rules, errs := ruleforge.Load("testdata")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got := map[string]ir.Lang{}
	for _, r := range rules {
		got[filepath.Base(r.Source.File)] = r.Lang
	}
	want := map[string]ir.Lang{
		"mofcomp_activity.eql":                    ir.LangEQL,
		"execution_mofcomp.toml":                  ir.LangEQL,
		"proc_creation_win_mofcomp_execution.yml": ir.LangSigma,
	}
	for f, l := range want {
		if got[f] != l {
			t.Errorf("%s: language %v, want %v (loaded: %v)", f, got[f], l, got)
		}
	}
}

// BenchmarkSeedRules measures both seed rules (the EQL query and the Sigma
// rule) in one ruleset over the pre-parsed hand-made events, against two
// baselines in the same run: the same rules compiled without the optimizer
// and classifier, and the reference tree walk.
func BenchmarkSeedRules(b *testing.B) {
	_, events := loadSeedCases(b)
	all := loadSeedRules(b)
	rules := []*ir.Rule{all["mofcomp_activity"], all["proc_creation_win_mofcomp_execution"]}
	b.Run("cases", func(b *testing.B) { benchRulesets(b, events, rules) })
	b.Run("mix", func(b *testing.B) { benchRulesets(b, benignMix(events, 1000), rules) })
}

// benchRulesets benchmarks rules over events: compiled, compiled without
// optimizer and classifier, and the reference tree walk.
func benchRulesets(b *testing.B, events []match.Event, rules []*ir.Rule) {
	// One op is one event: ns/op and allocs/op are per event.
	run := func(b *testing.B, eval func(i int, ev match.Event) int) {
		b.ReportAllocs()
		hits, i := 0, 0
		for b.Loop() {
			hits += eval(i, events[i])
			if i++; i == len(events) {
				i = 0
			}
		}
		if hits == 0 {
			b.Fatal("no hits")
		}
	}
	opt := compile.MustCompile(rules)
	plain := compile.MustCompile(rules, hooks.CompileOption(hooks.Switches{NoOptimize: true, NoSpecialize: true}).(compile.Option))
	b.Run("ruleforge", func(b *testing.B) {
		var dst []int
		run(b, func(_ int, ev match.Event) int { dst = opt.Match(ev, dst[:0]); return len(dst) })
	})
	b.Run("ruleforge-records", func(b *testing.B) {
		// The events pre-parsed for the ruleset: each one's values at the
		// ruleset's paths found once, before timing (see match.Record).
		recs := make([]*match.Record, len(events))
		for i, ev := range events {
			recs[i] = opt.NewRecord()
			recs[i].Reset(ev)
		}
		var dst []int
		run(b, func(i int, _ match.Event) int { dst = opt.MatchRecord(recs[i], dst[:0]); return len(dst) })
	})
	b.Run("unoptimized", func(b *testing.B) {
		var dst []int
		run(b, func(_ int, ev match.Event) int { dst = plain.Match(ev, dst[:0]); return len(dst) })
	})
	b.Run("reference", func(b *testing.B) {
		run(b, func(_ int, ev match.Event) int {
			n := 0
			for _, r := range rules {
				if refeval.Eval(r.Expr, ev) {
					n++
				}
			}
			return n
		})
	})
}

// TestSeedRulesNoAlloc checks that matching the seed rules allocates
// nothing per event in the steady state.
func TestSeedRulesNoAlloc(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers at random")
	}
	_, events := loadSeedCases(t)
	all := loadSeedRules(t)
	rs := compile.MustCompile([]*ir.Rule{all["mofcomp_activity"], all["execution_mofcomp"], all["proc_creation_win_mofcomp_execution"]})
	dst := make([]int, 0, 3)
	allocs := testing.AllocsPerRun(20, func() {
		for _, ev := range events {
			dst = rs.Match(ev, dst[:0])
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run over %d events, want 0", allocs, len(events))
	}
}

// benignMix returns n events, deterministically: nine in ten are benign
// process starts (ECS or flat Sysmon) and one in ten is a hand-made case,
// most of which involve mofcomp.exe.
func benignMix(cases []match.Event, n int) []match.Event {
	rng := rand.New(rand.NewPCG(7, 11))
	names := []string{"svchost.exe", "chrome.exe", "explorer.exe", "powershell.exe", "cmd.exe", "conhost.exe", "msedge.exe", "RuntimeBroker.exe", "taskhostw.exe", "OneDrive.exe"}
	out := make([]match.Event, 0, n)
	for i := range n {
		name := names[rng.IntN(len(names))]
		exe := `C:\Windows\System32\` + name
		switch {
		case i%10 == 9:
			out = append(out, cases[rng.IntN(len(cases))])
		case i%2 == 0:
			out = append(out, match.NewDoc(map[string]any{
				"@timestamp": "2026-11-25T01:00:00.000Z",
				"event":      map[string]any{"category": []any{"process"}, "type": []any{"start"}, "kind": "event"},
				"host":       map[string]any{"os": map[string]any{"type": "windows"}, "name": "WKSTN-1"},
				"process": map[string]any{"name": name, "executable": exe, "pid": json.Number("4242"),
					"args": []any{exe, "-k", "netsvcs"}, "command_line": exe + " -k netsvcs",
					"parent": map[string]any{"name": "services.exe", "executable": `C:\Windows\System32\services.exe`}},
				"user": map[string]any{"id": "S-1-5-21-1-2-3-1001", "name": "bob"},
			}))
		default:
			out = append(out, match.NewDoc(map[string]any{
				"EventID": json.Number("1"), "Image": exe, "OriginalFileName": name,
				"CommandLine": exe + " /c whoami", "ParentImage": `C:\Windows\explorer.exe`,
				"User": `CORP\bob`, "CurrentDirectory": `C:\Users\bob\`,
			}))
		}
	}
	return out
}

// TestSeedRulesUnchanged checks that the seed rules in testdata are
// byte-for-byte the files in ../shared/rules, when that folder exists.
func TestSeedRulesUnchanged(t *testing.T) {
	for _, path := range seedRules {
		shared := filepath.Join("..", "shared", "rules", filepath.Base(path))
		want, err := os.ReadFile(shared)
		if os.IsNotExist(err) {
			t.Skipf("%s is absent: the shared folder is not beside the repository", shared)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s", path, shared)
		}
	}
}
