package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	seqRule   = "../../testdata/sequence/cmd_then_smb.eql"
	seqEvents = "../../testdata/sequence/events.ndjson"
)

// TestMatchSequence runs an EQL sequence over Windows event records
// (their time and host through the ECS view) and ECS events: one line per
// completed sequence, with the usual fields, "sequence" and "join".
func TestMatchSequence(t *testing.T) {
	code, stdout, stderr := runCLI("", "match", "-rules", seqRule, seqEvents)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	want := `{"input":"../../testdata/sequence/events.ndjson","event":3,"rule_id":"cmd_then_smb","title":"cmd_then_smb","language":"eql","severity":"","rule_file":"../../testdata/sequence/cmd_then_smb.eql","timestamp":"2024-05-14T10:00:20Z","computer":"WKSTN-1","channel":"Microsoft-Windows-Sysmon/Operational","event_id":3,"sequence":[1,3],"join":["WKSTN-1"]}
{"input":"../../testdata/sequence/events.ndjson","event":5,"rule_id":"cmd_then_smb","title":"cmd_then_smb","language":"eql","severity":"","rule_file":"../../testdata/sequence/cmd_then_smb.eql","timestamp":"2024-05-14T10:00:50Z","computer":"WKSTN-3","sequence":[4,5],"join":["WKSTN-3"]}
`
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	wantErr := "ruleforge: 6 events, 0 matched, 2 hits, 0 bad events, 1 rules (0 bad), 6 unmatched\n" +
		"ruleforge: 1 stateful rules: 2 results, 0 keys pending, 0 evicted (0 by the key limit, 0 by memory), 0 items dropped, 1 expired; 0 events out of time order, 0 without a time\n"
	if !strings.HasSuffix(stderr, wantErr) {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}

	// -output alert carries the same fields; -count counts the sequences.
	_, stdout, _ = runCLI("", "match", "-output", "alert", "-rules", seqRule, seqEvents)
	var a struct {
		Input    alertSource `json:"input"`
		Sequence []any       `json:"sequence"`
		Join     []string    `json:"join"`
	}
	first, _, _ := strings.Cut(stdout, "\n")
	if err := json.Unmarshal([]byte(first), &a); err != nil || a.Input.Event != 3 || len(a.Sequence) != 2 || a.Join[0] != "WKSTN-1" {
		t.Errorf("alert %s: %+v, %v", first, a, err)
	}
	_, stdout, _ = runCLI("", "match", "-count", "-rules", seqRule, seqEvents)
	if want := `{"rule_id":"cmd_then_smb","title":"cmd_then_smb","language":"eql","events":2,"rule_file":"../../testdata/sequence/cmd_then_smb.eql"}` + "\n"; stdout != want {
		t.Errorf("-count: %s, want %s", stdout, want)
	}
}

// TestUnsupportedSummary: rules still unsupported are reported once each
// and summed up by reason.
func TestUnsupportedSummary(t *testing.T) {
	dir := t.TempDir()
	for name, q := range map[string]string{
		"j1.eql": "join by host.id [process where true] [network where true]\n",
		"j2.eql": "join [process where true] [network where true]\n",
		"p.eql":  "process where true | unique process.name\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(q), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, _ := runCLI("", "check", dir)
	if code != exitBad || !strings.HasSuffix(stdout, "ruleforge: unsupported: 2 join, 1 pipe unique\nchecked 3 rules: 0 ok, 3 failed\n") {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
}

// TestExplainSequence: explain shows each stage of a sequence with its
// join keys, plan and gate.
func TestExplainSequence(t *testing.T) {
	code, stdout, stderr := runCLI("", "explain", seqRule)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"sequence stage 1 of 2 by host.name:\n  (and event.category equal \"process\" event.type equal \"start\" process.name glob~ \"cmd.exe\")\nplan:\n",
		"sequence stage 2 of 2 by host.name:\n",
		"    destination.port number 445\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain lacks %q:\n%s", want, stdout)
		}
	}
}
