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
	id := r.sys("EventID")
	channel := r.sys("Channel")
	provider := r.provider()
	computer := r.sys("Computer")

	// Sysmon for Linux writes Sysmon's records, but of Linux processes.
	linux := strings.HasPrefix(channel, "Linux-") || strings.HasPrefix(provider, "Linux-")
	if !linux {
		v.str("host.os.type", "windows")
		v.str("host.os.family", "windows")
	}
	v.str("event.kind", "event")
	v.str("event.code", id)
	v.str("event.provider", provider)
	v.str("host.name", computer)
	v.str("winlog.channel", channel)
	v.str("winlog.event_id", id)
	v.str("winlog.computer_name", computer)
	v.str("winlog.provider_name", provider)
	v.str("winlog.record_id", r.sys("EventRecordID"))
	v.str("winlog.user.identifier", r.sysAttr("Security", "UserID"))
	pid, ok := parseNumber(r.sysAttr("Execution", "ProcessID"))
	v.num("winlog.process.pid", pid, ok)
	tid, ok := parseNumber(r.sysAttr("Execution", "ThreadID"))
	v.num("winlog.process.thread.id", tid, ok)
	v.str("@timestamp", r.sysAttr("TimeCreated", "SystemTime"))

	switch {
	case linux:
	case strings.EqualFold(channel, sysmonChannel) || strings.EqualFold(provider, sysmonProvider):
		addSysmon(r, v, id)
	case strings.EqualFold(channel, securityChannel) || strings.EqualFold(provider, securityProvider):
		addSecurity(r, v, id)
	}
}

// category is the ECS categorization of one kind of event.
type category struct {
	category, types []string
	action          string
}

// categorize adds event.category, event.type and event.action.
func categorize(v view, c category) {
	if len(c.category) > 0 {
		v.set("event.category", strs(c.category...))
	}
	if len(c.types) > 0 {
		v.set("event.type", strs(c.types...))
	}
	v.str("event.action", c.action)
}
