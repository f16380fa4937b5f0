package normalize_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// shared is the folder of rules and corpora beside the repository.
var shared = filepath.Join("..", "..", "shared")

// decode reads one JSON object as match.ParseJSON does (numbers as
// json.Number).
func decode(t testing.TB, data string) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader([]byte(data)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
	return m
}

// decodeStream reads a stream of JSON objects (NDJSON or pretty-printed
// objects one after another).
func decodeStream(t testing.TB, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var out []map[string]any
	for {
		var m map[string]any
		err := d.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
}

// loadRules loads and compiles rule files, or skips the test when they are
// absent.
func loadRules(t testing.TB, paths ...string) *match.Ruleset {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s is absent: the shared folder is not beside the repository", p)
		}
	}
	rules, errs := ruleforge.Load(paths...)
	for _, err := range errs {
		t.Fatal(err)
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// hits returns the IDs of the rules that match m.
func hits(rs *match.Ruleset, m map[string]any) []string {
	var ids []string
	for _, i := range rs.Match(match.NewDoc(m), nil) {
		ids = append(ids, rs.Rule(i).ID)
	}
	slices.Sort(ids)
	return ids
}

// The seed rules, by ID.
const (
	eqlSeed   = "mofcomp_activity"                     // mofcomp_activity.eql
	tomlSeed  = "210d4430-b371-470e-b879-80b7182aa75e" // execution_mofcomp.toml
	sigmaSeed = "1dd05363-104e-4b4a-b963-196a534b03a1" // proc_creation_win_mofcomp_execution.yml
)

// mofcompEvents are the same process creations in the formats Normalize
// reads, with the seed rules each must match after normalization.
var mofcompEvents = []struct {
	name   string
	format normalize.Format
	event  string
	want   []string // seed rule IDs, sorted
}{
	{"flat Sysmon", normalize.Flat, `{
		"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational", "Computer": "WKSTN-042",
		"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe", "OriginalFileName": "mofcomp.exe",
		"CommandLine": "mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof",
		"ParentImage": "C:\\Windows\\System32\\cmd.exe", "ParentCommandLine": "cmd.exe /c run.bat",
		"User": "CORP\\bob", "ProcessId": 4117}`,
		[]string{sigmaSeed, tomlSeed, eqlSeed}},
	{"Windows event record", normalize.WinEvent, `{"Event": {
		"System": {
			"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}},
			"EventID": {"#text": 1, "#attributes": {"Qualifiers": ""}},
			"Channel": "Microsoft-Windows-Sysmon/Operational", "Computer": "WKSTN-042",
			"Security": {"#attributes": {"UserID": "S-1-5-18"}}},
		"EventData": {
			"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe", "OriginalFileName": "mofcomp.exe",
			"CommandLine": "\"C:\\Windows\\System32\\wbem\\mofcomp.exe\" \"C:\\Users\\Public\\x y.mof\"",
			"ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
			"User": {"#text": "CORP\\bob"}, "ProcessId": "4117"}}}`,
		[]string{sigmaSeed, tomlSeed, eqlSeed}},
	{"Windows event record, Data array", normalize.WinEvent, `{"Event": {
		"System": {"Provider": {"@Name": "Microsoft-Windows-Sysmon"}, "EventID": "1",
			"Channel": "Microsoft-Windows-Sysmon/Operational"},
		"EventData": {"Data": [
			{"@Name": "Image", "#text": "C:\\Windows\\SysWOW64\\wbem\\mofcomp.exe"},
			{"Name": "CommandLine", "#text": "mofcomp C:\\Users\\Public\\a.mof"},
			{"#attributes": {"Name": "ParentImage"}, "#text": "C:\\Windows\\System32\\cmd.exe"},
			{"@Name": "User", "#text": "CORP\\bob"}]}}}`,
		[]string{sigmaSeed, tomlSeed, eqlSeed}},
	{"Security 4688 record", normalize.WinEvent, `{"Event": {
		"System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Security-Auditing"}},
			"EventID": 4688, "Channel": "Security", "Computer": "WKSTN-042"},
		"EventData": {
			"SubjectUserSid": "S-1-5-21-1-2-3-1013", "SubjectUserName": "bob", "SubjectDomainName": "CORP",
			"NewProcessId": "0x1015", "NewProcessName": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
			"ProcessId": "0x2a0", "ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
			"CommandLine": "mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof",
			"TargetUserSid": "S-1-0-0", "TargetUserName": "-"}}}`,
		[]string{sigmaSeed, tomlSeed, eqlSeed}},
	{"flat Security 4688", normalize.Flat, `{
		"EventID": "4688", "Channel": "Security",
		"NewProcessId": "0x1015", "NewProcessName": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
		"ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
		"CommandLine": "mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof",
		"SubjectUserSid": "S-1-5-21-1-2-3-1013", "SubjectUserName": "bob"}`,
		[]string{sigmaSeed, tomlSeed, eqlSeed}},

	// Run as SYSTEM: Elastic's rules leave it out by user.id; Sigma's does not.
	{"flat Sysmon as SYSTEM", normalize.Flat, `{
		"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
		"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
		"CommandLine": "mofcomp.exe C:\\Users\\Public\\evil.mof",
		"ParentImage": "C:\\Windows\\System32\\cmd.exe", "User": "NT AUTHORITY\\SYSTEM"}`,
		[]string{sigmaSeed}},
	{"4688 by SYSTEM", normalize.WinEvent, `{"Event": {
		"System": {"EventID": 4688, "Channel": "Security"},
		"EventData": {"SubjectUserSid": "S-1-5-18", "SubjectUserName": "WKSTN-042$",
			"NewProcessName": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
			"ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
			"CommandLine": "mofcomp.exe C:\\Users\\Public\\evil.mof"}}}`,
		[]string{sigmaSeed}},
	// The seed query's exclusion, SQL Server's setup compiling its own MOF
	// files; Elastic's newer query excludes other paths instead.
	{"flat Sysmon, SQL Server setup", normalize.Flat, `{
		"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
		"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
		"CommandLine": "mofcomp.exe D:\\SQLData\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\etwcls.mof",
		"ParentImage": "C:\\Program Files\\Microsoft SQL Server\\150\\Setup Bootstrap\\ScenarioEngine.exe",
		"User": "CORP\\sqladmin"}`,
		[]string{tomlSeed}},
	// Not a MOF file: no rule.
	{"flat Sysmon, no MOF", normalize.Flat, `{
		"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
		"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe", "CommandLine": "mofcomp.exe /?",
		"ParentImage": "C:\\Windows\\System32\\services.exe", "User": "CORP\\bob"}`,
		nil},
}

// TestSeedRules runs the seed rules, the EQL ones written for Elastic
// Defend's ECS events, over Sysmon and Security events in every format
// after Normalize; before it, the EQL rules match none of them.
func TestSeedRules(t *testing.T) {
	dir := filepath.Join(shared, "rules")
	rs := loadRules(t, filepath.Join(dir, "mofcomp_activity.eql"), filepath.Join(dir, "execution_mofcomp.toml"),
		filepath.Join(dir, "proc_creation_win_mofcomp_execution.yml"))
	for _, tt := range mofcompEvents {
		m := decode(t, tt.event)
		for _, id := range hits(rs, m) {
			if id != sigmaSeed {
				t.Errorf("%s: %s matches before normalization", tt.name, id)
			}
		}
		if got := normalize.Detect(m); got != tt.format {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.format)
		}
		normalize.Normalize(m, normalize.Auto)
		if got := hits(rs, m); !slices.Equal(got, tt.want) {
			t.Errorf("%s: after Normalize matches %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestSigmaRegression checks that normalization does not break Sigma: each
// rule of SigmaHQ's regression corpus still matches at least min_matches
// of its own recorded events after Normalize, and every event it matched
// before.
func TestSigmaRegression(t *testing.T) {
	root := filepath.Join(shared, "corpus", "sigma-regression")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", root)
	}
	cases := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(root, d.Name())
		rules, errs := ruleforge.Load(filepath.Join(dir, "rule.yml"))
		if len(errs) > 0 {
			t.Logf("%s: rule not loaded (not this package's concern): %v", d.Name(), errs[0])
			continue
		}
		rs, err := compile.Compile(rules)
		if err != nil {
			t.Logf("%s: rule not compiled: %v", d.Name(), err)
			continue
		}
		var expect struct {
			MinMatches int `json:"min_matches"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &expect); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		cases++
		n := 0
		for i, m := range decodeStream(t, filepath.Join(dir, "events.json")) {
			before := len(hits(rs, m)) > 0
			if f := normalize.Normalize(m, normalize.Auto); f != normalize.WinEvent {
				t.Errorf("%s: event %d read as %v", d.Name(), i+1, f)
			}
			after := len(hits(rs, m)) > 0
			if before && !after {
				t.Errorf("%s: event %d matched before Normalize, not after", d.Name(), i+1)
			}
			if after {
				n++
			}
		}
		if n < expect.MinMatches {
			t.Errorf("%s: %d events match after Normalize, want at least %d", d.Name(), n, expect.MinMatches)
		}
	}
	if cases == 0 {
		t.Fatal("no regression case loaded")
	}
	t.Logf("%d regression rules checked", cases)
}

// TestSigmaRegressionFlat runs the same check on the regression events
// rewritten as Flat events (system and event data fields at the top
// level), the shape of SigmaHQ's older test data and of many exporters.
func TestSigmaRegressionFlat(t *testing.T) {
	root := filepath.Join(shared, "corpus", "sigma-regression")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", root)
	}
	for _, d := range dirs {
		dir := filepath.Join(root, d.Name())
		rules, errs := ruleforge.Load(filepath.Join(dir, "rule.yml"))
		if len(errs) > 0 || !d.IsDir() {
			continue
		}
		rs, err := compile.Compile(rules)
		if err != nil {
			continue
		}
		for i, rec := range decodeStream(t, filepath.Join(dir, "events.json")) {
			m := flatten(rec)
			if m == nil {
				continue
			}
			before := len(hits(rs, m)) > 0
			if f := normalize.Normalize(m, normalize.Auto); f != normalize.Flat {
				t.Errorf("%s: event %d read as %v", d.Name(), i+1, f)
			}
			if after := len(hits(rs, m)) > 0; before != after {
				t.Errorf("%s: flat event %d matched %v before Normalize, %v after", d.Name(), i+1, before, after)
			}
		}
	}
}

// flatten rewrites a Windows event record with plain EventData as a Flat
// event, or returns nil.
func flatten(rec map[string]any) map[string]any {
	ev, _ := rec["Event"].(map[string]any)
	sys, _ := ev["System"].(map[string]any)
	data, _ := ev["EventData"].(map[string]any)
	if sys == nil || data == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range data {
		out[k] = v
	}
	for _, k := range []string{"EventID", "Channel", "Computer"} {
		if v, ok := sys[k]; ok {
			out[k] = v
		}
	}
	return out
}

// loadCorpus loads and compiles the rules of a corpus folder that compile
// on their own, or skips the test when the folder is absent.
func loadCorpus(t testing.TB, dir string) *match.Ruleset {
	t.Helper()
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", dir)
	}
	rules, _ := ruleforge.Load(dir) // rules that do not load are other packages' tests
	if rs, err := compile.Compile(rules); err == nil {
		return rs
	}
	var ok []*ir.Rule
	for _, r := range rules {
		if _, err := compile.Compile([]*ir.Rule{r}); err == nil {
			ok = append(ok, r)
		}
	}
	rs, err := compile.Compile(ok)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// regressionEvents returns the events of the Sigma regression corpus,
// named by folder and ordinal.
func regressionEvents(t *testing.T) (names []string, events []map[string]any) {
	t.Helper()
	root := filepath.Join(shared, "corpus", "sigma-regression")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("%s is absent: the shared corpus is not beside the repository", root)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		for i, m := range decodeStream(t, filepath.Join(root, d.Name(), "events.json")) {
			names = append(names, fmt.Sprintf("%s #%d", d.Name(), i+1))
			events = append(events, m)
		}
	}
	return names, events
}

// TestSigmaHQUnchanged runs all of SigmaHQ's rules over the regression
// events, as records and rewritten as Flat events: Normalize must not
// change a single match.
func TestSigmaHQUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("all SigmaHQ rules: skipped in short mode")
	}
	rs := loadCorpus(t, filepath.Join(shared, "corpus", "sigmahq", "rules"))
	names, events := regressionEvents(t)
	for _, asFlat := range []bool{false, true} {
		n := 0
		for i, m := range events {
			if asFlat {
				if m = flatten(clone(m)); m == nil {
					continue
				}
			} else {
				m = clone(m)
			}
			before := hits(rs, m)
			normalize.Normalize(m, normalize.Auto)
			if after := hits(rs, m); !slices.Equal(before, after) {
				t.Errorf("%s (flat %v): rules matching changed from %q to %q", names[i], asFlat, before, after)
			}
			n++
		}
		t.Logf("%d rules, %d events (flat %v)", rs.Len(), n, asFlat)
	}
}

// TestElasticRulesOnSysmon runs Elastic's EQL rules, written for ECS, over
// the regression events (recorded Sysmon and Windows events of attacks)
// after Normalize and compares the matches with
// testdata/elastic_on_sysmon.golden; before Normalize none match.
func TestElasticRulesOnSysmon(t *testing.T) {
	rs := loadCorpus(t, filepath.Join(shared, "corpus", "elastic", "rules"))
	names, events := regressionEvents(t)
	var out strings.Builder
	out.WriteString("# Elastic EQL rules matching the SigmaHQ regression events after normalize.Normalize\n")
	for i, m := range events {
		if before := hits(rs, m); len(before) > 0 {
			t.Errorf("%s: %q match before Normalize", names[i], before)
		}
		normalize.Normalize(m, normalize.Auto)
		for _, j := range rs.Match(match.NewDoc(m), nil) {
			fmt.Fprintf(&out, "%s: %s\n", names[i], rs.Rule(j).Title)
		}
	}
	golden := filepath.Join("testdata", "elastic_on_sysmon.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("matches differ from %s (go test -run ElasticRulesOnSysmon -update to rewrite):\n%s", golden, out.String())
	}
}
