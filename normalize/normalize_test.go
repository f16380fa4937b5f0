package normalize_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// sysmonRecord returns a Windows event record of Sysmon event id with the
// given EventData members (JSON text without braces).
func sysmonRecord(id int, data string) string {
	return `{"Event": {"System": {
		"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon", "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},
		"EventID": ` + itoa(id) + `, "Channel": "Microsoft-Windows-Sysmon/Operational", "Computer": "WKSTN-042",
		"Security": {"#attributes": {"UserID": "S-1-5-18"}}},
		"EventData": {` + data + `}}}`
}

// flatSysmon returns a Flat event of Sysmon event id with the given
// members.
func flatSysmon(id int, data string) string {
	return `{"EventID": ` + itoa(id) + `, "Channel": "Microsoft-Windows-Sysmon/Operational", ` + data + `}`
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// mappingTests are events, the format Normalize reads them as, and fields
// of the view: path → the value's JSON, and paths that must stay absent.
var mappingTests = []struct {
	name   string
	format normalize.Format // the format to force; Auto detects
	event  string
	read   normalize.Format  // what Normalize returns
	want   map[string]string // as match.Map looks paths up
	absent []string
	top    map[string]string // top-level keys, exactly
}{
	// Every Windows event.
	{
		name: "windows: record system fields", read: normalize.WinEvent,
		event: `{"Event": {"System": {
			"Provider": {"#attributes": {"Name": "Microsoft-Windows-PowerShell"}},
			"EventID": {"#text": 4104, "#attributes": {"Qualifiers": ""}},
			"EventRecordID": 5314, "Channel": "Microsoft-Windows-PowerShell/Operational", "Computer": "WKSTN-042",
			"Execution": {"#attributes": {"ProcessID": 3092, "ThreadID": "22616"}},
			"Security": {"#attributes": {"UserID": "S-1-5-21-1-2-3-1013"}},
			"TimeCreated": {"#attributes": {"SystemTime": "2026-07-02T02:05:27.438557Z"}}},
			"EventData": {"ScriptBlockText": "Get-Process"}}}`,
		want: map[string]string{
			"host.os.type": `"windows"`, "host.os.family": `"windows"`, "host.name": `"WKSTN-042"`,
			"event.kind": `"event"`, "event.code": `"4104"`, "event.provider": `"Microsoft-Windows-PowerShell"`,
			"winlog.channel": `"Microsoft-Windows-PowerShell/Operational"`, "winlog.event_id": `"4104"`,
			"winlog.computer_name": `"WKSTN-042"`, "winlog.provider_name": `"Microsoft-Windows-PowerShell"`,
			"winlog.record_id": `"5314"`, "winlog.user.identifier": `"S-1-5-21-1-2-3-1013"`,
			"winlog.process.pid": `3092`, "winlog.process.thread.id": `22616`,
			"@timestamp": `"2026-07-02T02:05:27.438557Z"`,
		},
		absent: []string{"event.module", "event.category", "user.id"},
	},
	{
		name: "windows: flat system fields", read: normalize.Flat,
		event: `{"EventID": "4104", "Channel": "Microsoft-Windows-PowerShell/Operational", "Computer": "WKSTN-042",
			"Provider_Name": "Microsoft-Windows-PowerShell", "EventRecordID": 7}`,
		want: map[string]string{
			"host.os.type": `"windows"`, "event.code": `"4104"`, "winlog.event_id": `"4104"`,
			"winlog.channel": `"Microsoft-Windows-PowerShell/Operational"`, "host.name": `"WKSTN-042"`,
			"event.provider": `"Microsoft-Windows-PowerShell"`, "winlog.record_id": `"7"`,
		},
		absent: []string{"@timestamp", "winlog.process", "winlog.user"},
	},
	{
		name: "windows: provider as text, EventID as text", read: normalize.WinEvent,
		event: `{"Event": {"System": {"Provider_Name": "Microsoft-Windows-Sysmon", "EventID": "5"},
			"EventData": {"Image": "C:\\x\\a.exe"}}}`,
		want: map[string]string{"event.code": `"5"`, "event.provider": `"Microsoft-Windows-Sysmon"`,
			"event.type": `["end"]`, "process.name": `"a.exe"`},
	},
	{
		name: "windows: Sysmon for Linux", read: normalize.Flat,
		event:  `{"EventID": 1, "Channel": "Linux-Sysmon/Operational", "Image": "/usr/bin/id", "CommandLine": "id -u"}`,
		want:   map[string]string{"event.code": `"1"`, "winlog.channel": `"Linux-Sysmon/Operational"`},
		absent: []string{"host.os", "event.module", "event.category", "process"},
	},
	{
		name: "windows: flat without channel or provider", read: normalize.Flat,
		event:  `{"EventID": 1, "Image": "C:\\x\\a.exe"}`,
		want:   map[string]string{"event.code": `"1"`, "host.os.type": `"windows"`},
		absent: []string{"event.module", "event.category", "process"},
	},

	// Sysmon event 1, by field group.
	{
		name: "sysmon 1: categorization", read: normalize.WinEvent,
		event: sysmonRecord(1, `"RuleName": "technique_id=T1047", "Image": "C:\\x\\a.exe"`),
		want: map[string]string{"event.category": `["process"]`, "event.type": `["start"]`,
			"event.action": `"Process creation"`, "event.module": `"sysmon"`, "rule.name": `"technique_id=T1047"`},
	},
	{
		name: "sysmon 1: process", read: normalize.WinEvent,
		event: sysmonRecord(1, `"ProcessGuid": "{0197231E-4A83-694D-9E0E-000000000800}", "ProcessId": 14144,
			"Image": "C:\\Windows\\System32\\reg.exe", "CurrentDirectory": "C:\\WINDOWS\\system32\\",
			"CommandLine": "\"C:\\WINDOWS\\system32\\reg.exe\" add \"HKCU\\Software\\A B\" /v X /d 0 /f"`),
		want: map[string]string{
			"process.entity_id": `"{0197231E-4A83-694D-9E0E-000000000800}"`, "process.pid": `14144`,
			"process.executable": `"C:\\Windows\\System32\\reg.exe"`, "process.name": `"reg.exe"`,
			"process.working_directory": `"C:\\WINDOWS\\system32\\"`,
			"process.command_line":      `"\"C:\\WINDOWS\\system32\\reg.exe\" add \"HKCU\\Software\\A B\" /v X /d 0 /f"`,
			"process.args":              `["C:\\WINDOWS\\system32\\reg.exe","add","HKCU\\Software\\A B","/v","X","/d","0","/f"]`,
			"process.args_count":        `8`,
		},
	},
	{
		name: "sysmon 1: process name after a slash", read: normalize.Flat,
		event: flatSysmon(1, `"Image": "C:/tools/x.exe", "ProcessId": "42"`),
		want:  map[string]string{"process.name": `"x.exe"`, "process.pid": `42`},
	},
	{
		name: "sysmon 1: PE header", read: normalize.WinEvent,
		event: sysmonRecord(1, `"FileVersion": "10.0.26100.1", "Description": "Registry Console Tool",
			"Product": "Microsoft Windows", "Company": "Microsoft Corporation", "OriginalFileName": "reg.exe"`),
		want: map[string]string{
			"process.pe.original_file_name": `"reg.exe"`, "process.pe.description": `"Registry Console Tool"`,
			"process.pe.product": `"Microsoft Windows"`, "process.pe.company": `"Microsoft Corporation"`,
			"process.pe.file_version": `"10.0.26100.1"`,
		},
		absent: []string{"file.pe", "dll"},
	},
	{
		name: "sysmon 1: hashes", read: normalize.WinEvent,
		event: sysmonRecord(1, `"Hashes": "SHA1=AB12,MD5=573EB13AC2BA31E9C2E17FB6DAD14154, SHA256=E295E776 ,IMPHASH=00000000000000000000000000000000,CRC=1"`),
		want: map[string]string{"process.hash.sha1": `"ab12"`, "process.hash.md5": `"573eb13ac2ba31e9c2e17fb6dad14154"`,
			"process.hash.sha256": `"e295e776"`},
		absent: []string{"process.pe.imphash", "process.hash.imphash", "process.hash.crc", "file.hash"},
	},
	{
		name: "sysmon 1: imphash", read: normalize.Flat,
		event: flatSysmon(1, `"Hashes": "MD5=AA,IMPHASH=A26BCB048DF34CBB422F2656F38634D0"`),
		want:  map[string]string{"process.hash.md5": `"aa"`, "process.pe.imphash": `"a26bcb048df34cbb422f2656f38634d0"`},
	},
	{
		name: "sysmon 1: parent", read: normalize.WinEvent,
		event: sysmonRecord(1, `"ParentProcessGuid": "{0197231E-EC48-694C-AA0C-000000000800}", "ParentProcessId": "12456",
			"ParentImage": "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
			"ParentCommandLine": "powershell.exe -nop -c \"iex x\""`),
		want: map[string]string{
			"process.parent.entity_id":    `"{0197231E-EC48-694C-AA0C-000000000800}"`,
			"process.parent.pid":          `12456`,
			"process.parent.executable":   `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"`,
			"process.parent.name":         `"powershell.exe"`,
			"process.parent.command_line": `"powershell.exe -nop -c \"iex x\""`,
			"process.parent.args":         `["powershell.exe","-nop","-c","iex x"]`,
			"process.parent.args_count":   `4`,
		},
	},
	{
		name: "sysmon 1: user", read: normalize.WinEvent,
		event:  sysmonRecord(1, `"User": "CORP\\bob"`),
		want:   map[string]string{"user.domain": `"CORP"`, "user.name": `"bob"`},
		absent: []string{"user.id"},
	},
	{
		name: "sysmon 1: well-known user", read: normalize.Flat,
		event: flatSysmon(1, `"User": "NT AUTHORITY\\SYSTEM"`),
		want:  map[string]string{"user.domain": `"NT AUTHORITY"`, "user.name": `"SYSTEM"`, "user.id": `"S-1-5-18"`},
	},
	{
		name: "sysmon 1: user without a domain", read: normalize.Flat,
		event:  flatSysmon(1, `"User": "bob"`),
		absent: []string{"user"},
	},

	// Other Sysmon events.
	{
		name: "sysmon 5: process end", read: normalize.WinEvent,
		event: sysmonRecord(5, `"ProcessGuid": "{A}", "ProcessId": 7, "Image": "C:\\x\\a.exe"`),
		want: map[string]string{"event.category": `["process"]`, "event.type": `["end"]`,
			"event.action": `"Process terminated"`, "process.executable": `"C:\\x\\a.exe"`, "process.name": `"a.exe"`,
			"process.pid": `7`, "process.entity_id": `"{A}"`},
	},
	{
		name: "sysmon 3: network connection", read: normalize.WinEvent,
		event: sysmonRecord(3, `"Image": "C:\\x\\curl.exe", "ProcessId": 9, "User": "CORP\\bob", "Protocol": "TCP",
			"Initiated": "true", "SourceIsIpv6": "false", "SourceIp": "10.0.0.5", "SourceHostname": "wkstn-042.corp",
			"SourcePort": "49812", "SourcePortName": "-", "DestinationIsIpv6": "false", "DestinationIp": "192.0.2.7",
			"DestinationHostname": "-", "DestinationPort": 443, "DestinationPortName": "https"`),
		want: map[string]string{
			"event.category": `["network"]`, "event.type": `["start","connection","protocol"]`,
			"network.transport": `"tcp"`, "network.protocol": `"https"`, "network.direction": `"egress"`,
			"network.type": `"ipv4"`, "source.ip": `"10.0.0.5"`, "source.domain": `"wkstn-042.corp"`,
			"source.port": `49812`, "destination.ip": `"192.0.2.7"`, "destination.port": `443`,
			"process.name": `"curl.exe"`, "process.pid": `9`, "user.name": `"bob"`,
		},
		absent: []string{"destination.domain"},
	},
	{
		name: "sysmon 3: inbound IPv6, bad address", read: normalize.Flat,
		event: flatSysmon(3, `"Initiated": false, "SourceIsIpv6": true, "SourceIp": "fe80::1", "DestinationIp": "not an address",
			"SourcePortName": "netbios-ssn"`),
		want:   map[string]string{"network.direction": `"ingress"`, "network.type": `"ipv6"`, "source.ip": `"fe80::1"`, "network.protocol": `"netbios-ssn"`},
		absent: []string{"destination.ip"},
	},
	{
		name: "sysmon 7: image load", read: normalize.WinEvent,
		event: sysmonRecord(7, `"Image": "C:\\Temp\\sqlwriter.exe", "ImageLoaded": "C:\\Temp\\vcruntime140.dll",
			"FileVersion": "14.0", "Description": "C Runtime", "Product": "Visual Studio", "Company": "Microsoft",
			"OriginalFileName": "vcruntime140.dll", "Hashes": "MD5=AB,IMPHASH=CD", "Signed": "false",
			"Signature": "-", "SignatureStatus": "Unavailable"`),
		want: map[string]string{
			"event.category": `["process"]`, "event.type": `["change"]`, "event.action": `"Image loaded"`,
			"process.name": `"sqlwriter.exe"`,
			"file.path":    `"C:\\Temp\\vcruntime140.dll"`, "file.name": `"vcruntime140.dll"`,
			"file.directory": `"C:\\Temp"`, "file.extension": `"dll"`,
			"file.pe.original_file_name": `"vcruntime140.dll"`, "file.pe.company": `"Microsoft"`,
			"file.pe.description": `"C Runtime"`, "file.pe.product": `"Visual Studio"`, "file.pe.file_version": `"14.0"`,
			"file.hash.md5": `"ab"`, "file.pe.imphash": `"cd"`,
			"file.code_signature.signed": `false`, "file.code_signature.status": `"Unavailable"`,
			"dll.path": `"C:\\Temp\\vcruntime140.dll"`, "dll.name": `"vcruntime140.dll"`,
			"dll.pe.original_file_name": `"vcruntime140.dll"`, "dll.hash.md5": `"ab"`, "dll.pe.imphash": `"cd"`,
			"dll.code_signature.signed": `false`,
		},
		absent: []string{"process.pe", "process.hash", "file.code_signature.subject_name", "file.code_signature.valid"},
	},
	{
		name: "sysmon 6: driver load, valid signature", read: normalize.Flat,
		event: flatSysmon(6, `"ImageLoaded": "C:\\Windows\\x.sys", "Signed": "true", "Signature": "Microsoft Windows",
			"SignatureStatus": "Valid", "Hashes": "SHA256=EF"`),
		want: map[string]string{"event.category": `["driver"]`, "file.path": `"C:\\Windows\\x.sys"`,
			"file.code_signature.signed": `true`, "file.code_signature.valid": `true`,
			"file.code_signature.subject_name": `"Microsoft Windows"`, "file.hash.sha256": `"ef"`},
		absent: []string{"dll"},
	},
	{
		name: "sysmon 11: file create", read: normalize.WinEvent,
		event: sysmonRecord(11, `"Image": "C:\\x\\a.exe", "TargetFilename": "C:\\Users\\bob\\AppData\\report.pdf.exe"`),
		want: map[string]string{
			"event.category": `["file"]`, "event.type": `["creation"]`,
			"file.path": `"C:\\Users\\bob\\AppData\\report.pdf.exe"`, "file.name": `"report.pdf.exe"`,
			"file.directory": `"C:\\Users\\bob\\AppData"`, "file.extension": `"exe"`,
		},
	},
	{
		name: "sysmon 11: no extension in the name", read: normalize.Flat,
		event:  flatSysmon(11, `"TargetFilename": "C:\\dir.d\\README"`),
		want:   map[string]string{"file.name": `"README"`, "file.directory": `"C:\\dir.d"`},
		absent: []string{"file.extension"},
	},
	{
		name: "sysmon 17: pipe", read: normalize.Flat,
		event: flatSysmon(17, `"PipeName": "\\PSHost.1", "Image": "C:\\x\\a.exe"`),
		want:  map[string]string{"event.category": `["file"]`, "file.name": `"\\PSHost.1"`},
	},
	{
		name: "sysmon 12: registry key created", read: normalize.WinEvent,
		event: sysmonRecord(12, `"EventType": "CreateKey", "TargetObject": "HKLM\\System\\CurrentControlSet\\Services\\x"`),
		want: map[string]string{
			"event.category": `["configuration","registry"]`, "event.type": `["change"]`,
			"registry.path": `"HKLM\\System\\CurrentControlSet\\Services\\x"`, "registry.hive": `"HKLM"`,
			"registry.key": `"System\\CurrentControlSet\\Services\\x"`, "registry.value": `"x"`,
		},
		absent: []string{"registry.data"},
	},
	{
		name: "sysmon 13: registry DWORD set", read: normalize.WinEvent,
		event: sysmonRecord(13, `"TargetObject": "HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows Script\\Settings\\AmsiEnable",
			"Details": "DWORD (0x0000002a)"`),
		want: map[string]string{
			"registry.hive": `"HKU"`, "registry.value": `"AmsiEnable"`,
			"registry.key":          `"S-1-5-21-1\\Software\\Microsoft\\Windows Script\\Settings\\AmsiEnable"`,
			"registry.data.strings": `["42"]`, "registry.data.type": `"SZ_DWORD"`,
		},
	},
	{
		name: "sysmon 13: registry QWORD set", read: normalize.Flat,
		event: flatSysmon(13, `"TargetObject": "HKEY_LOCAL_MACHINE\\x\\v", "Details": "QWORD (0x00000001-0x00000002)"`),
		want: map[string]string{"registry.hive": `"HKLM"`, "registry.key": `"x\\v"`,
			"registry.data.strings": `["4294967298"]`, "registry.data.type": `"SZ_QWORD"`},
	},
	{
		name: "sysmon 13: registry string and binary", read: normalize.Flat,
		event: flatSysmon(13, `"TargetObject": "\\REGISTRY\\MACHINE\\x\\Run", "Details": "C:\\Temp\\evil.exe"`),
		want: map[string]string{"registry.value": `"Run"`, "registry.data.strings": `["C:\\Temp\\evil.exe"]`,
			"registry.data.type": `"REG_SZ"`},
		absent: []string{"registry.hive", "registry.key"},
	},
	{
		name: "sysmon 13: binary data", read: normalize.Flat,
		event: flatSysmon(13, `"TargetObject": "HKCU\\x", "Details": "Binary Data"`),
		want:  map[string]string{"registry.data.strings": `["Binary Data"]`, "registry.data.type": `"REG_BINARY"`},
	},
	{
		name: "sysmon 14: registry rename", read: normalize.Flat,
		event: flatSysmon(14, `"TargetObject": "HKCU\\Software\\a", "NewName": "HKCU\\Software\\b"`),
		want: map[string]string{"event.action": `"RegistryEvent (Key and Value Rename)"`,
			"registry.path": `"HKCU\\Software\\a"`, "registry.hive": `"HKCU"`},
	},
	{
		name: "sysmon 22: DNS query", read: normalize.WinEvent,
		event: sysmonRecord(22, `"Image": "C:\\x\\a.exe", "QueryName": "evil.example", "QueryStatus": "0",
			"QueryResults": "type:  5 cdn.example;::ffff:192.0.2.1;2001:db8::1;"`),
		want: map[string]string{
			"event.category": `["network"]`, "event.type": `["connection","protocol","info"]`,
			"dns.question.name": `"evil.example"`, "network.protocol": `"dns"`,
			"dns.resolved_ip": `["192.0.2.1","2001:db8::1"]`,
		},
	},
	{
		name: "sysmon 10: process access", read: normalize.WinEvent,
		event: sysmonRecord(10, `"SourceProcessGUID": "{S}", "SourceProcessId": "1200", "SourceThreadId": 1300,
			"SourceImage": "C:\\Temp\\mimikatz.exe", "TargetImage": "C:\\Windows\\system32\\lsass.exe", "GrantedAccess": "0x1010"`),
		want: map[string]string{"event.category": `["process"]`, "event.type": `["access"]`,
			"process.entity_id": `"{S}"`, "process.pid": `1200`, "process.thread.id": `1300`,
			"process.executable": `"C:\\Temp\\mimikatz.exe"`, "process.name": `"mimikatz.exe"`},
	},
	{
		name: "sysmon 255: error", read: normalize.Flat,
		event:  flatSysmon(255, `"ID": "x"`),
		want:   map[string]string{"event.category": `["process"]`, "event.action": `"Error"`},
		absent: []string{"event.type"},
	},

	// Security log.
	{
		name: "security 4688: hexadecimal process IDs", read: normalize.WinEvent,
		event: `{"Event": {"System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Security-Auditing"}},
			"EventID": 4688, "Channel": "Security", "Computer": "DC01"},
			"EventData": {"SubjectUserSid": "S-1-5-21-1-2-3-1013", "SubjectUserName": "bob", "SubjectDomainName": "CORP",
			"SubjectLogonId": "0x3e7", "NewProcessId": "0x1a2b", "NewProcessName": "C:\\Windows\\System32\\cmd.exe",
			"TokenElevationType": "%%1936", "ProcessId": "0x2A0", "CommandLine": "cmd.exe /c \"whoami /all\"",
			"TargetUserSid": "S-1-0-0", "TargetUserName": "-", "TargetDomainName": "-", "TargetLogonId": "0x0",
			"ParentProcessName": "C:\\Windows\\explorer.exe", "MandatoryLabel": "S-1-16-12288"}}}`,
		want: map[string]string{
			"event.category": `["process"]`, "event.type": `["start"]`, "event.action": `"created-process"`,
			"event.module": `"security"`, "process.pid": `6699`, "process.executable": `"C:\\Windows\\System32\\cmd.exe"`,
			"process.name": `"cmd.exe"`, "process.command_line": `"cmd.exe /c \"whoami /all\""`,
			"process.args": `["cmd.exe","/c","whoami /all"]`, "process.args_count": `3`,
			"process.parent.pid": `672`, "process.parent.executable": `"C:\\Windows\\explorer.exe"`,
			"process.parent.name": `"explorer.exe"`, "user.id": `"S-1-5-21-1-2-3-1013"`, "user.name": `"bob"`,
			"user.domain": `"CORP"`, "winlog.logon.id": `"0x3e7"`, "user.effective.id": `"S-1-0-0"`,
		},
		absent: []string{"user.effective.name", "user.effective.domain", "process.parent.command_line"},
	},
	{
		name: "security 4688: target user, decimal IDs", read: normalize.Flat,
		event: `{"EventID": 4688, "Channel": "Security", "NewProcessId": 6699, "ProcessId": "672",
			"NewProcessName": "C:\\x\\a.exe", "SubjectUserName": "WKSTN$", "TargetUserSid": "S-1-5-21-9",
			"TargetUserName": "alice@corp.example", "TargetDomainName": "CORP"}`,
		want: map[string]string{"process.pid": `6699`, "process.parent.pid": `672`, "user.name": `"WKSTN$"`,
			"user.effective.id": `"S-1-5-21-9"`, "user.effective.name": `"alice"`, "user.effective.domain": `"CORP"`},
	},
	{
		name: "security 4624: module only", read: normalize.WinEvent,
		event: `{"Event": {"System": {"EventID": 4624, "Channel": "Security"},
			"EventData": {"TargetUserName": "bob", "ProcessId": "0x2a0"}}}`,
		want:   map[string]string{"event.module": `"security"`, "event.code": `"4624"`},
		absent: []string{"event.category", "process", "user"},
	},

	// Reading records.
	{
		name: "record: #text values and attribute-only elements", read: normalize.WinEvent,
		event: sysmonRecord(1, `"Image": {"#text": "C:\\x\\a.exe", "#attributes": {"Type": "path"}},
			"ProcessId": {"#text": "77"}, "CommandLine": {"#attributes": {"Length": 0}}, "#attributes": {"Name": "x"}`),
		want:   map[string]string{"process.executable": `"C:\\x\\a.exe"`, "process.pid": `77`},
		absent: []string{"process.command_line", "process.args"},
	},
	{
		name: "record: Data array", read: normalize.WinEvent,
		event: `{"Event": {"System": {"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational"},
			"EventData": {"Data": [
				{"@Name": "Image", "#text": "C:\\x\\a.exe"},
				{"Name": "ProcessId", "#text": 5},
				{"#attributes": {"Name": "User"}, "#text": "CORP\\bob"},
				{"@Name": "Image", "#text": "C:\\x\\second.exe"},
				{"@Name": "CommandLine"},
				"unnamed"]}}}`,
		want:   map[string]string{"process.executable": `"C:\\x\\a.exe"`, "process.pid": `5`, "user.name": `"bob"`},
		absent: []string{"process.command_line"},
	},
	{
		name: "record: Data object", read: normalize.WinEvent,
		event: `{"Event": {"System": {"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational"},
			"EventData": {"Image": "C:\\x\\first.exe", "Data": {"@Name": "Image", "#text": "C:\\x\\second.exe"}}}}`,
		want: map[string]string{"process.executable": `"C:\\x\\first.exe"`},
	},
	{
		name: "record: UserData child", read: normalize.WinEvent,
		event: `{"Event": {"System": {"EventID": 4688, "Channel": "Security"},
			"UserData": {"#attributes": {"x": "y"}, "Process": {"NewProcessName": "C:\\x\\a.exe", "NewProcessId": "0x10"}}}}`,
		want: map[string]string{"process.executable": `"C:\\x\\a.exe"`, "process.pid": `16`},
	},
	{
		name: "record: UserData with two children", read: normalize.WinEvent,
		event: `{"Event": {"System": {"EventID": 4688, "Channel": "Security"},
			"UserData": {"A": {"NewProcessName": "C:\\x\\a.exe"}, "B": {"NewProcessName": "C:\\x\\b.exe"}}}}`,
		absent: []string{"process"},
	},
	{
		name: "record: no value", read: normalize.WinEvent,
		event: sysmonRecord(1, `"Image": "", "ProcessGuid": "{00000000-0000-0000-0000-000000000000}",
			"CommandLine": "-", "ProcessId": "", "ParentImage": null, "User": 5`),
		absent: []string{"process", "user"},
	},
	{
		name: "record: forced flat reads the top level", format: normalize.Flat, read: normalize.Flat,
		event:  sysmonRecord(1, `"Image": "C:\\x\\a.exe"`),
		want:   map[string]string{"host.os.type": `"windows"`},
		absent: []string{"process", "event.code"},
	},
	{
		name: "record: forced ECS", format: normalize.ECS, read: normalize.ECS,
		event:  sysmonRecord(1, `"Image": "C:\\x\\a.exe"`),
		absent: []string{"process", "host", "event"},
	},
	{
		name: "record: invalid format detects", format: 9, read: normalize.WinEvent,
		event: sysmonRecord(1, `"Image": "C:\\x\\a.exe"`),
		want:  map[string]string{"process.name": `"a.exe"`},
	},

	// What the event has stays.
	{
		name: "keep: existing fields", read: normalize.Flat,
		event: flatSysmon(1, `"Image": "C:\\x\\a.exe", "User": "CORP\\bob",
			"process": {"name": "kept.exe", "args": "kept"}, "host": {"os": {"type": "linux"}}, "event": {"category": "kept"}`),
		want: map[string]string{"process.name": `"kept.exe"`, "process.args": `"kept"`, "process.executable": `"C:\\x\\a.exe"`,
			"host.os.type": `"linux"`, "host.os.family": `"windows"`, "event.category": `"kept"`, "event.type": `["start"]`,
			"user.name": `"bob"`},
	},
	{
		name: "keep: dotted keys", read: normalize.Flat,
		event: flatSysmon(1, `"Image": "C:\\x\\a.exe", "process.name": "kept.exe", "host.os": {"type": "linux"}`),
		want: map[string]string{"process.name": `"kept.exe"`, "process.executable": `"C:\\x\\a.exe"`,
			"host.os.type": `"linux"`, "host.os.family": `"windows"`},
		top: map[string]string{"process.name": `"kept.exe"`, "host.os": `{"family":"windows","type":"linux"}`,
			"process": `{"executable":"C:\\x\\a.exe"}`},
	},
	{
		name: "record: dotted keys are not its fields", read: normalize.WinEvent,
		event: `{"Event": {"System": {"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational"},
			"EventData": {"CommandLine": "a.exe x"}, "EventData.Image": "C:\\x\\a.exe", "System.Computer": "WKSTN-042"},
			"Event.EventData.User": "CORP\\bob"}`,
		want:   map[string]string{"process.command_line": `"a.exe x"`, "event.type": `["start"]`},
		absent: []string{"process.executable", "process.name", "host.name", "user.name"},
	},
	{
		name: "ecs: a dotted key is no record's Event.System", read: normalize.ECS,
		event: `{"Event": {}, "Event.System": {"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational"},
			"Event.EventData": {"Image": "C:\\x\\a.exe"}}`,
		absent: []string{"host.os.type", "event.kind", "process.executable"},
	},
	{
		name: "keep: not an object on the way", read: normalize.Flat,
		event: flatSysmon(1, `"Image": "C:\\x\\a.exe", "User": "CORP\\bob", "Computer": "WKSTN-042",
			"process": "kept", "host": {"os": null}, "user": [{"name": "kept"}]`),
		want: map[string]string{"process": `"kept"`, "host.os": `null`, "host.name": `"WKSTN-042"`,
			"user": `[{"name":"kept"}]`, "event.type": `["start"]`},
		absent: []string{"host.os.type", "process.name", "user.domain"},
	},
}

// get returns the value at a path as rules read it.
func get(m map[string]any, path string) (any, bool) {
	return match.Map(m).Lookup(match.NewPath(path))
}

func TestNormalize(t *testing.T) {
	for _, tt := range mappingTests {
		m := decode(t, tt.event)
		orig := decode(t, tt.event)
		if got := normalize.Normalize(m, tt.format); got != tt.read {
			t.Errorf("%s: Normalize = %v, want %v", tt.name, got, tt.read)
		}
		for key, want := range tt.top {
			if got, _ := json.Marshal(m[key]); string(got) != want {
				t.Errorf("%s: key %q = %s, want %s", tt.name, key, got, want)
			}
		}
		for path, want := range tt.want {
			v, ok := get(m, path)
			if want == "" {
				if ok {
					t.Errorf("%s: %s = %v, want absent", tt.name, path, v)
				}
				continue
			}
			if !ok {
				t.Errorf("%s: %s absent, want %s", tt.name, path, want)
				continue
			}
			if got, _ := json.Marshal(v); string(got) != want {
				t.Errorf("%s: %s = %s, want %s", tt.name, path, got, want)
			}
		}
		for _, path := range tt.absent {
			if v, ok := get(m, path); ok {
				got, _ := json.Marshal(v)
				t.Errorf("%s: %s = %s, want absent", tt.name, path, got)
			}
		}
		if msg := contains(m, orig, ""); msg != "" {
			t.Errorf("%s: %s", tt.name, msg)
		}
		once := clone(m)
		if again := normalize.Normalize(m, tt.format); again != tt.read {
			t.Errorf("%s: Normalize again = %v, want %v", tt.name, again, tt.read)
		}
		if !reflect.DeepEqual(m, once) {
			t.Errorf("%s: normalizing again changed the event", tt.name)
		}
	}
}

// TestNormalizeECS checks that ECS events come back as they were.
func TestNormalizeECS(t *testing.T) {
	for _, event := range []string{
		`{"event": {"category": ["process"], "type": ["start"]}, "process": {"name": "mofcomp.exe", "args": ["mofcomp.exe", "x.mof"]}}`,
		`{"winlog": {"channel": "Microsoft-Windows-Sysmon/Operational", "event_id": "1", "event_data": {"Image": "C:\\x\\a.exe"}}}`,
		`{"process.name": "a.exe", "Image": "C:\\x\\a.exe"}`,
		`{}`,
	} {
		m, orig := decode(t, event), decode(t, event)
		if got := normalize.Normalize(m, normalize.Auto); got != normalize.ECS {
			t.Errorf("%s: Normalize = %v, want ecs", event, got)
		}
		if !reflect.DeepEqual(m, orig) {
			t.Errorf("%s: Normalize changed an ECS event", event)
		}
	}
	if got := normalize.Normalize(nil, normalize.Flat); got != normalize.Flat {
		t.Errorf("Normalize(nil, flat) = %v, want flat", got)
	}
}

// contains returns "" when every key of orig is in m with the same value,
// objects compared key by key (m may hold more), else what differs.
func contains(m, orig map[string]any, at string) string {
	for k, ov := range orig {
		v, ok := m[k]
		if !ok {
			return "removed " + at + k
		}
		if oo, isObj := ov.(map[string]any); isObj {
			o, isObj := v.(map[string]any)
			if !isObj {
				return "replaced object " + at + k
			}
			if msg := contains(o, oo, at+k+"."); msg != "" {
				return msg
			}
			continue
		}
		if !reflect.DeepEqual(v, ov) {
			return "changed " + at + k
		}
	}
	return ""
}

// clone returns a deep copy of decoded JSON.
func clone[T any](v T) T {
	var out any
	switch x := any(v).(type) {
	case map[string]any:
		o := make(map[string]any, len(x))
		for k, e := range x {
			o[k] = clone(e)
		}
		out = o
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = clone(e)
		}
		out = a
	default:
		return v
	}
	return out.(T)
}
