package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/ruleforge/ruleforge/internal/hitline"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// hunt is the part of a match run made for analysts: the fields of
// matched events, the table and CSV output, the event time window, the
// reasons of -explain and the summary by level and rule.
type hunt struct {
	output  string // hits, alert, table or csv
	explain bool
	fields  *fieldReader
	rows    rowWriter // table and csv; nil for the JSON line formats
	sel     *selection
	lines   hitline.Writer // the hit lines, written on the run's goroutine (emit)

	sort      bool     // -sort: rows by event time
	sortLimit int      // the most rows held for -sort
	held      []hitRow // with -sort: the rows not written yet
	runs      int      // with -sort: the runs of sorted rows written before the last

	outside atomic.Int64 // hits dropped: of events out of the -from/-to window
	noTime  atomic.Int64 // hits dropped: of events without a time, with a window

	// inspect is configure's Inspect for the runs of inspectRS, made
	// once: a folder of small files is a run per file.
	inspect   func(*match.Record, *pipeline.Result)
	inspectRS *match.Ruleset
}

// huntFlags registers the flags of hunt on fs (besides -output, which
// match owns) and returns it, ready once fs is parsed.
func huntFlags(fs *flag.FlagSet) *hunt {
	h := &hunt{}
	fs.BoolVar(&h.explain, "explain", false, "add to each hit the fields, paths, values and tests that made the rule match")
	fs.BoolVar(&h.sort, "sort", false, "with -output table or csv: rows by event time (those without one last), held in memory up to -sort-limit")
	fs.IntVar(&h.sortLimit, "sort-limit", maxSortedRows, "the most rows -sort holds; beyond, the rows are written in sorted runs of this many")
	h.sel = selectionFlags(fs)
	return h
}

// outputs are the values -output takes.
var outputs = []string{"hits", "alert", "table", "csv"}

// check validates the flags once parsed, -output's value among them,
// and prepares the output's writer: none with -count, whose lines replace
// the rows (the summary then goes to stderr).
func (h *hunt) check(output string, count bool) error {
	if !slices.Contains(outputs, output) {
		return fmt.Errorf("-output %q: want hits or alert, table or csv", output)
	}
	if err := h.sel.check(); err != nil {
		return err
	}
	if h.sortLimit < 1 {
		return fmt.Errorf("-sort-limit %d: want at least 1", h.sortLimit)
	}
	if h.sort && output != "table" && output != "csv" {
		return fmt.Errorf("-sort: only with -output table or csv")
	}
	h.output = output
	if count {
		h.output = "hits"
	}
	switch h.output {
	case "table":
		h.rows = &tableWriter{explain: h.explain}
	case "csv":
		h.rows = &csvWriter{explain: h.explain}
	}
	h.fields = newFieldReader(h.rows != nil)
	return nil
}

// matched is what the worker keeps of an event that rules matched
// (pipeline.Result.Info).
type matched struct {
	outside bool // out of the -from/-to window: hits dropped
	fields  eventFields
	reasons [][]match.Reason // with -explain: by hit
}

// hitInfo is what a hit carries besides the rule: the event's fields
// and, with -explain, the reasons.
type hitInfo struct {
	eventFields
	Explain []match.Reason
}

// reason is one test that made a rule true, as alert documents write it.
type reason struct {
	Field string `json:"field"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value"`
	Test  string `json:"test"`
}

// configure sets the pipeline's hooks: the paths the fields are read at
// and the inspection of each matched event.
func (h *hunt) configure(cfg *pipeline.Config) {
	cfg.Paths = h.fields.filled
	if h.inspect == nil || h.inspectRS != cfg.Ruleset {
		h.inspect, h.inspectRS = h.inspectOf(cfg.Ruleset), cfg.Ruleset
	}
	cfg.Inspect = h.inspect
}

// inspectOf returns the pipeline.Config.Inspect of the runs of rs: it
// reads the fields of each matched event, drops its hits outside the
// window and, with -explain, keeps the reasons of the others.
func (h *hunt) inspectOf(rs *match.Ruleset) func(*match.Record, *pipeline.Result) {
	return func(rec *match.Record, res *pipeline.Result) {
		m := &matched{fields: h.fields.read(rec)}
		res.Info = m
		if !h.sel.inWindow(m.fields.time) {
			m.outside = true
			h.drop(m, len(res.Hits))
			res.Hits = res.Hits[:0]
			return
		}
		if h.explain {
			for _, i := range res.Hits {
				rr := rs.Explain(rec, i)
				for j := range rr {
					rr[j].Value = detach(rr[j].Value)
				}
				m.reasons = append(m.reasons, rr)
			}
		}
	}
}

// drop counts n hits of the event m left out by the window.
func (h *hunt) drop(m *matched, n int) {
	if m.fields.time.IsZero() {
		h.noTime.Add(int64(n))
	} else {
		h.outside.Add(int64(n))
	}
}

// stateful returns what was read of the event of res, which completed a
// stateful rule's alert (nil if nothing was), and whether the alert is
// kept: not when the event lies outside the window (counted then).
func (h *hunt) stateful(res *pipeline.Result) (m *matched, keep bool) {
	m, _ = res.Info.(*matched)
	if m != nil && m.outside {
		h.drop(m, 1)
		return m, false
	}
	return m, true
}

// statefulRow writes a stateful rule's alert, completed by event m of
// input, as a row of the table or CSV, and reports whether it did (false
// for the JSON line formats).
func (h *hunt) statefulRow(out *bufio.Writer, input string, event int, rule *ir.Rule, m *matched) bool {
	if h.rows == nil {
		return false
	}
	h.add(out, hitRow{input: input, event: event, rule: rule, info: m.hit(-1)})
	return true
}

// detach returns a copy of a value read from a record that shares no
// memory with it: the record's texts are reused by the next event.
func detach(v any) any {
	switch x := v.(type) {
	case string:
		return strings.Clone(x)
	case json.Number:
		return json.Number(strings.Clone(string(x)))
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = detach(e)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[strings.Clone(k)] = detach(e)
		}
		return c
	}
	return v
}

// hit returns what hit k of an event's result carries.
func (m *matched) hit(k int) hitInfo {
	if m == nil {
		return hitInfo{}
	}
	info := hitInfo{eventFields: m.fields}
	if k >= 0 && k < len(m.reasons) {
		info.Explain = m.reasons[k]
	}
	return info
}

// alertInfo is what an alert carries of its event besides
// event.original, at ECS names: the event's own time where Elastic's
// alerts keep it (kibana.alert.original_time; @timestamp is the alert's),
// host.name, and winlog's channel, event_id and record_id.
type alertInfo struct {
	Kibana  *alertKibana `json:"kibana,omitempty"`
	Host    *alertHost   `json:"host,omitempty"`
	Winlog  *alertWinlog `json:"winlog,omitempty"`
	Explain []reason     `json:"explain,omitempty"`
}

// alertKibana holds kibana.alert.original_time.
type alertKibana struct {
	Alert struct {
		OriginalTime string `json:"original_time"`
	} `json:"alert"`
}

// alertHost holds host.name.
type alertHost struct {
	Name string `json:"name"`
}

// alertWinlog holds winlog's channel, event_id and record_id.
type alertWinlog struct {
	Channel  string `json:"channel,omitempty"`
	EventID  *int64 `json:"event_id,omitempty"`
	RecordID *int64 `json:"record_id,omitempty"`
}

// alert returns what the alert of hit k carries.
func (m *matched) alert(k int) alertInfo {
	info := m.hit(k)
	var a alertInfo
	if f := info.eventFields; f.Timestamp != "" {
		a.Kibana = &alertKibana{}
		a.Kibana.Alert.OriginalTime = f.Timestamp
	}
	if f := info.eventFields; f.Computer != "" {
		a.Host = &alertHost{Name: f.Computer}
	}
	if f := info.eventFields; f.Channel != "" || f.EventID != nil || f.RecordID != nil {
		a.Winlog = &alertWinlog{Channel: f.Channel, EventID: f.EventID, RecordID: f.RecordID}
	}
	for _, r := range info.Explain {
		a.Explain = append(a.Explain, reason{Field: r.Field, Path: r.Path, Value: r.Value, Test: r.Test})
	}
	return a
}

// eventCode is the event's ID as ECS event.code writes it, or "".
func (m *matched) eventCode() string {
	if m == nil || m.fields.EventID == nil {
		return ""
	}
	return fmt.Sprint(*m.fields.EventID)
}

// begin writes what comes before the first hit: the table's or CSV's
// header. The table has a column of the input when the run reads
// several (inputs).
func (h *hunt) begin(out *bufio.Writer, inputs int) {
	if t, ok := h.rows.(*tableWriter); ok {
		t.inputs = inputs > 1
	}
	if h.rows != nil {
		h.rows.begin(out)
	}
}

// row writes hit k of res as a row of the table or CSV output and reports
// whether it did (false for the JSON line formats).
func (h *hunt) row(out *bufio.Writer, input string, res *pipeline.Result, k int, rs *match.Ruleset) bool {
	if h.rows == nil {
		return false
	}
	m, _ := res.Info.(*matched)
	h.add(out, hitRow{input: input, event: res.Ordinal, rule: rs.Rule(res.Hits[k]), info: m.hit(k)})
	return true
}
