package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// manyEvents returns n NDJSON events: every seventh a mofcomp start that
// the Sigma seed rule matches, every eleventh not JSON, the rest benign.
func manyEvents(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		switch {
		case i%11 == 0:
			fmt.Fprintf(&b, "{broken %d\n", i)
		case i%7 == 0:
			fmt.Fprintf(&b, `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe","CommandLine":"mofcomp %d.mof"}`+"\n", i)
		default:
			fmt.Fprintf(&b, `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\x\\app%d.exe","CommandLine":"app"}`+"\n", i)
		}
	}
	return b.String()
}

// TestMatchOrderAndAccounting runs 5,000 events on 1 and 8 workers: the
// hit lines come in input order, identical either way, and every event is
// counted once as matched, unmatched or bad.
func TestMatchOrderAndAccounting(t *testing.T) {
	const n = 5000
	input := manyEvents(n)
	var outputs []string
	for _, workers := range []string{"1", "8"} {
		code, stdout, stderr := runCLI(input, "match", "-workers", workers, "-rules", sigmaRule)
		if code != exitBad { // the broken events make the run "bad"
			t.Fatalf("workers %s: exit %d", workers, code)
		}
		last := 0
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		for _, l := range lines {
			var h hit
			if err := json.Unmarshal([]byte(l), &h); err != nil {
				t.Fatalf("workers %s: %q: %v", workers, l, err)
			}
			if h.Event <= last || h.Event%7 != 0 {
				t.Fatalf("workers %s: hit on event %d after %d", workers, h.Event, last)
			}
			last = h.Event
		}
		bad := n / 11
		matched := n/7 - n/77 // multiples of 7 that are not multiples of 11
		if len(lines) != matched {
			t.Errorf("workers %s: %d hit lines, want %d", workers, len(lines), matched)
		}
		want := fmt.Sprintf("ruleforge: %d events, %d matched, %d hits, %d bad events, 1 rules (0 bad), %d unmatched\n", n, matched, matched, bad, n-matched-bad)
		if !strings.HasSuffix(stderr, want) || strings.Count(stderr, "skipped") != bad {
			t.Errorf("workers %s: stderr ends %q, want %q and %d skipped events", workers, stderr[max(0, len(stderr)-200):], want, bad)
		}
		outputs = append(outputs, stdout)
	}
	if outputs[0] != outputs[1] {
		t.Error("1 and 8 workers wrote different output")
	}
}

// TestMatchCount checks -count: one line per rule with its number of
// matched events, and no hit lines. The EQL rule reads ECS fields: it
// matches the Sysmon events through their ECS view (-format auto), and
// not with -format ecs, which leaves events as they are.
func TestMatchCount(t *testing.T) {
	want := 100/7 - 100/77
	for _, tt := range []struct {
		format string
		eql    int // lines for the EQL rule
	}{{"auto", 1}, {"ecs", 0}} {
		_, stdout, _ := runCLI(manyEvents(100), "match", "-count", "-format", tt.format, "-rules", sigmaRule, "-rules", eqlRule)
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		if len(lines) != 1+tt.eql {
			t.Fatalf("-format %s: %q", tt.format, stdout)
		}
		for i, l := range lines {
			var c ruleCount
			if err := json.Unmarshal([]byte(l), &c); err != nil {
				t.Fatalf("%q: %v", l, err)
			}
			lang, id := "sigma", "1dd05363-104e-4b4a-b963-196a534b03a1"
			if i == 1 {
				lang, id = "eql", "mofcomp_activity"
			}
			if c.Events != want || c.Language != lang || c.RuleID != id {
				t.Errorf("-format %s: count line %+v", tt.format, c)
			}
		}
	}
	if code, _, stderr := runCLI("", "match", "-format", "xml", "-rules", sigmaRule); code != exitUsage || !strings.Contains(stderr, "-format") {
		t.Errorf("-format xml: exit %d, %q", code, stderr)
	}
}

// TestMatchAlert checks -output alert: rule metadata under rule.*, the
// event verbatim under event.original.
func TestMatchAlert(t *testing.T) {
	ev := `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe","CommandLine":"mofcomp x.mof"}`
	code, stdout, stderr := runCLI(ev+"\n", "match", "-output", "alert", "-rules", sigmaRule)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a map[string]any
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatalf("%q: %v", stdout, err)
	}
	rule, _ := a["rule"].(map[string]any)
	event, _ := a["event"].(map[string]any)
	input, _ := a["input"].(map[string]any)
	if rule["id"] != "1dd05363-104e-4b4a-b963-196a534b03a1" || rule["name"] != "Potential Suspicious Mofcomp Execution" ||
		rule["severity"] != "high" || rule["language"] != "sigma" {
		t.Errorf("rule = %v", rule)
	}
	if event["original"] != ev || event["kind"] != "alert" || a["@timestamp"] == "" {
		t.Errorf("event = %v, @timestamp %v", event, a["@timestamp"])
	}
	if input["name"] != "-" || input["event"] != 1.0 || input["line"] != 1.0 {
		t.Errorf("input = %v", input)
	}
	if code, _, stderr := runCLI("", "match", "-output", "xml", "-rules", sigmaRule); code != exitUsage || !strings.Contains(stderr, "want hits or alert") {
		t.Errorf("-output xml: exit %d, %q", code, stderr)
	}
}

// TestMatchRegressionCorpus runs match over each SigmaHQ regression
// folder (Windows event records, pretty-printed and concatenated) with
// its own rule, in every format that reads records: the rule must match at
// least min_matches events, and no event may be bad.
func TestMatchRegressionCorpus(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "sigma-regression")
	dirs, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("%s is absent", dir)
	}
	for _, d := range dirs {
		folder := filepath.Join(dir, d.Name())
		var expect struct {
			MinMatches int `json:"min_matches"`
		}
		data, err := os.ReadFile(filepath.Join(folder, "expect.json"))
		if err != nil || json.Unmarshal(data, &expect) != nil {
			continue
		}
		for _, format := range []string{"auto", "winevent", "ecs"} {
			_, stdout, stderr := runCLI("", "match", "-count", "-format", format, "-rules", filepath.Join(folder, "rule.yml"), filepath.Join(folder, "events.json"))
			var c ruleCount
			json.Unmarshal([]byte(stdout), &c)
			if c.Events < expect.MinMatches || !strings.Contains(stderr, " 0 bad events") {
				t.Errorf("%s, -format %s: %d events matched, want at least %d; stderr %q", d.Name(), format, c.Events, expect.MinMatches, stderr)
			}
		}
	}
}
