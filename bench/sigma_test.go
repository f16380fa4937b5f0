package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// corpus is ../shared/corpus, relative to this package.
const corpus = "../../shared/corpus"

// pair is one rule loaded by both engines.
type pair struct {
	ours   *ir.Rule
	theirs sigmago.Rule
}

// windowsRules loads the SigmaHQ Windows rules that both ruleforge and
// sigma-go load and that sigma-go can evaluate on a sample event, in a
// fixed pseudo-random order.
func windowsRules(b *testing.B) []pair {
	dir := filepath.Join(corpus, "sigmahq", "rules", "windows")
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("%s is absent", dir)
	}
	var paths []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yml") {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	probe := evaluator.Event(map[string]any{"EventID": 1, "Image": `C:\x.exe`, "CommandLine": "x"})
	var out []pair
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		ours, err := sigma.ParseRule(p, src)
		if err != nil {
			continue
		}
		theirs, err := sigmago.ParseRule(src)
		if err != nil {
			continue
		}
		if _, err := evaluator.ForRule(theirs).Matches(context.Background(), probe); err != nil {
			continue
		}
		out = append(out, pair{ours, theirs})
	}
	rng := rand.New(rand.NewPCG(1, 1))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// flatten merges a Windows event record's System and EventData into one
// flat map, the shape sigma-go reads, with numbers as float64.
func flatten(v map[string]any) map[string]any {
	ev, ok := v["Event"].(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for _, part := range []string{"System", "EventData"} {
		m, _ := ev[part].(map[string]any)
		for k, x := range m {
			if _, isMap := x.(map[string]any); !isMap {
				out[k] = x
			}
		}
	}
	return out
}

// events returns n flat Sysmon events, deterministically: nine in ten are
// benign process creations, one in ten a recorded attack from the
// regression corpus.
func events(b *testing.B, n int) []map[string]any {
	var attacks []map[string]any
	dirs, _ := os.ReadDir(filepath.Join(corpus, "sigma-regression"))
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(corpus, "sigma-regression", d.Name(), "events.json"))
		if err != nil {
			continue
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		for dec.More() {
			var m map[string]any
			if dec.Decode(&m) != nil {
				break
			}
			attacks = append(attacks, flatten(m))
		}
	}
	if len(attacks) == 0 {
		b.Skip("no regression events")
	}
	rng := rand.New(rand.NewPCG(2, 3))
	names := []string{"svchost.exe", "chrome.exe", "explorer.exe", "powershell.exe", "cmd.exe", "conhost.exe", "msedge.exe", "RuntimeBroker.exe", "taskhostw.exe", "OneDrive.exe", "git.exe", "node.exe"}
	args := []string{"-k netsvcs -p", "--type=renderer --lang=en-US", "/c echo hello", "-NoProfile -File C:\\scripts\\backup.ps1", "", "status --porcelain", "server.js --port 8080"}
	out := make([]map[string]any, n)
	for i := range out {
		if i%10 == 9 {
			out[i] = attacks[rng.IntN(len(attacks))]
			continue
		}
		name := names[rng.IntN(len(names))]
		exe := `C:\Program Files\App\` + name
		if rng.IntN(2) == 0 {
			exe = `C:\Windows\System32\` + name
		}
		out[i] = map[string]any{
			"EventID": 1.0, "Channel": "Microsoft-Windows-Sysmon/Operational",
			"Image": exe, "OriginalFileName": name, "CommandLine": `"` + exe + `" ` + args[rng.IntN(len(args))],
			"ParentImage": `C:\Windows\explorer.exe`, "ParentCommandLine": `C:\Windows\Explorer.EXE`,
			"User": `CORP\user` + fmt.Sprint(rng.IntN(50)), "IntegrityLevel": "Medium",
			"CurrentDirectory": `C:\Users\user\`, "Hashes": "SHA256=" + strings.Repeat("ab", 32),
			"ProcessId": float64(1000 + rng.IntN(9000)), "UtcTime": "2026-11-25 01:00:00.000",
		}
	}
	return out
}

// seedRules loads the two seed rules from ../shared/rules: Elastic's EQL
// query and SigmaHQ's rule, with sigma-go's reading of the Sigma one.
func seedRules(b *testing.B) ([]*ir.Rule, sigmago.Rule) {
	dir := filepath.Join(corpus, "..", "rules")
	var ours []*ir.Rule
	for _, f := range []string{"mofcomp_activity.eql", "proc_creation_win_mofcomp_execution.yml"} {
		r, err := ruleforge.ReadFile(filepath.Join(dir, f))
		if err != nil {
			b.Skipf("seed rules: %v", err)
		}
		ours = append(ours, r)
	}
	src, err := os.ReadFile(filepath.Join(dir, "proc_creation_win_mofcomp_execution.yml"))
	if err != nil {
		b.Skip(err)
	}
	theirs, err := sigmago.ParseRule(src)
	if err != nil {
		b.Fatal(err)
	}
	return ours, theirs
}

// BenchmarkSigmaHQ matches the same events against the two seed rules and
// against 1, 10, 100, 1000 and all Windows rules that both engines load:
// ruleforge (one compiled ruleset; on match.Docs, and on match.Records,
// the events pre-parsed for the ruleset), sigma-go rule by rule
// (evaluator.ForRule) and sigma-go's bundle (evaluator.ForRules). sigma-go
// has no EQL: for the seed rules it runs the Sigma one only. One op is one
// event.
func BenchmarkSigmaHQ(b *testing.B) {
	all := windowsRules(b)
	evs := events(b, 1000)
	docs := make([]match.Event, len(evs))
	theirEvents := make([]evaluator.Event, len(evs))
	for i, e := range evs {
		docs[i] = match.NewDoc(e)
		theirEvents[i] = evaluator.Event(e)
	}
	type set struct {
		name   string
		ours   []*ir.Rule
		theirs []sigmago.Rule
	}
	seedsOurs, seedTheirs := seedRules(b)
	sets := []set{{"seeds", seedsOurs, []sigmago.Rule{seedTheirs}}}
	for _, n := range []int{1, 10, 100, 1000, len(all)} {
		if n > len(all) {
			continue
		}
		s := set{name: fmt.Sprint(n)}
		if n == len(all) {
			s.name = fmt.Sprintf("all_%d", n)
		}
		for _, p := range all[:n] {
			s.ours, s.theirs = append(s.ours, p.ours), append(s.theirs, p.theirs)
		}
		sets = append(sets, s)
	}
	ctx := context.Background()
	for _, set := range sets {
		rs := compile.MustCompile(set.ours)
		loop := func(b *testing.B, match func(i int)) {
			b.ReportAllocs()
			i := 0
			runtime.GC() // the garbage of loading the rules is not the ruleset's cost
			for b.Loop() {
				match(i)
				if i++; i == len(docs) {
					i = 0
				}
			}
		}
		b.Run("rules="+set.name+"/ruleforge-records", func(b *testing.B) {
			// The events pre-parsed for the ruleset (match.Record): each
			// one's values at the paths the rules read, found once.
			recs := make([]*match.Record, len(docs))
			for i, d := range docs {
				recs[i] = rs.NewRecord()
				recs[i].Reset(d)
			}
			var dst []int
			loop(b, func(i int) { dst = rs.MatchRecord(recs[i], dst[:0]) })
		})
		b.Run("rules="+set.name+"/ruleforge", func(b *testing.B) {
			var dst []int
			loop(b, func(i int) { dst = rs.Match(docs[i], dst[:0]) })
		})
		if len(set.theirs) > 1000 {
			continue // sigma-go one by one takes minutes here
		}
		perRule := make([]*evaluator.RuleEvaluator, len(set.theirs))
		for i, r := range set.theirs {
			perRule[i] = evaluator.ForRule(r)
		}
		b.Run("rules="+set.name+"/sigma-go", func(b *testing.B) {
			loop(b, func(i int) {
				for _, e := range perRule {
					e.Matches(ctx, theirEvents[i])
				}
			})
		})
		bundle := evaluator.ForRules(set.theirs)
		b.Run("rules="+set.name+"/sigma-go-bundle", func(b *testing.B) {
			loop(b, func(i int) { bundle.Matches(ctx, theirEvents[i]) })
		})
	}
}
