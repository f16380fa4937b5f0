package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/ruleforge/ruleforge/state"
)

// topRules is how many rules the summary lists by hits.
const topRules = 10

// levels are the Sigma levels, highest first; Elastic severities are the
// same words without informational.
var levels = []string{"critical", "high", "medium", "low", "informational"}

// summary writes, after the hits, the hits per level and the top rules by
// hits (perRule: the ruleset's rules, then p's stateful ones): into the table's output, to stderr (each line after "ruleforge: ")
// for the line formats when anything matched; and what the selection
// left out.
func (h *hunt) summary(out *bufio.Writer, stderr io.Writer, p *state.Program, perRule []int) {
	if h.rows != nil && h.sort {
		h.flush(out)
		if h.runs > 0 {
			fmt.Fprintf(stderr, "ruleforge: -sort: more than %d rows; written in %d runs, each sorted (raise -sort-limit)\n", h.sortLimit, h.runs+1)
		}
	}
	h.sel.report(stderr, h.outside.Load(), h.noTime.Load())
	w, prefix := stderr, "ruleforge: "
	if h.output == "table" {
		w, prefix = out, ""
		fmt.Fprintln(out)
	}
	total := 0
	for _, n := range perRule {
		total += n
	}
	if total == 0 {
		if h.output == "table" {
			fmt.Fprintln(w, "no hits")
		}
		return
	}
	byLevel := map[string]int{}
	for i, n := range perRule {
		byLevel[ruleAt(p, i).Severity] += n
	}
	fmt.Fprintf(w, "%shits by level:", prefix)
	for i, l := range levels {
		if i > 0 {
			fmt.Fprint(w, ",")
		}
		fmt.Fprintf(w, " %s %d", l, byLevel[l])
		delete(byLevel, l)
	}
	other := 0
	for _, n := range byLevel {
		other += n
	}
	if other > 0 {
		fmt.Fprintf(w, ", no level %d", other)
	}
	fmt.Fprintln(w)
	var top []int
	for i, n := range perRule {
		if n > 0 {
			top = append(top, i)
		}
	}
	slices.SortStableFunc(top, func(a, b int) int { return cmp.Compare(perRule[b], perRule[a]) })
	fmt.Fprintf(w, "%stop rules by hits:\n", prefix)
	for _, i := range top[:min(len(top), topRules)] {
		r := ruleAt(p, i)
		level := r.Severity
		if level == "" {
			level = "no level"
		}
		fmt.Fprintf(w, "%s%8d  %s (%s, %s)\n", prefix, perRule[i], oneLine(r.Title), r.Lang, level)
	}
	if len(top) > topRules {
		fmt.Fprintf(w, "%s%8s  and %d more rules\n", prefix, "", len(top)-topRules)
	}
}
