package normalize

import "strings"

// Channels and providers of the Windows logs Normalize maps.
const (
	sysmonChannel    = "Microsoft-Windows-Sysmon/Operational"
	sysmonProvider   = "Microsoft-Windows-Sysmon"
	securityChannel  = "Security"
	securityProvider = "Microsoft-Windows-Security-Auditing"
)

// addWindows adds the fields of every Windows event, then those of the
// log it comes from.
func addWindows(r *record, v view) {
	id := r.sys(sysEventID)
	channel := r.sys(sysChannel)
	provider := r.provider()
	var computer string
	if v.wants(hostName, winlogComputerName) {
		computer = r.sys(sysComputer)
	}

	// Sysmon for Linux writes Sysmon's records, but of Linux processes.
	linux := strings.HasPrefix(channel, "Linux-") || strings.HasPrefix(provider, "Linux-")
	if !linux {
		v.str(hostOSType, "windows")
		v.str(hostOSFamily, "windows")
	}
	v.str(eventKind, "event")
	v.str(eventCode, id)
	v.str(eventProvider, provider)
	v.str(hostName, computer)
	v.str(winlogChannel, channel)
	v.str(winlogEventID, id)
	v.str(winlogComputerName, computer)
	v.str(winlogProviderName, provider)
	if v.wants(winlogRecordID) {
		v.str(winlogRecordID, r.sys(sysRecordID))
	}
	if v.wants(winlogUserIdentifier) {
		v.str(winlogUserIdentifier, r.sysAttr(securityUserID))
	}
	if v.wants(winlogProcessPID) {
		pid, ok := parseNumber(r.sysAttr(executionPID))
		v.num(winlogProcessPID, pid, ok)
	}
	if v.wants(winlogThreadID) {
		tid, ok := parseNumber(r.sysAttr(executionTID))
		v.num(winlogThreadID, tid, ok)
	}
	if v.wants(timestamp) {
		v.str(timestamp, r.sysAttr(systemTime))
	}

	switch {
	case linux:
	case isName(channel, sysmonChannel) || isName(provider, sysmonProvider):
		addSysmon(r, v, id)
	case isName(channel, securityChannel) || isName(provider, securityProvider):
		addSecurity(r, v, id)
	}
}

// isName reports whether s is name, a channel's or provider's, in any
// case: Windows writes the names as the constants spell them, which one
// compare of memory finds before strings.EqualFold's loop over the bytes.
func isName(s, name string) bool { return s == name || strings.EqualFold(s, name) }

// category is the ECS categorization of one kind of event.
type category struct {
	category, types []string
	action          string
}

// categorize adds event.category, event.type and event.action.
func categorize(v view, c category) {
	if len(c.category) > 0 {
		v.list(eventCategory, c.category)
	}
	if len(c.types) > 0 {
		v.list(eventType, c.types)
	}
	v.str(eventAction, c.action)
}
