package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// hitRow is one (event, rule) match as the table and CSV show it.
type hitRow struct {
	input string
	event int
	rule  *ir.Rule
	info  hitInfo
}

// rowWriter writes hits as rows: the table or CSV output.
type rowWriter interface {
	begin(out *bufio.Writer)
	row(out *bufio.Writer, r hitRow)
}

// The table's columns, with their widths in code points (longer values
// are cut, ending "…"); details take the rest of the line, up to
// detailsWidth.
var tableColumns = []column{{"TIME (UTC)", 23}, {"COMPUTER", 28}, {"CHANNEL", 12}, {"EID", 5}, {"LEVEL", 5}, {"RULE", 48}, {"DETAILS", 0}}

// detailsWidth is the most a table row shows of the details.
const detailsWidth = 160

// inputColumn is the table's column of the input file, after the time,
// when the run reads several inputs.
var inputColumn = column{"INPUT", 28}

// column is a column of the table: its header and width.
type column struct {
	name  string
	width int
}

// tableWriter writes a timeline a person reads: one aligned row per hit,
// the time, (the input, when there are several) host, log, event ID,
// level, rule and what happened.
type tableWriter struct {
	explain bool
	inputs  bool // several inputs: a column for the input of each hit
}

// columns returns the table's columns.
func (t *tableWriter) columns() []column {
	cols := make([]column, 0, len(tableColumns)+1)
	for i, c := range tableColumns {
		cols = append(cols, c)
		if i == 0 && t.inputs {
			cols = append(cols, inputColumn)
		}
	}
	return cols
}

// begin writes the header.
func (t *tableWriter) begin(out *bufio.Writer) {
	cols := t.columns()
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = c.name
	}
	writeCells(out, cols, cells)
}

// row writes one hit, and with -explain its reasons on lines below.
func (t *tableWriter) row(out *bufio.Writer, r hitRow) {
	f := r.info.eventFields
	when := f.Timestamp
	if !f.time.IsZero() {
		when = f.time.Format("2006-01-02 15:04:05.000")
	}
	cells := []string{when, f.Computer, shortChannel(f.Channel), optInt(f.EventID), shortLevel(r.rule.Severity), r.rule.Title, detailText(f.details)}
	if t.inputs {
		cells = slices.Insert(cells, 1, cutLeft(r.input, inputColumn.width))
	}
	writeCells(out, t.columns(), cells)
	if t.explain {
		for _, x := range r.info.Explain {
			fmt.Fprintf(out, "    why: %s\n", reasonText(x))
		}
	}
}

// writeCells writes one line of cells, each cut and padded to its column;
// a column of width 0 takes the rest of the line, up to detailsWidth.
func writeCells(out *bufio.Writer, cols []column, cells []string) {
	var b strings.Builder
	for i, c := range cells {
		w := cols[i].width
		if w == 0 {
			b.WriteString(cut(c, detailsWidth))
			break
		}
		c = cut(c, w)
		b.WriteString(c)
		b.WriteString(strings.Repeat(" ", w-utf8.RuneCountInString(c)+2))
	}
	out.WriteString(strings.TrimRight(b.String(), " "))
	out.WriteByte('\n')
}

// cutLeft returns oneLine(s) cut to its last w code points, the first
// one "…" when it was cut: the end of a path names the file.
func cutLeft(s string, w int) string {
	s = oneLine(s)
	n := utf8.RuneCountInString(s)
	if n <= w {
		return s
	}
	for i := range s {
		if n <= w-1 {
			return "…" + s[i:]
		}
		n--
	}
	return s
}

// oneLine returns s with control characters (line breaks, tabs, and the
// escape sequences' ESC and CSI that would drive a terminal: event values
// come from attackers) as spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// cut returns oneLine(s) cut to at most w code points, the last one "…"
// when it was cut.
func cut(s string, w int) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= w {
		return s
	}
	n := 0
	for i := range s {
		if n == w-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// shortChannel names a Windows log briefly: "Sysmon" for
// Microsoft-Windows-Sysmon/Operational.
func shortChannel(c string) string {
	c = strings.TrimPrefix(c, "Microsoft-Windows-")
	return strings.TrimSuffix(c, "/Operational")
}

// shortLevel abbreviates a level to the table's column.
func shortLevel(l string) string {
	switch l {
	case "informational":
		return "info"
	case "critical":
		return "crit"
	case "medium":
		return "med"
	}
	return l
}

// optInt renders n, or "" for nil.
func optInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// detailText joins the details as "Label: value ¦ Label: value".
func detailText(ds []detail) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.label + ": " + d.value
	}
	return strings.Join(parts, " ¦ ")
}

// reasonText renders a reason: `Image (Event.EventData.Image) =
// "C:\…\mofcomp.exe": ends~ "\mofcomp.exe"`.
func reasonText(r match.Reason) string {
	where := r.Field
	if r.Path != "" && r.Path != r.Field {
		where += " (" + r.Path + ")"
	}
	v := fmt.Sprint(r.Value)
	if s, ok := r.Value.(string); ok {
		v = `"` + s + `"` // as the tests write texts: Windows paths stay readable
	}
	return where + " = " + oneLine(v) + ": " + r.Test
}

// csvWriter writes the table's content as CSV (RFC 4180) with a header,
// nothing cut, for spreadsheets and other tools. A cell that a
// spreadsheet would run as a formula (it starts with =, +, -, @, a tab or
// a carriage return: an attacker's command line can) starts with a
// quote, as OWASP's advice on CSV injection has it.
type csvWriter struct {
	explain bool
	w       *csv.Writer
}

// csvHeader names the CSV columns.
var csvHeader = []string{"timestamp", "computer", "channel", "event_id", "record_id", "level", "rule", "rule_id", "language", "input", "event", "details"}

// begin writes the header.
func (c *csvWriter) begin(out *bufio.Writer) {
	c.w = csv.NewWriter(out)
	header := csvHeader
	if c.explain {
		header = append(header[:len(header):len(header)], "explain")
	}
	c.w.Write(header)
	c.w.Flush()
}

// row writes one hit; with -explain its reasons are one cell, one a line.
func (c *csvWriter) row(out *bufio.Writer, r hitRow) {
	f := r.info.eventFields
	rec := []string{f.Timestamp, f.Computer, f.Channel, optInt(f.EventID), optInt(f.RecordID), r.rule.Severity, r.rule.Title,
		r.rule.ID, r.rule.Lang.String(), r.input, strconv.Itoa(r.event), detailText(f.details)}
	if c.explain {
		why := make([]string, len(r.info.Explain))
		for i, x := range r.info.Explain {
			why[i] = reasonText(x)
		}
		rec = append(rec, strings.Join(why, "\n"))
	}
	for i, cell := range rec {
		rec[i] = inert(cell)
	}
	c.w.Write(rec)
	c.w.Flush()
}

// inert returns a CSV cell that no spreadsheet takes for a formula.
func inert(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
