package sigma_test

import (
	"testing"
)

// Events of each shape for the routing tests.
const (
	recordSysmon1  = `{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\a.exe","User":"CORP\\bob"}}}`
	recordSysmon11 = `{"Event":{"System":{"EventID":11,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\a.exe","TargetFilename":"C:\\x"}}}`
	record4688     = `{"Event":{"System":{"EventID":4688,"Channel":"Security"},"EventData":{"NewProcessName":"C:\\a.exe","ProcessId":"0x10","NewProcessId":"0x20","SubjectUserName":"bob"}}}`
	record4689     = `{"Event":{"System":{"EventID":4689,"Channel":"Security"},"EventData":{"ProcessName":"C:\\a.exe"}}}`
	recordTextID   = `{"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":0},"#text":1},"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\a.exe"}}}`
	flatSysmon1    = `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\a.exe"}`
	flatNoChannel  = `{"EventID":"1","Image":"C:\\a.exe"}`
	flatSysmon3    = `{"EventID":3,"Image":"C:\\a.exe"}`
	flatWrongChan  = `{"EventID":1,"Channel":"Security","Image":"C:\\a.exe"}`
	flat4688       = `{"EventID":4688,"Channel":"Security","NewProcessName":"C:\\a.exe"}`
	beatSysmon1    = `{"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational"},"event":{"code":"1","category":["process"]},"process":{"executable":"C:\\a.exe"}}`
	beatSysmon3    = `{"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational"},"event":{"code":"3","category":["network"]},"process":{"executable":"C:\\a.exe"}}`
	ecsStart       = `{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},"process":{"executable":"C:\\a.exe"}}`
	ecsNoOS        = `{"event":{"category":"process","type":"start"},"process":{"executable":"C:\\a.exe"}}`
	ecsEnd         = `{"event":{"category":["process"],"type":["end"]},"host":{"os":{"type":"windows"}},"process":{"executable":"C:\\a.exe"}}`
	ecsLinux       = `{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"linux"}},"process":{"executable":"C:\\a.exe"}}`
	ecsFile        = `{"event":{"category":["file"],"type":["creation"]},"host":{"os":{"type":"windows"}},"process":{"executable":"C:\\a.exe"}}`
	unknownShape   = `{"Image":"C:\\a.exe"}`
)

// TestRouting checks which events each log source routes a rule to.
func TestRouting(t *testing.T) {
	processCreation := "logsource:\n  category: process_creation\n  product: windows\n"
	image := `
  sel:
    Image|endswith: '\a.exe'
  condition: sel`
	runMatchCases(t, []matchCase{
		{name: "process_creation", routing: true, logsrc: processCreation, det: image,
			match: []string{recordSysmon1, record4688, recordTextID, flatSysmon1, flatNoChannel, flat4688, beatSysmon1, ecsStart, ecsNoOS, unknownShape},
			no:    []string{recordSysmon11, record4689, flatSysmon3, flatWrongChan, beatSysmon3, ecsEnd, ecsLinux, ecsFile}},
		{name: "routing off", routing: false, logsrc: processCreation, det: image,
			match: []string{recordSysmon1, recordSysmon11, flatSysmon3, flatWrongChan, beatSysmon3, ecsEnd, ecsLinux, ecsFile, unknownShape},
			no:    []string{record4689}},
		{name: "4688 field names", routing: true, logsrc: processCreation, det: `
  sel:
    Image|endswith: '\a.exe'
    User: bob
    ProcessId: '0x20'
    ParentProcessId: '0x10'
  condition: sel`,
			match: []string{record4688},
			no:    []string{recordSysmon1}},
		{name: "file_event", routing: true, logsrc: "logsource:\n  category: file_event\n  product: windows\n", det: image,
			match: []string{recordSysmon11, ecsFile, unknownShape},
			no:    []string{recordSysmon1, record4688, flatSysmon1, beatSysmon1, ecsStart}},
		{name: "service security", routing: true, logsrc: "logsource:\n  product: windows\n  service: security\n", det: `
  sel:
    EventID: [4688, 4689]
  condition: sel`,
			match: []string{record4688, record4689, flat4688, `{"EventID":4689}`, `{"winlog":{"channel":"Security"},"event":{"code":"4689"}}`},
			no: []string{`{"Event":{"System":{"EventID":4688,"Channel":"System"}}}`, `{"EventID":4688,"Channel":"System"}`, `{"winlog":{"channel":"System"},"event":{"code":"4689"}}`,
				`{"event":{"category":["iam"],"code":"4689"}}`}},
		{name: "service sysmon", routing: true, logsrc: "logsource:\n  product: windows\n  service: sysmon\n", det: image,
			match: []string{recordSysmon1, recordSysmon11, flatSysmon3, beatSysmon3, unknownShape},
			no:    []string{record4688, ecsStart, ecsFile}},
		{name: "service powershell", routing: true, logsrc: "logsource:\n  category: ps_script\n  product: windows\n", det: `
  sel:
    ScriptBlockText|contains: 'IEX'
  condition: sel`,
			match: []string{`{"Event":{"System":{"EventID":4104,"Channel":"PowerShellCore/Operational"},"EventData":{"ScriptBlockText":"iex x"}}}`,
				`{"Event":{"System":{"EventID":4104,"Channel":"Microsoft-Windows-PowerShell/Operational"},"EventData":{"ScriptBlockText":"iex x"}}}`},
			no: []string{`{"Event":{"System":{"EventID":4103,"Channel":"Microsoft-Windows-PowerShell/Operational"},"EventData":{"ScriptBlockText":"iex x"}}}`,
				`{"Event":{"System":{"EventID":4104,"Channel":"Windows PowerShell"},"EventData":{"ScriptBlockText":"iex x"}}}`,
				`{"event":{"category":["process"]},"powershell":{"file":{"script_block_text":"iex x"}}}`}},
		{name: "unknown windows service", routing: true, logsrc: "logsource:\n  product: windows\n  service: something-new\n", det: image,
			match: []string{recordSysmon1, recordSysmon11, flatSysmon3, beatSysmon3, ecsStart, unknownShape},
			no:    []string{ecsLinux}},
		{name: "linux", routing: true, logsrc: "logsource:\n  category: process_creation\n  product: linux\n", det: `
  sel:
    Image|endswith: '/a.exe'
  condition: sel`,
			match: []string{`{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"linux"}},"process":{"executable":"/a.exe"}}`, `{"Image":"/a.exe"}`},
			no: []string{`{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},"process":{"executable":"/a.exe"}}`,
				`{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"/a.exe"}}}`,
				`{"EventID":1,"Image":"/a.exe"}`}},
		{name: "cloud", routing: true, logsrc: "logsource:\n  product: aws\n  service: cloudtrail\n", det: `
  sel:
    eventName: ConsoleLogin
  condition: sel`,
			match: []string{`{"eventName":"ConsoleLogin"}`, `{"event":{"category":["authentication"]},"eventName":"ConsoleLogin"}`},
			no:    []string{`{"Event":{"System":{"EventID":1}},"eventName":"ConsoleLogin"}`, `{"winlog":{"channel":"x"},"eventName":"ConsoleLogin"}`}},
		{name: "antivirus", routing: true, logsrc: "logsource:\n  category: antivirus\n", det: `
  sel:
    Signature|contains: mimikatz
  condition: sel`,
			match: []string{`{"Event":{"System":{"EventID":1116,"Channel":"Microsoft-Windows-Windows Defender/Operational"},"EventData":{"Signature":"HackTool:Win32/Mimikatz"}}}`, `{"Signature":"Mimikatz"}`},
			no: []string{`{"Event":{"System":{"EventID":1117,"Channel":"Microsoft-Windows-Windows Defender/Operational"},"EventData":{"Signature":"HackTool:Win32/Mimikatz"}}}`,
				`{"event":{"category":["malware"]},"Signature":"Mimikatz"}`}},
		{name: "no logsource", routing: true, logsrc: "logsource: {}\n", det: image,
			match: []string{recordSysmon1, recordSysmon11, flatSysmon3, ecsEnd, unknownShape}},
		// SigmaHQ's "Publicly Accessible RDP Service" (zeek_rdp_public_listener.yml):
		// a rule made of a negation holds on an event without its field, so
		// it must see only events that are Zeek's or may be.
		{name: "zeek negation", routing: true, logsrc: "logsource:\n  product: zeek\n  service: rdp\n", det: zeekRDP,
			match: []string{`{"id.orig_h":"203.0.113.7","id.resp_p":3389}`, `{"id":{"orig_h":"203.0.113.7"}}`,
				`{"event":{"category":["network"],"module":"zeek"},"source":{"ip":"203.0.113.7"}}`,
				`{"event":{"category":["network"]},"id.orig_h":"203.0.113.7"}`,
				// The event names its log, and it is the rule's (rdp.log).
				`{"_path":"rdp","id.orig_h":"203.0.113.7"}`,
				`{"event":{"category":["network"],"module":"zeek","dataset":"zeek.rdp"},"source":{"ip":"203.0.113.7"}}`},
			no: []string{`{"message":"hello"}`, `{}`, `{"id.orig_h":"10.1.2.3"}`, ecsStart, ecsNoOS, ecsLinux, recordSysmon1, flatSysmon1, beatSysmon3,
				// Another Zeek log (conn.log): by _path (Zeek's JSON streaming
				// logs, Corelight) and by event.dataset (Filebeat's zeek module).
				`{"_path":"conn","id.orig_h":"203.0.113.7","id.resp_p":3389}`,
				`{"event":{"category":["network"],"module":"zeek","dataset":"zeek.connection"},"source":{"ip":"203.0.113.7"}}`,
				`{"event":{"category":["network"],"dataset":"zeek.dns"},"id.orig_h":"203.0.113.7"}`,
				`{"event":{"category":["network"],"module":"zeek"},"id.orig_h":"10.1.2.3"}`,
				`{"event":{"category":["network"],"module":"suricata"},"id.orig_h":"203.0.113.7"}`,
				`{"event":{"category":["network"]},"host":{"os":{"type":"windows"}},"id.orig_h":"203.0.113.7"}`}},
		{name: "windows negation", routing: true, logsrc: "logsource:\n  product: windows\n  service: something-new\n", det: `
  sel:
    Image|endswith: '\a.exe'
  condition: not sel`,
			match: []string{`{"Image":"C:\\b.exe"}`, `{"Event":{"System":{"EventID":1,"Channel":"x"}}}`, `{"EventID":5}`},
			no:    []string{`{"message":"hello"}`, unknownShape, ecsLinux}},
		{name: "no product, negation", routing: true, logsrc: "logsource:\n  category: proxy\n", det: `
  sel:
    c-uri|contains: '/admin'
  condition: not sel`,
			match: []string{`{"c-uri":"/index.html"}`, `{"event":{"category":["web"]},"c-uri":"/index.html"}`},
			no:    []string{`{"message":"hello"}`, `{"c-uri":"/admin/x"}`, ecsStart, recordSysmon1, flatSysmon1, `{"event":{"category":["web"]},"url":{"path":"/"}}`}},
		{name: "no logsource, negation", routing: true, logsrc: "logsource: {}\n", det: `
  sel:
    Image|endswith: '\a.exe'
  condition: not sel`,
			match: []string{`{"Image":"C:\\b.exe"}`, `{"Event":{"EventData":{"Image":"C:\\b.exe"}}}`},
			no:    []string{`{"message":"hello"}`, recordSysmon11, unknownShape}},
	})
}

// TestRoutingRecords routes real records of testdata/records: each reaches
// the rules of its own channel only, and no rule of another platform holds
// on it by negation.
func TestRoutingRecords(t *testing.T) {
	mssql := record(t, "mssql_15457_xp_cmdshell.json", nil)
	cleared := record(t, "system_104_log_cleared.json", nil)
	defender := record(t, "defender_5007_new_value.json", nil)
	classic := record(t, "powershell_classic_400.json", nil)
	notImage := `
  sel:
    Image|endswith: '\a.exe'
  condition: not sel`
	runMatchCases(t, []matchCase{
		{name: "application", routing: true, logsrc: "logsource:\n  product: windows\n  service: application\n", det: notImage,
			match: []string{mssql}, no: []string{cleared, defender, classic}},
		{name: "system", routing: true, logsrc: "logsource:\n  product: windows\n  service: system\n", det: notImage,
			match: []string{cleared}, no: []string{mssql, defender, classic}},
		{name: "windefend", routing: true, logsrc: "logsource:\n  product: windows\n  service: windefend\n", det: notImage,
			match: []string{defender}, no: []string{mssql, cleared, classic}},
		{name: "ps_classic_start", routing: true, logsrc: "logsource:\n  product: windows\n  category: ps_classic_start\n", det: notImage,
			match: []string{classic}, no: []string{mssql, cleared, defender}},
		{name: "process_creation", routing: true, logsrc: "logsource:\n  product: windows\n  category: process_creation\n", det: notImage,
			no: []string{mssql, cleared, defender, classic}},
		{name: "zeek", routing: true, logsrc: "logsource:\n  product: zeek\n  service: rdp\n", det: zeekRDP,
			no: []string{mssql, cleared, defender, classic}},
		{name: "linux", routing: true, logsrc: "logsource:\n  product: linux\n  category: process_creation\n", det: notImage,
			no: []string{mssql, cleared, defender, classic}},
	})
}

// zeekRDP is the detection of SigmaHQ's "Publicly Accessible RDP Service".
const zeekRDP = `
  selection:
    id.orig_h|cidr:
      - '::1/128'
      - '10.0.0.0/8'
      - '127.0.0.0/8'
      - '172.16.0.0/12'
      - '192.168.0.0/16'
      - '169.254.0.0/16'
      - '2620:83:8000::/48'
      - 'fc00::/7'
      - 'fe80::/10'
  condition: not selection`
