package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// statuses are the rule statuses -status takes (Sigma's; Elastic
// maturities are mapped to them, see eql.ParseTOML).
var statuses = []string{"stable", "test", "experimental", "deprecated", "unsupported"}

// defaultStatuses are the statuses loaded without -status.
var defaultStatuses = []string{"stable", "test", "experimental"}

// selection chooses the rules a match run loads (-min-level, -status,
// -exclude) and the events whose hits it reports (-from, -to), and counts
// what it leaves out.
type selection struct {
	minLevel, status, exclude, from, to string

	statuses []string
	fromT    time.Time // zero: no lower bound
	toT      time.Time // exclusive; zero: no upper bound

	leftStatus   map[string]int // rules left out by status
	leftLevel    int            // rules left out by -min-level
	leftExcluded int            // rules left out by -exclude
}

// selectionFlags registers the selection flags on fs.
func selectionFlags(fs *flag.FlagSet) *selection {
	s := ruleSelectionFlags(fs)
	fs.StringVar(&s.from, "from", "", "report only events at or after this time (RFC 3339, or a date: 2024-05-14)")
	fs.StringVar(&s.to, "to", "", "report only events at or before this time (a date: until the end of that day, UTC)")
	return s
}

// ruleSelectionFlags registers the flags that choose the rules
// (-min-level, -status, -exclude) on fs: those of selectionFlags that a
// command without -from and -to (kafka) takes.
func ruleSelectionFlags(fs *flag.FlagSet) *selection {
	s := &selection{leftStatus: map[string]int{}}
	fs.StringVar(&s.minLevel, "min-level", "", "load only rules of this level or higher: informational, low, medium, high or critical")
	fs.StringVar(&s.status, "status", "", "load only rules of these statuses, comma-separated, or all (default: all but deprecated and unsupported; a rule without a status, or of another, is always loaded)")
	fs.StringVar(&s.exclude, "exclude", "", "a file of rule ids to leave out, one a line (# starts a comment)")
	return s
}

// check validates the flags once parsed.
func (s *selection) check() error {
	if s.minLevel != "" && !slices.Contains(levels, s.minLevel) {
		return fmt.Errorf("-min-level %q: want informational, low, medium, high or critical", s.minLevel)
	}
	s.statuses = defaultStatuses
	if s.status == "all" {
		s.statuses = statuses
	} else if s.status != "" {
		s.statuses = nil
		for _, st := range strings.Split(s.status, ",") {
			st = strings.TrimSpace(st)
			if !slices.Contains(statuses, st) {
				return fmt.Errorf("-status %q: want all or some of %s", st, strings.Join(statuses, ", "))
			}
			s.statuses = append(s.statuses, st)
		}
	}
	var err error
	if s.fromT, _, err = windowTime("-from", s.from); err != nil {
		return err
	}
	var day bool
	if s.toT, day, err = windowTime("-to", s.to); err != nil {
		return err
	}
	if day {
		s.toT = s.toT.AddDate(0, 0, 1)
	} else if !s.toT.IsZero() {
		s.toT = s.toT.Add(time.Nanosecond)
	}
	if !s.fromT.IsZero() && !s.toT.IsZero() && !s.fromT.Before(s.toT) {
		return fmt.Errorf("-from %s is after -to %s", s.from, s.to)
	}
	return nil
}

// windowTime parses a -from or -to value; day reports a date alone.
func windowTime(flag, v string) (t time.Time, day bool, err error) {
	if v == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, true, nil
	}
	t, text := parseTime(v)
	if t.IsZero() {
		return t, false, fmt.Errorf("%s %q: want a time such as 2024-05-14T09:30:00Z, 2024-05-14 09:30:00 (UTC) or a date", flag, text)
	}
	return t, false, nil
}

// windowed reports whether -from or -to is set.
func (s *selection) windowed() bool { return !s.fromT.IsZero() || !s.toT.IsZero() }

// inWindow reports whether an event at t is reported: always without a
// window; with one, t must be known and inside it.
func (s *selection) inWindow(t time.Time) bool {
	if !s.windowed() {
		return true
	}
	return !t.IsZero() && !t.Before(s.fromT) && (s.toT.IsZero() || t.Before(s.toT))
}

// loadRules is loadRules with the selection: the rules the flags leave
// out are counted and not compiled, except those that a rule kept refers
// to (the rules of a Sigma correlation); unknown ids of -exclude are
// reported.
func (s *selection) loadRules(loader ruleforge.Loader, paths []string, stderr io.Writer) (p *state.Program, total, bad int, err error) {
	defer loadGC()()
	rules, errs := loader.Load(paths...)
	excluded, err := s.readExclude(rules, stderr)
	if err != nil {
		return nil, 0, 0, err
	}
	keep := map[*ir.Rule]bool{}
	for _, r := range rules {
		if s.keeps(r, excluded) {
			keep[r] = true
			deps, _ := state.Requires(r, rules) // an error is reported when r is compiled
			for _, d := range deps {
				keep[d] = true
			}
		}
	}
	kept := rules[:0:0]
	for _, r := range rules {
		if keep[r] {
			kept = append(kept, r)
			continue
		}
		switch {
		case excluded[r.ID]:
			s.leftExcluded++
		case s.statusOut(r):
			s.leftStatus[r.Status]++
		default:
			s.leftLevel++
		}
	}
	p, total, bad = compileRules(kept, errs, stderr)
	return p, total + len(rules) - len(kept), bad, nil
}

// statusOut reports whether -status leaves r out: a status of Sigma's
// that is not chosen.
func (s *selection) statusOut(r *ir.Rule) bool {
	return slices.Contains(statuses, r.Status) && !slices.Contains(s.statuses, r.Status)
}

// keeps reports whether the flags keep r.
func (s *selection) keeps(r *ir.Rule, excluded map[string]bool) bool {
	minRank := slices.Index(levels, s.minLevel)
	return !excluded[r.ID] && !s.statusOut(r) && (minRank < 0 || slices.Contains(levels[:minRank+1], r.Severity))
}

// readExclude reads the -exclude file and reports, on stderr, the ids no
// rule has, as FILE:LINE.
func (s *selection) readExclude(rules []*ir.Rule, stderr io.Writer) (map[string]bool, error) {
	if s.exclude == "" {
		return nil, nil
	}
	f, err := os.Open(s.exclude)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	known := map[string]bool{}
	for _, r := range rules {
		known[r.ID] = true
	}
	ids := map[string]bool{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		id, _, _ := strings.Cut(sc.Text(), "#")
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		ids[id] = true
		if !known[id] {
			fmt.Fprintf(stderr, "%s:%d: no rule has id %q\n", s.exclude, line, id)
		}
	}
	return ids, sc.Err()
}

// report writes, on stderr, what the selection left out: rules by status,
// level and -exclude, and the events whose hits fell outside the window.
func (s *selection) report(stderr io.Writer, outside, noTime int64) {
	var parts []string
	for _, st := range statuses {
		if n := s.leftStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) > 0 {
		parts[len(parts)-1] += " (-status)"
	}
	if s.leftLevel > 0 {
		parts = append(parts, fmt.Sprintf("%d below -min-level %s", s.leftLevel, s.minLevel))
	}
	if s.leftExcluded > 0 {
		parts = append(parts, fmt.Sprintf("%d excluded (-exclude)", s.leftExcluded))
	}
	if len(parts) > 0 {
		n := s.leftLevel + s.leftExcluded
		for _, k := range s.leftStatus {
			n += k
		}
		fmt.Fprintf(stderr, "ruleforge: left out %d rules: %s\n", n, strings.Join(parts, ", "))
	}
	if s.windowed() && outside+noTime > 0 {
		fmt.Fprintf(stderr, "ruleforge: left out %d hits of events outside -from/-to and %d of events without a time\n", outside, noTime)
	}
}
