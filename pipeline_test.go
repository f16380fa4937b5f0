package ruleforge_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// loadPipeline reads a pipeline of examples/pipelines.
func loadPipeline(t testing.TB, name string) *sigma.Pipeline {
	t.Helper()
	path := filepath.Join("examples", "pipelines", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sigma.ParsePipeline(path, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// edrNames is how the custom EDR of examples/pipelines/custom_edr.yml
// names Sysmon's process creation fields; it keeps the others' names.
var edrNames = map[string]string{
	"Image": "proc_path", "CommandLine": "cmdline", "ParentImage": "parent_path",
	"ParentCommandLine": "parent_cmdline", "User": "user", "OriginalFileName": "pe_original_name",
	"Company": "pe_company", "Description": "pe_description", "Product": "pe_product",
	"CurrentDirectory": "cwd", "IntegrityLevel": "integrity", "Hashes": "hashes",
	"ProcessId": "pid", "ParentProcessId": "ppid",
}

// sysmonProcessStarts returns the Sysmon event 1 records of the regression
// corpus, decoded, or the seed rule's sample as one record when the corpus
// is absent.
func sysmonProcessStarts(t *testing.T) []map[string]any {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "shared", "corpus", "sigma-regression", "*", "events.json"))
	var out []map[string]any
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		for dec.More() {
			var ev map[string]any
			if err := dec.Decode(&ev); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			e, _ := ev["Event"].(map[string]any)
			sys, _ := e["System"].(map[string]any)
			if _, ok := e["EventData"].(map[string]any); ok && sys["Channel"] == "Microsoft-Windows-Sysmon/Operational" && sys["EventID"] == 1.0 {
				out = append(out, ev)
			}
		}
	}
	if len(out) == 0 {
		out = append(out, map[string]any{"Event": map[string]any{
			"System": map[string]any{"EventID": 1.0, "Channel": "Microsoft-Windows-Sysmon/Operational"},
			"EventData": map[string]any{"Image": `C:\Windows\System32\wbem\mofcomp.exe`, "OriginalFileName": "mofcomp.exe",
				"ParentImage": `C:\Windows\System32\cmd.exe`, "CommandLine": `mofcomp C:\Users\Public\x.mof`}}})
	}
	return out
}

// asEDR writes a Sysmon record as the custom EDR's event.
func asEDR(rec map[string]any) map[string]any {
	out := map[string]any{"event_type": "process_start"}
	for k, v := range rec["Event"].(map[string]any)["EventData"].(map[string]any) {
		if n, ok := edrNames[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

// processRules returns SigmaHQ's Windows process_creation rules loaded
// with opts (the seed rule when the corpus is absent).
func processRules(t *testing.T, opts ...sigma.Option) *match.Ruleset {
	t.Helper()
	dir := filepath.Join("..", "shared", "corpus", "sigmahq", "rules", "windows", "process_creation")
	if _, err := os.Stat(dir); err != nil {
		dir = filepath.Join("testdata", "proc_creation_win_mofcomp_execution.yml")
	}
	rules, errs := ruleforge.Loader{Sigma: opts}.Load(dir)
	if len(errs) > 0 {
		t.Fatalf("%d rules failed to load, the first: %v", len(errs), errs[0])
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// ids returns the ids of the rules a ruleset's hits name.
func ids(rs *match.Ruleset, hits []int) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = rs.Rule(h).ID
	}
	slices.Sort(out)
	return out
}

// TestCustomEDRPipeline checks examples/pipelines/custom_edr.yml: every
// Sysmon process creation of the regression corpus, written in the EDR's
// schema, gets from the rules with the pipeline exactly the hits that the
// record gets from the rules without it; and the pipeline's rules leave
// the Sysmon records alone (their log source is the EDR now).
func TestCustomEDRPipeline(t *testing.T) {
	plain := processRules(t)
	mapped := processRules(t, sigma.WithPipelines(loadPipeline(t, "custom_edr.yml")))
	total := 0
	for _, rec := range sysmonProcessStarts(t) {
		want := ids(plain, plain.Match(match.NewDoc(rec), nil))
		got := ids(mapped, mapped.Match(match.NewDoc(asEDR(rec)), nil))
		if !slices.Equal(got, want) {
			t.Errorf("%v:\nEDR event hits %v\nSysmon record %v", rec["Event"].(map[string]any)["EventData"], got, want)
		}
		if h := mapped.Match(match.NewDoc(rec), nil); len(h) > 0 {
			t.Errorf("the Sysmon record %v gets hits from the EDR's rules: %v", rec, ids(mapped, h))
		}
		total += len(want)
	}
	if total == 0 {
		t.Error("no hits at all")
	}
	t.Logf("%d process starts, %d hits, the same in both schemas", len(sysmonProcessStarts(t)), total)
}

// TestCrowdStrikePipeline checks examples/pipelines/crowdstrike_fdr.yml
// on ProcessRollup2 events: device paths, the parent's file name only,
// placeholders from the pipeline's vars.
func TestCrowdStrikePipeline(t *testing.T) {
	p := sigma.WithPipelines(loadPipeline(t, "crowdstrike_fdr.yml"))
	mofcomp, err := os.ReadFile(filepath.Join("testdata", "proc_creation_win_mofcomp_execution.yml"))
	if err != nil {
		t.Fatal(err)
	}
	admin := []byte(`title: Admin runs whoami
logsource: {category: process_creation, product: windows}
detection:
  selection:
    Image: 'C:\Windows\System32\whoami.exe'
    UserName|expand: '%admins%'
  condition: selection
`)
	var rules []*ir.Rule
	for _, src := range [][]byte{mofcomp, admin} {
		r, err := sigma.ParseRule("r.yml", src, p)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		event string
		want  []string // titles
	}{
		{`{"event_simpleName":"ProcessRollup2","ImageFileName":"\\Device\\HarddiskVolume3\\Windows\\System32\\wbem\\mofcomp.exe","CommandLine":"mofcomp.exe C:\\Users\\Public\\x.mof","ParentBaseFileName":"cmd.exe"}`,
			[]string{"Potential Suspicious Mofcomp Execution"}},
		{`{"event_simpleName":"SyntheticProcessRollup2","ImageFileName":"\\Device\\HarddiskVolume1\\Windows\\System32\\wbem\\mofcomp.exe","CommandLine":"mofcomp.exe x.mof","ParentBaseFileName":"powershell.exe"}`,
			[]string{"Potential Suspicious Mofcomp Execution"}},
		{`{"event_simpleName":"ProcessRollup2","ImageFileName":"\\Device\\HarddiskVolume3\\Windows\\System32\\wbem\\mofcomp.exe","CommandLine":"mofcomp.exe x.mof","ParentBaseFileName":"explorer.exe"}`,
			nil},
		{`{"event_simpleName":"DnsRequest","ImageFileName":"\\Device\\HarddiskVolume3\\Windows\\System32\\wbem\\mofcomp.exe","CommandLine":"mofcomp.exe C:\\Users\\Public\\x.mof","ParentBaseFileName":"cmd.exe"}`,
			nil},
		{`{"event_simpleName":"ProcessRollup2","ImageFileName":"\\Device\\HarddiskVolume2\\Windows\\System32\\whoami.exe","UserName":"adm_jane"}`,
			[]string{"Admin runs whoami"}},
		{`{"event_simpleName":"ProcessRollup2","ImageFileName":"\\Device\\HarddiskVolume2\\Windows\\System32\\whoami.exe","UserName":"jane"}`,
			nil},
	}
	for _, tt := range tests {
		ev, err := match.ParseJSON([]byte(tt.event))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range rs.Match(ev, nil) {
			got = append(got, rs.Rule(h).Title)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: hits %q, want %q", tt.event, got, tt.want)
		}
	}
}

// BenchmarkPipeline matches the same process start against the same rules
// in Sysmon's flat shape without a pipeline and in the custom EDR's shape
// with examples/pipelines/custom_edr.yml: the pipeline is applied when the
// rules load, so an event costs the same either way.
func BenchmarkPipeline(b *testing.B) {
	t := &testing.T{}
	sysmon := `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","OriginalFileName":"mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe","CommandLine":"mofcomp C:\\Users\\Public\\x.mof","User":"CORP\\bob"}`
	edr := `{"event_type":"process_start","proc_path":"C:\\Windows\\System32\\wbem\\mofcomp.exe","pe_original_name":"mofcomp.exe","parent_path":"C:\\Windows\\System32\\cmd.exe","cmdline":"mofcomp C:\\Users\\Public\\x.mof","user":"CORP\\bob"}`
	for _, c := range []struct {
		name  string
		event string
		opts  []sigma.Option
	}{
		{"sysmon", sysmon, nil},
		{"edr+pipeline", edr, []sigma.Option{sigma.WithPipelines(loadPipeline(b, "custom_edr.yml"))}},
	} {
		rs := processRules(t, c.opts...)
		if t.Failed() {
			b.Fatal("loading the rules failed")
		}
		rec := rs.NewRecord()
		data := []byte(c.event)
		var hits []int
		if err := rec.ResetJSON(data); err != nil {
			b.Fatal(err)
		}
		if hits = rs.MatchRecord(rec, hits[:0]); len(hits) == 0 {
			b.Fatalf("%s: no hit", c.name)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = rec.ResetJSON(data)
				hits = rs.MatchRecord(rec, hits[:0])
			}
		})
	}
}

// TestPipelineEQL checks what a pipeline does to EQL rules: its field name
// mappings without rule conditions rename the fields the rule reads; a
// mapping with rule conditions (a Sigma log source) does not apply.
func TestPipelineEQL(t *testing.T) {
	p, err := sigma.ParsePipeline("edr.yml", []byte(`
transformations:
  - type: field_name_mapping
    mapping:
      process.name: proc_name
      process.args: [argv, args]
  - type: field_name_prefix_mapping
    mapping:
      process.parent.: parent_
  - type: field_name_mapping
    mapping:
      event.category: kind
    rule_conditions:
      - type: logsource
        category: process_creation
`))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "q.eql")
	if err := os.WriteFile(path, []byte(`process where process.name : "mofcomp.exe" and process.parent.name == "cmd.exe" and process.args : "*.mof"`), 0o644); err != nil {
		t.Fatal(err)
	}
	rules, errs := ruleforge.Loader{Pipelines: []*sigma.Pipeline{p}}.Load(path)
	if len(errs) > 0 {
		t.Fatal(errs[0])
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		event string
		want  bool
	}{
		{`{"event":{"category":"process"},"proc_name":"MOFCOMP.EXE","parent_name":"cmd.exe","argv":["mofcomp","x.mof"]}`, true},
		{`{"event":{"category":"process"},"proc_name":"mofcomp.exe","parent_name":"cmd.exe","args":["x.mof"]}`, true},
		{`{"kind":"process","proc_name":"mofcomp.exe","parent_name":"cmd.exe","argv":["x.mof"]}`, false},
		{`{"event":{"category":"process"},"process":{"name":"mofcomp.exe","parent":{"name":"cmd.exe"},"args":["x.mof"]}}`, false},
	} {
		ev, err := match.ParseJSON([]byte(tt.event))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rs.Match(ev, nil)) > 0; got != tt.want {
			t.Errorf("%s: matched %t, want %t\n%s", tt.event, got, tt.want, rules[0].Expr)
		}
	}
}
