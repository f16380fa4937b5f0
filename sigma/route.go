package sigma

import (
	"slices"
	"strings"
	"sync"

	sigmago "github.com/bradleyjkemp/sigma-go"

	"github.com/ruleforge/ruleforge/internal/constfold"
	"github.com/ruleforge/ruleforge/ir"
)

// Log source routing: the tables below say which events a rule's logsource
// describes. The Windows tables follow SigmaHQ's own test configuration
// (tests/thor.yml in SigmaHQ/sigma, which its regression tests use) and
// pySigma's Windows pipelines (sigma/pipelines/common.py and the
// windows_audit_pipeline of pySigma-pipeline-windows).

// Windows event log channels.
const (
	chanSysmon   = "Microsoft-Windows-Sysmon/Operational"
	chanSecurity = "Security"
)

// winEvents is a set of Windows events: any of the channels, and any of
// the event IDs (every ID when there are none).
type winEvents struct {
	channels []string
	ids      []float64
}

// sysmon returns the Sysmon events with the given IDs.
func sysmon(ids ...float64) winEvents { return winEvents{[]string{chanSysmon}, ids} }

// powershell are the channels of the PowerShell "powershell" service.
var powershell = []string{"Microsoft-Windows-PowerShell/Operational", "PowerShellCore/Operational"}

// winCategories maps Windows log source categories to their events.
var winCategories = map[string][]winEvents{
	"process_creation":          {sysmon(1), {[]string{chanSecurity}, []float64{4688}}},
	"file_change":               {sysmon(2)},
	"network_connection":        {sysmon(3)},
	"sysmon_status":             {sysmon(4, 16)},
	"process_termination":       {sysmon(5)},
	"driver_load":               {sysmon(6)},
	"image_load":                {sysmon(7)},
	"create_remote_thread":      {sysmon(8)},
	"raw_access_thread":         {sysmon(9)},
	"process_access":            {sysmon(10)},
	"file_event":                {sysmon(11)},
	"registry_event":            {sysmon(12, 13, 14)},
	"registry_add":              {sysmon(12)},
	"registry_delete":           {sysmon(12)},
	"registry_set":              {sysmon(13)},
	"registry_rename":           {sysmon(14)},
	"create_stream_hash":        {sysmon(15)},
	"pipe_created":              {sysmon(17, 18)},
	"wmi_event":                 {sysmon(19, 20, 21)},
	"dns_query":                 {sysmon(22)},
	"file_delete":               {sysmon(23, 26)},
	"clipboard_change":          {sysmon(24)},
	"process_tampering":         {sysmon(25)},
	"file_delete_detected":      {sysmon(26)},
	"file_block_executable":     {sysmon(27)},
	"file_block_shredding":      {sysmon(28)},
	"file_executable_detected":  {sysmon(29)},
	"sysmon_error":              {sysmon(255)},
	"ps_module":                 {{powershell, []float64{4103}}},
	"ps_script":                 {{powershell, []float64{4104}}},
	"ps_classic_start":          {{[]string{"Windows PowerShell"}, []float64{400}}},
	"ps_classic_provider_start": {{[]string{"Windows PowerShell"}, []float64{600}}},
	"ps_classic_script":         {{[]string{"Windows PowerShell"}, []float64{800}}},
	"antivirus": {{[]string{"Microsoft-Windows-Windows Defender/Operational"},
		[]float64{1006, 1007, 1008, 1009, 1010, 1011, 1012, 1017, 1018, 1019, 1115, 1116}}},
}

// winServices maps Windows log source services to their channels.
var winServices = map[string][]string{
	"application":            {"Application"},
	"application-experience": {"Microsoft-Windows-Application-Experience/Program-Telemetry", "Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant"},
	"applocker":              {"Microsoft-Windows-AppLocker/MSI and Script", "Microsoft-Windows-AppLocker/EXE and DLL", "Microsoft-Windows-AppLocker/Packaged app-Deployment", "Microsoft-Windows-AppLocker/Packaged app-Execution"},
	"appmodel-runtime":       {"Microsoft-Windows-AppModel-Runtime/Admin"},
	"appxdeployment-server":  {"Microsoft-Windows-AppXDeploymentServer/Operational"},
	"appxpackaging-om":       {"Microsoft-Windows-AppxPackaging/Operational"},
	"bitlocker":              {"Microsoft-Windows-BitLocker/BitLocker Management"},
	"bits-client":            {"Microsoft-Windows-Bits-Client/Operational"},
	"capi2":                  {"Microsoft-Windows-CAPI2/Operational"},
	"certificateservicesclient-lifecycle-system": {"Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational"},
	"codeintegrity-operational":                  {"Microsoft-Windows-CodeIntegrity/Operational"},
	"dhcp":                                       {"Microsoft-Windows-DHCP-Server/Operational"},
	"diagnosis-scripted":                         {"Microsoft-Windows-Diagnosis-Scripted/Operational"},
	"dns-client":                                 {"Microsoft-Windows-DNS Client Events/Operational"},
	"dns-server":                                 {"DNS Server"},
	"dns-server-analytic":                        {"Microsoft-Windows-DNS-Server/Analytical"},
	"dns-server-audit":                           {"Microsoft-Windows-DNS-Server/Audit"},
	"driver-framework":                           {"Microsoft-Windows-DriverFrameworks-UserMode/Operational"},
	"firewall-as":                                {"Microsoft-Windows-Windows Firewall With Advanced Security/Firewall"},
	"hyper-v-worker":                             {"Microsoft-Windows-Hyper-V-Worker"},
	"iis-configuration":                          {"Microsoft-IIS-Configuration/Operational"},
	"kernel-event-tracing":                       {"Microsoft-Windows-Kernel-EventTracing"},
	"kernel-shimengine":                          {"Microsoft-Windows-Kernel-ShimEngine/Operational", "Microsoft-Windows-Kernel-ShimEngine/Diagnostic"},
	"ldap":                                       {"Microsoft-Windows-LDAP-Client/Debug"},
	"ldap_debug":                                 {"Microsoft-Windows-LDAP-Client/Debug"},
	"lsa-server":                                 {"Microsoft-Windows-LSA/Operational"},
	"microsoft-servicebus-client":                {"Microsoft-ServiceBus-Client"},
	"msexchange-management":                      {"MSExchange Management"},
	"ntfs":                                       {"Microsoft-Windows-Ntfs/Operational"},
	"ntlm":                                       {"Microsoft-Windows-NTLM/Operational"},
	"openssh":                                    {"OpenSSH/Operational"},
	"powershell":                                 powershell,
	"powershell-classic":                         {"Windows PowerShell"},
	"printservice-admin":                         {"Microsoft-Windows-PrintService/Admin"},
	"printservice-operational":                   {"Microsoft-Windows-PrintService/Operational"},
	"security":                                   {chanSecurity},
	"security-mitigations":                       {"Microsoft-Windows-Security-Mitigations/Kernel Mode", "Microsoft-Windows-Security-Mitigations/User Mode"},
	"sense":                                      {"Microsoft-Windows-SENSE/Operational"},
	"servicebus-client":                          {"Microsoft-ServiceBus-Client/Admin", "Microsoft-ServiceBus-Client/Operational"},
	"shell-core":                                 {"Microsoft-Windows-Shell-Core/Operational"},
	"smbclient-connectivity":                     {"Microsoft-Windows-SmbClient/Connectivity"},
	"smbclient-security":                         {"Microsoft-Windows-SmbClient/Security"},
	"sysmon":                                     {chanSysmon},
	"system":                                     {"System"},
	"taskscheduler":                              {"Microsoft-Windows-TaskScheduler/Operational"},
	"terminalservices-localsessionmanager":       {"Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"},
	"vhdmp":                                      {"Microsoft-Windows-VHDMP/Operational"},
	"windefend":                                  {"Microsoft-Windows-Windows Defender/Operational"},
	"wmi":                                        {"Microsoft-Windows-WMI-Activity/Operational"},
	"certificateservicesclient-lifecycle-user":     {"Microsoft-Windows-CertificateServicesClient-Lifecycle-User/Operational"},
	"terminalservices-remoteconnectionmanager":     {"Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"},
	"microsoft-windows-terminalservices-rdpclient": {"Microsoft-Windows-TerminalServices-RDPClient/Operational"},
}

// ecsEvents is the ECS categorization of a log source category:
// event.category must be one of categories and, when types is not empty,
// event.type one of types.
type ecsEvents struct {
	categories, types []string
}

// ecsCategories maps Sigma log source categories to ECS categorization
// (the event.category and event.type values of the Elastic Common Schema,
// as Elastic Defend and Winlogbeat's Sysmon module set them).
var ecsCategories = map[string]ecsEvents{
	"process_creation":    {[]string{"process"}, []string{"start"}},
	"process_termination": {[]string{"process"}, []string{"end"}},
	"network_connection":  {[]string{"network"}, nil},
	"dns_query":           {[]string{"network"}, []string{"protocol", "info"}},
	"file_event":          {[]string{"file"}, []string{"creation"}},
	"file_change":         {[]string{"file"}, []string{"change"}},
	"file_rename":         {[]string{"file"}, []string{"change"}},
	"file_delete":         {[]string{"file"}, []string{"deletion"}},
	"file_access":         {[]string{"file"}, []string{"access"}},
	"image_load":          {[]string{"library", "process"}, nil},
	"driver_load":         {[]string{"driver"}, nil},
	"registry_event":      {[]string{"registry"}, nil},
	"registry_add":        {[]string{"registry"}, []string{"creation"}},
	"registry_set":        {[]string{"registry"}, []string{"change"}},
	"registry_delete":     {[]string{"registry"}, []string{"deletion"}},
	"registry_rename":     {[]string{"registry"}, []string{"change"}},
}

// operatingSystems are the log source products that ECS names in
// host.os.type.
var operatingSystems = map[string]bool{"windows": true, "linux": true, "macos": true}

// The fields that tell an event's shape, and the routes read.
var (
	recordEventID = ir.Field{Name: "Event.System.EventID", Paths: []string{"Event.System.EventID.#text", "Event.System.EventID"}}
	recordChannel = ir.F("Event.System.Channel")
	recordShape   = ir.Field{Name: "Event.System", Paths: []string{"Event.System.EventID", "Event.System.Channel"}}
	flatEventID   = ir.F("EventID")
	flatChannel   = ir.F("Channel")
	flatShape     = ir.Field{Name: "EventID|Channel", Paths: []string{"EventID", "Channel"}}
	beatEventID   = ir.F("event.code")
	beatChannel   = ir.F("winlog.channel")
	ecsCategory   = ir.F("event.category")
	ecsType       = ir.F("event.type")
	ecsOS         = ir.F("host.os.type")
	ecsModule     = ir.F("event.module")
	ecsDataset    = ir.F("event.dataset")
	zeekPath      = ir.F("_path")
)

// zeekDatasets are the event.dataset names of Filebeat's zeek module where
// they are not "zeek." and the log's name (Filebeat's
// x-pack/filebeat/module/zeek: the conn log is zeek.connection).
var zeekDatasets = map[string]string{"conn": "zeek.connection"}

// logRoute returns the expression that holds for events of a product's
// log that the service names, or true where the product names no such
// log. Zeek's rules name their log as service (rdp, dns, smb_files…):
// an event of another Zeek log must not see them, so where an event says
// its log, by event.dataset (Filebeat's zeek module: "zeek.rdp") or by
// _path (Zeek's JSON streaming logs and Corelight: "rdp"), it must be the
// rule's. An event that says neither is routed as before.
func logRoute(product, service string) *ir.Expr {
	if product != "zeek" || service == "" {
		return ir.Const(true)
	}
	dataset, ok := zeekDatasets[service]
	if !ok {
		dataset = "zeek." + service
	}
	return andC(
		ir.Or(ir.Not(exists(ecsDataset)), ir.P(pred(&ecsDataset, ir.CmpEqual, false, ir.Str(dataset)))),
		ir.Or(ir.Not(exists(zeekPath)), ir.P(pred(&zeekPath, ir.CmpEqual, false, ir.Str(service)))),
	)
}

// routeFor returns the route of a log source for a rule whose detection
// is det: the expression that holds for the events it describes. Events
// come in five shapes, tried in order:
//
//	record     a Windows event record as JSON (Event.System.EventID or
//	           Event.System.Channel): channel and event ID
//	winlogbeat winlog.channel present: winlog.channel and event.code
//	flat       EventID or Channel at the top level: EventID, and Channel
//	           when present
//	ECS        event.category present: event.category, event.type,
//	           host.os.type (when present) for operating systems,
//	           event.module for other products (ecsRoute)
//	unknown    none of these fields: the rule applies when the event holds
//	           a field the detection reads (readsSome)
//
// In the last two, a Zeek rule's service must be the event's log where the
// event names it (logRoute).
// A log source with no product, category or service routes by readsSome
// alone.
func routeFor(ls sigmago.Logsource, det *ir.Expr) *ir.Expr {
	product := strings.ToLower(ls.Product)
	category := strings.ToLower(ls.Category)
	service := strings.ToLower(ls.Service)
	reads := readsSome(det)
	if product == "" && category == "" && service == "" {
		return reads
	}
	w := winRoutesOf(product, category, service)
	ecs := ecsRoute(product, category, reads)
	if w.channelOnly {
		// Only a Windows event log channel has these events, and an ECS
		// event without winlog.channel comes from none (pySigma's
		// ecs_windows pipeline adds a winlog.channel condition).
		ecs = ir.Const(false)
	}
	log := logRoute(product, service)
	return orC(
		andC(shapes.isRecord, w.record),
		andC(shapes.notRecord, shapes.isBeat, w.beat),
		andC(shapes.notRecord, shapes.notBeat, shapes.isFlat, w.flat),
		andC(shapes.notRecord, shapes.notBeat, shapes.notFlat, shapes.isECS, ecs, log),
		andC(shapes.notRecord, shapes.notBeat, shapes.notFlat, shapes.notECS, reads, log),
	)
}

// The expressions of a route that do not depend on the rule's detection
// are built once and shared by every rule's route, not copied per rule:
// on the SigmaHQ corpus the copies were ~8 MB kept live and ~25 MB of
// garbage per load. Sharing is sound because a lowered rule's expression
// is never changed in place (ParseRule's contract: compile's optimizer
// rebuilds the nodes it changes, MapFields copies before renaming),
// which TestSharedRoutesUnchanged checks.

// shapes are the tests of an event's shape that routeFor tries in order.
var shapes = struct {
	isRecord, isBeat, isFlat, isECS     *ir.Expr
	notRecord, notBeat, notFlat, notECS *ir.Expr
}{
	isRecord: exists(recordShape), notRecord: ir.Not(exists(recordShape)),
	isBeat: exists(beatChannel), notBeat: ir.Not(exists(beatChannel)),
	isFlat: exists(flatShape), notFlat: ir.Not(exists(flatShape)),
	isECS: exists(ecsCategory), notECS: ir.Not(exists(ecsCategory)),
}

// winRoutes are the routes of a log source for the Windows shapes of
// events (record, winlogbeat, flat), and whether only a Windows channel
// has its events.
type winRoutes struct {
	record, beat, flat *ir.Expr
	channelOnly        bool
}

// Routes for a log source that is not Windows (no Windows event), and for
// a Windows one the tables do not describe (any event of the shape).
var (
	notWindows     = &winRoutes{record: ir.Const(false), beat: ir.Const(false), flat: ir.Const(false)}
	unknownWindows = &winRoutes{record: ir.Const(true), beat: ir.Const(true), flat: ir.Const(true)}
)

// winRouteCache holds the winRoutes of the log sources that the tables
// describe, keyed by "c:" and the category or "s:" and the service: at
// most one entry per table entry, so it is bounded. Rules are lowered on
// several goroutines at once, hence sync.Map.
var winRouteCache sync.Map

// winRoutesOf returns the Windows routes of a log source (lower case
// product, category and service), built on first use and shared.
func winRoutesOf(product, category, service string) *winRoutes {
	var key string
	var events []winEvents
	channelOnly := true
	switch {
	case product != "windows" && !(product == "" && category == "antivirus"):
		return notWindows
	case winCategories[category] != nil:
		key, events = "c:"+category, winCategories[category]
		channelOnly = !sysmonEvents(events)
	case winServices[service] != nil:
		key, events = "s:"+service, []winEvents{{channels: winServices[service]}}
	default:
		return unknownWindows
	}
	if w, ok := winRouteCache.Load(key); ok {
		return w.(*winRoutes)
	}
	w := &winRoutes{
		record:      winRoute(events, recordChannel, recordEventID, false),
		beat:        winRoute(events, beatChannel, beatEventID, false),
		flat:        winRoute(events, flatChannel, flatEventID, true),
		channelOnly: channelOnly,
	}
	v, _ := winRouteCache.LoadOrStore(key, w)
	return v.(*winRoutes)
}

// readsSome returns the expression that holds when an event holds at
// least one of the fields that det reads (at any of its paths): a rule
// routed to events of unknown shape must not hold on such an event merely
// because it lacks them all, as "condition: not selection" does. A
// keyword search reads every value and needs nothing; neither does a
// detection that reads no field or that cannot hold without one.
func readsSome(det *ir.Expr) *ir.Expr {
	if !holdsOnNothing(det) {
		return ir.Const(true)
	}
	var fields []ir.Field
	seen := map[string]bool{}
	any := false
	add := func(f ir.Field) {
		if f.Any {
			any = true
			return
		}
		if k := f.Key(); !seen[k] {
			seen[k] = true
			fields = append(fields, f)
		}
	}
	ir.Walk(det, func(x *ir.Expr) bool {
		if p := x.Pred; p != nil {
			add(p.Field)
			if p.Right != nil && p.Right.Fn == ir.FnField {
				add(p.Right.Field)
			}
		}
		return true
	})
	if any || len(fields) == 0 {
		return ir.Const(true)
	}
	alts := make([]*ir.Expr, len(fields))
	for i, f := range fields {
		alts[i] = exists(f)
	}
	return or(alts...)
}

// sysmonEvents reports whether any of events are Sysmon's.
func sysmonEvents(events []winEvents) bool {
	for _, e := range events {
		if slices.Contains(e.channels, chanSysmon) {
			return true
		}
	}
	return false
}

// winRoute returns the expression for events of the Windows shapes: any
// of events (at least one), read through the channel and event ID fields;
// with optionalChannel, an event without a channel passes the channel test.
func winRoute(events []winEvents, channel, eventID ir.Field, optionalChannel bool) *ir.Expr {
	var alts []*ir.Expr
	for _, e := range events {
		vals := make([]ir.Value, len(e.channels))
		for i, c := range e.channels {
			vals[i] = ir.Str(c)
		}
		ch := ir.P(pred(&channel, ir.CmpEqual, false, vals...))
		if optionalChannel {
			ch = ir.Or(ir.Not(exists(channel)), ch)
		}
		if len(e.ids) == 0 {
			alts = append(alts, ch)
			continue
		}
		ids := make([]ir.Value, len(e.ids))
		for i, id := range e.ids {
			ids[i] = ir.Num(id)
		}
		alts = append(alts, ir.And(ch, ir.P(pred(&eventID, ir.CmpEqual, false, ids...))))
	}
	return or(alts...)
}

// holdsOnNothing reports whether x holds on an event that has none of the
// fields it reads: every comparison, presence test and keyword search is
// false on a missing field, and not turns that into true.
func holdsOnNothing(x *ir.Expr) bool {
	switch x.Op {
	case ir.OpTrue:
		return true
	case ir.OpNot:
		return !holdsOnNothing(x.Args[0])
	case ir.OpAnd:
		for _, a := range x.Args {
			if !holdsOnNothing(a) {
				return false
			}
		}
		return true
	case ir.OpOr:
		for _, a := range x.Args {
			if holdsOnNothing(a) {
				return true
			}
		}
	}
	return false
}

// ecsRoute returns the expression for ECS events: the category's ECS
// categorization, and the platform. For an operating system (windows,
// linux, macos) host.os.type must name it when the event has one. For
// another product (zeek, aws, okta, …) event.module must name it (Filebeat's
// modules set it so); an event with neither host.os.type nor event.module
// says nothing of its platform and is routed as an unknown one, by reads.
// A rule without a product (webserver, proxy, …) is routed by reads too.
func ecsRoute(product, category string, reads *ir.Expr) *ir.Expr {
	var args []*ir.Expr
	if e, ok := ecsCategories[category]; ok {
		args = append(args, ir.P(pred(&ecsCategory, ir.CmpEqual, false, strValues(e.categories)...)))
		if len(e.types) > 0 {
			args = append(args, ir.P(pred(&ecsType, ir.CmpEqual, false, strValues(e.types)...)))
		}
	}
	switch {
	case operatingSystems[product]:
		args = append(args, ir.Or(ir.Not(exists(ecsOS)), ir.P(pred(&ecsOS, ir.CmpEqual, false, ir.Str(product)))))
	case product != "":
		args = append(args, ir.Or(ir.P(pred(&ecsModule, ir.CmpEqual, false, ir.Str(product))),
			andC(ir.Not(exists(ecsOS)), ir.Not(exists(ecsModule)), reads)))
	default:
		args = append(args, reads)
	}
	return andC(args...)
}

// strValues returns literal string values.
func strValues(ss []string) []ir.Value {
	vals := make([]ir.Value, len(ss))
	for i, s := range ss {
		vals[i] = ir.Str(s)
	}
	return vals
}

// exists returns "f exists".
func exists(f ir.Field) *ir.Expr { return ir.P(pred(&f, ir.CmpExists, false)) }

// andC is and() with its constants folded (constfold.Node, as compile
// folds them): a false argument makes the result false, true arguments
// are left out.
func andC(args ...*ir.Expr) *ir.Expr { return folded(ir.And(args...)) }

// orC is or() with its constants folded: a true argument makes the result
// true, false arguments are left out.
func orC(args ...*ir.Expr) *ir.Expr { return folded(ir.Or(args...)) }

// folded returns x, an and or an or, with its constants folded, and the
// operand itself when one is left.
func folded(x *ir.Expr) *ir.Expr {
	y, _ := constfold.Node(x)
	if len(y.Args) == 1 && y.Op != ir.OpNot {
		return y.Args[0]
	}
	return y
}
