package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/ruleforge/ruleforge/internal/hitline"
	"github.com/ruleforge/ruleforge/match"
)

// The fields every hit carries when its event has them, and the paths
// they are read at, the first the event holds winning: a Windows event
// record (Event.System, as evtx dumps write it), flat Windows fields, then
// ECS (Winlogbeat's names for Windows events; host.name and event.code
// for any event). UtcTime, Sysmon's own time of the event, is the last
// resort for records without a System time.
var (
	timestampPaths = []string{
		"Event.System.TimeCreated.#attributes.SystemTime", "Event.System.TimeCreated.@SystemTime", "Event.System.TimeCreated.SystemTime",
		"SystemTime", "TimeCreated", "@timestamp", "UtcTime", "Event.EventData.UtcTime",
	}
	computerPaths = []string{"Event.System.Computer", "Computer", "host.name", "winlog.computer_name", "host.hostname"}
	channelPaths  = []string{"Event.System.Channel", "Channel", "winlog.channel"}
	eventIDPaths  = []string{"Event.System.EventID", "EventID", "winlog.event_id", "event.code"}
	recordIDPaths = []string{"Event.System.EventRecordID", "EventRecordID", "winlog.record_id"}
)

// viewPaths are the hit fields' paths that package normalize's view of a
// Windows event fills (addWindows: host.name and winlog.computer_name
// from the System Computer, winlog.channel from Channel, winlog.event_id
// and event.code from EventID, winlog.record_id from EventRecordID,
// @timestamp from TimeCreated's SystemTime). The view adds a field only
// where the event has none, from the Computer, Channel, … at
// Event.System (or at the top level of a flat event), whose paths come
// earlier in the same field's list: where the view's value is usable
// (not empty, "-" or the zero GUID), the path it came from holds a value
// that first takes (an event's scalars, from JSON or .evtx, are strings,
// JSON numbers and booleans, which valueText reads as normalize's text
// does, and it reads an element's #text as unwrap does), so the view's
// value is never the one read.
//
// So the records are not told these paths (pipeline.Config.Paths): told,
// the view would compute them for every Windows event, matched or not,
// because the caller reads them (normalize.NewReaderWith). Untold, a
// record still gives the event's own value at them (a Reader's record
// holds the view's paths, filled from the event; another looks them up
// in the event), all that can win. TestHitFieldsLazy compares with every
// path told; BenchmarkHitFieldPaths measures what they cost.
var viewPaths = map[string]bool{
	"host.name": true, "winlog.computer_name": true, "winlog.channel": true,
	"winlog.event_id": true, "event.code": true, "winlog.record_id": true, "@timestamp": true,
}

// detailFields are the fields that say what happened, as a timeline
// shows them (Hayabusa's "Details", Chainsaw's columns): a short label,
// the Windows event data names (read at the top level of flat events and
// in Event.EventData of records) and the ECS path. An event shows those it
// has, in this order.
var detailFields = []struct {
	label   string
	windows []string
	ecs     string
}{
	{"Cmdline", []string{"CommandLine"}, "process.command_line"},
	{"Proc", []string{"Image", "NewProcessName"}, "process.executable"},
	{"Parent", []string{"ParentImage", "ParentProcessName"}, "process.parent.executable"},
	{"Target", []string{"TargetImage"}, ""},
	{"Access", []string{"GrantedAccess"}, ""},
	{"File", []string{"TargetFilename"}, "file.path"},
	{"Loaded", []string{"ImageLoaded"}, "dll.path"},
	{"Reg", []string{"TargetObject"}, "registry.path"},
	{"Query", []string{"QueryName"}, "dns.question.name"},
	{"DstIP", []string{"DestinationIp"}, "destination.ip"},
	{"DstPort", []string{"DestinationPort"}, "destination.port"},
	{"Pipe", []string{"PipeName"}, ""},
	{"Service", []string{"ServiceName"}, "service.name"},
	{"Script", []string{"ScriptBlockText"}, "powershell.file.script_block_text"},
	{"SrcIP", []string{"IpAddress", "SourceIp"}, "source.ip"},
	{"LogonType", []string{"LogonType"}, ""},
	{"TgtUser", []string{"TargetUserName"}, ""},
	{"User", []string{"User", "SubjectUserName"}, "user.name"},
}

// eventFields are the fields of a matched event that the output shows:
// those of a hit line, and what the table shows besides.
type eventFields struct {
	hitline.Fields
	time    time.Time // the parsed Timestamp, or zero
	details []detail  // the detail fields the event has, in detailFields order
}

// detail is one field that says what happened.
type detail struct{ label, value string }

// fieldReader reads eventFields from records: the paths, made once, that
// the records hold (pipeline.Config.Paths). One made without the details
// reads none: the hit lines and alert documents show none, and the
// records then hold 16 paths besides the rules' (23, less the viewPaths),
// not 73, and a matched event takes at most 23 lookups, not 80 (and a copy
// of each detail it has).
type fieldReader struct {
	timestamp, computer, channel, eventID, recordID []*match.Path
	details                                         [][]*match.Path // by detailFields
	filled                                          []*match.Path   // those the records hold: all but the hit fields' viewPaths
}

// newFieldReader makes the paths of every field, the details' only if
// told (for the table and CSV rows, which show them). The records are
// not told the hit fields' viewPaths (filled); the tests' fullFieldReader
// tells them every path, to compare.
func newFieldReader(details bool) *fieldReader {
	fr := &fieldReader{}
	paths := func(dotted []string, view map[string]bool) []*match.Path {
		var ps []*match.Path
		for _, d := range dotted {
			p := match.NewPath(d)
			ps = append(ps, p)
			if !view[d] {
				fr.filled = append(fr.filled, p)
			}
		}
		return ps
	}
	fr.timestamp, fr.computer, fr.channel = paths(timestampPaths, viewPaths), paths(computerPaths, viewPaths), paths(channelPaths, viewPaths)
	fr.eventID, fr.recordID = paths(eventIDPaths, viewPaths), paths(recordIDPaths, viewPaths)
	for _, d := range detailFields {
		if !details {
			break
		}
		var dotted []string
		for _, w := range d.windows {
			dotted = append(dotted, "Event.EventData."+w, w)
		}
		if d.ecs != "" {
			dotted = append(dotted, d.ecs)
		}
		// The view derives some details' ECS fields from names not
		// before them (process.executable and file.path: untold, they
		// fail TestHitFieldsLazy): the records are told them all.
		fr.details = append(fr.details, paths(dotted, nil))
	}
	return fr
}

// read returns the fields of the event in rec, copied out of it.
func (fr *fieldReader) read(rec *match.Record) eventFields {
	var f eventFields
	if ts, ok := first(rec, fr.timestamp); ok {
		f.time, f.Timestamp = parseTime(ts)
	}
	computer, _ := first(rec, fr.computer)
	channel, _ := first(rec, fr.channel)
	f.Computer, f.Channel = strings.Clone(computer), strings.Clone(channel)
	f.EventID = integer(first(rec, fr.eventID))
	f.RecordID = integer(first(rec, fr.recordID))
	for i, ps := range fr.details {
		if v, ok := first(rec, ps); ok {
			f.details = append(f.details, detail{detailFields[i].label, strings.Clone(v)})
		}
	}
	return f
}

// first returns, as text, the value at the first of paths that rec holds
// as a string, number or element text. The text may be the record's
// memory, which its next event reuses: what is kept is copied (the
// timestamp is parsed, or copied by parseTime, the IDs parsed).
func first(rec *match.Record, paths []*match.Path) (string, bool) {
	for _, p := range paths {
		v, ok := rec.Lookup(p)
		if !ok {
			continue
		}
		if s, ok := valueText(v); ok && s != "" && s != "-" { // "-": Windows' no value
			return s, true
		}
	}
	return "", false
}

// valueText renders a scalar value as text; an element written with its
// attributes ({"#text": v, "#attributes": …}) is its text v.
func valueText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	case map[string]any:
		if t, ok := x["#text"]; ok {
			return valueText(t)
		}
	}
	return "", false
}

// integer returns the integer s spells, or nil.
func integer(s string, ok bool) *int64 {
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// timeLayouts are the event time formats parseTime reads: RFC 3339 (evtx
// dumps' SystemTime, ECS @timestamp) and Sysmon's UtcTime
// ("2024-05-14 10:41:16.512"); a time without a zone is UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// parseTime reads an event time: the time and its text in RFC 3339, UTC,
// or a zero time and a copy of s, as it is, when no layout reads it.
// Either text shares no memory with s (a record's, reused by its next
// event).
func parseTime(s string) (time.Time, string) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			t = t.UTC()
			return t, t.Format(time.RFC3339Nano)
		}
	}
	return time.Time{}, strings.Clone(s)
}
