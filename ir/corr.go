package ir

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CorrType is the kind of a correlation rule (Sigma correlation rules
// specification v2.1, section "Correlation Types").
type CorrType uint8

// The correlation types. The zero value is invalid.
const (
	CorrInvalid         CorrType = iota
	CorrEventCount               // events in the window
	CorrValueCount               // distinct values of Field in the window
	CorrTemporal                 // referenced rules with a hit in the window, in any order
	CorrTemporalOrdered          // referenced rules with hits in the window, in their order
	CorrValueSum                 // sum of the numeric Field in the window
	CorrValueAvg                 // average of the numeric Field in the window
	CorrValuePercentile          // share or percentile of Field's values in the window
)

// corrNames are the types' names as Sigma writes them, by CorrType.
var corrNames = [...]string{"invalid", "event_count", "value_count", "temporal", "temporal_ordered", "value_sum", "value_avg", "value_percentile"}

// String returns the type's Sigma name ("event_count", …) or "invalid".
func (t CorrType) String() string {
	if int(t) < len(corrNames) {
		return corrNames[t]
	}
	return "invalid"
}

// ParseCorrType returns the type named s as Sigma writes it, or
// CorrInvalid.
func ParseCorrType(s string) CorrType {
	for i, n := range corrNames[1:] {
		if n == s {
			return CorrType(i + 1)
		}
	}
	return CorrInvalid
}

// HasField reports whether the type reads a field of the events (the
// condition's "field"): value_count, value_sum, value_avg and
// value_percentile.
func (t CorrType) HasField() bool { return t == CorrValueCount || t >= CorrValueSum }

// IsTemporal reports whether the type is temporal or temporal_ordered.
func (t CorrType) IsTemporal() bool { return t == CorrTemporal || t == CorrTemporalOrdered }

// Bound is one term of a correlation condition: the aggregate compared
// with a number by Op, one of CmpEqual, CmpLT, CmpLE, CmpGT, CmpGE, or
// Not with CmpEqual for "neq".
type Bound struct {
	Op    Cmp
	Not   bool    // "neq": the comparison negated
	Value float64 // the number the aggregate is compared with
}

// Holds reports whether the aggregate v satisfies the bound.
func (b Bound) Holds(v float64) bool {
	r := 0
	switch {
	case v < b.Value:
		r = -1
	case v > b.Value:
		r = 1
	}
	return b.Op.Holds(r) != b.Not
}

// String renders the bound as Sigma writes it: "gte: 10".
func (b Bound) String() string {
	op := map[Cmp]string{CmpEqual: "eq", CmpLT: "lt", CmpLE: "lte", CmpGT: "gt", CmpGE: "gte"}[b.Op]
	if b.Not {
		op = "neq"
	}
	return op + ": " + strconv.FormatFloat(b.Value, 'g', -1, 64)
}

// CorrRef is one rule a correlation refers to, by a rule's id or name.
// Target is filled in when the references are resolved (see package
// sigma's Resolve): the referenced rule's index in the rule list, or for a
// correlation over a correlation (chaining) its index in the correlation
// list.
type CorrRef struct {
	Ref    string // the id or name as written
	Pos    Pos    // where it is written
	Target int    // index of the rule or correlation; -1 until resolved
	IsCorr bool   // Target is a correlation, not a rule
	// GroupBy holds, by position in Correlation.GroupBy, the field of
	// the referenced rule's events that the group-by name (or its alias)
	// reads; Field the fields of Correlation.Field likewise. For a
	// referenced correlation, a field's name is first looked up in that
	// correlation's group.
	GroupBy []Field
	Field   []Field
}

// Correlation is a Sigma correlation rule: an aggregate over the hits of
// other rules, per group of events, within a sliding time window.
type Correlation struct {
	Meta       // the correlation rule's own metadata; Name is how other correlations refer to it
	Source Pos // the position of the "correlation:" key

	Type     CorrType
	Rules    []CorrRef
	GroupBy  []string            // names as written (or aliases); empty: one group
	Aliases  map[string][]string // alias → field names by position in Rules ("" where the alias names none)
	Timespan time.Duration       // the window
	Cond     []Bound             // ANDed; never empty after parsing
	Field    []string            // the condition's field(s)
	// Percentile is pySigma's "percentile" key of value_percentile: the
	// rank (0–100) whose value the condition tests; -1 when absent (the
	// condition tests the arriving value's share of the window instead).
	Percentile int
	Generate   bool // the referenced rules' own hits are output too
}

// Holds reports whether the aggregate v satisfies every bound of the
// condition.
func (c *Correlation) Holds(v float64) bool {
	for _, b := range c.Cond {
		if !b.Holds(v) {
			return false
		}
	}
	return true
}

// Need returns the fewest items a group must hold for the condition to
// hold, for the types whose aggregate is a count of items: events
// (event_count) or distinct values (value_count). It is the least whole
// n >= 1 that the condition holds for, from the lower bounds (gt, gte,
// eq) up past any neq; when nothing does, the lower bound. It returns 0
// for the other types, whose aggregate no count bounds, and caps the
// result at math.MaxInt32. A store of a group's items must have room for
// Need of them, or the condition can never hold.
func (c *Correlation) Need() int {
	if c.Type != CorrEventCount && c.Type != CorrValueCount {
		return 0
	}
	lo := 1.0
	for _, b := range c.Cond {
		switch {
		case b.Not:
		case b.Op == CmpGT:
			lo = max(lo, math.Floor(b.Value)+1)
		case b.Op == CmpGE || b.Op == CmpEqual:
			lo = max(lo, math.Ceil(b.Value))
		}
	}
	if lo >= math.MaxInt32 {
		return math.MaxInt32
	}
	for n := lo; n <= lo+float64(len(c.Cond)); n++ {
		if c.Holds(n) {
			return int(n)
		}
	}
	return int(lo)
}

// Dump renders the correlation deterministically over several lines, for
// golden tests.
func (c *Correlation) Dump() string {
	var b strings.Builder
	fmt.Fprintf(&b, "correlation %s %q id=%q name=%q severity=%q\n", c.Type, c.Title, c.ID, c.Name, c.Severity)
	for _, r := range c.Rules {
		fmt.Fprintf(&b, "  rule %s", r.Ref)
		if r.Target >= 0 {
			kind := "rule"
			if r.IsCorr {
				kind = "correlation"
			}
			fmt.Fprintf(&b, " -> %s %d", kind, r.Target)
		}
		for i, f := range r.GroupBy {
			fmt.Fprintf(&b, " group[%d]=%s", i, f.Key())
		}
		for i, f := range r.Field {
			fmt.Fprintf(&b, " field[%d]=%s", i, f.Key())
		}
		b.WriteByte('\n')
	}
	if len(c.GroupBy) > 0 {
		fmt.Fprintf(&b, "  group-by %s\n", strings.Join(c.GroupBy, ", "))
	}
	aliases := make([]string, 0, len(c.Aliases))
	for a := range c.Aliases {
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	for _, a := range aliases {
		fmt.Fprintf(&b, "  alias %s = %s\n", a, strings.Join(c.Aliases[a], ", "))
	}
	fmt.Fprintf(&b, "  timespan %s\n", c.Timespan)
	conds := make([]string, len(c.Cond))
	for i, x := range c.Cond {
		conds[i] = x.String()
	}
	fmt.Fprintf(&b, "  condition %s\n", strings.Join(conds, ", "))
	if len(c.Field) > 0 {
		fmt.Fprintf(&b, "  field %s\n", strings.Join(c.Field, ", "))
	}
	if c.Percentile >= 0 {
		fmt.Fprintf(&b, "  percentile %d\n", c.Percentile)
	}
	if c.Generate {
		b.WriteString("  generate\n")
	}
	return b.String()
}
