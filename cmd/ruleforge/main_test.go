package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// runCLI runs the command in-process.
func runCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const (
	eqlRule   = "../../testdata/mofcomp_activity.eql"
	tomlRule  = "../../testdata/execution_mofcomp.toml"
	sigmaRule = "../../testdata/proc_creation_win_mofcomp_execution.yml"
	sample    = "../../testdata/events/sample.ndjson"
)

func TestMatchSample(t *testing.T) {
	code, stdout, stderr := runCLI("", "match", "-rules", eqlRule, "-rules", tomlRule, "-rules", sigmaRule, sample)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var h hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("bad output line %q: %v", l, err)
		}
		if h.Input != sample || h.Title == "" {
			t.Errorf("incomplete line %q", l)
		}
		got = append(got, strings.Join([]string{itoa(h.Event), h.Language, h.RuleID, h.Severity}, " "))
	}
	want := []string{
		"1 eql mofcomp_activity ",
		"1 eql 210d4430-b371-470e-b879-80b7182aa75e low",
		"1 sigma 1dd05363-104e-4b4a-b963-196a534b03a1 high",
		"2 eql 210d4430-b371-470e-b879-80b7182aa75e low",
		"3 eql mofcomp_activity ",
		// The Sysmon events (5, 6) and the Windows event record (7) reach
		// the EQL rules through their ECS view (-format auto).
		"5 eql mofcomp_activity ",
		"5 eql 210d4430-b371-470e-b879-80b7182aa75e low",
		"5 sigma 1dd05363-104e-4b4a-b963-196a534b03a1 high",
		"6 eql mofcomp_activity ",
		"6 eql 210d4430-b371-470e-b879-80b7182aa75e low",
		"7 eql mofcomp_activity ",
		"7 eql 210d4430-b371-470e-b879-80b7182aa75e low",
		"7 sigma 1dd05363-104e-4b4a-b963-196a534b03a1 high",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hits:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if wantSum := "ruleforge: 7 events, 6 matched, 13 hits, 0 bad events, 3 rules (0 bad), 1 unmatched\n"; withoutSummary(stderr) != wantSum {
		t.Errorf("stderr = %q, want %q", stderr, wantSum)
	}
	// -format ecs leaves events as they are: EQL rules miss the Windows ones.
	_, _, stderr = runCLI("", "match", "-format", "ecs", "-rules", eqlRule, "-rules", tomlRule, "-rules", sigmaRule, sample)
	if wantSum := "ruleforge: 7 events, 5 matched, 7 hits, 0 bad events, 3 rules (0 bad), 2 unmatched\n"; withoutSummary(stderr) != wantSum {
		t.Errorf("-format ecs: stderr = %q, want %q", stderr, wantSum)
	}
}

func TestMatchBadEvents(t *testing.T) {
	in := `{"process":{"name":"x"}}
not json at all
[[1,2]]
{"event":{"category":"process","type":"start"},"host":{"os":{"type":"windows"}},"process":{"name":"MOFCOMP.EXE","args":["a.mof"]}}
{"truncated":
{
  "Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
  "ParentImage": "C:\\Windows\\System32\\cmd.exe"
}
`
	code, stdout, stderr := runCLI(in, "match", "-rules", eqlRule, "-rules", sigmaRule)
	if code != exitBad {
		t.Errorf("exit %d, want %d", code, exitBad)
	}
	wantErr := `-: event 2 (line 2): invalid character 'o' in literal null (expecting 'u'); skipped
-: event 3 (line 3): event is a JSON array, not an object; skipped
-: event 5 (line 5): unexpected EOF; skipped
ruleforge: 6 events, 2 matched, 2 hits, 3 bad events, 2 rules (0 bad), 1 unmatched
`
	if withoutSummary(stderr) != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
	if n := strings.Count(stdout, "\n"); n != 2 || !strings.Contains(stdout, `"event":4,`) || !strings.Contains(stdout, `"event":6,`) {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func TestMatchBadRule(t *testing.T) {
	code, stdout, stderr := runCLI(`{"a":1}`, "match", "-rules", "testdata/bad.eql", "-rules", sigmaRule)
	if code != exitBad {
		t.Errorf("exit %d, want %d", code, exitBad)
	}
	if stdout != "" {
		t.Errorf("stdout = %q", stdout)
	}
	if !strings.HasPrefix(stderr, "testdata/bad.eql:") || !strings.Contains(stderr, "1 rules (1 bad)") {
		t.Errorf("stderr = %q", stderr)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{nil, exitUsage, "usage:"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"match"}, exitUsage, "no -rules given"},
		{[]string{"match", "-nope"}, exitUsage, "flag provided but not defined: -nope"},
		{[]string{"check"}, exitUsage, "no rule paths"},
		{[]string{"explain"}, exitUsage, "no rule paths"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI("", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
	if code, stdout, _ := runCLI("", "help"); code != exitOK || !strings.HasPrefix(stdout, "usage:") {
		t.Errorf("help: exit %d, stdout %q", code, stdout)
	}
}

func TestCheck(t *testing.T) {
	code, stdout, _ := runCLI("", "check", eqlRule, tomlRule, sigmaRule)
	if code != exitOK || stdout != "checked 3 rules: 3 ok, 0 failed\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	code, stdout, _ = runCLI("", "check", "testdata/bad.eql", sigmaRule, "testdata/missing.yml")
	if code != exitBad || !strings.HasSuffix(stdout, "checked 3 rules: 1 ok, 2 failed\n") ||
		!strings.Contains(stdout, "testdata/bad.eql:") || !strings.Contains(stdout, "testdata/missing.yml") {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestExplain(t *testing.T) {
	code, stdout, stderr := runCLI("", "explain", sigmaRule)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`rule sigma "1dd05363-104e-4b4a-b963-196a534b03a1"`, "plan:", `suffix~ "\mofcomp.exe"`, `contains~ "%temp%"`,
		"gate: evaluated only for events holding a key of every clause", "clause 1 of 2, any of 2:\n    OriginalFileName equals~ \"mofcomp.exe\"\n    Image ends~ \"\\mofcomp.exe\"\n",
		`ParentImage ends~ "\wscript.exe"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain output lacks %q:\n%s", want, stdout)
		}
	}
	// Several rules compile into one ruleset: the index summary follows.
	_, stdout, _ = runCLI("", "explain", eqlRule, tomlRule, sigmaRule)
	if !strings.Contains(stdout, "index: 3 rules, 3 with a gate, ") || !strings.Contains(stdout, `process.name equals~ "mofcomp.exe"`) {
		t.Errorf("explain of three rules:\n%s", stdout)
	}
	// A rule without a gate says so.
	dir := t.TempDir()
	rule := dir + "/neg.eql"
	if err := os.WriteFile(rule, []byte(`any where not process.pid > 5`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ = runCLI("", "explain", rule)
	if !strings.Contains(stdout, "gate: none; evaluated for every event") {
		t.Errorf("explain of an ungated rule:\n%s", stdout)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestMatchRoutingFlag(t *testing.T) {
	// A network event with the rule's fields: routed away by default,
	// matched with -routing=false.
	ev := `{"EventID":3,"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe","CommandLine":"mofcomp x.mof"}`
	_, stdout, _ := runCLI(ev, "match", "-rules", sigmaRule)
	if stdout != "" {
		t.Errorf("routing on: %q, want no hit", stdout)
	}
	_, stdout, _ = runCLI(ev, "match", "-routing=false", "-rules", sigmaRule)
	if !strings.Contains(stdout, `"language":"sigma"`) {
		t.Errorf("routing off: %q, want a hit", stdout)
	}
}

func TestPlaceholdersFlag(t *testing.T) {
	dir := t.TempDir()
	rule := dir + "/admins.yml"
	os.WriteFile(rule, []byte("title: Admin logon\nlogsource: {product: windows, service: security}\ndetection:\n  selection:\n    EventID: 4624\n  filter:\n    TargetUserName|expand: '%admins%'\n  condition: selection and not filter\n"), 0o644)
	values := dir + "/values.yml"
	os.WriteFile(values, []byte("admins: [adm_*, root]\n"), 0o644)
	ev := `{"EventID":4624,"Channel":"Security","TargetUserName":"adm_bob"}`
	// Without values the filter excludes nothing: a hit, and one warning.
	code, stdout, stderr := runCLI(ev, "match", "-rules", rule)
	if code != exitOK || !strings.Contains(stdout, `"title":"Admin logon"`) {
		t.Errorf("no values: status %d, %q, want a hit", code, stdout)
	}
	if want := "warning: " + rule + ":7:28: no values for placeholder %admins%: it matches nothing\n"; !strings.HasPrefix(stderr, want) {
		t.Errorf("no values: stderr %q, want it to start with %q", stderr, want)
	}
	code, stdout, stderr = runCLI(ev, "match", "-placeholders", values, "-rules", rule)
	if code != exitOK || stdout != "" || strings.Contains(stderr, "warning") {
		t.Errorf("with values: status %d, %q, %q, want no hit and no warning", code, stdout, stderr)
	}
	code, _, stderr = runCLI(ev, "match", "-placeholders", dir+"/missing.yml", "-rules", rule)
	if code != exitBad || !strings.Contains(stderr, "missing.yml") {
		t.Errorf("missing file: status %d, %q", code, stderr)
	}
}

func TestPipelineFlag(t *testing.T) {
	ev := `{"event_type":"process_start","proc_path":"C:\\Windows\\System32\\wbem\\mofcomp.exe","cmdline":"mofcomp C:\\Users\\Public\\x.mof","parent_path":"C:\\Windows\\System32\\cmd.exe"}`
	code, stdout, _ := runCLI(ev, "match", "-pipeline", "../../examples/pipelines/custom_edr.yml", "-rules", sigmaRule)
	if code != exitOK || !strings.Contains(stdout, `"title":"Potential Suspicious Mofcomp Execution"`) {
		t.Errorf("with the pipeline: status %d, %q, want a hit", code, stdout)
	}
	if _, stdout, _ = runCLI(ev, "match", "-rules", sigmaRule); stdout != "" {
		t.Errorf("without the pipeline: %q, want no hit", stdout)
	}
	bad := t.TempDir() + "/bad.yml"
	os.WriteFile(bad, []byte("transformations:\n  - type: add_field\n"), 0o644)
	code, _, stderr := runCLI(ev, "match", "-pipeline", bad, "-rules", sigmaRule)
	if want := bad + ":2:11: unsupported transformation type \"add_field\"\n"; code != exitBad || stderr != want {
		t.Errorf("bad pipeline: status %d, stderr %q, want %q", code, stderr, want)
	}
}
