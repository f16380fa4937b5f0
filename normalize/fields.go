package normalize

// field is an ECS field of the view: an index into fieldPaths. Every
// field the view writes is declared here or by newProcessPaths and
// newFilePaths, so that a reader of records knows them all in advance.
type field uint16

// fieldPaths holds each field's dotted path, in the order declared.
var fieldPaths []string

// newField declares the field at dotted path p.
func newField(p string) field {
	fieldPaths = append(fieldPaths, p)
	return field(len(fieldPaths) - 1)
}

// String returns the field's dotted path.
func (f field) String() string { return fieldPaths[f] }

// The fields of every Windows event.
var (
	hostOSType           = newField("host.os.type")
	hostOSFamily         = newField("host.os.family")
	hostName             = newField("host.name")
	eventKind            = newField("event.kind")
	eventCode            = newField("event.code")
	eventProvider        = newField("event.provider")
	eventModule          = newField("event.module")
	eventCategory        = newField("event.category")
	eventType            = newField("event.type")
	eventAction          = newField("event.action")
	winlogChannel        = newField("winlog.channel")
	winlogEventID        = newField("winlog.event_id")
	winlogComputerName   = newField("winlog.computer_name")
	winlogProviderName   = newField("winlog.provider_name")
	winlogRecordID       = newField("winlog.record_id")
	winlogUserIdentifier = newField("winlog.user.identifier")
	winlogProcessPID     = newField("winlog.process.pid")
	winlogThreadID       = newField("winlog.process.thread.id")
	winlogLogonID        = newField("winlog.logon.id")
	timestamp            = newField("@timestamp")
)

// The fields of processes, files, users, the network and the registry
// that are not per process or per file (see newProcessPaths and
// newFilePaths).
var (
	ruleName                = newField("rule.name")
	processEntityID         = newField("process.entity_id")
	processPID              = newField("process.pid")
	processThreadID         = newField("process.thread.id")
	processWorkingDirectory = newField("process.working_directory")
	parentEntityID          = newField("process.parent.entity_id")
	parentPID               = newField("process.parent.pid")
	filePath                = newField("file.path")
	fileName                = newField("file.name")
	fileDirectory           = newField("file.directory")
	fileExtension           = newField("file.extension")
	dllPath                 = newField("dll.path")
	dllName                 = newField("dll.name")
	userID                  = newField("user.id")
	userName                = newField("user.name")
	userDomain              = newField("user.domain")
	effectiveUserID         = newField("user.effective.id")
	effectiveUserName       = newField("user.effective.name")
	effectiveUserDomain     = newField("user.effective.domain")
	networkTransport        = newField("network.transport")
	networkProtocol         = newField("network.protocol")
	networkDirection        = newField("network.direction")
	networkType             = newField("network.type")
	sourceIP                = newField("source.ip")
	sourceDomain            = newField("source.domain")
	sourcePort              = newField("source.port")
	destinationIP           = newField("destination.ip")
	destinationDomain       = newField("destination.domain")
	destinationPort         = newField("destination.port")
	dnsQuestionName         = newField("dns.question.name")
	dnsResolvedIP           = newField("dns.resolved_ip")
	registryPath            = newField("registry.path")
	registryHive            = newField("registry.hive")
	registryKey             = newField("registry.key")
	registryValue           = newField("registry.value")
	registryDataStrings     = newField("registry.data.strings")
	registryDataType        = newField("registry.data.type")
)

// registryFields are the fields of a registry event.
var registryFields = []field{registryPath, registryHive, registryKey, registryValue, registryDataStrings, registryDataType}
