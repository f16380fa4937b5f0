package normalize

// name is an event data field, a system field or an attribute of a
// system element that the view reads: an index into nameTable. Every
// name the view reads is declared here, as every field it writes is in
// fields.go, so that a Reader finds where its record holds each one when
// it is made (readerSlots), not once an event.
type name uint16

// nameKind is what kind of name a name is.
type nameKind uint8

// The kinds of names.
const (
	dataName      nameKind = iota + 1 // an event data field
	systemName                        // a system field
	attributeName                     // an attribute of a system element
)

// nameEntry is a declared name: its kind and text, and for an attribute
// the element's name in text and the attribute's in attribute.
type nameEntry struct {
	kind            nameKind
	text, attribute string
}

// nameTable holds each name, in the order declared.
var nameTable []nameEntry

// declare declares a name.
func declare(e nameEntry) name {
	nameTable = append(nameTable, e)
	return name(len(nameTable) - 1)
}

// data declares event data field text.
func data(text string) name { return declare(nameEntry{kind: dataName, text: text}) }

// system declares system field text.
func system(text string) name { return declare(nameEntry{kind: systemName, text: text}) }

// attribute declares an attribute of system element element.
func attribute(element, attr string) name {
	return declare(nameEntry{kind: attributeName, text: element, attribute: attr})
}

// String returns the name as the event writes it; element.attribute for
// an attribute.
func (n name) String() string {
	if e := nameTable[n]; e.kind == attributeName {
		return e.text + "." + e.attribute
	}
	return nameTable[n].text
}

// The system fields and attributes of every Windows event.
var (
	sysEventID      = system("EventID")
	sysChannel      = system("Channel")
	sysComputer     = system("Computer")
	sysRecordID     = system("EventRecordID")
	sysProvider     = system("Provider")
	sysProviderName = system("Provider_Name") // Sigma's name for the provider's Name attribute
	providerName    = attribute("Provider", "Name")
	securityUserID  = attribute("Security", "UserID")
	executionPID    = attribute("Execution", "ProcessID")
	executionTID    = attribute("Execution", "ThreadID")
	systemTime      = attribute("TimeCreated", "SystemTime")
)

// The event data fields of Sysmon's events.
var (
	dRuleName            = data("RuleName")
	dProcessGUID         = data("ProcessGuid")
	dSourceProcessGUID   = data("SourceProcessGuid")
	dSourceProcessGUID2  = data("SourceProcessGUID") // in some event versions
	dProcessID           = data("ProcessId")
	dSourceProcessID     = data("SourceProcessId")
	dSourceThreadID      = data("SourceThreadId")
	dImage               = data("Image")
	dSourceImage         = data("SourceImage")
	dDestination         = data("Destination")
	dCommandLine         = data("CommandLine")
	dCurrentDirectory    = data("CurrentDirectory")
	dHashes              = data("Hashes")
	dHash                = data("Hash") // Hashes in some event versions
	dParentProcessGUID   = data("ParentProcessGuid")
	dParentProcessID     = data("ParentProcessId")
	dParentImage         = data("ParentImage")
	dParentCommandLine   = data("ParentCommandLine")
	dTargetFilename      = data("TargetFilename")
	dDevice              = data("Device")
	dImageLoaded         = data("ImageLoaded")
	dPipeName            = data("PipeName")
	dSignature           = data("Signature")
	dSignatureStatus     = data("SignatureStatus")
	dSigned              = data("Signed")
	dProtocol            = data("Protocol")
	dDestinationPortName = data("DestinationPortName")
	dSourcePortName      = data("SourcePortName")
	dSourceIP            = data("SourceIp")
	dSourceHostname      = data("SourceHostname")
	dSourcePort          = data("SourcePort")
	dDestinationIP       = data("DestinationIp")
	dDestinationHostname = data("DestinationHostname")
	dDestinationPort     = data("DestinationPort")
	dInitiated           = data("Initiated")
	dSourceIsIPv6        = data("SourceIsIpv6")
	dQueryName           = data("QueryName")
	dQueryResults        = data("QueryResults")
	dUser                = data("User")
	dTargetObject        = data("TargetObject")
	dDetails             = data("Details")
)

// peFields are the PE header fields Sysmon reports, in the order of
// filePaths.pe.
var peFields = [...]name{data("OriginalFileName"), data("Company"), data("Description"), data("FileVersion"), data("Product")}

// The event data fields of the Security log's event 4688.
var (
	dNewProcessID      = data("NewProcessId")
	dNewProcessName    = data("NewProcessName")
	dParentProcessName = data("ParentProcessName")
	dSubjectUserSid    = data("SubjectUserSid")
	dSubjectUserName   = data("SubjectUserName")
	dSubjectDomainName = data("SubjectDomainName")
	dSubjectLogonID    = data("SubjectLogonId")
	dTargetUserSid     = data("TargetUserSid")
	dTargetUserName    = data("TargetUserName")
	dTargetDomainName  = data("TargetDomainName")
)
