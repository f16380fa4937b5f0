// Package hitline writes the hit line: the JSON object "ruleforge match"
// prints for each hit, which is also the value of each alert the kafka
// consumer produces. It is the one writer of that object, so the CLI's
// output and the alerts topic cannot drift apart.
//
// The fields, in this order (a field marked omitted is left out when it
// is empty or absent):
//
//	input, event                the input's name and the event's 1-based ordinal
//	rule_id, title, language, severity
//	risk_score, rule_file       omitted
//	timestamp, computer, channel, event_id, record_id
//	                            the event's, each omitted
//	…                           raw fields (kafka.Config.Describe's), omitted
//	explain                     -explain's reasons, omitted
//	…                           a stateful rule's fields (sequence, join, group…)
//	topic, partition, offset    the event's Kafka record, alerts only
//
// The bytes are those encoding/json's Marshal writes for the same
// values (strings HTML-escaped, invalid UTF-8 as U+FFFD): the hit lines
// were written with it before this package, and TestSameAsMarshal keeps
// them so.
package hitline

import (
	"encoding/json"
	"strconv"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/state"
)

// Hit is what one hit line says.
type Hit struct {
	Input string   // the input's name; a Kafka alert's is the events topic
	Event int64    // the event's 1-based ordinal in its input
	Rule  *ir.Rule // the rule that matched, or that the event completed
	Fields
	// Raw are more fields of the event, already encoded as "name":value
	// pairs joined by commas (kafka.Config.Describe's), or nil.
	Raw     []byte
	Explain []match.Reason // why the rule matched (-explain), or nil
	State   []state.Field  // a stateful rule's alert fields, in order
	Record  *Record        // the event's Kafka record, or nil
}

// Fields are the fields of a matched event that a hit line carries when
// the event has them: they say when, where and which event it was.
type Fields struct {
	Timestamp string // RFC 3339 in UTC when the event's time parses, else as the event writes it
	Computer  string
	Channel   string
	EventID   *int64
	RecordID  *int64 // the event's EventRecordID
}

// Record is where a Kafka alert's event was read: the alerts of a
// sequence or a correlation give the event that completed it.
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
}

// Append appends h's line, a JSON object without a newline, to dst.
func Append(dst []byte, h *Hit) []byte {
	dst = append(dst, `{"input":`...)
	dst = appendString(dst, h.Input)
	dst = append(dst, `,"event":`...)
	dst = strconv.AppendInt(dst, h.Event, 10)
	return appendRest(appendRule(dst, h.Rule), h)
}

// Writer appends hit lines as Append does, and remembers what repeats
// from line to line: the input's name, quoted, and each rule's fields
// (rule_id to rule_file, the same in every hit line of the rule), so
// that a hit costs the quoting of its event's fields only (the CLI's
// hit lines on the shared corpus: a file path of about 130 bytes and a
// rule's 250 each). It keeps one entry per rule written, and is not for
// concurrent use. The zero Writer is ready.
type Writer struct {
	input  string
	quoted []byte              // input, quoted
	rules  map[*ir.Rule][]byte // a rule's fields, from ,"rule_id": on
}

// Append appends h's line to dst, as the function Append does.
func (w *Writer) Append(dst []byte, h *Hit) []byte {
	if w.quoted == nil || h.Input != w.input {
		w.input, w.quoted = h.Input, appendString(w.quoted[:0], h.Input)
	}
	fields, ok := w.rules[h.Rule]
	if !ok {
		if w.rules == nil {
			w.rules = map[*ir.Rule][]byte{}
		}
		fields = appendRule(nil, h.Rule)
		w.rules[h.Rule] = fields
	}
	dst = append(append(dst, `{"input":`...), w.quoted...)
	dst = append(dst, `,"event":`...)
	dst = strconv.AppendInt(dst, h.Event, 10)
	return appendRest(append(dst, fields...), h)
}

// appendRule appends the fields of rule r, from ,"rule_id": to
// rule_file.
func appendRule(dst []byte, r *ir.Rule) []byte {
	dst = append(dst, `,"rule_id":`...)
	dst = appendString(dst, r.ID)
	dst = append(dst, `,"title":`...)
	dst = appendString(dst, r.Title)
	dst = append(dst, `,"language":`...)
	dst = appendString(dst, r.Lang.String())
	dst = append(dst, `,"severity":`...)
	dst = appendString(dst, r.Severity)
	if r.RiskScore != nil {
		dst = append(dst, `,"risk_score":`...)
		dst = strconv.AppendInt(dst, int64(*r.RiskScore), 10)
	}
	if r.Source.File != "" {
		dst = append(dst, `,"rule_file":`...)
		dst = appendString(dst, r.Source.File)
	}
	return dst
}

// appendRest appends the rest of h's line, after the rule's fields: the
// event's fields, raw fields, reasons, a stateful rule's fields, the
// Kafka record, and the closing brace.
func appendRest(dst []byte, h *Hit) []byte {
	dst = h.Fields.append(dst, true)
	if len(h.Raw) > 0 {
		dst = append(append(dst, ','), h.Raw...)
	}
	if len(h.Explain) > 0 {
		dst = append(dst, `,"explain":[`...)
		for i, x := range h.Explain {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"field":`...)
			dst = appendString(dst, x.Field)
			if x.Path != "" {
				dst = append(dst, `,"path":`...)
				dst = appendString(dst, x.Path)
			}
			dst = append(dst, `,"value":`...)
			dst = appendValue(dst, x.Value)
			dst = append(dst, `,"test":`...)
			dst = appendString(dst, x.Test)
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	dst = AppendState(dst, h.State)
	if rec := h.Record; rec != nil {
		dst = append(dst, `,"topic":`...)
		dst = appendString(dst, rec.Topic)
		dst = append(dst, `,"partition":`...)
		dst = strconv.AppendInt(dst, int64(rec.Partition), 10)
		dst = append(dst, `,"offset":`...)
		dst = strconv.AppendInt(dst, rec.Offset, 10)
	}
	return append(dst, '}')
}

// AppendState appends a stateful rule's fields to dst as "name":value
// pairs, each after a comma: the end of a hit line, and what the CLI adds
// at the end of a stateful rule's alert document.
func AppendState(dst []byte, fields []state.Field) []byte {
	for _, f := range fields {
		dst = append(dst, ',')
		dst = appendString(dst, f.Name)
		dst = append(dst, ':')
		dst = appendValue(dst, f.Value)
	}
	return dst
}

// AppendFields appends f's fields to dst as "name":value pairs joined by
// commas, without braces: what kafka.Config.Describe returns, so that the
// CLI's alerts carry an event's fields as its hit lines do.
func AppendFields(dst []byte, f *Fields) []byte { return f.append(dst, false) }

// append appends f's fields; comma says whether a comma goes before the
// first.
func (f *Fields) append(dst []byte, comma bool) []byte {
	name := func(dst []byte, n string) []byte {
		if comma {
			dst = append(dst, ',')
		}
		comma = true
		return append(dst, n...)
	}
	if f.Timestamp != "" {
		dst = appendString(name(dst, `"timestamp":`), f.Timestamp)
	}
	if f.Computer != "" {
		dst = appendString(name(dst, `"computer":`), f.Computer)
	}
	if f.Channel != "" {
		dst = appendString(name(dst, `"channel":`), f.Channel)
	}
	if f.EventID != nil {
		dst = strconv.AppendInt(name(dst, `"event_id":`), *f.EventID, 10)
	}
	if f.RecordID != nil {
		dst = strconv.AppendInt(name(dst, `"record_id":`), *f.RecordID, 10)
	}
	return dst
}

// appendValue appends v as encoding/json encodes it; a value it cannot
// encode (a function, an infinite float) is null, so that one odd value
// does not lose the line.
func appendValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return appendString(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return append(dst, "null"...)
	}
	return append(dst, b...)
}
