// Package sigma loads Sigma rules (YAML, Sigma specification v2) and lowers
// them to ruleforge's intermediate representation, package ir.
//
// [ParseRule] reads a rule's YAML node tree itself, checks its shape, and
// lets github.com/bradleyjkemp/sigma-go decode the metadata (title, id,
// level, tags, logsource) and each search's fields, modifiers and values.
// Everything else is done here: conditions, modifiers, values, fields and
// log source routing. [ParseFilter] loads filter rules, [ParseFile] files
// of several YAML documents and correlation rules.
//
// # Metadata
//
// A rule's title, id, description, level, status, author, references,
// falsepositives and tags go to the same-named fields of [ir.Meta], which
// [ir.Rule] and [ir.Correlation] embed (level to Severity, author as one
// element of Author); a detection rule's logsource to ir.Rule.Logsource.
// The ATT&CK tags (specification appendix "Tags", namespace attack) give
// Meta.Techniques (attack.t1047 → T1047, attack.t1055.001 →
// T1055.001) and Meta.Tactics through a table of the Enterprise
// tactics: attack.execution → {TA0002, Execution}. The table knows the
// ATT&CK v19 names SigmaHQ uses (attack.stealth is TA0005 Stealth,
// attack.defense-impairment TA0112 Defense Impairment) and the older
// attack.defense-evasion (TA0005 Defense Evasion); underscores read as
// hyphens. A tactic tag the table does not know (attack.foo) gives no
// tactic and no error: it stays in Tags only. Group and software tags
// (attack.g0010, attack.s0002) go to Attack with the technique ids.
//
// # Why conditions are parsed here
//
// sigma-go's condition grammar rejects valid Sigma that SigmaHQ writes or
// the specification allows: "any of", upper-case AND/OR/NOT, search names
// with "-" or ".", and name patterns whose first run of letters is not
// followed by "*" (selection_1_*, *_sel); it reports errors without a
// usable position. Its evaluator is not used either: it treats "*" and "?"
// as text, keeps the backslash of escapes, expands "%name%" values without
// being asked, and rejects what it cannot do only when a rule is first
// matched. So sigma-go never sees a condition: each search is decoded on
// its own (sigma.Search's UnmarshalYAML on the search's node) and the
// conditions are parsed by condition.go, a small recursive-descent parser
// that reports the byte of the condition where it fails, mapped back to
// its line and column in the YAML (quotes, escapes and folded lines
// followed).
//
// # Searches
//
// A search that is a mapping is the AND of its fields; a list of mappings
// is the OR of the mappings. A field with a list of values matches any of
// them (one [ir.Pred] holding all the values of a kind), all of them with
// the all modifier.
//
// A search that is a list of plain values is a keyword search: each
// keyword is searched for as a substring (wildcards allowed) of every
// value of the event, at any depth, object keys excluded
// ([ir.AnyField]); the keywords are ORed. This follows the specification
// ("searching for keywords across an entire event") and pySigma's own
// matcher (sigma/matching, which searches keywords as substrings of the raw
// event). Numbers and booleans are searched as their text; null is an
// error. The values are the event's as logged: the ECS view that package
// normalize gives Windows events (process.name, event.type, …) is read
// by field names only, never by keywords. A mapping key with modifiers but no field name ('|all',
// '|contains', '|re') applies them to keywords.
//
// # Modifiers
//
// Every modifier of the specification v2 (and pySigma's long names of the
// regular expression flags). They run left to right on each value, as in
// pySigma, so SigmaHQ's contains|windash, base64offset|contains,
// contains|all|windash and re|i all work; a chain that pySigma rejects is
// an error (re, cidr, lt…, exists must come before modifiers that change
// the value; base64 does not take wildcards, so contains|base64 is an
// error and base64|contains is not).
//
//	modifier      meaning                                        ir
//	(none)        the value matches the whole field              CmpGlob; numbers and booleans CmpEqual
//	contains      the value matches part of the field            CmpContains
//	startswith    the value matches the start of the field       CmpPrefix
//	endswith      the value matches the end of the field         CmpSuffix
//	all           every value matches, not any one               AND of the values' predicates
//	neq           the field matches none of the values           (not …)
//	exists        true: the field is present; false: absent      CmpExists, (not CmpExists)
//	cased         compare case-sensitively                       CaseSensitive
//	re            RE2 regular expression, unanchored search,     CmpRegex, CaseSensitive
//	              case-sensitive as Sigma says
//	re|i          … ignoring case                                CmpRegex
//	re|m, re|s    multi-line (^ $ at line ends), dot matches     (?m), (?s) in the source
//	              newline (also multiline, dotall, ignorecase)
//	re|startswith anchored: ^(?:re), (?:re)$; re|contains is re  CmpRegex
//	re|endswith
//	base64        the value's base64 encoding                    case-sensitive pattern
//	base64offset  the three encodings of the value at byte       three case-sensitive patterns
//	              offsets 0, 1, 2 inside a longer text, cut as
//	              pySigma cuts them (use with contains)
//	utf16le, wide the value in UTF-16LE (then usually base64)    pattern of raw bytes
//	utf16be       the value in UTF-16BE
//	utf16         byte order mark FF FE, then UTF-16LE
//	windash       each "-" or "/" that starts a flag (not after   one pattern per variant
//	              a letter or digit, before one) as "-", "/",
//	              "–" (en dash), "—" (em dash), "―" (horizontal
//	              bar): every combination
//	cidr          IPv4 or IPv6 range or single address           CmpCIDR
//	lt, lte,      numeric comparison with a number (a string     CmpLT, CmpLE, CmpGT, CmpGE
//	gt, gte       that spells one is taken), exact for integers
//	expand        "%name%" placeholders replaced by the values   one pattern per combination
//	              of Placeholders(…); "\%" is a plain "%"; a
//	              placeholder without values matches nothing
//	              (one warning per rule, see Warnings)
//	fieldref      the field equals the value of the field the    Pred.Right = that field
//	              value names (ignoring case; with contains,
//	              startswith, endswith, cased as for values); a
//	              missing or null field on either side: false
//	minute, hour, that part of the field's timestamp (RFC 3339    Pred.Left = hour(field) …
//	day, week,    or "2006-01-02 15:04:05[.fff]", UTC when no
//	month, year   zone; week is the ISO week) equals the whole
//	              number, or compares with lt/lte/gt/gte
//
// base64 and base64offset results compare case-sensitively (their text is
// an exact encoding). The UTF-16 modifiers encode every code point,
// surrogate pairs included, where pySigma only takes text whose UTF-16 form
// happens to be valid UTF-8. A base64offset variant that comes out empty
// (a one-byte value) is left out, since it would match anything; if all
// are empty the value is an error. An unknown modifier, a duplicate one,
// two of contains/startswith/endswith, and a modifier that does not apply
// to a value's type are errors naming the search and field, at the key or
// at the value.
//
// # Values
//
// String values are patterns: "*" matches any run of characters (possibly
// none) and "?" exactly one, with and without contains, startswith and
// endswith. A backslash escapes "*", "?" and itself: "\*", "\?" and "\\"
// stand for a literal "*", "?" and "\". A backslash before any other
// character, or at the end, is a literal backslash. So 'C:\Windows\*' is
// the text C:\Windows* (the star escaped), 'C:\Windows\\*' is the text
// C:\Windows\ followed by a wildcard, and '\\server' is \server, as in
// pySigma. Placeholders such as %temp% are literal text without expand.
//
//	value              without a modifier              with contains/startswith/endswith
//	'text'             CmpGlob pattern                 the comparison, pattern
//	''                 present and empty               the comparison, empty pattern
//	4688, 1.5          CmpEqual number (matches the    the comparison, the number's decimal text
//	                   number and strings spelling it)
//	true, false        CmpEqual boolean and its text   an error
//	null (or nothing)  the field is absent             an error
//
// Numbers compare exactly ([ir.Compare]): a YAML integer stays an integer
// (an int64, or a uint64 above it), so 9007199254740993 does not match an
// event's 9007199254740992, and 5 matches 5.0. An event number that
// overflows a double (1e400) is +Inf; see package match, Numbers, for the
// rules out of range and how they follow Elasticsearch's long and double.
//
// Comparisons ignore case (Unicode simple folding) unless cased, re
// without i, or base64. A list mixing kinds gives one predicate per
// comparison and case sensitivity, ORed, in the order each first appears;
// a null in it adds "the field is absent". With all, every value is its
// own predicate and the predicates are ANDed; on an array field each value
// may match a different element, as in the backends' queries. An empty
// list is an error. Unquoted YAML timestamps are an error: quote them to
// match text.
//
// # Fields
//
// A field name with a dot is a path in the event. Any other name N is
// looked up, first found wins, at:
//
//  1. N, at the top level of the event;
//  2. the event data of a Windows event record rendered as JSON (see the
//     table below): Event.EventData.N, then Event.UserData.<element>.N for
//     the elements of the rule's service (table below), then, in rules of
//     product windows, Event.UserData.#child.N: the one element of UserData
//     whatever its name, an alias package normalize gives the record;
//  3. its system data: Event.System.N (EventID at Event.System.EventID.#text
//     first, Provider_Name also at Event.System.Provider.#attributes.Name);
//  4. its ECS path as pySigma's ecs_windows pipeline maps it, by the rule's
//     log source category or service where the mapping depends on it
//     (CommandLine is process.command_line in process_creation rules), and
//     winlog.event_data.N in other Windows rules;
//  5. in Windows process_creation rules, the name the Security log's event
//     4688 uses (NewProcessName for Image, ParentProcessName for
//     ParentImage, SubjectUserName for User, SubjectLogonId for LogonId,
//     NewProcessId for ProcessId, ProcessId for ParentProcessId), at the
//     top level and in Event.EventData; NewProcessId is tried before
//     ProcessId, which 4688 uses for the parent.
//
// Event data comes before system data because some events carry a field of
// the same name as data: System event 104 (a log was cleared) keeps the
// cleared log's name in Event.UserData.LogFileCleared.Channel, while its
// Event.System.Channel is always "System"; SigmaHQ's "Important Windows
// Eventlog Cleared" reads the former. The event data of a record is where
// evtx-to-JSON tools put it:
//
//	recorded as                          written as                           read by
//	<Data Name="N">v</Data>              "EventData": {"N": v}                N
//	<Data>v</Data> (unnamed, one)        "Data": {"#text": "v"}, or "v"       Data (Event.EventData.Data.#text,
//	<Data>v1</Data><Data>v2</Data>       "Data": {"#text": ["v1", "v2"]},     then Event.EventData.Data): any of
//	                                     ["v1", "v2"], [{"#text": "v1"}, …]   the values
//	<UserData><E><N>v</N></E>            "UserData": {"E": {"N": v}}          N: E of the rule's service
//	                                                                          (table below), or any E in
//	                                                                          windows rules (normalized)
//	<Data Name="Source Name">            "EventData": {"Source Name": v}      SourceName, in windefend and
//	(Windows Defender)                                                        antivirus rules (Defender's
//	                                                                          are the only names with
//	                                                                          spaces in the 558 recorded
//	                                                                          .evtx files of the corpus)
//
// Unnamed Data is what the classic PowerShell log, MSSQL, ESENT, MsiInstaller
// and MSExchange write; SigmaHQ rules read it as Data. A name with spaces is
// found by the rule's name with the CamelCase words spaced: SourceName is
// "Source Name", ThreatID "Threat ID", OldValue "Old Value". UserData holds
// one element named by the event's manifest; the elements looked up are, by
// the rule's service, those of the events SigmaHQ's rules test and of every
// UserData record of the corpus's .evtx files on a channel a service names:
//
//	service                                   UserData elements
//	system, security                          LogFileCleared (events 104, 1102)
//	wmi                                       Operation_ClientFailure, Operation_StartedOperational,
//	                                          Operation_EssStarted, Operation_TemporaryEssStarted,
//	                                          Operation_ESStoConsumerBinding
//	applocker                                 RuleAndFileData
//	printservice-operational                  DocumentPrinted, PrinterCreated, PrinterDeleted,
//	                                          PrinterDeletionPending, PrinterSet, PrinterSharing,
//	                                          PrinterUnPaused, DriverAdded, DriverDeleted
//	printservice-admin                        ChangingDefaultPrinter, InitFailed, LoadPluginFailed
//	terminalservices-localsessionmanager,     EventXML
//	terminalservices-remoteconnectionmanager
//	application-experience                    CompatibilityFixEvent, ResolverFiredEvent
//	capi2                                     CryptAcquireCertificatePrivateKey
//
// The order of precedence, when a name exists in several places of a
// record, is: event data (Event.EventData, its Data array), then UserData,
// then system data (Event.System). UserData holds at most one element; a
// record whose UserData has two is read at the table's names only.
//
// Package normalize (Normalize, and Reader, which the CLI uses) gives the
// record's one UserData element the alias Event.UserData.#child
// (normalize.UserDataChild), so rules of product windows read UserData of
// every provider: with or without a service, and of services not in the
// table, such as Setup's CbsUpdateChangeState (Microsoft-Windows-Servicing,
// 32 records of the corpus's .evtx files, on channel Setup, which no Sigma
// service names). Records matched as they are, without normalize, have no
// alias: there only the table's elements are read, for the rule's service.
//
// Run over the 16,962 records of the corpus's .evtx files (read by evtxexport and written
// in this shape), these rules changed SigmaHQ's results: MSSQL XPCmdshell
// Option Change, Ntdsutil Abuse, MSI Installation From Web, MSSQL Disable
// Audit Settings and four more found 26 events they missed; "MSSQL Server
// Failed Logon From External Network" no longer fires on 16 private-address
// logons; "Important Windows Eventlog Cleared" fires on 5 clears of the
// logs it lists, not on all 94, and "Eventlog Cleared" on the other 89.
//
// # Conditions
//
//	condition  = and { "or" and }
//	and        = unary { "and" unary }
//	unary      = "not" unary | primary
//	primary    = "(" condition ")" | quantifier "of" target | name
//	quantifier = "1" | "any" | "all"
//	target     = "them" | name | pattern
//
// Precedence is the specification's: not binds tighter than and, and
// tighter than or. Keywords ignore case. Names are runs of letters,
// digits, "_", "-" and "."; a pattern is a name with "*" wildcards
// anywhere, matching whole search names, in name order. "them" is every
// search whose name does not start with "_"; a pattern leaves those out
// too unless it starts with "_" itself (pySigma leaves them out always).
// "1 of x" and "all of x" with a plain name are that search. A list of
// conditions is their OR. A name that is not a search, a pattern that
// matches none, a nesting deeper than MaxConditionDepth and an aggregation
// ("| count() > 5", "unsupported: aggregation") are errors at the byte of
// the condition where they are written.
//
// # Log source routing
//
// With routing (the default; Routing(false) turns it off) a rule's
// expression is and(route, detection): the rule only applies to the
// events its logsource describes. The tables follow SigmaHQ's test
// configuration (tests/thor.yml in SigmaHQ/sigma, used by its regression
// tests) and pySigma's Windows pipelines. Events are told apart by shape,
// tried in order:
//
//	shape       told by                          routed by
//	record      Event.System.EventID or Channel  Event.System.Channel, Event.System.EventID
//	winlogbeat  winlog.channel                   winlog.channel, event.code
//	flat        EventID or Channel at the top    EventID, and Channel when present
//	ECS         event.category                   event.category, event.type; host.os.type
//	                                             when present (windows, linux, macos products),
//	                                             event.module (other products)
//	unknown     none of these                    the fields the rule reads
//
// A rule never applies to an event of another recognizable platform: a
// Windows record, Winlogbeat or flat Windows event sees only Windows rules
// (of its channel and event ID), an ECS event whose host.os.type names an
// operating system only that system's rules and rules of no product, and
// one whose event.module names a product (Filebeat's zeek, aws, okta, …
// modules set it) only that product's rules. A Zeek rule's service is the
// Zeek log it reads (rdp, dns, smb_files…): an event that names its log,
// by event.dataset (Filebeat: zeek.rdp; zeek.connection for conn) or by
// _path (Zeek's JSON streaming logs, Corelight: rdp), sees only the rules
// of that log, so "Publicly Accessible RDP Service" (condition: not
// selection) does not fire on every conn log entry from a public address.
// And a rule never holds on an
// event merely because the event lacks every field it reads: where the
// event's shape does not say its platform (unknown shape; an ECS event
// with neither host.os.type nor event.module for a rule of a product that
// is no operating system; an ECS event for a rule of no product; any event
// for a rule with no logsource), a rule that would hold on an event without
// any of its fields (condition: not selection, as SigmaHQ's Zeek rule
// "Publicly Accessible RDP Service" writes) applies only when the event
// holds at least one of them, at any of its paths. Rules that need a field
// to match anyway, and keyword searches, are not changed.
//
// Windows categories route to channel and event ID:
//
//	category                         channel       event IDs
//	process_creation                 Sysmon        1; and Security 4688 (fields mapped, see Fields)
//	file_change                      Sysmon        2
//	network_connection               Sysmon        3
//	sysmon_status                    Sysmon        4, 16
//	process_termination              Sysmon        5
//	driver_load                      Sysmon        6
//	image_load                       Sysmon        7
//	create_remote_thread             Sysmon        8
//	raw_access_thread                Sysmon        9
//	process_access                   Sysmon        10
//	file_event                       Sysmon        11
//	registry_event                   Sysmon        12, 13, 14
//	registry_add, registry_delete    Sysmon        12
//	registry_set                     Sysmon        13
//	registry_rename                  Sysmon        14
//	create_stream_hash               Sysmon        15
//	pipe_created                     Sysmon        17, 18
//	wmi_event                        Sysmon        19, 20, 21
//	dns_query                        Sysmon        22
//	file_delete                      Sysmon        23, 26
//	clipboard_change                 Sysmon        24
//	process_tampering                Sysmon        25
//	file_delete_detected             Sysmon        26
//	file_block_executable            Sysmon        27
//	file_block_shredding             Sysmon        28
//	file_executable_detected         Sysmon        29
//	sysmon_error                     Sysmon        255
//	ps_module, ps_script             PowerShell    4103, 4104
//	ps_classic_start, _provider_start, _script     Windows PowerShell  400, 600, 800
//	antivirus (any product)          Defender      1006-1012, 1017-1019, 1115, 1116
//
// Sysmon is Microsoft-Windows-Sysmon/Operational; PowerShell is
// Microsoft-Windows-PowerShell/Operational or PowerShellCore/Operational;
// Defender is Microsoft-Windows-Windows Defender/Operational. Windows
// services route by channel only (security → Security, system → System,
// application → Application, sysmon → Sysmon, powershell → PowerShell,
// powershell-classic → Windows PowerShell, taskscheduler, wmi, applocker,
// dns-server, ntlm, windefend, bits-client, codeintegrity-operational,
// firewall-as, openssh, … 50 in all: winServices in route.go). A Windows
// rule whose category and service are not in the tables applies to every
// Windows event; a rule of another product (linux, macos, aws, …) or with
// no product (webserver, proxy, …) applies to no Windows event. Services,
// and categories whose events are not Sysmon's (ps_*, antivirus), are
// events of a Windows event log channel: they apply to no ECS event, which
// carries no winlog.channel (pySigma's ecs_windows pipeline requires
// winlog.channel for them too). ECS categorization by category:
//
//	category                   event.category     event.type
//	process_creation           process            start
//	process_termination        process            end
//	network_connection         network            (any)
//	dns_query                  network            protocol, info
//	file_event                 file               creation
//	file_change, file_rename   file               change
//	file_delete                file               deletion
//	file_access                file               access
//	image_load                 library, process   (any)
//	driver_load                driver             (any)
//	registry_event             registry           (any)
//	registry_add, _set, _delete, _rename  registry  creation, change, deletion, change
//
// A rule with no logsource is routed by the fields it reads alone.
//
// # Processing pipelines
//
// A processing pipeline says how rules meet a schema: pySigma's YAML format
// (SigmaHQ/pySigma, sigma/processing/pipeline.py ProcessingPipeline.from_dict
// and ProcessingItem.from_dict; the transformations in
// sigma/processing/transformations, the conditions in
// sigma/processing/conditions). ParsePipeline reads one; WithPipelines (the
// CLI's -pipeline, repeatable) applies pipelines to each rule before it is
// lowered, so matching an event costs nothing more. Pipelines apply lowest
// priority first, equal priorities in the order given (pySigma's
// ProcessingPipelineResolver.resolve sorts by priority alone, and Python's
// sort is stable; the CLI gives them in the order of its -pipeline flags); each
// applies its transformations in file order, each to the rule as the ones
// before left it. A pipeline holds name, priority, vars and transformations;
// a transformation holds id, type, its parameters, and conditions:
//
//	type                       parameters             effect
//	field_name_mapping         mapping: name: name    the field's name; several names: any of them
//	                           or [names]             matches (the mapping holding it becomes a list);
//	                                                  also the names that fieldref values name; two
//	                                                  fields of one mapping made one is an error
//	field_name_prefix_mapping  mapping: prefix:       the first prefix that starts the name is
//	                           prefix or [prefixes]   replaced
//	field_name_prefix,         prefix, suffix         added to the name
//	field_name_suffix
//	add_condition              conditions: {field:    a search of these fields ANDed into every
//	                           value(s)}, negated,    condition: "(condition) and _cond_N", "(…)
//	                           template               and not _cond_N" when negated; template:
//	                                                  $category, $product, $service in the values
//	                                                  are the rule's
//	change_logsource           category, product,     the rule's log source becomes these (those not
//	                           service                given are gone); routing follows it
//	drop_detection_item        (none)                 the fields that the field name conditions
//	                                                  match are removed from the searches; a search
//	                                                  left empty is an error
//	replace_string             regex, replacement     each match of the regex (RE2) in a string or
//	                                                  number value is replaced, \1 and \g<name>
//	                                                  as in Python's re.sub; the result is a Sigma
//	                                                  string (wildcards work); re, cidr, exists
//	                                                  and fieldref values are left alone; values
//	                                                  of contains, startswith and endswith are
//	                                                  seen with their wildcards ("*v*"), as
//	                                                  pySigma's modifiers leave them (other
//	                                                  modifiers: the value as written)
//	value_placeholders         (none)                 the expand modifier's placeholders take the
//	                                                  pipelines' vars (the Placeholders option
//	                                                  overrides a name)
//
//	condition                           parameters               holds when
//	rule_conditions: logsource          category, product,       each one given equals the rule's
//	                                    service                  (pySigma's LogsourceCondition)
//	rule_conditions:                    field, value             a search has the field with that
//	contains_detection_item                                      value
//	field_name_conditions:              fields, mode (plain      the field is one of fields (re: a
//	include_fields, exclude_fields      or re)                   regex matches its start); exclude:
//	                                                             it is not; keywords: never included
//
// rule_cond_op and field_name_cond_op (and, the default, or or) combine
// the conditions, rule_cond_not and field_name_cond_not negate them. A
// transformation without rule conditions applies to every rule; one
// without field name conditions to every field. vars of all pipelines are
// merged, later ones winning, as ProcessingPipeline.__add__ merges them.
// Anything else in a pipeline file (postprocessing, finalizers, other
// transformations or conditions, detection_item_conditions, …) is an error
// at its key or value naming it. Pipelines apply to Sigma rules and to
// filter rules (WithPipelines given to ParseFilter; the loader does so),
// whose fields must meet the rules' mapped ones. For EQL rules, which have no Sigma log source or searches,
// MapFields applies what makes sense: the field name transformations
// without rule conditions, to the names Elastic's rules read (process.name: proc_name);
// ruleforge.Loader's Pipelines do both. examples/pipelines has two
// pipelines: a custom EDR schema and CrowdStrike Falcon Data Replicator
// process events.
//
// # Filters and correlations
//
// [ParseFilter] loads a filter rule (Sigma filters specification v2): its
// searches and condition are lowered like a rule's, and [Filter.Apply]
// ANDs the condition, as written, into a rule it names by id, title or
// file name (all rules for "rules: any"); as in pySigma, a filter that
// suppresses matches writes "condition: not selection". The WithFilters
// option applies filters while a rule loads and also checks that the
// filter's log source covers the rule's.
//
// # Correlation rules
//
// [ParseFile] loads every YAML document of a file: detection rules and
// correlation rules (Sigma correlation rules specification v2.1; section
// names below are the specification's). [Resolve] checks the references
// once every file is loaded; ruleforge.Loader.LoadSet does both. What is
// read, and where the specification is silent, what ruleforge does:
//
//	key             read as
//	type            event_count, value_count, temporal, temporal_ordered,
//	                value_sum, value_avg, value_percentile; anything else
//	                is an error ("Correlation type", JSON schema)
//	rules           one reference or a list, each a rule's or a
//	                correlation's id or name ("Related rules"), in this
//	                file or another; a name that no rule has, or that two
//	                have, is an error at the reference; temporal types need
//	                two or more; a correlation may refer to correlations
//	                (chaining), never in a cycle
//	group-by        one field or a list; optional (without it every event
//	                is in one group, printed {})
//	timespan        a whole number and a unit: s, m, h, d ("Time
//	                Selection"), w, M, y (pySigma's SigmaCorrelationTimespan);
//	                positive, at most MaxTimespan
//	condition       gt, gte, lt, lte, eq, neq, ANDed ("Condition": a range
//	                has two keys); at least one; numbers. temporal types
//	                default to gte: number of rules (pySigma); field (one
//	                name, or for value_count several, whose values are
//	                counted as tuples) is required by the value_* types and
//	                an error elsewhere; percentile (0–100, pySigma's
//	                extension) only with value_percentile
//	aliases         alias: {rule reference: field}; the references must be
//	                among rules ("Field Name Aliases")
//	generate        true or false, in correlation: (pySigma) or at the top
//	                level (the specification's attribute list; both only
//	                if they agree); default false
//
// Field names in group-by, aliases and the condition's field resolve as
// the referenced rule's own detection fields do (see Fields), with its log
// source: User in a windows/security rule reads User, the record's
// Event.EventData.User and the ECS user.name. For a referenced correlation
// a name must be one of its group-by names (its results carry its group's
// values only); anything else is an error at the reference.
//
// # Correlation semantics
//
// Package correlate runs correlations on package state's engine, the one
// that runs EQL sequences, over the hits of the rules they refer to. The
// specification describes conditions over a timespan, as a backend's
// query computes them; on a stream ruleforge decides as each event comes:
//
//   - Event time is @timestamp (Windows records: their SystemTime, through
//     the ECS view), as for EQL sequences. Events must come in time order;
//     one older than the newest time seen is counted (out of order) and
//     counts only if inside the window; one without a time takes the
//     newest time seen (both counted in the engine's clock).
//   - Groups: the values of the group-by fields, compared exactly (strings
//     case-sensitively, numbers as numbers, an array as a whole). An event
//     that lacks a group-by field, or has it null, is in no group and
//     counts for nothing, as a terms aggregation or SQL GROUP BY leaves it
//     out. Without group-by every event is in one group ({}).
//   - The window: at each event, a group's window holds its events since
//     it last fired whose time is within timespan of the newest event time
//     seen, bound included (t >= newest - timespan): a window sliding over
//     event time, not fixed buckets ("Compatibility" asks backends not to
//     restrict it to boundaries).
//   - The condition is checked when an event adds to a group, once per
//     event and group, after the event is added; when it holds, the group
//     fires: one alert whose event is the one that made it true, with the
//     events counted (at most 100 listed). An event that hits several of
//     the referenced rules counts once (event_count counts events, not
//     hits). lt, lte and neq hold already for the first events of a group:
//     a stream cannot wait for a window to close without delaying every
//     alert, so they fire early (with lt: 5 a group fires at each of its
//     events, starting over each time); write a range (gte with lte) to
//     mean "between". The events listed are those counted: all of the
//     window's; for value_count each value's newest; for temporal each rule's newest; for temporal_ordered the
//     chain whose oldest event is newest (it stays in the window
//     longest).
//   - Firing again: a group that fires starts over, its counted events
//     consumed, so each alert stands for events no earlier alert of that
//     group counted (100 failed logons with gte: 10 make 10 alerts, not
//     91). value_percentile is the exception: its window is a baseline, so
//     it is kept and every event for which the condition holds fires.
//
// What each type counts in the window:
//
//	type              the value the condition tests
//	event_count       events
//	value_count       distinct values of field (several fields: distinct
//	                  tuples); an event without the field (or null) counts
//	                  for nothing
//	temporal          referenced rules with an event in the window (one
//	                  event may count for two rules it hits); default
//	                  condition: all of them
//	temporal_ordered  the longest run of the rules, from the first, hit by
//	                  distinct events in that order (input order, which is
//	                  time order); default: all of them
//	value_sum         sum of field, a number or a text spelling one
//	                  (Windows records hold numbers as text); other values
//	                  count for nothing
//	value_avg         average of field, as value_sum
//	value_percentile  the share, in percent, of the window's events whose
//	                  field has the arriving event's value: the
//	                  specification's example ("field: image, lte: 1": a
//	                  process name in at most 1% of a computer's process
//	                  starts) is a rarity test of that value; with
//	                  pySigma's "percentile: P", the P-th percentile of the
//	                  numeric field by linear interpolation between the
//	                  closest ranks (RSigma's reading)
//
// Chaining: a correlation's alerts are hits of the correlations that refer
// to it, at the same event, with its group's values (the outer alert's
// events list the ordinal of the event at which the inner one fired); it
// prints nothing
// unless one of them has generate: true. generate: false (the default)
// hides the referenced rules' own hits: a rule is printed when no
// correlation refers to it or one that does sets generate: true (pySigma
// hides it if any referring correlation does not: ruleforge keeps what
// some rule asked for).
//
// Limits (package state): groups per correlation (state.MaxKeys), events per
// group (state.MaxPending) and distinct values per group of value_count
// (state.MaxValues: a group keeps one entry per value, its newest event, which
// is what "events" lists for value_count); reaching one evicts the least
// recently updated group, or the group's oldest event or value, counted in the
// engine's statistics. A group always has room for the events (event_count)
// or distinct values (value_count) its condition needs, gte: 5000 included, so
// a limit never keeps a condition from holding; a condition needing more than
// MaxGroupEvents is a load-time error at the condition (WithMaxGroupEvents).
// value_sum, value_avg and value_percentile have no such need: their windows
// hold at most MaxPending events, the newest, and a busier window loses its
// oldest (counted as dropped items in the engine's statistics and the CLI's
// summary); raise it with state.WithMaxPending.
//
// # Agreement with sigma-go
//
// TestSigmaGo compares ruleforge with sigma-go v0.6.6's evaluator on the
// 1,183 SigmaHQ process_creation rules over the 68 Sysmon process creation
// events of the regression corpus. sigma-go cannot parse 5 of the rules
// (its condition grammar: patterns such as selection_1_*) and errors on
// 107 when matching: 72 write contains|windash or contains|all|windash,
// which it rejects unless contains comes last, 30 hold null values, 4 use
// base64offset, 1 uses fieldref. Without a placeholder expander it errors
// on 18 more, for values such as '%temp%' that it takes for placeholders
// unasked; the test
// gives it one that keeps them as text. ruleforge loads all of them.
// Of the 72,828 rule-event pairs of the 1,071 rules both evaluate, the two
// disagree on 2, each a sigma-go bug:
//
//	pairs  rule                                         cause
//	1      proc_creation_win_findstr_recon_pipe_output  sigma-go treats * and ? as text ('ipconfig*|*find')
//	1      proc_creation_win_certutil_ntlm_coercion     sigma-go keeps both backslashes of each \\ in ' \\\\' (a UNC path's \\)
//
// # Errors and limits
//
// Errors are *ir.Error values printed "file:line:col: message"; lines and
// columns are 1-based, columns count bytes. ParseRule takes one YAML
// document, ParseFile several; duplicate keys are errors (YAML does not allow them).
//
// Limits bound the work one rule can cause; a rule over one is an error.
// Each is a constant, and an option given to ParseRule or ParseFilter
// changes it (n < 1 restores the default):
//
//	limit              default  option                 bounds
//	MaxRuleSize        16 MiB   WithMaxRuleSize        bytes of one rule file
//	MaxConditionSize   4096     WithMaxConditionSize   bytes of one condition
//	MaxConditionDepth  200      WithMaxConditionDepth  nesting of parentheses and not in a
//	                                                   condition
//	MaxValues          200000   WithMaxValues          values of one field of one search,
//	                                                   after windash and expand
//	MaxRuleValues      1000000  WithMaxRuleValues      values of all the fields of a rule,
//	                                                   YAML aliases expanded
//	MaxExprSize        2097152  WithMaxExprSize        nodes and values of the lowered
//	                                                   expression, each search counted as
//	                                                   often as the condition names it
//	MaxGroupEvents     1000000  WithMaxGroupEvents     events (event_count) or distinct values
//	                                                   (value_count) a correlation's condition
//	                                                   needs one group to hold
//
// The defaults admit the IOC rules of threat-intel feeds: a field listing
// 100,000 SHA-256 hashes is about 7 MB of YAML, and its values become one
// hash set that costs one lookup per event (see TestIOCRule and
// BenchmarkIOCRule); the limits leave twice that room and still bound one
// rule to a few hundred MB of memory while it loads.
//
// The errors:
//
//	x.yml:1:1: rule is 1048577 bytes, more than the limit of 1048576
//	x.yml:8:14: condition is 4097 bytes, more than the limit of 4096
//	x.yml:8:214: condition nested deeper than 200
//	x.yml:7:5: search "sel": field "F" has 10001 values, more than the limit of 10000
//	x.yml:7:5: search "sel": field "F" expands to more than 10000 values
//	x.yml:17:5: rule has more than 100000 values
//	x.yml:8:14: condition expands to more than 262144 nodes and values
//
// The lowered rule's Source is the position of its "detection:" key.
package sigma
