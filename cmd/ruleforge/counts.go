package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"strconv"

	"github.com/ruleforge/ruleforge/state"
)

// countColumns are the columns of -count's table.
var countColumns = []column{{"EVENTS", 8}, {"LEVEL", 5}, {"LANGUAGE", 8}, {"RULE", 0}}

// countHeader names the columns of -count's CSV.
var countHeader = []string{"rule_id", "title", "language", "level", "events", "rule_file"}

// writeCounts writes -count's output: per rule that matched, in rule
// order, how many events it matched, in the format output names: a JSON
// line each (hits and alert), an aligned table or CSV with a header.
func writeCounts(out *bufio.Writer, output string, prog *state.Program, perRule []int) {
	var cw *csv.Writer
	switch output {
	case "table":
		cells := make([]string, len(countColumns))
		for i, c := range countColumns {
			cells[i] = c.name
		}
		writeCells(out, countColumns, cells)
	case "csv":
		cw = csv.NewWriter(out)
		cw.Write(countHeader)
	}
	for i, n := range perRule {
		if n == 0 {
			continue
		}
		rule := ruleAt(prog, i)
		switch output {
		case "table":
			writeCells(out, countColumns, []string{strconv.Itoa(n), shortLevel(rule.Severity), rule.Lang.String(), rule.Title})
		case "csv":
			rec := []string{rule.ID, rule.Title, rule.Lang.String(), rule.Severity, strconv.Itoa(n), rule.Source.File}
			for i, cell := range rec {
				rec[i] = inert(cell)
			}
			cw.Write(rec)
		default:
			line, _ := json.Marshal(ruleCount{RuleID: rule.ID, Title: rule.Title, Language: rule.Lang.String(), Events: n, RuleFile: rule.Source.File})
			out.Write(append(line, '\n'))
		}
	}
	if cw != nil {
		cw.Flush()
	}
}
