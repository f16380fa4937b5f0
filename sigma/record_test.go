package sigma_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// record reads a Windows event record of testdata/records (see its
// README.md) and returns it as JSON after reshape changes its decoded
// form (nil: as recorded).
func record(t *testing.T, name string, reshape func(ev map[string]any)) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "records", name))
	if err != nil {
		t.Fatal(err)
	}
	if reshape == nil {
		return string(data)
	}
	var ev map[string]any
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	reshape(ev)
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// eventData returns a decoded record's Event.EventData.
func eventData(ev map[string]any) map[string]any {
	return ev["Event"].(map[string]any)["EventData"].(map[string]any)
}

// The shapes evtx-to-JSON tools give unnamed <Data> elements.
var (
	// bareData writes Data as its text alone: "v" or ["v", …].
	bareData = func(ev map[string]any) {
		ed := eventData(ev)
		ed["Data"] = ed["Data"].(map[string]any)["#text"]
	}
	// dataObjects writes Data as [{"#text": "v"}, …].
	dataObjects = func(ev map[string]any) {
		ed := eventData(ev)
		var objs []any
		switch x := ed["Data"].(map[string]any)["#text"].(type) {
		case []any:
			for _, v := range x {
				objs = append(objs, map[string]any{"#text": v})
			}
		default:
			objs = append(objs, map[string]any{"#text": x})
		}
		ed["Data"] = objs
	}
)

// setPath returns a reshape that sets the value at a path of keys.
func setPath(v any, keys ...string) func(ev map[string]any) {
	return func(ev map[string]any) {
		m := ev
		for _, k := range keys[:len(keys)-1] {
			m = m[k].(map[string]any)
		}
		m[keys[len(keys)-1]] = v
	}
}

// TestRecordFields checks where Sigma fields are found in Windows records
// as recorded: unnamed Data in each of its JSON shapes, UserData, names
// with spaces, and the precedence of event data over system data. The
// rules are SigmaHQ's (DRL 1.1), their detections as written.
func TestRecordFields(t *testing.T) {
	const (
		application = "logsource:\n  product: windows\n  service: application\n"
		system      = "logsource:\n  product: windows\n  service: system\n"
		classic     = "logsource:\n  product: windows\n  category: ps_classic_start\n"
		windefend   = "logsource:\n  product: windows\n  service: windefend\n"
	)
	xpCmdshell := record(t, "mssql_15457_xp_cmdshell.json", nil)
	single := record(t, "mssql_33205_single_data.json", nil)
	classic400 := record(t, "powershell_classic_400.json", nil)
	cleared := record(t, "system_104_log_cleared.json", nil)
	importantLog := []string{"Microsoft-Windows-PowerShell/Operational", "Microsoft-Windows-Sysmon/Operational",
		"PowerShellCore/Operational", "Security", "System", "Windows PowerShell"}
	runMatchCases(t, []matchCase{
		{
			// win_mssql_xp_cmdshell_change.yml, "MSSQL XPCmdshell Option Change".
			name: "unnamed Data, #text array", logsrc: application, routing: true,
			det: `
  selection:
    Provider_Name|contains: 'MSSQL'
    EventID: 15457
    Data|contains: 'xp_cmdshell'
  condition: selection
`,
			match: []string{xpCmdshell, record(t, "mssql_15457_xp_cmdshell.json", bareData),
				record(t, "mssql_15457_xp_cmdshell.json", dataObjects)},
			no: []string{record(t, "mssql_15457_xp_cmdshell.json", func(ev map[string]any) {
				eventData(ev)["Data"] = map[string]any{"#text": []any{"show advanced options", "0", "1"}}
			})},
		},
		{
			// An MSSQL audit record holds one unnamed Data: {"#text": "…"}.
			name: "unnamed Data, #text string", logsrc: application, routing: true,
			det: `
  selection:
    Provider_Name|contains: 'MSSQL'
    EventID: 33205
    Data|contains: 'statement:RECONFIGURE'
  condition: selection
`,
			match: []string{single, record(t, "mssql_33205_single_data.json", bareData),
				record(t, "mssql_33205_single_data.json", dataObjects)},
			no: []string{record(t, "mssql_33205_single_data.json", setPath(map[string]any{"#text": "statement:SELECT 1"}, "Event", "EventData", "Data"))},
		},
		{
			// The filter of win_mssql_failed_logon_from_external_network.yml
			// must see the client address: a private one is filtered out.
			name: "unnamed Data in a filter", logsrc: application, routing: true,
			det: `
  selection:
    Provider_Name|contains: 'MSSQL'
    EventID: 18456
  filter_main_local_ips:
    Data|contains:
      - 'CLIENT: 10.'
      - 'CLIENT: 192.168.'
  condition: selection and not 1 of filter_main_*
`,
			match: []string{record(t, "mssql_15457_xp_cmdshell.json", func(ev map[string]any) {
				setPath(18456.0, "Event", "System", "EventID", "#text")(ev)
				eventData(ev)["Data"] = map[string]any{"#text": []any{"sa", "Reason: Password did not match", "[CLIENT: 203.0.113.9]"}}
			})},
			no: []string{record(t, "mssql_15457_xp_cmdshell.json", func(ev map[string]any) {
				setPath(18456.0, "Event", "System", "EventID", "#text")(ev)
				eventData(ev)["Data"] = map[string]any{"#text": []any{"sa", "Reason: Password did not match", "[CLIENT: 10.0.0.5]"}}
			})},
		},
		{
			// posh_pc_* rules read the classic PowerShell engine's Data.
			name: "classic PowerShell Data", logsrc: classic, routing: true,
			det: `
  selection:
    Data|contains: 'HostName=Default Host'
  condition: selection
`,
			match: []string{classic400, record(t, "powershell_classic_400.json", bareData)},
			no:    []string{record(t, "powershell_classic_400.json", setPath(map[string]any{"#text": []any{"Available", "None", "HostName=ConsoleHost"}}, "Event", "EventData", "Data"))},
		},
		{
			// win_system_susp_eventlog_cleared.yml, "Important Windows
			// Eventlog Cleared": Channel is the cleared log's, in UserData.
			name: "UserData before System", logsrc: system, routing: true,
			det: `
  selection:
    EventID: 104
    Provider_Name: 'Microsoft-Windows-Eventlog'
    Channel:
      - 'Microsoft-Windows-PowerShell/Operational'
      - 'Microsoft-Windows-Sysmon/Operational'
      - 'PowerShellCore/Operational'
      - 'Security'
      - 'System'
      - 'Windows PowerShell'
  condition: selection
`,
			match: []string{cleared, record(t, "system_104_log_cleared.json", setPath("Security", "Event", "UserData", "LogFileCleared", "Channel"))},
			no:    []string{record(t, "system_104_log_cleared.json", setPath("Microsoft-Windows-Bits-Client/Operational", "Event", "UserData", "LogFileCleared", "Channel"))},
		},
		{
			// win_system_eventlog_cleared.yml, "Eventlog Cleared": the
			// clears that the rule above does not cover.
			name: "UserData in a filter", logsrc: system, routing: true,
			det: `
  selection:
    EventID: 104
    Provider_Name: 'Microsoft-Windows-Eventlog'
  filter_main_covered:
    Channel:
` + yamlList(importantLog, "      ") + `
  condition: selection and not 1 of filter_main_*
`,
			match: []string{record(t, "system_104_log_cleared.json", setPath("Microsoft-Windows-Bits-Client/Operational", "Event", "UserData", "LogFileCleared", "Channel"))},
			no:    []string{cleared},
		},
		{
			// Defender writes "Old Value"; rules say OldValue.
			name: "names with spaces", logsrc: windefend, routing: true,
			det: `
  selection:
    EventID: 5007
    OldValue|contains: '\Exclusions\Paths\'
  condition: selection
`,
			match: []string{record(t, "defender_5007_new_value.json", nil)},
			no: []string{record(t, "defender_5007_new_value.json", func(ev map[string]any) {
				ed := eventData(ev)
				ed["Old Value"], ed["New Value"] = nil, ed["Old Value"]
			})},
		},
	})
}

// yamlList writes values as a YAML block list, each line indented.
func yamlList(values []string, indent string) string {
	s := ""
	for i, v := range values {
		if i > 0 {
			s += "\n"
		}
		s += indent + "- '" + v + "'"
	}
	return s
}
