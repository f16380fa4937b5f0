package sigma

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestCorrelationSpecTypes loads the example of each correlation type in
// the Sigma correlation rules specification v2.1 (section "Correlation
// Types", one subsection each) and compares its dump.
func TestCorrelationSpecTypes(t *testing.T) {
	tests := []struct{ section, src, want string }{
		{"Event Count (event_count)", `
title: Many failed logins
id: 0e95725d-7320-415d-80f7-004da920fc11
correlation:
    type: event_count
    rules:
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
    group-by:
        - ComputerName
    timespan: 1h
    condition:
        gte: 100
`, `correlation event_count "Many failed logins" id="0e95725d-7320-415d-80f7-004da920fc11" name="" severity=""
  rule 5638f7c0-ac70-491d-8465-2a65075e0d86
  group-by ComputerName
  timespan 1h0m0s
  condition gte: 100
`},
		{"Value Count (value_count)", `
title: Failed login
id: 0e95725d-7320-415d-80f7-004da920fc12
correlation:
    type: value_count
    rules:
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
    group-by:
        - ComputerName
        - WorkstationName
    timespan: 1d
    condition:
        field: User
        gte: 100
`, `correlation value_count "Failed login" id="0e95725d-7320-415d-80f7-004da920fc12" name="" severity=""
  rule 5638f7c0-ac70-491d-8465-2a65075e0d86
  group-by ComputerName, WorkstationName
  timespan 24h0m0s
  condition gte: 100
  field User
`},
		{"Temporal Proximity (temporal): the condition defaults to gte: the number of rules, as pySigma", `
title: Recon
correlation:
    type: temporal
    rules:
        - recon_cmd_a
        - recon_cmd_b
        - recon_cmd_c
    group-by:
        - ComputerName
        - User
    timespan: 5m
`, `correlation temporal "Recon" id="" name="" severity=""
  rule recon_cmd_a
  rule recon_cmd_b
  rule recon_cmd_c
  group-by ComputerName, User
  timespan 5m0s
  condition gte: 3
`},
		{"Ordered Temporal Proximity (temporal_ordered)", `
title: Brute force then success
correlation:
    type: temporal_ordered
    rules:
        - many_failed_logins
        - successful_login
    group-by:
        - User
    timespan: 1h
`, `correlation temporal_ordered "Brute force then success" id="" name="" severity=""
  rule many_failed_logins
  rule successful_login
  group-by User
  timespan 1h0m0s
  condition gte: 2
`},
		{"Value Sum (value_sum)", `
title: Possible Exfiltration to Website
correlation:
    type: value_sum
    rules:
        - website_access
    group-by:
        - SourceIP
        - User
    timespan: 1h
    condition:
        field: bytes_sent
        gt: 1000000
`, `correlation value_sum "Possible Exfiltration to Website" id="" name="" severity=""
  rule website_access
  group-by SourceIP, User
  timespan 1h0m0s
  condition gt: 1e+06
  field bytes_sent
`},
		{"Value Average (value_avg)", `
title: Suspicious average network traffic
correlation:
    type: value_avg
    rules: 
        - rule_a_id
    group-by:
        - SourceIP
        - User
    timespan: 24h
    condition:
        field: BytesOut
        gt: 500
`, `correlation value_avg "Suspicious average network traffic" id="" name="" severity=""
  rule rule_a_id
  group-by SourceIP, User
  timespan 24h0m0s
  condition gt: 500
  field BytesOut
`},
		{"Value Percentile (value_percentile)", `
title: A computer spawned a processes name in the last 24h than 1% of all the processes.
correlation:
    type: value_percentile
    rules: 
        - process_creation
    group-by:
        - ComputerName
    timespan: 24h
    condition:
        field: image
        lte: 1
`, `correlation value_percentile "A computer spawned a processes name in the last 24h than 1% of all the processes." id="" name="" severity=""
  rule process_creation
  group-by ComputerName
  timespan 24h0m0s
  condition lte: 1
  field image
`},
		{"Condition: a range with two keys; pySigma's percentile; generate inside correlation (pySigma)", `
title: range
level: High
correlation:
    type: value_percentile
    rules: [a]
    timespan: 90m
    generate: true
    condition:
        field: n
        percentile: 95
        gt: 100
        lte: 200
`, `correlation value_percentile "range" id="" name="" severity="high"
  rule a
  timespan 1h30m0s
  condition gt: 100, lte: 200
  field n
  percentile 95
  generate
`},
		{"Generate: at the top level (the specification's attribute list); every operator", `
title: ops
name: ops_rule
generate: false
correlation:
    type: event_count
    rules: a
    group-by: Host
    timespan: 2w
    condition: {gt: 1, gte: 2, lt: 10, lte: 9, eq: 5, neq: 6}
`, `correlation event_count "ops" id="" name="ops_rule" severity=""
  rule a
  group-by Host
  timespan 336h0m0s
  condition gt: 1, gte: 2, lt: 10, lte: 9, eq: 5, neq: 6
`},
	}
	for _, tt := range tests {
		f, err := ParseFile("c.yml", []byte(strings.TrimPrefix(tt.src, "\n")))
		if err != nil {
			t.Errorf("%s: %v", tt.section, err)
			continue
		}
		if len(f.Correlations) != 1 || len(f.Rules) != 0 {
			t.Errorf("%s: %d correlations, %d rules, want 1 and 0", tt.section, len(f.Correlations), len(f.Rules))
			continue
		}
		if got := f.Correlations[0].Dump(); got != tt.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tt.section, got, tt.want)
		}
	}
}

// TestCorrelationErrors checks the exact error, position included, of
// correlation rules that must not load.
func TestCorrelationErrors(t *testing.T) {
	head := "title: c\ncorrelation:\n"
	tests := []struct{ name, src, want string }{
		{"no type", head + "  rules: [a]\n  timespan: 1h\n", `c.yml:2:1: correlation has no type (expected one of event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile)`},
		{"unknown type", head + "  type: event_counts\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 1}\n", `c.yml:3:9: unknown correlation type "event_counts" (expected one of event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile)`},
		{"type is a list", head + "  type: [event_count]\n", `c.yml:3:9: unknown correlation type "" (expected one of event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile)`},
		{"no rules", head + "  type: event_count\n  timespan: 1h\n", `c.yml:2:1: correlation has no rules`},
		{"empty rules", head + "  type: event_count\n  rules: []\n", `c.yml:4:10: correlation rules is an empty list`},
		{"rule twice", head + "  type: event_count\n  rules: [a, a]\n", `c.yml:4:14: correlation rules: "a" is listed twice`},
		{"rule not a string", head + "  type: event_count\n  rules: [{a: 1}]\n", `c.yml:4:11: correlation rules: item is a YAML mapping, not a rule id or name`},
		{"temporal of one rule", head + "  type: temporal\n  rules: [a]\n  timespan: 1m\n", `c.yml:4:10: a temporal correlation needs at least two rules, not 1`},
		{"no timespan", head + "  type: event_count\n  rules: [a]\n  condition: {gte: 1}\n", `c.yml:2:1: correlation has no timespan`},
		{"timespan without unit", head + "  type: event_count\n  rules: [a]\n  timespan: 10\n", `c.yml:5:13: bad timespan "10": expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year`},
		{"timespan unknown unit", head + "  type: event_count\n  rules: [a]\n  timespan: 10ms\n", `c.yml:5:13: bad timespan "10ms": expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year`},
		{"timespan zero", head + "  type: event_count\n  rules: [a]\n  timespan: 0s\n", `c.yml:5:13: bad timespan "0s": expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year`},
		{"timespan over a year", head + "  type: event_count\n  rules: [a]\n  timespan: 367d\n", `c.yml:5:13: bad timespan "367d": expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year`},
		{"timespan huge", head + "  type: event_count\n  rules: [a]\n  timespan: 99999999999999999999s\n", `c.yml:5:13: bad timespan "99999999999999999999s": expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year`},
		{"no condition", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n", `c.yml:2:1: a event_count correlation needs a condition`},
		{"condition not a mapping", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: 5\n", `c.yml:6:14: correlation condition is a YAML scalar, not a mapping such as {gte: 10}`},
		{"condition without operator", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {}\n", `c.yml:6:14: correlation condition has no operator (expected gt, gte, lt, lte, eq or neq)`},
		{"unknown operator", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {ge: 1}\n", `c.yml:6:15: unknown condition key "ge" (expected gt, gte, lt, lte, eq, neq, field or percentile)`},
		{"operator not a number", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: ten}\n", `c.yml:6:20: condition gte: "ten" is not a number`},
		{"value_count without field", head + "  type: value_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2}\n", `c.yml:6:14: a value_count correlation needs a field in its condition`},
		{"value_sum without field", head + "  type: value_sum\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2}\n", `c.yml:6:14: a value_sum correlation needs a field in its condition`},
		{"value_avg of two fields", head + "  type: value_avg\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2, field: [x, y]}\n", `c.yml:6:23: a value_avg correlation reads one field, not 2`},
		{"field on event_count", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2, field: x}\n", `c.yml:6:23: condition field is for value_count, value_sum, value_avg and value_percentile, not event_count`},
		{"percentile on value_avg", head + "  type: value_avg\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2, field: x, percentile: 5}\n", `c.yml:6:33: condition percentile is for value_percentile, not value_avg`},
		{"percentile out of range", head + "  type: value_percentile\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 2, field: x, percentile: 101}\n", `c.yml:6:45: condition percentile "101" is not a whole number from 0 to 100`},
		{"group-by twice", head + "  type: event_count\n  rules: [a]\n  group-by: [h, h]\n", `c.yml:5:17: group-by: "h" is listed twice`},
		{"unknown key", head + "  type: event_count\n  rules: [a]\n  group_by: [h]\n", `c.yml:5:3: unknown key "group_by" in correlation (expected one of type, rules, group-by, timespan, condition, aliases, generate)`},
		{"alias of an unknown rule", head + "  type: temporal\n  rules: [a, b]\n  timespan: 1m\n  aliases:\n    ip:\n      c: source.ip\n", `c.yml:8:7: alias "ip" names rule "c", which is not one of the correlation's rules`},
		{"alias not a mapping", head + "  type: temporal\n  rules: [a, b]\n  timespan: 1m\n  aliases:\n    ip: source.ip\n", `c.yml:7:9: alias "ip" is a YAML scalar, not a mapping of rule names to fields`},
		{"generate not a boolean", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 1}\n  generate: yes\n", `c.yml:7:13: generate is "yes", not true or false`},
		{"generate twice, differing", "title: c\ngenerate: true\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 1}\n  generate: false\n", `c.yml:2:11: generate is true here and false at line 8`},
		{"no title", "correlation:\n  type: event_count\n", `c.yml:1:1: correlation rule has no title`},
		{"correlation with detection", head + "  type: event_count\ndetection: {}\n", `c.yml:4:1: a correlation rule has no detection`},
		{"correlation not a mapping", head + "  - a\n", `c.yml:3:3: correlation is a YAML list, not a mapping`},
		{"second document bad", "title: r\nname: r\ndetection:\n  sel: {A: 1}\n  condition: sel\n---\n" + head + "  type: event_count\n", `c.yml:8:1: correlation has no rules`},
		{"a filter among the documents", "title: r\nfilter: {}\n", `c.yml:2:1: filter rule: load it with ParseFilter`},
		{"name not a string", "title: r\nname: [a]\ndetection:\n  sel: {A: 1}\n  condition: sel\n", `c.yml:2:7: name is a YAML list, not a string`},
		{"event_count needs too many events", head + "  type: event_count\n  rules: [a]\n  timespan: 1h\n  condition: {gt: 1000000}\n", `c.yml:6:14: correlation condition needs 1000001 events per group; the limit is 1000000 (MaxGroupEvents)`},
		{"value_count needs too many values", head + "  type: value_count\n  rules: [a]\n  timespan: 1h\n  condition: {gte: 1e300, field: user}\n", `c.yml:6:14: correlation condition needs 2147483647 distinct values per group; the limit is 1000000 (MaxGroupEvents)`},
	}
	for _, tt := range tests {
		_, err := ParseFile("c.yml", []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got  %v\n want %s", tt.name, err, tt.want)
		}
	}
}

// TestCorrelationGolden loads each file of testdata/corr with ParseFile,
// resolves its correlations (Resolve) and compares the dump with
// <name>.golden; go test -update rewrites them.
func TestCorrelationGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corr", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no files in testdata/corr")
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := ParseFile(filepath.Base(path), src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		corrs, errs := Resolve(f.Rules, f.Correlations)
		var b strings.Builder
		for i, r := range f.Rules {
			b.WriteString(strings.Join([]string{"rule", strconv.Itoa(i), r.ID, r.Name, r.Title}, " | ") + "\n")
		}
		for i, c := range corrs {
			b.WriteString("#" + strconv.Itoa(i) + " " + c.Dump())
		}
		for _, err := range errs {
			b.WriteString("error: " + err.Error() + "\n")
		}
		golden := strings.TrimSuffix(path, ".yml") + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs (run go test -update to accept)\ngot:\n%s\nwant:\n%s", golden, b.String(), want)
		}
	}
}

// TestResolveErrors checks the load-time errors of references: a rule that
// does not exist, a name two rules share, a cycle, and a correlation over
// one that failed.
func TestResolveErrors(t *testing.T) {
	rule := func(id, name string) *ir.Rule { return &ir.Rule{Meta: ir.Meta{ID: id, Name: name, Title: name}} }
	corr := func(title, name string, refs ...string) *ir.Correlation {
		c := &ir.Correlation{Meta: ir.Meta{Title: title, Name: name}, Type: ir.CorrTemporal, Percentile: -1}
		for i, r := range refs {
			c.Rules = append(c.Rules, ir.CorrRef{Ref: r, Target: -1, Pos: ir.Pos{File: "c.yml", Line: 10 + i, Col: 7}})
		}
		return c
	}
	tests := []struct {
		name  string
		rules []*ir.Rule
		corrs []*ir.Correlation
		want  []string
		kept  int
	}{
		{"unknown", []*ir.Rule{rule("1", "a")}, []*ir.Correlation{corr("c", "", "a", "b")},
			[]string{`c.yml:11:7: correlation "c" refers to rule "b", which no loaded rule has as its id or name`}, 0},
		{"by id and by name", []*ir.Rule{rule("1", "a"), rule("2", "b")}, []*ir.Correlation{corr("c", "", "1", "b")}, nil, 1},
		{"ambiguous", []*ir.Rule{rule("1", "a"), rule("2", "a")}, []*ir.Correlation{corr("c", "", "a", "1")},
			[]string{`c.yml:10:7: correlation "c" refers to "a", which names 2 rules`}, 0},
		{"itself", []*ir.Rule{rule("1", "a")}, []*ir.Correlation{corr("c", "c", "a", "c")},
			[]string{`c.yml:11:7: correlation "c" refers to itself`}, 0},
		{"cycle", []*ir.Rule{rule("1", "a")}, []*ir.Correlation{corr("c", "c", "a", "d"), corr("d", "d", "a", "c")},
			[]string{`c.yml:11:7: correlation "c" refers to "d", which has errors`, `c.yml:11:7: correlation "d" refers to "c", which refers back to it`}, 0},
		{"over a bad one", []*ir.Rule{rule("1", "a")}, []*ir.Correlation{corr("c", "c", "a", "x"), corr("d", "d", "a", "c"), corr("e", "e", "a", "1")},
			[]string{`c.yml:11:7: correlation "c" refers to rule "x", which no loaded rule has as its id or name`, `c.yml:11:7: correlation "d" refers to "c", which has errors`}, 1},
	}
	for _, tt := range tests {
		kept, errs := Resolve(tt.rules, tt.corrs)
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || len(kept) != tt.kept {
			t.Errorf("%s: kept %d, errors:\n%s\nwant %d, errors:\n%s", tt.name, len(kept), strings.Join(got, "\n"), tt.kept, strings.Join(tt.want, "\n"))
		}
	}
}

// TestMaxGroupEvents checks the limit on what a correlation's condition
// needs one group to hold (MaxGroupEvents, WithMaxGroupEvents) at and
// around its bound: a group keeps that many events or distinct values
// (package correlate), so a condition needing more is a load-time error.
func TestMaxGroupEvents(t *testing.T) {
	tests := []struct {
		typ, cond string
		limit     int // 0: the default
		ok        bool
	}{
		{"event_count", "gte: 1000000", 0, true},
		{"event_count", "gte: 1000001", 0, false},
		{"event_count", "gt: 999999", 0, true},
		{"event_count", "gt: 999999.5", 0, true},
		{"event_count", "gt: 1000000.5", 0, false},
		{"event_count", "gte: 1000000.5", 0, false},
		{"event_count", "gte: 999999.5", 0, true},
		{"event_count", "eq: 1000000, neq: 1000000", 0, true}, // never holds: needs its lower bound
		{"event_count", "gte: 1000000, neq: 1000000", 0, false},
		{"event_count", "lte: 1e300", 0, true},         // holds at the first event
		{"value_sum", "gte: 1e300, field: n", 0, true}, // no count bounds a sum
		{"value_count", "gte: 10, field: user", 10, true},
		{"value_count", "gte: 11, field: user", 10, false},
		{"event_count", "gt: 9", 10, true},
		{"event_count", "gt: 10", 10, false},
	}
	for _, tt := range tests {
		src := fmt.Sprintf("title: c\ncorrelation:\n  type: %s\n  rules: [a]\n  timespan: 1h\n  condition: {%s}\n", tt.typ, tt.cond)
		_, err := ParseFile("c.yml", []byte(src), WithMaxGroupEvents(tt.limit))
		if (err == nil) != tt.ok {
			t.Errorf("%s {%s}, limit %d: error %v, want ok %v", tt.typ, tt.cond, tt.limit, err, tt.ok)
		}
	}
}

// TestCorrelationMetadata checks that a correlation rule keeps its own
// status, author, references, false positives and ATT&CK mapping.
func TestCorrelationMetadata(t *testing.T) {
	src := `title: Many failed logins
id: 0e95725d-7320-415d-80f7-004da920fc11
status: Experimental
author: A. Author
references:
    - https://example.com/a
falsepositives:
    - Password spraying tests
tags:
    - attack.credential-access
    - attack.t1110.003
correlation:
    type: event_count
    rules:
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
    timespan: 1h
    condition:
        gte: 100
`
	f, err := ParseFile("c.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Correlations[0]
	got := ir.Meta{
		Status:         c.Status,
		Author:         c.Author,
		References:     c.References,
		FalsePositives: c.FalsePositives,
		Tactics:        c.Tactics,
		Techniques:     c.Techniques,
		Attack:         c.Attack,
	}
	want := ir.Meta{
		Status:         "experimental",
		Author:         []string{"A. Author"},
		References:     []string{"https://example.com/a"},
		FalsePositives: []string{"Password spraying tests"},
		Tactics:        []ir.Tactic{{ID: "TA0006", Name: "Credential Access"}},
		Techniques:     []string{"T1110.003"},
		Attack:         []string{"T1110.003"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}
