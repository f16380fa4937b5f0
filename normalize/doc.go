// Package normalize adds an ECS (Elastic Common Schema) view to Windows
// events so that both rule languages run on every event format: EQL rules,
// written for ECS, on Sysmon and Security log records, and Sigma rules,
// which read Windows field names first and ECS names after them (package
// sigma), on all of them.
//
//	rs, _ := compile.Compile(rules)
//	for each decoded event m (map[string]any):
//		normalize.Normalize(m, normalize.Auto)
//		hits = rs.Match(match.NewDoc(m), hits[:0])
//
// or, without decoding events into maps at all, from their JSON text:
//
//	rd := normalize.NewReader(rs, normalize.Auto) // one per goroutine
//	for each event's JSON text raw:
//		rec, err := rd.Read(raw)
//		hits = rs.MatchRecord(rec, hits[:0])
//
// or, from .evtx files, without JSON at all: for each record er of an
// evtx.Reader or evtx.Decoder, rec, err := rd.ReadEVTX(er).
//
// A Reader gives the same matches as Normalize on the decoded event: it
// reads the event into the ruleset's record in one pass, computes the
// view from the fields that pass found, and adds to the record the view's
// fields that some rule reads, and the objects that hold them where rules
// read those (see Reader). ReadEVTX gives a record
// what Read gives for the record's JSON (evtx.Record.AppendJSON), value
// for value: it walks the record's tree (evtx.Record.Walk) along the
// ruleset's paths (the record's hooks.Filler), and for a record read by
// an evtx plan, once per shape: the later records of the shape are filled
// by what the walk of the first did, from their values alone (fill
// programs, evtxprog.go; TestFillPrograms compares the two on the
// corpus), and get the view the shape's last record got when the values
// that view read came back (view traces, evtxview.go). TestEVTXDirect
// (internal/pipeline) checks it on the 18,270 records of the shared
// .evtx corpus with all SigmaHQ rules: the same hits, the same -explain
// reasons, the same values at every path the rules read.
//
// # Formats
//
// [Detect] tells an event's format by its shape, in the order Sigma's log
// source routing does:
//
//	format    shape                                         read from
//	WinEvent  "Event" holds a "System", "EventData" or       Event.System; Event.EventData, its Data
//	          "UserData" object: a Windows event record      array, the child of Event.UserData
//	          as JSON (evtx dumps, SigmaHQ's regression
//	          data)
//	Flat      "EventID" or "Channel" at the top level        the top level
//	ECS       anything else (Elastic Defend, Winlogbeat,     nothing: left as it is
//	          events of no known shape)
//
// [Normalize] with Auto detects each event's format; with Flat or WinEvent
// it reads the event as that format whatever its shape.
//
// # Reading records
//
// A WinEvent record is read where it is; nothing is copied to the top
// level (Sigma reads Event.EventData.X itself). System fields are
// Event.System's EventID, Channel, Computer, EventRecordID, the Name
// attribute of Provider (or Provider_Name), the UserID attribute of
// Security, the ProcessID and ThreadID attributes of Execution and the
// SystemTime attribute of TimeCreated. An element with attributes may be
// rendered {"#text": v, "#attributes": {…}}: its value is v; an object of
// attributes only is an empty element. An attribute a of an element is
// found at "#attributes".a, "@a" or a. Event data fields are looked up, the
// first found winning, in
//
//  1. the members of Event.EventData;
//  2. the elements of Event.EventData.Data, an array (or one object) of
//     {"@Name": k, "#text": v}, {"Name": k, "#text": v} or
//     {"#attributes": {"Name": k}, "#text": v}, as some exporters write
//     them; elements without a name or text are skipped;
//  3. the members of the one child object of Event.UserData (none when
//     UserData has several).
//
// That child object, named by the provider's manifest (LogFileCleared,
// CbsUpdateChangeState, …), is also given the alias [UserDataChild],
// Event.UserData.#child, where Sigma rules of product windows read UserData
// whatever the provider: Normalize adds the key "#child" to UserData (the
// same object, not a copy), and a Reader adds the values rules read under
// it to the record. UserData with several child objects, or with a key
// "#child" of its own, gets no alias.
//
// This is the order in which Sigma rules find a record's fields too (go
// doc ./sigma, Fields): event data, EventData before UserData, before
// system data. Unnamed Data elements ({"#text": v}, {"#text": [v, …]}, a
// bare value or list, as evtx-to-JSON tools write them) have no name and
// Windows Defender's data names have spaces ("Threat Name"); no ECS field
// of the view comes from them, so the view skips them, and Sigma rules
// read them where they are (Data, ThreatName). TestReaderSame reads real
// records of these shapes (../sigma/testdata/records) with every SigmaHQ
// and Elastic rule, through a Reader and through Normalize alike.
//
// A Flat event keeps system fields and event data at the top level, under
// the same names (the provider as Provider_Name, or Provider when it is
// text); it has no attributes, so no user identifier, execution or time.
//
// Values read as text are strings as they are, numbers in decimal and
// booleans as true and false. The empty string, "-" and Sysmon's zero GUID
// {00000000-0000-0000-0000-000000000000} are no value, as Winlogbeat drops
// them. Numbers (process IDs, ports) are read from JSON numbers or from
// text in decimal or in hexadecimal after 0x, and written as int64.
//
// # The view
//
// Fields are added as nested objects: {"process": {"name": …}}. Nothing
// the event holds is replaced, removed or hidden. A field is added only
// where the event has no value at its path and no value other than an
// object at any prefix of it, paths looked up as match.Map looks them up
// (nested objects, then keys holding dots): an event that has
// "process.name", or {"process": "x"}, keeps it and gets no
// process.name. Fields go into the objects the event already has, nested
// or under a dotted key, and missing objects are created nested. Among the
// sources of one field the first with a value wins. So a second Normalize
// adds nothing, and whatever read the event before reads the same values
// after. Arrays are []any of strings; numbers are int64.
//
// # Every Windows event
//
//	field                     value
//	host.os.type              "windows" (not for Sysmon for Linux: a
//	host.os.family            channel or provider starting "Linux-")
//	event.kind                "event"
//	event.code                EventID as text
//	winlog.event_id           EventID as text
//	event.provider            provider name
//	winlog.provider_name      provider name
//	winlog.channel            Channel
//	host.name                 Computer
//	winlog.computer_name      Computer
//	winlog.record_id          EventRecordID as text
//	winlog.user.identifier    System.Security's UserID (records only)
//	winlog.process.pid        System.Execution's ProcessID (records only)
//	winlog.process.thread.id  System.Execution's ThreadID (records only)
//	@timestamp                System.TimeCreated's SystemTime (records only)
//
// Then, by log, a Sysmon event (channel Microsoft-Windows-Sysmon/Operational
// or provider Microsoft-Windows-Sysmon) or a Security log event (channel
// Security or provider Microsoft-Windows-Security-Auditing) gets the fields
// below. An event of another log, or with neither channel nor provider,
// gets only those above.
//
// # Sysmon
//
// The mapping is Winlogbeat's Sysmon module
// (x-pack/winlogbeat/module/sysmon/ingest/sysmon.yml in elastic/beats),
// with the differences listed further down. event.module is "sysmon" and
// the categorization depends on the event ID:
//
//	ID   event.category          event.type                     event.action
//	1    process                 start                          Process creation
//	2    file                    change                         A process changed a file creation time
//	3    network                 start, connection, protocol    Network connection
//	4    process                 change                         Sysmon service state changed
//	5    process                 end                            Process terminated
//	6    driver                  start                          Driver loaded
//	7    process                 change                         Image loaded
//	8    process                 change                         CreateRemoteThread
//	9    process                 access                         RawAccessRead
//	10   process                 access                         ProcessAccess
//	11   file                    creation                       FileCreate
//	12   configuration, registry change                         RegistryEvent (Object create and delete)
//	13   configuration, registry change                         RegistryEvent (Value Set)
//	14   configuration, registry change                         RegistryEvent (Key and Value Rename)
//	15   file                    access                         FileCreateStreamHash
//	16   configuration           change                         ServiceConfigurationChange
//	17   file                    creation                       PipeEvent (Pipe Created)
//	18   file                    access                         PipeEvent (Pipe Connected)
//	19   process                 info                           WmiEvent (WmiEventFilter activity detected)
//	20   process                 change                         WmiEvent (WmiEventConsumer activity detected)
//	21   process                 access                         WmiEvent (WmiEventConsumerToFilter activity detected)
//	22   network                 connection, protocol, info     DNSEvent (DNS query)
//	23   file                    deletion                       FileDelete (File Delete archived)
//	24   (none)                  change                         ClipboardChange (New content in the clipboard)
//	25   process                 change                         ProcessTampering (Process image change)
//	26   file                    deletion                       FileDeleteDetected (File Delete logged)
//	27   file                    creation                       FileBlockExecutable
//	28   file                    deletion                       FileBlockShredding
//	29   file                    creation                       FileExecutableDetected
//	255  process                 (none)                         Error
//
// The event data fields map to ECS whatever the event ID, except where the
// events are named; "A, B" means the first of them that has a value:
//
//	field                           from
//	rule.name                       RuleName
//	process.entity_id               ProcessGuid, SourceProcessGuid, SourceProcessGUID
//	process.pid                     ProcessId, SourceProcessId (number)
//	process.thread.id               SourceThreadId (number)
//	process.executable              Image, SourceImage, Destination
//	process.name                    the file name of process.executable's source: what
//	                                follows its last \ or /, or all of it
//	process.command_line            CommandLine
//	process.args, args_count        CommandLine split by SplitCommandLine, and the count
//	process.working_directory       CurrentDirectory
//	process.pe.original_file_name   OriginalFileName   (not in event 7)
//	process.pe.company              Company            (not in event 7)
//	process.pe.description          Description        (not in event 7)
//	process.pe.file_version         FileVersion        (not in event 7)
//	process.pe.product              Product            (not in event 7)
//	process.hash.md5, sha1, sha256  Hashes (or Hash)   (events 1, 23, 24, 25, 26)
//	process.pe.imphash              Hashes' IMPHASH    (events 1, 23, 24, 25, 26)
//	process.parent.entity_id        ParentProcessGuid
//	process.parent.pid              ParentProcessId (number)
//	process.parent.executable       ParentImage
//	process.parent.name             ParentImage's file name
//	process.parent.command_line     ParentCommandLine
//	process.parent.args, args_count ParentCommandLine split, and the count
//	user.domain, user.name          User, written DOMAIN\name (nothing unless it has
//	                                exactly one backslash)
//	user.id                         S-1-5-18, -19, -20 when User is NT AUTHORITY\SYSTEM,
//	                                LOCAL SERVICE, NETWORK SERVICE (any case)
//	file.path                       TargetFilename, Device, ImageLoaded
//	file.name, file.directory       file.path's source after and before its last \
//	file.extension                  what follows the last . of file.name
//	file.name                       PipeName (when there is no path)
//	file.code_signature.subject_name Signature
//	file.code_signature.status      SignatureStatus
//	file.code_signature.valid       true when SignatureStatus is Valid
//	file.code_signature.signed      Signed: true or false
//	file.pe.*                       as process.pe.*    (event 7 only)
//	file.hash.*, file.pe.imphash    Hashes             (events 6, 7, 15, 29)
//	dll.path                        ImageLoaded        (event 7 only, and the dll.* below)
//	dll.name                        ImageLoaded's file name
//	dll.pe.*, dll.hash.*,           as file.pe.*, file.hash.*, file.pe.imphash and
//	dll.pe.imphash,                 file.code_signature.*
//	dll.code_signature.*
//	network.transport               Protocol, lower-cased
//	network.protocol                DestinationPortName, SourcePortName; "dns" in event 22
//	network.direction               Initiated: true egress, false ingress
//	network.type                    SourceIsIpv6: true ipv6, false ipv4
//	source.ip, destination.ip       SourceIp, DestinationIp (IP addresses only)
//	source.domain                   SourceHostname
//	destination.domain              DestinationHostname
//	source.port, destination.port   SourcePort, DestinationPort (number)
//	dns.question.name               QueryName
//	dns.resolved_ip                 the IP addresses among QueryResults' ;-separated
//	                                entries, IPv4-mapped ones as IPv4
//	registry.path                   TargetObject       (events 12, 13, 14)
//	registry.hive                   TargetObject's first element as HKLM, HKCU, HKU,
//	                                HKCR, HKCC, HKDD or HKPD, when it names a hive
//	registry.key                    TargetObject after the hive, when there is one
//	registry.value                  TargetObject's last element
//	registry.data.strings           [Details], with DWORD (0x…) and QWORD (0x…-0x…) as
//	                                decimal text
//	registry.data.type              SZ_DWORD, SZ_QWORD, REG_BINARY ("Binary Data") or
//	                                REG_SZ
//
// Hashes is "SHA1=…,MD5=…,SHA256=…,IMPHASH=…": the known kinds (MD5, SHA1,
// SHA256, IMPHASH) are taken, lower-cased; all-zero values are left out.
//
// # Security log
//
// Every Security log event gets event.module "security". Event 4688, "A new
// process has been created", is mapped as Winlogbeat's Security module maps
// it (x-pack/winlogbeat/module/security/ingest/security.yml):
//
//	field                      from
//	event.category, type       process, start
//	event.action               created-process
//	process.pid                NewProcessId (hexadecimal 0x1a2b, or a number)
//	process.executable         NewProcessName
//	process.name               NewProcessName's file name
//	process.command_line       CommandLine
//	process.args, args_count   CommandLine split by SplitCommandLine, and the count
//	process.parent.pid         ProcessId (hexadecimal)
//	process.parent.executable  ParentProcessName
//	process.parent.name        ParentProcessName's file name
//	user.id                    SubjectUserSid
//	user.name                  SubjectUserName
//	user.domain                SubjectDomainName
//	winlog.logon.id            SubjectLogonId
//	user.effective.id          TargetUserSid
//	user.effective.name        TargetUserName, up to an @
//	user.effective.domain      TargetDomainName
//
// # Decisions
//
// Where the first plan for this package (issue 6) and Winlogbeat differ,
// Winlogbeat is followed:
//
//   - Sysmon event 7 (image load) is event.category process, type change,
//     with the image at file.path, file.pe.*, file.hash.*: Elastic's own EQL
//     rules for Sysmon data test event.action "Image loaded" and file.name.
//     The dll.* fields Elastic Defend gives library loads are added as well.
//   - Sysmon events 12, 13, 14 are all event.type change, category
//     configuration and registry (not creation and deletion by event).
//   - Sysmon event 3 is event.type start, connection and protocol; event 22
//     connection, protocol and info with network.protocol dns.
//   - The import hash is process.pe.imphash (and file.pe.imphash), not
//     process.hash.imphash.
//   - In event 4688 user.name is SubjectUserName, the account that created
//     the process, always; the target account, when there is one, is
//     user.effective.*.
//
// And where this package differs from Winlogbeat:
//
//   - user.id is never System.Security's UserID, which Winlogbeat copies to
//     user.id: in Sysmon records it is the account Sysmon logs as, always
//     S-1-5-18, which would make every Sysmon event SYSTEM's to rules like
//     Elastic's "Mofcomp Activity" (not user.id : "S-1-5-18"). It stays at
//     winlog.user.identifier. Sysmon's User carries no SID, so user.id is
//     only given for the three well-known service accounts; in event 4688
//     it is SubjectUserSid, as in Winlogbeat.
//   - process.args of event 4688 are split by SplitCommandLine;
//     Winlogbeat splits them at blanks outside quotes and keeps the quotes.
//     SplitCommandLine also reads the program name by CommandLineToArgvW's
//     rule, which Winlogbeat's Sysmon splitter does not; both take "" inside
//     quotes as a quote that closes the quoted part.
//   - process.name is what follows the last \ or /, or the whole
//     executable; Winlogbeat's Sysmon module looks for \ only and gives no
//     name without one.
//   - file.extension is taken from the file name, not from the whole path.
//   - file.code_signature.signed is also set to false; a QWORD registry
//     value is high<<32 + low.
//   - related.*, dns.answers, sysmon.*, winlog.event_data.*, event.created
//     and the Security module's mapping of events other than 4688 are not
//     added.
//
// # Sigma
//
// Sigma rules look a field up at its Windows name (top level,
// Event.EventData, Event.System) before its ECS name, and the view only
// adds, so a Sigma rule reads the same value for every field the event
// has. A field the event lacks may now be found at its ECS name, as it is
// on Winlogbeat data through pySigma's mapping (a process_access rule's
// Image reads process.executable, that is SourceImage). The package's
// tests run all of SigmaHQ's rules over its regression events, as records
// and as Flat events, before and after Normalize: no match changes.
//
// Keyword searches do not see the view. The specification applies a list
// of keywords "to the full log message" (Sigma rules specification v2.0.0,
// Detection, Lists) and searches them "across an entire event" (Keywords
// search), as pySigma's matcher searches the raw event: the view is
// ruleforge's addition to the event, not the event as logged, and a
// keyword such as "start" or "windows" would otherwise match every event
// whose view holds event.type "start" or host.os.type "windows". A
// Reader's records give keyword searches the event's own values only (on
// the JSON and the .evtx path alike, and for the events it decodes and
// normalizes: see Reader), which also spares computing the view's fields
// that no rule reads by path. A map that Normalize filled holds the view's
// values like any other: a Walker over it (match.Map) visits them.
package normalize
