package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The same mofcomp abuse (mofcomp.exe, run from cmd.exe, compiling a .mof
// file in the user's Temp folder) in each event format the CLI reads.
const (
	ecsNested = `{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},` +
		`"process":{"name":"mofcomp.exe","executable":"C:\\Windows\\System32\\wbem\\mofcomp.exe",` +
		`"command_line":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof","args":["mofcomp.exe","C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"],` +
		`"parent":{"name":"cmd.exe","executable":"C:\\Windows\\System32\\cmd.exe"}},"user":{"id":"S-1-5-21-1-2-3-1001"}}`
	ecsDotted = `{"event.category":"process","event.type":"start","host.os.type":"windows",` +
		`"process.name":"mofcomp.exe","process.executable":"C:\\Windows\\System32\\wbem\\mofcomp.exe",` +
		`"process.command_line":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof","process.args":["mofcomp.exe","C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"],` +
		`"process.parent.name":"cmd.exe","process.parent.executable":"C:\\Windows\\System32\\cmd.exe","user.id":"S-1-5-21-1-2-3-1001"}`
	flatSysmon = `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Provider_Name":"Microsoft-Windows-Sysmon",` +
		`"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","OriginalFileName":"mofcomp.exe",` +
		`"CommandLine":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof","ParentImage":"C:\\Windows\\System32\\cmd.exe","User":"CORP\\bob"}`
	winEventSysmon = `{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,` +
		`"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws-1","Security":{"#attributes":{"UserID":"S-1-5-18"}}},` +
		`"EventData":{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","OriginalFileName":"mofcomp.exe",` +
		`"CommandLine":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof","ParentImage":"C:\\Windows\\System32\\cmd.exe","User":"CORP\\bob"}}}`
	winEventDataArray = `{"Event":{"System":{"Provider":{"@Name":"Microsoft-Windows-Sysmon"},"EventID":"1",` +
		`"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Data":[` +
		`{"@Name":"Image","#text":"C:\\Windows\\System32\\wbem\\mofcomp.exe"},` +
		`{"@Name":"CommandLine","#text":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"},` +
		`{"@Name":"ParentImage","#text":"C:\\Windows\\System32\\cmd.exe"},{"@Name":"User","#text":"CORP\\bob"}]}}}`
	security4688 = `{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing"}},"EventID":4688,` +
		`"Channel":"Security"},"EventData":{"SubjectUserSid":"S-1-5-21-1-2-3-1001","SubjectUserName":"bob",` +
		`"NewProcessName":"C:\\Windows\\System32\\wbem\\mofcomp.exe","CommandLine":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof",` +
		`"ParentProcessName":"C:\\Windows\\System32\\cmd.exe"}}}`
)

// TestMatchEveryFormat runs the three seed rules (EQL, Elastic TOML,
// Sigma) over the same attack in every event format, each event alone,
// pretty-printed, with -format auto and with the format named: every
// rule matches it. With -format ecs, Windows events are left as they are
// and only the Sigma rule, which reads Windows fields, matches them.
func TestMatchEveryFormat(t *testing.T) {
	all := []string{"mofcomp_activity", "210d4430-b371-470e-b879-80b7182aa75e", "1dd05363-104e-4b4a-b963-196a534b03a1"}
	sigmaOnly := all[2:]
	for _, tt := range []struct {
		name, event, format string
		want                []string
	}{
		{"ECS nested", ecsNested, "auto", all},
		{"ECS nested", ecsNested, "ecs", all},
		{"ECS dotted", ecsDotted, "auto", all},
		{"ECS dotted", ecsDotted, "ecs", all},
		{"flat Sysmon", flatSysmon, "auto", all},
		{"flat Sysmon", flatSysmon, "flat", all},
		{"flat Sysmon", flatSysmon, "ecs", sigmaOnly},
		{"Windows record", winEventSysmon, "auto", all},
		{"Windows record", winEventSysmon, "winevent", all},
		{"Windows record", winEventSysmon, "ecs", sigmaOnly},
		{"Windows record, Data array", winEventDataArray, "auto", all},
		{"Security 4688", security4688, "auto", all},
		{"Security 4688", security4688, "winevent", all},
	} {
		for _, pretty := range []bool{false, true} {
			input := tt.event + "\n"
			if pretty {
				var m any
				if err := json.Unmarshal([]byte(tt.event), &m); err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				b, _ := json.MarshalIndent(m, "", "  ")
				input = string(b) + "\n"
			}
			name := fmt.Sprintf("%s, -format %s, pretty %v", tt.name, tt.format, pretty)
			code, stdout, stderr := runCLI(input, "match", "-format", tt.format, "-rules", eqlRule, "-rules", tomlRule, "-rules", sigmaRule)
			if code != exitOK {
				t.Errorf("%s: exit %d: %s", name, code, stderr)
				continue
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
				var h hit
				if l == "" {
					continue
				}
				if err := json.Unmarshal([]byte(l), &h); err != nil || h.Event != 1 {
					t.Fatalf("%s: hit line %q: %v", name, l, err)
				}
				got = append(got, h.RuleID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: rules %q, want %q", name, got, tt.want)
			}
			if want := fmt.Sprintf("1 events, %d matched", min(len(tt.want), 1)); !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr %q, want %q", name, stderr, want)
			}
		}
	}
}
