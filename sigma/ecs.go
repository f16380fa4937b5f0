package sigma

import (
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"

	"github.com/ruleforge/ruleforge/ir"
)

// The ECS (Elastic Common Schema) locations of Sigma's Windows field names
// follow the ecs_windows processing pipeline of pySigma's Elasticsearch
// backend (SigmaHQ/pySigma-backend-elasticsearch,
// sigma/pipelines/elasticsearch/windows.py, "ECS Windows log mappings from
// Winlogbeat from version 7"): a field has the path its log source gives
// it (ecsByLogsource), else its fixed path (ecsFields), else, in a Windows
// rule, the Winlogbeat event data path winlog.event_data.<name>.

// ecsFields maps field names to their ECS path whatever the log source.
var ecsFields = map[string]string{
	"AccountDomain":       "user.domain",
	"AccountName":         "user.name",
	"Application":         "process.executable",
	"Archived":            "sysmon.file.archived",
	"Channel":             "winlog.channel",
	"ClientAddress":       "source.ip",
	"ClientName":          "source.domain",
	"CommandName":         "powershell.command.name",
	"CommandPath":         "powershell.command.path",
	"CommandType":         "powershell.command.type",
	"Computer":            "winlog.computer_name", // the record's System.Computer, as Winlogbeat keeps it (correlations group by it)
	"ComputerName":        "winlog.computer_name",
	"CurrentDirectory":    "process.working_directory",
	"DestAddress":         "destination.ip",
	"DestPort":            "destination.port",
	"Destination":         "process.executable",
	"DestinationHostname": "destination.domain",
	"DestinationIp":       "destination.ip",
	"DestinationPort":     "destination.port",
	"DestinationPortName": "network.protocol",
	"Device":              "file.path",
	"EventID":             "event.code",
	"FileName":            "file.path",
	"HostApplication":     "process.command_line",
	"HostId":              "process.entity_id",
	"HostName":            "process.title",
	"Image":               "process.executable",
	"ImageLoaded":         "file.path",
	"Imphash":             "file.pe.imphash",
	"IpAddress":           "source.ip",
	"IpPort":              "source.port",
	"IsExecutable":        "sysmon.file.is_executable",
	"MessageNumber":       "powershell.sequence",
	"MessageTotal":        "powershell.total",
	"NewEngineState":      "powershell.engine.new_state",
	"NewProcessId":        "process.pid",
	"NewProcessName":      "process.executable",
	"NewProviderState":    "powershell.provider.new_state",
	"ParentCommandLine":   "process.parent.command_line",
	"ParentImage":         "process.parent.executable",
	"ParentProcessGuid":   "process.parent.entity_id",
	"ParentProcessId":     "process.parent.pid",
	"ParentProcessName":   "process.parent.name",
	"Payload":             "powershell.file.script_block_text",
	"PipeName":            "file.name",
	"PipelineId":          "powershell.pipeline_id",
	"PreviousEngineState": "powershell.engine.previous_state",
	"ProcessGuid":         "process.entity_id",
	"ProcessId":           "process.pid",
	"ProcessName":         "process.executable",
	"ProviderName":        "powershell.provider.name",
	"Provider_Name":       "winlog.provider_name",
	"QueryName":           "dns.question.name",
	"QueryStatus":         "sysmon.dns.status",
	"RunspaceId":          "powershell.runspace_id",
	"ScriptBlockId":       "powershell.file.script_block_id",
	"ScriptBlockText":     "powershell.file.script_block_text",
	"ScriptName":          "file.path",
	"SequenceNumber":      "event.sequence",
	"SignatureStatus":     "file.code_signature.status",
	"Signed":              "file.code_signature.signed",
	"SourceAddress":       "source.ip",
	"SourceHostname":      "source.domain",
	"SourceImage":         "process.executable",
	"SourceIp":            "source.ip",
	"SourcePort":          "source.port",
	"SourceProcessGuid":   "process.entity_id",
	"SourceProcessId":     "process.pid",
	"SourceThreadId":      "process.thread.id",
	"TargetDomainName":    "user.domain",
	"TargetFilename":      "file.path",
	"TargetObject":        "registry.path",
	"User":                "user.name",
	"WorkstationName":     "source.domain",
}

// ecsVariant is the ECS path of a field in rules whose log source has a
// given category or service.
type ecsVariant struct {
	category, service string // one of them is set
	path              string
}

// ecsByLogsource maps field names to their ECS paths by log source. The
// pipeline names the category "image_loaded" for Signature; the Sigma
// category is "image_load", and both are listed.
var ecsByLogsource = map[string][]ecsVariant{
	"FileVersion": {
		{category: "process_creation", path: "process.pe.file_version"},
		{category: "image_load", path: "file.pe.file_version"},
	},
	"Description": {
		{category: "process_creation", path: "process.pe.description"},
		{category: "image_load", path: "file.pe.description"},
		{category: "sysmon_error", path: "winlog.event_data.Description"},
	},
	"Product": {
		{category: "process_creation", path: "process.pe.product"},
		{category: "image_load", path: "file.pe.product"},
	},
	"Company": {
		{category: "process_creation", path: "process.pe.company"},
		{category: "image_load", path: "file.pe.company"},
	},
	"OriginalFileName": {
		{category: "process_creation", path: "process.pe.original_file_name"},
		{category: "image_load", path: "file.pe.original_file_name"},
	},
	"CommandLine": {
		{category: "process_creation", path: "process.command_line"},
		{service: "security", path: "process.command_line"},
		{service: "powershell-classic", path: "powershell.command.value"},
	},
	"Protocol":  {{category: "network_connection", path: "network.transport"}},
	"Initiated": {{category: "network_connection", path: "network.direction"}},
	"Signature": {
		{category: "driver_loaded", path: "file.code_signature.subject_name"},
		{category: "image_load", path: "file.code_signature.subject_name"},
		{category: "image_loaded", path: "file.code_signature.subject_name"},
	},
	"EngineVersion":     {{service: "powershell-classic", path: "powershell.engine.version"}},
	"HostVersion":       {{service: "powershell-classic", path: "powershell.process.executable_version"}},
	"SubjectLogonId":    {{service: "security", path: "winlog.logon.id"}},
	"ServiceName":       {{service: "security", path: "service.name"}},
	"SubjectDomainName": {{service: "security", path: "user.domain"}},
	"SubjectUserName":   {{service: "security", path: "user.name"}},
	"SubjectUserSid":    {{service: "security", path: "user.id"}},
	"TargetLogonId":     {{service: "security", path: "winlog.logon.id"}},
}

// windowsPaths are locations of Windows event record data that are not
// Event.EventData.<name> or Event.System.<name>. Some renderings of the
// record put the event ID's text under "#text" next to its attributes.
var windowsPaths = map[string][]string{
	"Provider_Name": {"Event.System.Provider.#attributes.Name"},
}

// userData names, by log source service, the elements under which Windows
// event records of that service's channels keep their data
// (Event.UserData.<element>.<name>) instead of Event.EventData. The element
// is named by the event's manifest; these are the ones of the events the
// SigmaHQ rules of these services test and of the 558 recorded .evtx files
// of the shared corpus (every UserData element they hold). System and
// Security write LogFileCleared (events 104 and 1102): the cleared log's
// name is its Channel. Events normalized by package normalize need no
// table (userDataChild finds every provider's element); the table is for
// callers that match records as they are, without normalize.
var userData = map[string][]string{
	"wmi": {"Operation_ClientFailure", "Operation_StartedOperational", "Operation_EssStarted",
		"Operation_TemporaryEssStarted", "Operation_ESStoConsumerBinding"},
	"applocker": {"RuleAndFileData"},
	"printservice-operational": {"DocumentPrinted", "PrinterCreated", "PrinterDeleted", "PrinterDeletionPending",
		"PrinterSet", "PrinterSharing", "PrinterUnPaused", "DriverAdded", "DriverDeleted"},
	"printservice-admin":                       {"ChangingDefaultPrinter", "InitFailed", "LoadPluginFailed"},
	"terminalservices-localsessionmanager":     {"EventXML"},
	"terminalservices-remoteconnectionmanager": {"EventXML"},
	"system":                 {"LogFileCleared"},
	"security":               {"LogFileCleared"},
	"application-experience": {"CompatibilityFixEvent", "ResolverFiredEvent"},
	"capi2":                  {"CryptAcquireCertificatePrivateKey"},
}

// userDataChild is the prefix of the path at which Windows rules read a
// record's UserData element whatever its name: package normalize gives the
// one element of Event.UserData the alias Event.UserData.#child
// (normalize.UserDataChild; sigma does not import normalize), in decoded
// events (Normalize) and in records read from JSON text (Reader) alike.
const userDataChild = "Event.UserData.#child."

// auditFields maps the fields of process_creation rules to the names the
// Security log's event 4688 gives the same data, as pySigma's
// windows_audit_pipeline and SigmaHQ's test configuration map them. The
// 4688 names are tried after the Sysmon ones, except where 4688 uses the
// Sysmon name for other data: its ProcessId is the parent's, so the new
// process's NewProcessId comes first.
var auditFields = map[string]string{
	"Image":           "NewProcessName",
	"ParentImage":     "ParentProcessName",
	"User":            "SubjectUserName",
	"LogonId":         "SubjectLogonId",
	"ProcessId":       "NewProcessId",
	"ParentProcessId": "ProcessId",
}

// fieldFor returns the field a rule's field name reads. A name with a dot
// is a path already. Otherwise the paths are, in order: the name itself
// (top level of the event); the record's event data, Event.EventData.<name>
// (its unnamed Data elements at Data.#text first; Defender's names with
// spaces, spacedNames), Event.UserData.<element>.<name> (userData) and, in
// Windows rules, Event.UserData.#child.<name> (userDataChild); its
// system data, Event.System.<name> (windowsPaths); the ECS path (ecsPath);
// and in Windows process_creation rules the 4688 name (auditFields), flat
// and in the record. Event data comes before system data: System 104's
// UserData Channel is the cleared log, its System Channel always "System".
func fieldFor(name string, ls sigmago.Logsource) ir.Field {
	if strings.Contains(name, ".") {
		return ir.F(name)
	}
	paths := []string{name}
	if name == "Data" {
		// Unnamed <Data> elements: {"#text": v} or {"#text": [v, …]}
		// as evtx dumps write them, else a bare string or array.
		paths = append(paths, "Event.EventData.Data.#text")
	}
	paths = append(paths, "Event.EventData."+name)
	if sp := spaced(name); sp != name && spacedNames(ls) {
		paths = append(paths, "Event.EventData."+sp)
	}
	for _, e := range userData[strings.ToLower(ls.Service)] {
		paths = append(paths, "Event.UserData."+e+"."+name)
	}
	if strings.EqualFold(ls.Product, "windows") {
		paths = append(paths, userDataChild+name)
	}
	if name == "EventID" {
		// The #text form must come first: where it exists, the record's
		// EventID is an object, which would win as "present".
		paths = append(paths, "Event.System.EventID.#text")
	}
	paths = append(paths, "Event.System."+name)
	paths = append(paths, windowsPaths[name]...)
	if p := ecsPath(name, ls); p != "" {
		paths = append(paths, p)
	}
	if a, ok := auditFields[name]; ok && strings.EqualFold(ls.Category, "process_creation") && strings.EqualFold(ls.Product, "windows") {
		audit := []string{a, "Event.EventData." + a}
		if name == "ProcessId" {
			paths = append(audit, paths...)
		} else {
			paths = append(paths, audit...)
		}
	}
	return ir.Field{Name: name, Paths: paths}
}

// spacedNames reports whether the events of a log source name their event
// data with spaces between words: Windows Defender's (service windefend,
// category antivirus) write "Source Name", "Threat Name", "Process Name".
func spacedNames(ls sigmago.Logsource) bool {
	return strings.EqualFold(ls.Service, "windefend") || strings.EqualFold(ls.Category, "antivirus")
}

// spaced returns a field name written in CamelCase with a space between
// its words, as some providers name event data: Windows Defender writes
// "Source Name", "Threat Name" and "Process Name" where SigmaHQ rules say
// SourceName, ThreatName and ProcessName. A word starts at an upper-case
// letter that follows a lower-case letter or digit, or that starts a
// capitalised word after an acronym ("DetectionID" is "Detection ID",
// "FWLink" is "FW Link"). A name without such a boundary, or with a byte
// outside ASCII letters and digits, is returned as it is.
func spaced(name string) string {
	isUpper := func(c byte) bool { return 'A' <= c && c <= 'Z' }
	isLower := func(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isUpper(c) && !isLower(c) {
			return name
		}
		if i > 0 && isUpper(c) && (isLower(name[i-1]) || isUpper(name[i-1]) && i+1 < len(name) && isLower(name[i+1]) && !('0' <= name[i+1] && name[i+1] <= '9')) {
			b.WriteByte(' ')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ecsPath returns the ECS path of a field in a rule with log source ls, or
// "" when it has none.
func ecsPath(name string, ls sigmago.Logsource) string {
	for _, v := range ecsByLogsource[name] {
		if v.category != "" && v.category == ls.Category || v.service != "" && v.service == ls.Service {
			return v.path
		}
	}
	if p, ok := ecsFields[name]; ok {
		return p
	}
	if ls.Product == "windows" {
		return "winlog.event_data." + name
	}
	return ""
}
