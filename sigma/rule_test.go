package sigma

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestMetadata checks the rule's metadata and its ATT&CK ids.
func TestMetadata(t *testing.T) {
	src := `title: A title
id: 0e9bb2d7-0000-4000-8000-000000000001
description: What it finds.
author: A. Author, B. Author
references:
  - https://example.com/a
falsepositives:
  - Admin scripts
  - 42
level: HIGH
tags:
  - attack.execution
  - attack.t1218
  - attack.T1055.001
  - attack.t1218
  - attack.g0010
  - attack.s0002
  - attack.ta0002
  - attack.t12345
  - attack.g0010.001
  - cve.2021-44228
logsource:
  category: process_creation
  product: windows
detection:
  sel:
    Image: a
  condition: sel
`
	r, err := ParseRule("m.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &ir.Rule{
		Meta: ir.Meta{
			ID:          "0e9bb2d7-0000-4000-8000-000000000001",
			Title:       "A title",
			Description: "What it finds.",
			Severity:    "high",
			Tags: []string{"attack.execution", "attack.t1218", "attack.T1055.001", "attack.t1218",
				"attack.g0010", "attack.s0002", "attack.ta0002", "attack.t12345", "attack.g0010.001", "cve.2021-44228"},
			Attack:         []string{"T1218", "T1055.001", "G0010", "S0002"},
			Author:         []string{"A. Author, B. Author"},
			References:     []string{"https://example.com/a"},
			FalsePositives: []string{"Admin scripts", "42"},
			Tactics:        []ir.Tactic{{ID: "TA0002", Name: "Execution"}},
			Techniques:     []string{"T1218", "T1055.001"},
		},
		Lang:      ir.LangSigma,
		Source:    ir.Pos{File: "m.yml", Line: 25, Col: 1, Offset: strings.Index(src, "detection:")},
		Logsource: ir.Logsource{Category: "process_creation", Product: "windows"},
	}
	got := *r
	got.Expr = nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("got  %+v\nwant %+v", &got, want)
	}
}

// TestTactics checks the mapping of Sigma's ATT&CK tags to tactics and
// techniques (Sigma specification, appendix "Tags", namespace attack;
// tactic ids from attack.mitre.org/tactics/enterprise, ATT&CK v19).
func TestTactics(t *testing.T) {
	tests := []struct {
		tags       []string
		tactics    []ir.Tactic
		techniques []string
	}{
		{[]string{"attack.execution", "attack.t1047"}, []ir.Tactic{{ID: "TA0002", Name: "Execution"}}, []string{"T1047"}},
		{[]string{"attack.defense-evasion", "attack.t1055.001"}, []ir.Tactic{{ID: "TA0005", Name: "Defense Evasion"}}, []string{"T1055.001"}},
		{[]string{"attack.stealth", "attack.defense-impairment", "attack.t1685"},
			[]ir.Tactic{{ID: "TA0005", Name: "Stealth"}, {ID: "TA0112", Name: "Defense Impairment"}}, []string{"T1685"}},
		{[]string{"attack.privilege-escalation", "attack.privilege_escalation", " Attack.Privilege-Escalation "},
			[]ir.Tactic{{ID: "TA0004", Name: "Privilege Escalation"}}, nil},
		{[]string{"attack.reconnaissance", "attack.resource-development", "attack.initial-access"},
			[]ir.Tactic{{ID: "TA0043", Name: "Reconnaissance"}, {ID: "TA0042", Name: "Resource Development"}, {ID: "TA0001", Name: "Initial Access"}}, nil},
		{[]string{"attack.command-and-control", "attack.exfiltration", "attack.impact"},
			[]ir.Tactic{{ID: "TA0011", Name: "Command and Control"}, {ID: "TA0010", Name: "Exfiltration"}, {ID: "TA0040", Name: "Impact"}}, nil},
		// Groups, software, unknown tactics and other namespaces give neither.
		{[]string{"attack.g0010", "attack.s0002", "attack.foo", "attack.ta0002", "attack.t12345", "car.2016-04-002", "execution"}, nil, nil},
		{[]string{"attack.T1218.011", "attack.t1218.011", "attack.t1218"}, nil, []string{"T1218.011", "T1218"}},
	}
	for _, tt := range tests {
		if got := tacticsOf(tt.tags); !reflect.DeepEqual(got, tt.tactics) {
			t.Errorf("tacticsOf(%q) = %v, want %v", tt.tags, got, tt.tactics)
		}
		if got := techniqueIDs(tt.tags); !reflect.DeepEqual(got, tt.techniques) {
			t.Errorf("techniqueIDs(%q) = %q, want %q", tt.tags, got, tt.techniques)
		}
	}
}

// TestFields checks where a field is looked up, depending on its name and
// on the rule's log source.
func TestFields(t *testing.T) {
	tests := []struct {
		logsource, field, want string
	}{
		{"{category: process_creation, product: windows}", "Image",
			"Image | Event.EventData.Image | Event.UserData.#child.Image | Event.System.Image | process.executable | NewProcessName | Event.EventData.NewProcessName"},
		{"{category: process_creation, product: windows}", "ProcessId",
			"NewProcessId | Event.EventData.NewProcessId | ProcessId | Event.EventData.ProcessId | Event.UserData.#child.ProcessId | Event.System.ProcessId | process.pid"},
		{"{category: process_creation, product: windows}", "ParentProcessId",
			"ParentProcessId | Event.EventData.ParentProcessId | Event.UserData.#child.ParentProcessId | Event.System.ParentProcessId | process.parent.pid | ProcessId | Event.EventData.ProcessId"},
		{"{category: image_load, product: windows}", "ProcessId",
			"ProcessId | Event.EventData.ProcessId | Event.UserData.#child.ProcessId | Event.System.ProcessId | process.pid"},
		{"{category: process_creation, product: windows}", "OriginalFileName",
			"OriginalFileName | Event.EventData.OriginalFileName | Event.UserData.#child.OriginalFileName | Event.System.OriginalFileName | process.pe.original_file_name"},
		{"{category: image_load, product: windows}", "OriginalFileName",
			"OriginalFileName | Event.EventData.OriginalFileName | Event.UserData.#child.OriginalFileName | Event.System.OriginalFileName | file.pe.original_file_name"},
		{"{category: process_creation, product: windows}", "CommandLine",
			"CommandLine | Event.EventData.CommandLine | Event.UserData.#child.CommandLine | Event.System.CommandLine | process.command_line"},
		{"{service: powershell-classic, product: windows}", "CommandLine",
			"CommandLine | Event.EventData.CommandLine | Event.UserData.#child.CommandLine | Event.System.CommandLine | powershell.command.value"},
		{"{category: ps_script, product: windows}", "CommandLine",
			"CommandLine | Event.EventData.CommandLine | Event.UserData.#child.CommandLine | Event.System.CommandLine | winlog.event_data.CommandLine"},
		{"{category: process_creation, product: windows}", "IntegrityLevel",
			"IntegrityLevel | Event.EventData.IntegrityLevel | Event.UserData.#child.IntegrityLevel | Event.System.IntegrityLevel | winlog.event_data.IntegrityLevel"},
		{"{category: process_creation, product: windows}", "User",
			"User | Event.EventData.User | Event.UserData.#child.User | Event.System.User | user.name | SubjectUserName | Event.EventData.SubjectUserName"},
		{"{category: process_creation, product: windows}", "TargetFilename",
			"TargetFilename | Event.EventData.TargetFilename | Event.UserData.#child.TargetFilename | Event.System.TargetFilename | file.path"},
		{"{product: windows, service: system}", "Provider_Name",
			"Provider_Name | Event.EventData.Provider_Name | Event.UserData.LogFileCleared.Provider_Name | Event.UserData.#child.Provider_Name | Event.System.Provider_Name | Event.System.Provider.#attributes.Name | winlog.provider_name"},
		{"{product: windows, service: application}", "Provider_Name",
			"Provider_Name | Event.EventData.Provider_Name | Event.UserData.#child.Provider_Name | Event.System.Provider_Name | Event.System.Provider.#attributes.Name | winlog.provider_name"},
		{"{product: windows, service: system}", "Channel",
			"Channel | Event.EventData.Channel | Event.UserData.LogFileCleared.Channel | Event.UserData.#child.Channel | Event.System.Channel | winlog.channel"},
		{"{product: windows, service: application}", "Data",
			"Data | Event.EventData.Data.#text | Event.EventData.Data | Event.UserData.#child.Data | Event.System.Data | winlog.event_data.Data"},
		{"{product: windows, service: wmi}", "Operation",
			"Operation | Event.EventData.Operation | Event.UserData.Operation_ClientFailure.Operation | Event.UserData.Operation_StartedOperational.Operation | Event.UserData.Operation_EssStarted.Operation | Event.UserData.Operation_TemporaryEssStarted.Operation | Event.UserData.Operation_ESStoConsumerBinding.Operation | Event.UserData.#child.Operation | Event.System.Operation | winlog.event_data.Operation"},
		{"{product: windows, service: system}", "EventID",
			"EventID | Event.EventData.EventID | Event.UserData.LogFileCleared.EventID | Event.UserData.#child.EventID | Event.System.EventID.#text | Event.System.EventID | event.code"},
		{"{category: process_creation, product: linux}", "Image",
			"Image | Event.EventData.Image | Event.System.Image | process.executable"},
		{"{category: process_creation, product: linux}", "IntegrityLevel",
			"IntegrityLevel | Event.EventData.IntegrityLevel | Event.System.IntegrityLevel"},
		{"{category: process_creation, product: windows}", "process.name", "process.name"},
		{"{product: windows, service: windefend}", "SourceName",
			"SourceName | Event.EventData.SourceName | Event.EventData.Source Name | Event.UserData.#child.SourceName | Event.System.SourceName | winlog.event_data.SourceName"},
		{"{product: windows, service: windefend}", "ThreatID",
			"ThreatID | Event.EventData.ThreatID | Event.EventData.Threat ID | Event.UserData.#child.ThreatID | Event.System.ThreatID | winlog.event_data.ThreatID"},
		{"{category: antivirus}", "ProcessName",
			"ProcessName | Event.EventData.ProcessName | Event.EventData.Process Name | Event.System.ProcessName | process.executable"},
		{"{product: windows, service: windefend}", "Path",
			"Path | Event.EventData.Path | Event.UserData.#child.Path | Event.System.Path | winlog.event_data.Path"},
	}
	for _, tt := range tests {
		src := "logsource: " + tt.logsource + "\ndetection:\n  sel:\n    " + tt.field + ": x\n  condition: sel\n"
		r, err := ParseRule("f.yml", []byte(src), Routing(false))
		if err != nil {
			t.Errorf("%s in %s: %v", tt.field, tt.logsource, err)
			continue
		}
		f := r.Expr.Pred.Field
		if f.Name != tt.field {
			t.Errorf("%s in %s: name %q", tt.field, tt.logsource, f.Name)
		}
		if got := strings.Join(f.Lookup(), " | "); got != tt.want {
			t.Errorf("%s in %s:\ngot  %s\nwant %s", tt.field, tt.logsource, got, tt.want)
		}
	}
}

// TestSpaced checks how a CamelCase name is split into the words that
// Windows Defender's event data names hold.
func TestSpaced(t *testing.T) {
	tests := []struct{ name, want string }{
		{"SourceName", "Source Name"},
		{"ThreatName", "Threat Name"},
		{"DetectionID", "Detection ID"},
		{"AdditionalActionsID", "Additional Actions ID"},
		{"FWLink", "FW Link"},
		{"Unused2", "Unused2"},
		{"Path", "Path"},
		{"Provider_Name", "Provider_Name"},
		{"ID", "ID"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := spaced(tt.name); got != tt.want {
			t.Errorf("spaced(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestNoPanic feeds inputs that have made YAML decoders or sigma-go trip,
// and checks each gives a rule or an *ir.Error.
func TestNoPanic(t *testing.T) {
	for _, src := range []string{
		"detection: {condition: x, x: {a: *b}}",
		"detection:\n  x: &a [*a]\n  condition: x\n",
		"detection:\n  x:\n    a: !!binary '%%%'\n  condition: x\n",
		"detection:\n  x:\n    a: !!int x\n  condition: x\n",
		"detection:\n  x:\n    ? [a]\n    : b\n  condition: x\n",
		"detection:\n  ? [x]\n  : {a: b}\n  condition: x\n",
		"logsource: []\ndetection:\n  x: {a: b}\n  condition: x\n",
		"detection:\n  x: {a: b}\n  condition: " + strings.Repeat("(", 2000) + "x" + strings.Repeat(")", 2000) + "\n",
		"detection:\n  x: {a: b}\n  condition: " + strings.Repeat("not ", 1000) + "x\n",
		"\xef\xbb\xbfdetection:\n  x: {a: b}\n  condition: x\n",
		"detection:\n  x: {a: \"\\xff\"}\n  condition: x\n",
	} {
		r, err := ParseRule("p.yml", []byte(src))
		if err != nil {
			if _, ok := err.(*ir.Error); !ok {
				t.Errorf("%q: error %T is not an *ir.Error", src, err)
			}
			continue
		}
		if r.Expr == nil {
			t.Errorf("%q: nil expression", src)
		}
	}
}
