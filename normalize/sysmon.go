package normalize

import (
	"net/netip"
	"strings"
)

// sysmonEvents is the ECS categorization of Sysmon's events by event ID,
// Winlogbeat's (x-pack/winlogbeat/module/sysmon/ingest/sysmon.yml).
var sysmonEvents = map[string]category{
	"1":   {[]string{"process"}, []string{"start"}, "Process creation"},
	"2":   {[]string{"file"}, []string{"change"}, "A process changed a file creation time"},
	"3":   {[]string{"network"}, []string{"start", "connection", "protocol"}, "Network connection"},
	"4":   {[]string{"process"}, []string{"change"}, "Sysmon service state changed"},
	"5":   {[]string{"process"}, []string{"end"}, "Process terminated"},
	"6":   {[]string{"driver"}, []string{"start"}, "Driver loaded"},
	"7":   {[]string{"process"}, []string{"change"}, "Image loaded"},
	"8":   {[]string{"process"}, []string{"change"}, "CreateRemoteThread"},
	"9":   {[]string{"process"}, []string{"access"}, "RawAccessRead"},
	"10":  {[]string{"process"}, []string{"access"}, "ProcessAccess"},
	"11":  {[]string{"file"}, []string{"creation"}, "FileCreate"},
	"12":  {[]string{"configuration", "registry"}, []string{"change"}, "RegistryEvent (Object create and delete)"},
	"13":  {[]string{"configuration", "registry"}, []string{"change"}, "RegistryEvent (Value Set)"},
	"14":  {[]string{"configuration", "registry"}, []string{"change"}, "RegistryEvent (Key and Value Rename)"},
	"15":  {[]string{"file"}, []string{"access"}, "FileCreateStreamHash"},
	"16":  {[]string{"configuration"}, []string{"change"}, "ServiceConfigurationChange"},
	"17":  {[]string{"file"}, []string{"creation"}, "PipeEvent (Pipe Created)"},
	"18":  {[]string{"file"}, []string{"access"}, "PipeEvent (Pipe Connected)"},
	"19":  {[]string{"process"}, []string{"info"}, "WmiEvent (WmiEventFilter activity detected)"},
	"20":  {[]string{"process"}, []string{"change"}, "WmiEvent (WmiEventConsumer activity detected)"},
	"21":  {[]string{"process"}, []string{"access"}, "WmiEvent (WmiEventConsumerToFilter activity detected)"},
	"22":  {[]string{"network"}, []string{"connection", "protocol", "info"}, "DNSEvent (DNS query)"},
	"23":  {[]string{"file"}, []string{"deletion"}, "FileDelete (File Delete archived)"},
	"24":  {nil, []string{"change"}, "ClipboardChange (New content in the clipboard)"},
	"25":  {[]string{"process"}, []string{"change"}, "ProcessTampering (Process image change)"},
	"26":  {[]string{"file"}, []string{"deletion"}, "FileDeleteDetected (File Delete logged)"},
	"27":  {[]string{"file"}, []string{"creation"}, "FileBlockExecutable"},
	"28":  {[]string{"file"}, []string{"deletion"}, "FileBlockShredding"},
	"29":  {[]string{"file"}, []string{"creation"}, "FileExecutableDetected"},
	"255": {[]string{"process"}, nil, "Error"},
}

// addSysmon adds the ECS fields of a Sysmon event, following Winlogbeat's
// Sysmon module: each event data field goes to its ECS field whatever the
// event ID, except where noted.
func addSysmon(r *record, v view, id string) {
	v.str(eventModule, "sysmon")
	if c, ok := sysmonEvents[id]; ok {
		categorize(v, c)
	}
	v.strOf(ruleName, r, dRuleName)
	sysmonProcess(r, v, id)
	sysmonFile(r, v, id)
	sysmonNetwork(r, v, id)
	if v.wants(userDomain, userName, userID) {
		user(v, r.str(dUser))
	}
	if (id == "12" || id == "13" || id == "14") && v.wants(registryFields...) {
		var details string
		if v.wants(registryDataStrings, registryDataType) {
			details = r.str(dDetails)
		}
		registry(v, r.str(dTargetObject), details)
	}
}

// sysmonHashes returns the text of the hashes of a Sysmon event (Hashes,
// or Hash in some event versions).
func sysmonHashes(r *record) string {
	if s := r.str(dHashes); s != "" {
		return s
	}
	return r.str(dHash)
}

// sysmonProcess adds the process fields: the process the event is about
// (Image, or SourceImage in events 8 and 10, or Destination in event 20)
// and its parent.
func sysmonProcess(r *record, v view, id string) {
	if v.wants(processEntityID) {
		for _, f := range [...]name{dProcessGUID, dSourceProcessGUID, dSourceProcessGUID2} {
			v.str(processEntityID, r.str(f))
		}
	}
	if v.wants(processPID) {
		for _, f := range [...]name{dProcessID, dSourceProcessID} {
			n, ok := r.num(f)
			v.num(processPID, n, ok)
		}
	}
	v.numOf(processThreadID, r, dSourceThreadID)
	if v.wants(theProcess.executable, theProcess.name) {
		for _, f := range [...]name{dImage, dSourceImage, dDestination} {
			if exe := r.str(f); exe != "" {
				process(v, theProcess, exe, "")
				break
			}
		}
	}
	if v.wants(theProcess.commandLine, theProcess.args, theProcess.argsCount) {
		process(v, theProcess, "", r.str(dCommandLine))
	}
	v.strOf(processWorkingDirectory, r, dCurrentDirectory)
	if id != "7" { // in event 7 these describe the loaded image
		pe(r, v, processFile)
	}
	switch id {
	case "1", "23", "24", "25", "26":
		hashes(r, v, processFile)
	}

	v.strOf(parentEntityID, r, dParentProcessGUID)
	v.numOf(parentPID, r, dParentProcessID)
	if v.wants(theParent.executable, theParent.name, theParent.commandLine, theParent.args, theParent.argsCount) {
		process(v, theParent, r.str(dParentImage), r.str(dParentCommandLine))
	}
}

// pe adds the fields of a file's PE header that Sysmon reports.
func pe(r *record, v view, f filePaths) {
	for i, d := range peFields {
		v.strOf(f.pe[i], r, d)
	}
}

// sysmonFile adds the file fields: the file created, deleted, loaded
// (TargetFilename, Device, ImageLoaded) or the pipe (PipeName), its
// signature, and in event 7 its PE header and hashes, also as the dll.*
// fields Elastic Defend gives library loads.
func sysmonFile(r *record, v view, id string) {
	var path string
	for _, f := range [...]name{dTargetFilename, dDevice, dImageLoaded} {
		if !v.wants(filePath, fileName, fileDirectory, fileExtension) {
			break
		}
		if path = r.str(f); path != "" {
			break
		}
	}
	if path != "" {
		v.str(filePath, path)
		if i := strings.LastIndexByte(path, '\\'); i >= 0 {
			name := path[i+1:]
			v.str(fileName, name)
			v.str(fileDirectory, path[:i])
			if j := strings.LastIndexByte(name, '.'); j >= 0 {
				v.str(fileExtension, name[j+1:])
			}
		}
	}
	v.strOf(fileName, r, dPipeName)
	signature(r, v, fileFile)
	switch id {
	case "6", "7", "15", "29":
		hashes(r, v, fileFile)
	}
	if id != "7" {
		return
	}
	pe(r, v, fileFile)
	if dll := r.str(dImageLoaded); dll != "" {
		v.str(dllPath, dll)
		v.str(dllName, baseName(dll))
		pe(r, v, dllFile)
		hashes(r, v, dllFile)
		signature(r, v, dllFile)
	}
}

// signature adds the code signature fields of a file.
func signature(r *record, v view, f filePaths) {
	v.strOf(f.subjectName, r, dSignature)
	if !v.wants(f.status, f.signed, f.valid) {
		return
	}
	status := r.str(dSignatureStatus)
	v.str(f.status, status)
	switch strings.ToLower(r.str(dSigned)) {
	case "true":
		v.set(f.signed, true)
	case "false":
		v.set(f.signed, false)
	}
	if status == "Valid" {
		v.set(f.valid, true)
	}
}

// sysmonNetwork adds the network fields of events 3 (connection) and 22
// (DNS query).
func sysmonNetwork(r *record, v view, id string) {
	if v.wants(networkTransport) {
		v.str(networkTransport, strings.ToLower(r.str(dProtocol)))
	}
	switch {
	case id == "22":
		v.str(networkProtocol, "dns")
	case v.wants(networkProtocol):
		v.str(networkProtocol, r.str(dDestinationPortName))
		v.str(networkProtocol, r.str(dSourcePortName))
	}
	if v.wants(sourceIP) {
		v.str(sourceIP, ip(r.str(dSourceIP)))
	}
	v.strOf(sourceDomain, r, dSourceHostname)
	v.numOf(sourcePort, r, dSourcePort)
	if v.wants(destinationIP) {
		v.str(destinationIP, ip(r.str(dDestinationIP)))
	}
	v.strOf(destinationDomain, r, dDestinationHostname)
	v.numOf(destinationPort, r, dDestinationPort)
	either(r, v, networkDirection, dInitiated, "egress", "ingress")
	either(r, v, networkType, dSourceIsIPv6, "ipv6", "ipv4")
	v.strOf(dnsQuestionName, r, dQueryName)
	if v.wants(dnsResolvedIP) {
		if ips := resolvedIPs(r.str(dQueryResults)); len(ips) > 0 {
			v.list(dnsResolvedIP, ips)
		}
	}
}

// either adds yes or no at f as event data field d is "true" or "false"
// (in any case), and nothing for another value.
func either(r *record, v view, f field, d name, yes, no string) {
	if !v.wants(f) {
		return
	}
	switch strings.ToLower(r.str(d)) {
	case "true":
		v.str(f, yes)
	case "false":
		v.str(f, no)
	}
}

// ip returns s when it is an IP address, else "".
func ip(s string) string {
	if s == "" {
		return ""
	}
	if _, err := netip.ParseAddr(s); err != nil {
		return ""
	}
	return s
}

// resolvedIPs returns the addresses of Sysmon's QueryResults
// ("type:  5 cdn.example;::ffff:192.0.2.1;2001:db8::1;"): the entries that
// are IP addresses, IPv4-mapped IPv6 ones as IPv4.
func resolvedIPs(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, e := range strings.Split(s, ";") {
		e = strings.TrimSpace(e)
		a, err := netip.ParseAddr(e)
		if err != nil {
			continue
		}
		if a.Is4In6() {
			a = a.Unmap()
		}
		out = append(out, a.String())
	}
	return out
}
