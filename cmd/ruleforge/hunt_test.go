package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/compile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/hunt")

// withoutSummary returns stderr without the summary by level and rule,
// for tests of what comes around it.
func withoutSummary(stderr string) string {
	var keep []string
	for _, l := range strings.SplitAfter(stderr, "\n") {
		if strings.HasPrefix(l, "ruleforge: hits by level:") || strings.HasPrefix(l, "ruleforge: top rules by hits:") || strings.HasPrefix(l, "ruleforge:    ") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "")
}

// seedRules are the three seed rules (EQL, Elastic TOML, Sigma).
var seedRules = []string{"-rules", eqlRule, "-rules", tomlRule, "-rules", sigmaRule}

// TestOutputGolden checks -output table and csv, with and without
// -explain, with -count, with the column of the input when several are
// read, and the hit lines with -explain, on the sample events (ECS
// nested and dotted, flat Sysmon, a Windows event record) with the seed
// rules of both languages, against golden files (go test -update rewrites
// them); and the table and csv with -explain of evtx's fixture file read
// straight from .evtx, with a Sigma and an EQL rule that it matches.
func TestOutputGolden(t *testing.T) {
	evtxRules := []string{"-routing=false", "-rules", filepath.Join("testdata", "hunt", "evtx_access.yml"), "-rules", filepath.Join("testdata", "hunt", "evtx_rdp.eql")}
	for _, tt := range []struct {
		name  string
		args  []string
		input string // sample when empty
	}{
		{"table", []string{"-output", "table"}, ""},
		{"csv", []string{"-output", "csv"}, ""},
		{"table_explain", []string{"-output", "table", "-explain"}, ""},
		{"csv_explain", []string{"-output", "csv", "-explain"}, ""},
		{"hits_explain", []string{"-explain"}, ""},
		{"table_sorted", []string{"-output", "table", "-sort"}, ""},
		{"count_table", []string{"-output", "table", "-count"}, ""},
		{"count_csv", []string{"-output", "csv", "-count"}, ""},
		{"table_inputs", []string{"-output", "table", sample}, ""}, // the sample twice: a column of the input
		{"evtx_table_explain", append([]string{"-output", "table", "-explain"}, evtxRules...), fixtureEVTX},
		{"evtx_csv_explain", append([]string{"-output", "csv", "-explain"}, evtxRules...), fixtureEVTX},
	} {
		args := append(append([]string{"match"}, tt.args...), seedRules...)
		if tt.input == "" {
			tt.input = sample
		}
		code, stdout, stderr := runCLI("", append(args, tt.input)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tt.name, code, stderr)
		}
		golden := filepath.Join("testdata", "hunt", tt.name+".golden")
		if *update {
			if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if stdout != string(want) {
			t.Errorf("%s: output differs from %s:\n%s", tt.name, golden, stdout)
		}
	}
}

// TestHitFields checks the event fields of hit lines in each format: an
// ECS event (@timestamp, host.name), flat Sysmon fields (UtcTime as the
// time) and a Windows event record (Event.System), from the sample.
func TestHitFields(t *testing.T) {
	_, stdout, _ := runCLI("", "match", "-rules", sigmaRule, sample)
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var h hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join([]string{itoa(h.Event), h.Timestamp, h.Computer, h.Channel, optInt(h.EventID), optInt(h.RecordID)}, "|"))
	}
	want := []string{
		"1|2024-05-14T09:37:46.123Z|WKSTN-042|||",
		"5|2024-05-14T10:41:16.512Z|WKSTN-042.corp.example.com|Microsoft-Windows-Sysmon/Operational|1|52001",
		"7|2024-05-14T10:11:12.052043Z|WKSTN-042.corp.example.com|Microsoft-Windows-Sysmon/Operational|1|52043",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("hit fields:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAlertFields checks the event's fields in an alert: its time at
// kibana.alert.original_time, host.name, event.code and winlog.*.
func TestAlertFields(t *testing.T) {
	_, stdout, _ := runCLI("", "match", "-output", "alert", "-explain", "-rules", sigmaRule, sample)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var a struct {
		Kibana struct {
			Alert struct {
				OriginalTime string `json:"original_time"`
			} `json:"alert"`
		} `json:"kibana"`
		Host struct {
			Name string `json:"name"`
		} `json:"host"`
		Event struct {
			Code string `json:"code"`
		} `json:"event"`
		Winlog struct {
			Channel  string `json:"channel"`
			EventID  int    `json:"event_id"`
			RecordID int    `json:"record_id"`
		} `json:"winlog"`
		Explain []reason `json:"explain"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &a); err != nil {
		t.Fatal(err)
	}
	if a.Kibana.Alert.OriginalTime != "2024-05-14T10:11:12.052043Z" || a.Host.Name != "WKSTN-042.corp.example.com" || a.Event.Code != "1" ||
		a.Winlog.Channel != "Microsoft-Windows-Sysmon/Operational" || a.Winlog.EventID != 1 || a.Winlog.RecordID != 52043 || len(a.Explain) == 0 {
		t.Errorf("alert: %+v", a)
	}
}

// TestSummary checks the summary by level and rule: on stderr for the
// line formats (and with -count), only when something matched; in the
// table's output, with "no hits" when nothing did.
func TestSummary(t *testing.T) {
	_, stdout, stderr := runCLI("", append(append([]string{"match", "-output", "csv"}, seedRules...), sample)...)
	want := `ruleforge: hits by level: critical 0, high 3, medium 0, low 5, informational 0, no level 5
ruleforge: top rules by hits:
ruleforge:        5  mofcomp_activity (eql, no level)
ruleforge:        5  Mofcomp Activity (eql, low)
ruleforge:        3  Potential Suspicious Mofcomp Execution (sigma, high)
ruleforge: 7 events, 6 matched, 13 hits, 0 bad events, 3 rules (0 bad), 1 unmatched
`
	if stderr != want {
		t.Errorf("csv: stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if strings.Contains(stdout, "top rules") {
		t.Errorf("csv: summary in the output:\n%s", stdout)
	}
	_, stdout, stderr = runCLI("", append(append([]string{"match", "-output", "table", "-count"}, seedRules...), sample)...)
	if strings.Contains(stdout, "top rules") || strings.Contains(stdout, "TIME") || !strings.Contains(stderr, "ruleforge: top rules by hits:") {
		t.Errorf("table -count: stdout %q, stderr %q", stdout, stderr)
	}
	_, stdout, stderr = runCLI(`{"a":1}`, "match", "-output", "table", "-rules", sigmaRule)
	if !strings.HasSuffix(stdout, "\n\nno hits\n") || strings.Contains(stderr, "level") {
		t.Errorf("table, no hits: stdout %q, stderr %q", stdout, stderr)
	}
	_, _, stderr = runCLI(`{"a":1}`, "match", "-rules", sigmaRule)
	if stderr != "ruleforge: 1 events, 0 matched, 0 hits, 0 bad events, 1 rules (0 bad), 1 unmatched\n" {
		t.Errorf("hits, no hits: stderr %q", stderr)
	}
}

// TestSortLimit checks that -sort writes rows in sorted runs of at most
// -sort-limit, and says so.
func TestSortLimit(t *testing.T) {
	_, stdout, stderr := runCLI("", append(append([]string{"match", "-output", "csv", "-sort", "-sort-limit", "5"}, seedRules...), sample)...)
	var times []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		times = append(times, l[:strings.IndexByte(l, ',')])
	}
	for i, run := range [][]string{times[:5], times[5:10], times[10:]} {
		if !slices.IsSorted(run) {
			t.Errorf("run %d not sorted: %q", i, run)
		}
	}
	if len(times) != 13 || slices.IsSorted(times) {
		t.Errorf("%d rows, sorted as a whole: %q", len(times), times)
	}
	if !strings.Contains(stderr, "ruleforge: -sort: more than 5 rows; written in 3 runs, each sorted (raise -sort-limit)\n") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestParseTime checks the event time formats the output reads.
func TestParseTime(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2025-10-24T23:36:29.111126Z", "2025-10-24T23:36:29.111126Z"},
		{"2024-05-14T09:37:46.123Z", "2024-05-14T09:37:46.123Z"},
		{"2024-05-14T11:37:46+02:00", "2024-05-14T09:37:46Z"},
		{"2024-05-14 10:41:16.512", "2024-05-14T10:41:16.512Z"},
		{"2024-05-14T10:41:16", "2024-05-14T10:41:16Z"},
		{"2024-05-14", "2024-05-14T00:00:00Z"},
		{"yesterday", "yesterday"},
	} {
		tm, text := parseTime(tt.in)
		if text != tt.want || tm.IsZero() != (tt.in == "yesterday") {
			t.Errorf("parseTime(%q) = %v, %q; want %q", tt.in, tm, text, tt.want)
		}
	}
}

// TestSelection checks -min-level, -status, -exclude, -from and -to, and
// how the summary reports what they left out.
func TestSelection(t *testing.T) {
	dir := t.TempDir()
	sigma, err := os.ReadFile(sigmaRule)
	if err != nil {
		t.Fatal(err)
	}
	// The Sigma seed rule as deprecated, under another id.
	old := strings.Replace(strings.Replace(string(sigma), "1dd05363-104e-4b4a-b963-196a534b03a1", "0ld00000-0000-0000-0000-000000000000", 1), "\nstatus: test", "\nstatus: deprecated", 1)
	if old == string(sigma) || !strings.Contains(old, "status: deprecated") {
		t.Fatal("the seed rule's id or status moved")
	}
	deprecated := filepath.Join(dir, "old.yml")
	exclude := filepath.Join(dir, "exclude.txt")
	if err := os.WriteFile(deprecated, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exclude, []byte("# noisy\n210d4430-b371-470e-b879-80b7182aa75e\nno-such-rule  # typo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rules := append(seedRules[:len(seedRules):len(seedRules)], "-rules", deprecated)
	for _, tt := range []struct {
		name   string
		args   []string
		rules  string // the ids of the rules that matched, by -count
		stderr []string
	}{
		{"default", nil, "1dd05363 210d4430 mofcomp_activity", []string{"ruleforge: left out 1 rules: 1 deprecated (-status)\n", " 3 rules (0 bad)"}},
		{"status all", []string{"-status", "all"}, "0ld00000 1dd05363 210d4430 mofcomp_activity", []string{" 4 rules (0 bad)"}},
		{"status deprecated", []string{"-status", "deprecated"}, "0ld00000 mofcomp_activity", []string{"left out 2 rules: 1 stable, 1 test (-status)"}},
		{"min level", []string{"-min-level", "medium"}, "1dd05363", []string{"left out 3 rules: 1 deprecated (-status), 2 below -min-level medium"}},
		{"min level informational", []string{"-min-level", "informational"}, "1dd05363 210d4430", []string{"1 below -min-level informational"}},
		{"exclude", []string{"-exclude", exclude}, "1dd05363 mofcomp_activity", []string{exclude + ":3: no rule has id \"no-such-rule\"\n", "1 excluded (-exclude)"}},
		{"from", []string{"-from", "2024-05-14T10:00:00Z"}, "1dd05363 210d4430 mofcomp_activity", []string{"left out 5 hits of events outside -from/-to and 0 of events without a time"}},
		{"to a day", []string{"-to", "2024-05-13"}, "", []string{"left out 13 hits of events outside"}},
		{"to", []string{"-to", "2024-05-14 09:37:46.123"}, "1dd05363 210d4430 mofcomp_activity", []string{"hits of events outside"}},
		{"window", []string{"-from", "2024-05-14T09:40:00Z", "-to", "2024-05-14T10:05:00Z"}, "210d4430 mofcomp_activity", []string{"hits of events outside"}},
	} {
		args := append(append([]string{"match", "-count"}, tt.args...), rules...)
		code, stdout, stderr := runCLI("", append(args, sample)...)
		if code != exitOK {
			t.Errorf("%s: exit %d: %s", tt.name, code, stderr)
		}
		var ids []string
		for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
			var c ruleCount
			if json.Unmarshal([]byte(l), &c) == nil {
				ids = append(ids, strings.SplitN(c.RuleID, "-", 2)[0])
			}
		}
		slices.Sort(ids)
		if got := strings.Join(ids, " "); got != tt.rules {
			t.Errorf("%s: rules %q, want %q", tt.name, got, tt.rules)
		}
		for _, s := range tt.stderr {
			if !strings.Contains(stderr, s) {
				t.Errorf("%s: stderr lacks %q:\n%s", tt.name, s, stderr)
			}
		}
	}
	for _, tt := range []struct{ args, err string }{
		{"-min-level severe", `-min-level "severe": want informational, low, medium, high or critical`},
		{"-status stable,retired", `-status "retired": want all or some of stable, test, experimental, deprecated, unsupported`},
		{"-from noon", `-from "noon": want a time such as 2024-05-14T09:30:00Z, 2024-05-14 09:30:00 (UTC) or a date`},
		{"-from 2024-05-15 -to 2024-05-14", `-from 2024-05-15 is after -to 2024-05-14`},
		{"-output xml", `-output "xml": want hits or alert, table or csv`},
		{"-sort", `-sort: only with -output table or csv`},
		{"-output csv -sort -sort-limit 0", `-sort-limit 0: want at least 1`},
		{"-exclude " + filepath.Join(dir, "none.txt"), "-exclude: open " + filepath.Join(dir, "none.txt") + ": no such file or directory"},
	} {
		args := append(append([]string{"match"}, strings.Fields(tt.args)...), "-rules", sigmaRule)
		code, _, stderr := runCLI("", args...)
		if want := "ruleforge match: " + tt.err + "\n"; code != exitUsage || stderr != want {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tt.args, code, stderr, exitUsage, want)
		}
	}
}

// TestRegressionFields runs match -output csv over the SigmaHQ regression
// events (Windows event records as evtx dumps write them) with each
// folder's rule: every row has the record's time, computer, channel,
// event ID and record ID.
func TestRegressionFields(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "sigma-regression")
	dirs, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("%s is absent", dir)
	}
	rows := 0
	for _, d := range dirs {
		folder := filepath.Join(dir, d.Name())
		_, stdout, _ := runCLI("", "match", "-output", "csv", "-rules", filepath.Join(folder, "rule.yml"), filepath.Join(folder, "events.json"))
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		for _, l := range lines[1:] {
			f := strings.SplitN(l, ",", 6)
			if len(f) < 6 || f[0] == "" || f[1] == "" || f[2] == "" || f[3] == "" || f[4] == "" {
				t.Errorf("%s: row without the event's fields: %s", d.Name(), l)
				continue
			}
			if _, err := time.Parse(time.RFC3339Nano, f[0]); err != nil {
				t.Errorf("%s: timestamp %q: %v", d.Name(), f[0], err)
			}
			rows++
		}
	}
	t.Logf("%d rows from %d folders", rows, len(dirs))
}

// TestFieldReader checks where the fields of a matched event are read in
// each shape: Event.System of a record (attributes as "#attributes" or
// "@", an EventID with its Qualifiers), flat fields, Winlogbeat's and
// ECS names; the details in their order; each a copy that outlives the
// event's text and the record's next event.
func TestFieldReader(t *testing.T) {
	rs, err := compile.Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	fr := fullFieldReader(true)
	rec := rs.NewRecordWith(fr.filled)
	for _, tt := range []struct{ event, want string }{
		{`{"Event":{"System":{"EventID":{"#text":"4688","#attributes":{"Qualifiers":""}},"EventRecordID":"77","Channel":"Security","Computer":"dc1",` +
			`"TimeCreated":{"@SystemTime":"2024-01-02T03:04:05.6Z"}},"EventData":{"NewProcessName":"C:\\x.exe","SubjectUserName":"bob"}}}`,
			"2024-01-02T03:04:05.6Z|dc1|Security|4688|77|Proc: C:\\x.exe ¦ User: bob"},
		{`{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws","EventRecordID":9,"UtcTime":"2024-01-02 03:04:05.000",` +
			`"Image":"C:\\a.exe","DestinationIp":"10.0.0.1","DestinationPort":445}`,
			"2024-01-02T03:04:05Z|ws|Microsoft-Windows-Sysmon/Operational|3|9|Proc: C:\\a.exe ¦ DstIP: 10.0.0.1 ¦ DstPort: 445"},
		{`{"@timestamp":"2024-01-02T05:04:05+02:00","host":{"name":"h"},"winlog":{"channel":"System","event_id":"7045","record_id":"12"},"service":{"name":"evil"}}`,
			"2024-01-02T03:04:05Z|h|System|7045|12|Service: evil"},
		{`{"@timestamp":"soon","host.name":"h2","event.code":"x1"}`, "soon|h2||||"},
		{`{"message":"nothing"}`, "|||||"},
	} {
		// The fields are copied out of the record and the event's text:
		// both are reused (here overwritten, and the record given the
		// next event) while the fields are still to be written.
		text := []byte(tt.event)
		if err := rec.ResetJSON(text); err != nil {
			t.Fatal(err)
		}
		f := fr.read(rec)
		clear(text)
		if err := rec.ResetJSON([]byte(`{"Event":{"System":{"Computer":"other-host","Channel":"Other","TimeCreated":{"@SystemTime":"someday, somewhere"}},` +
			`"EventData":{"NewProcessName":"C:\\other.exe","SubjectUserName":"other","ServiceName":"other"}},"@timestamp":"later","host":{"name":"other"}}`)); err != nil {
			t.Fatal(err)
		}
		got := strings.Join([]string{f.Timestamp, f.Computer, f.Channel, optInt(f.EventID), optInt(f.RecordID), detailText(f.details)}, "|")
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.event, got, tt.want)
		}
	}
}

// TestStatefulRows checks the alerts of stateful rules (the README's
// brute-force correlation) in the CSV output, with the fields of the
// event that completed them, kept with the rule they need by -min-level,
// and left out by a window that ends before that event.
func TestStatefulRows(t *testing.T) {
	_, stdout, _ := runCLI("", "match", "-output", "csv", "-rules", bruteForce, logons)
	want := "2024-05-14T10:01:26.123Z,DC01.corp.example,Security,4625,90296,high,Brute force of Windows logons from one address,7c1c1a4e-2b8d-4a59-9a53-0d6f1b1f0e11,sigma,../../testdata/events/logon_failures.ndjson,12,SrcIP: 10.0.0.66 ¦ LogonType: 3 ¦ TgtUser: administrator\n"
	if lines := strings.SplitAfter(stdout, "\n"); len(lines) != 3 || lines[1] != want {
		t.Errorf("csv:\n%s\nwant the header and\n%s", stdout, want)
	}
	// The base rule (low) stays with the correlation (high) it feeds.
	_, stdout, stderr := runCLI("", "match", "-output", "csv", "-min-level", "high", "-rules", bruteForce, logons)
	if lines := strings.SplitAfter(stdout, "\n"); len(lines) != 3 || lines[1] != want || strings.Contains(stderr, "left out") {
		t.Errorf("-min-level high: csv:\n%s\nstderr %s", stdout, stderr)
	}
	_, stdout, stderr = runCLI("", "match", "-output", "csv", "-to", "2024-05-14T10:00:00Z", "-rules", bruteForce, logons)
	if strings.Count(stdout, "\n") != 1 || !strings.Contains(stderr, "left out 1 hits of events outside -from/-to") || !strings.Contains(stderr, " 0 hits,") {
		t.Errorf("-to before the alert: stdout %q, stderr %s", stdout, stderr)
	}
}

// TestHostileValues checks that event values cannot drive the terminal
// through the table (control characters, ESC and CSI, become spaces) nor
// run as formulas in a spreadsheet that opens the CSV.
func TestHostileValues(t *testing.T) {
	ev := `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"=HYPERLINK(\"http://x\")",` +
		`"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe",` +
		`"CommandLine":"mofcomp \u001b[2J\u009b31m %temp%\\x.mof\r\nfake line","User":"@evil"}`
	_, stdout, _ := runCLI(ev, "match", "-output", "table", "-explain", "-rules", sigmaRule)
	if strings.ContainsAny(stdout, "\x1b\u009b\r") || strings.Contains(stdout, "\nfake line") {
		t.Errorf("table passes control characters through:\n%q", stdout)
	}
	_, stdout, _ = runCLI(ev, "match", "-output", "csv", "-rules", sigmaRule)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv %q: %v", stdout, err)
	}
	if rows[1][1] != `'=HYPERLINK("http://x")` || !strings.HasPrefix(rows[1][11], "Cmdline: mofcomp \x1b[2J") {
		t.Errorf("csv row %q", rows[1])
	}
}
