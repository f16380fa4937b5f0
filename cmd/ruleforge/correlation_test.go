package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	bruteForce = "../../testdata/brute_force_logons.yml"
	logons     = "../../testdata/events/logon_failures.ndjson"
)

// TestMatchCorrelation runs the README's brute-force correlation over the
// sample logon events: one line for the tenth failed logon from
// 10.0.0.66 on DC01, with the fields (group, correlation,
// events) and those of the event that completed it (timestamp, computer,
// channel, event_id, record_id); the base rule prints nothing (generate: false); the same with
// any number of workers.
func TestMatchCorrelation(t *testing.T) {
	want := `{"input":"../../testdata/events/logon_failures.ndjson","event":12,"rule_id":"7c1c1a4e-2b8d-4a59-9a53-0d6f1b1f0e11","title":"Brute force of Windows logons from one address","language":"sigma","severity":"high","rule_file":"../../testdata/brute_force_logons.yml","timestamp":"2024-05-14T10:01:26.123Z","computer":"DC01.corp.example","channel":"Security","event_id":4625,"record_id":90296,"group":{"Computer":"DC01.corp.example","IpAddress":"10.0.0.66"},"correlation":"event_count","events":[1,2,3,5,6,8,9,10,11,12],"value":10}` + "\n"
	for _, workers := range []string{"1", "3"} {
		code, stdout, stderr := runCLI("", "match", "-workers", workers, "-rules", bruteForce, logons)
		if code != exitOK || stdout != want {
			t.Errorf("-workers %s: exit %d\nstdout %s\nwant   %s\nstderr %s", workers, code, stdout, want, stderr)
		}
		// Every record's time was read (its SystemTime, through the ECS view).
		if !strings.Contains(stderr, "; 0 events out of time order, 0 without a time\n") {
			t.Errorf("-workers %s: stderr %s", workers, stderr)
		}
	}
	// -output alert carries the same fields.
	_, stdout, _ := runCLI("", "match", "-output", "alert", "-rules", bruteForce, logons)
	var doc map[string]any
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("alert %q: %v", stdout, err)
	}
	if doc["correlation"] != "event_count" || doc["group"] == nil || len(doc["events"].([]any)) != 10 {
		t.Errorf("alert document lacks the correlation's fields: %s", stdout)
	}
	// -count counts it.
	_, stdout, _ = runCLI("", "match", "-count", "-rules", bruteForce, logons)
	if !strings.Contains(stdout, `"title":"Brute force of Windows logons from one address","language":"sigma","events":1`) {
		t.Errorf("-count: %s", stdout)
	}
}

// TestMatchCorrelationGenerate checks that generate: true prints the base
// rule's hits beside the correlation's line.
func TestMatchCorrelationGenerate(t *testing.T) {
	src, err := os.ReadFile(bruteForce)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gen.yml")
	gen := strings.Replace(string(src), "    timespan: 5m\n", "    timespan: 5m\n    generate: true\n", 1)
	if err := os.WriteFile(path, []byte(gen), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := runCLI("", "match", "-rules", path, logons)
	if n, c := strings.Count(stdout, `"title":"Failed logon"`), strings.Count(stdout, `"correlation":"event_count"`); n != 14 || c != 1 {
		t.Errorf("generate: true: %d base hits (want 14), %d correlation lines (want 1):\n%s", n, c, stdout)
	}
}

// TestMatchCorrelationErrors checks load-time errors of correlations with
// their positions: a reference to no rule, a bad timespan, a missing
// field for value_count, an unknown type.
func TestMatchCorrelationErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unknown rule", "title: c\ncorrelation:\n  type: event_count\n  rules: [nope]\n  timespan: 5m\n  condition: {gte: 2}\n",
			`c.yml:4:11: correlation "c" refers to rule "nope", which no loaded rule has as its id or name`},
		{"bad timespan", "title: c\ncorrelation:\n  type: event_count\n  rules: [nope]\n  timespan: 5 minutes\n  condition: {gte: 2}\n",
			`c.yml:5:13: bad timespan "5 minutes": expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year`},
		{"value_count without field", "title: c\ncorrelation:\n  type: value_count\n  rules: [nope]\n  timespan: 5m\n  condition: {gte: 2}\n",
			`c.yml:6:14: a value_count correlation needs a field in its condition`},
		{"unknown type", "title: c\ncorrelation:\n  type: count\n  rules: [nope]\n  timespan: 5m\n",
			`c.yml:3:9: unknown correlation type "count" (expected one of event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile)`},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		path := filepath.Join(dir, "c.yml")
		if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, _ := runCLI("", "check", path) // check reports on stdout
		if want := filepath.Join(dir, tt.want) + "\n"; code != exitBad || !strings.HasPrefix(stdout, want) {
			t.Errorf("%s: exit %d, output %q, want %q first", tt.name, code, stdout, want)
		}
	}
}

// TestExplainCorrelation checks that explain shows a correlation's IR:
// its resolved reference, group-by fields with their paths, timespan
// and condition.
func TestExplainCorrelation(t *testing.T) {
	code, stdout, stderr := runCLI("", "explain", bruteForce)
	for _, want := range []string{"state:\n  correlation event_count", "rule failed_logon -> rule 0 group[0]=Computer|", "group-by Computer, IpAddress\n", "timespan 5m0s\n", "condition gte: 10\n"} {
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("exit %d, explain lacks %q:\n%s%s", code, want, stdout, stderr)
		}
	}
}

// TestMatchCorrelationECS runs the brute-force correlation over the same
// failed logons as Winlogbeat ships them (ECS, winlog.*): the group-by
// fields Computer and IpAddress resolve to winlog.computer_name and
// source.ip, as the base rule's fields do, so the same group fires.
func TestMatchCorrelationECS(t *testing.T) {
	var in strings.Builder
	for i := range 11 {
		host, ip := "DC01.corp.example", "10.0.0.66"
		if i == 5 {
			host, ip = "WKSTN-042.corp.example", "10.0.0.42"
		}
		fmt.Fprintf(&in, `{"@timestamp":"2024-05-14T10:00:%02d.000Z","event":{"code":"4625","category":["authentication"],"outcome":"failure"},"winlog":{"channel":"Security","event_id":4625,"computer_name":%q,"event_data":{"TargetUserName":"admin","IpAddress":%q}},"source":{"ip":%q}}`+"\n", i*5, host, ip, ip)
	}
	code, stdout, stderr := runCLI(in.String(), "match", "-rules", bruteForce)
	want := `"event":11,` // the tenth failure on DC01 from 10.0.0.66
	if code != exitOK || strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, want) ||
		!strings.Contains(stdout, `"group":{"Computer":"DC01.corp.example","IpAddress":"10.0.0.66"}`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestMatchCorrelationEVTX runs the brute-force correlation over a real
// recording of a local brute force (../shared/corpus, EVTX-to-MITRE-Attack):
// the tenth failed logon fires, with its record_id.
func TestMatchCorrelationEVTX(t *testing.T) {
	path := "../../../shared/corpus/evtx/EVTX-to-MITRE-Attack/TA0006-Credential Access/T1110.xxx-Brut force/ID 4776,4625-AccountRestore local bruteforce.evtx"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("corpus not found: %v", err)
	}
	code, stdout, stderr := runCLI("", "match", "-rules", bruteForce, path)
	if code != exitOK || strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, `"event":10,`) || !strings.Contains(stdout, `"record_id":11303,`) ||
		!strings.Contains(stdout, `"group":{"Computer":"WIN","IpAddress":"-"},"correlation":"event_count","events":[1,2,3,4,5,6,7,8,9,10]`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}
