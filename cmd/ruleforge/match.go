package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/state"
)

// pathList is a repeatable string flag.
type pathList []string

// String joins the paths.
func (p *pathList) String() string { return strings.Join(*p, ",") }

// Set adds a path.
func (p *pathList) Set(s string) error { *p = append(*p, s); return nil }

// alert is an output line with -output alert: an ECS-style alert
// document with the rule under rule.* and the event under event.original.
type alert struct {
	Timestamp string       `json:"@timestamp"`
	Event     alertEvent   `json:"event"`
	Rule      alertRule    `json:"rule"`
	Input     alertSource  `json:"input"`
	Threat    *alertThreat `json:"threat,omitempty"` // the rule's ATT&CK mapping
	alertInfo              // the event's time, host, IDs; -explain's reasons
}

// alertEvent is an alert's event.* fields.
type alertEvent struct {
	Kind     string `json:"kind"`
	Original string `json:"original"`
	Code     string `json:"code,omitempty"`
}

// alertRule is an alert's rule.* fields.
type alertRule struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Severity  string   `json:"severity,omitempty"`
	RiskScore *int     `json:"risk_score,omitempty"`
	Language  string   `json:"language"`
	File      string   `json:"file,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	// The rule's metadata, named as in Elastic's alerts (see newAlertRule).
	Author         []string `json:"author,omitempty"`
	References     []string `json:"references,omitempty"`
	FalsePositives []string `json:"false_positives,omitempty"`
}

// alertSource is where an alert's event came from.
type alertSource struct {
	Name  string `json:"name"`
	Event int    `json:"event"`
	Line  int    `json:"line"`
	// RecordID is the identifier in the header of an .evtx record
	// (evtx.Record.ID, evtx_dump's "Record N"), where the record is in
	// its file. The event's own EventRecordID is winlog.record_id: the
	// two differ in logs re-exported from a filtered view.
	RecordID uint64 `json:"record_id,omitempty"`
}

// ruleCount is an output line with -count: a rule and how many events it
// matched.
type ruleCount struct {
	RuleID   string `json:"rule_id"`
	Title    string `json:"title"`
	Language string `json:"language"`
	Events   int    `json:"events"`
	RuleFile string `json:"rule_file,omitempty"`
}

// matchOptions are the flags of match that shape a run.
type matchOptions struct {
	workers  int
	maxEvent int    // -max-event: the largest event in bytes
	output   string // "hits", "alert", "table" or "csv"
	count    bool
	progress bool
	format   normalize.Format
	stop     *interrupt // nil: no signal handling
	hunt     *hunt
}

// runMatch is "ruleforge match -rules PATH… [FILE…]".
func runMatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rulePaths pathList
	fs.Var(&rulePaths, "rules", "a rule file or directory (repeatable)")
	var opt matchOptions
	if catchSignals { // first: a signal while the rules load is one too
		opt.stop = notifySignals()
	}
	fs.IntVar(&opt.workers, "workers", 0, "matching goroutines (0: one per CPU)")
	maxEventFlag(fs, &opt.maxEvent)
	fs.StringVar(&opt.output, "output", "hits", "output: hits (a JSON line per match), alert (ECS-style alert documents), table (a timeline for reading) or csv (the table with a header)")
	fs.BoolVar(&opt.count, "count", false, "print only, at the end, how many events each rule matched")
	format := fs.String("format", "auto", "event format: auto (detected per event), ecs, flat (Windows/Sysmon fields) or winevent (Windows event records)")
	loader := loaderFlags(fs)
	opt.hunt = huntFlags(fs)
	inputs, err := parseArgs(fs, args)
	if err != nil {
		return parseStatus(err)
	}
	if len(rulePaths) == 0 {
		fmt.Fprintf(stderr, "ruleforge match: no -rules given\n%s", usage)
		return exitUsage
	}
	if err = opt.hunt.check(opt.output, opt.count); err != nil {
		fmt.Fprintf(stderr, "ruleforge match: %v\n", err)
		return exitUsage
	}
	if opt.format, err = normalize.ParseFormat(*format); err != nil {
		fmt.Fprintf(stderr, "ruleforge match: -format: %v\n", err)
		return exitUsage
	}
	if !checkWorkers(opt.workers, stderr) || !checkMaxEvent(opt.maxEvent, stderr) {
		return exitUsage
	}
	opt.progress = isTerminal(stderr)
	ld, ok := loader(stderr)
	if !ok {
		return exitBad
	}
	prog, loaded, badRules, err := opt.hunt.sel.loadRules(ld, rulePaths, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "ruleforge match: -exclude: %v\n", err)
		return exitUsage
	}
	if loaded == 0 {
		fmt.Fprintf(stderr, "ruleforge match: no rules to run in %s\n", quoteList(rulePaths))
		return exitUsage
	}
	rs := prog.Ruleset()
	out := bufio.NewWriterSize(stdout, 1<<16)
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	readErr, outErr := false, error(nil)
	names := expandInputs(inputs, stderr, &readErr)
	if !opt.count {
		opt.hunt.begin(out, len(names))
	}
	var total pipeline.Stats
	perRule := make([]int, rs.Len()+prog.Len()) // the ruleset's, then the stateful rules'
	var engines stateStats
inputs:
	for _, name := range names {
		st, err := matchInput(prog, opt, name, stdin, out, stderr, perRule, total, &engines)
		total = add(total, st)
		var werr *writeError
		switch {
		case err == nil:
		case errors.As(err, &werr):
			outErr = werr
			break inputs
		case errors.Is(err, pipeline.ErrStopped):
			break inputs
		default:
			fmt.Fprintf(stderr, "ruleforge: %v\n", files.PathError(name, err)) // the os error's own copy of the name unquoted
			readErr = true
		}
	}
	if opt.count && outErr == nil {
		writeCounts(out, opt.output, prog, perRule)
	}
	if opt.progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if outErr == nil {
		opt.hunt.summary(out, stderr, prog, perRule)
	}
	if err := out.Flush(); err != nil && outErr == nil {
		outErr = &writeError{err}
	}
	if outErr != nil {
		fmt.Fprintf(stderr, "ruleforge: %v\n", outErr)
	}
	fmt.Fprintf(stderr, "ruleforge: %d events, %d matched, %d hits, %d bad events, %d rules (%d bad), %d unmatched\n",
		total.Events, total.Matched, total.Hits, total.Bad, ruleCountOf(prog), badRules, total.Unmatched)
	if total.PlanEvictions > 0 {
		fmt.Fprintf(stderr, "ruleforge: .evtx record plans dropped %d times, full (evtx.MaxPlans %d, evtx.MaxPlanBytes %d): the same results, read more slowly\n",
			total.PlanEvictions, evtx.MaxPlans, evtx.MaxPlanBytes)
	}
	reportFillEvictions(stderr, total)
	engines.report(stderr, prog)
	switch {
	case opt.stop.signal() != nil:
		return exitSignal(opt.stop.signal())
	case badRules > 0 || total.Bad > 0 || readErr || outErr != nil:
		return exitBad
	}
	return exitOK
}

// add sums two runs' counts.
func add(a, b pipeline.Stats) pipeline.Stats {
	return pipeline.Stats{Events: a.Events + b.Events, Matched: a.Matched + b.Matched, Unmatched: a.Unmatched + b.Unmatched,
		Bad: a.Bad + b.Bad, Hits: a.Hits + b.Hits, Bytes: a.Bytes + b.Bytes, PlanEvictions: a.PlanEvictions + b.PlanEvictions,
		FillEvictions: a.FillEvictions + b.FillEvictions}
}

// matchStream runs the ruleset over every event of one input, writing
// output lines in input order and reporting bad events on stderr; before
// is the count of the inputs already done, for the progress line; direct
// tells that r reads a regular file (pipeline.Config.Direct).
func matchStream(p *state.Program, opt matchOptions, name string, r io.Reader, direct bool, out *bufio.Writer, stderr io.Writer, perRule []int, before pipeline.Stats, engines *stateStats) (pipeline.Stats, error) {
	return matchWith(p, opt, name, out, stderr, perRule, before, engines, func(cfg pipeline.Config, emit func(*pipeline.Result) error) (pipeline.Stats, error) {
		cfg.Direct = direct
		return pipeline.Run(cfg, r, emit)
	})
}

// matchWith runs the program over one input with run (pipeline.Run or
// pipeline.RunEVTX), writing output lines in input order and reporting
// bad events on stderr, as matchStream describes.
func matchWith(p *state.Program, opt matchOptions, name string, out *bufio.Writer, stderr io.Writer, perRule []int, before pipeline.Stats, engines *stateStats,
	run func(pipeline.Config, func(*pipeline.Result) error) (pipeline.Stats, error)) (pipeline.Stats, error) {
	rs := p.Ruleset()
	cfg := pipeline.Config{Ruleset: rs, Program: p, Workers: opt.workers, MaxEvent: opt.maxEvent, Format: opt.format, KeepRaw: opt.output == "alert" && !opt.count,
		Stop: opt.stop.done(), Flush: out.Flush}
	prog := newProgress(stderr, opt.progress, before)
	opt.hunt.configure(&cfg)
	var now string // the alerts' @timestamp: the time the input's run began
	if opt.output == "alert" {
		now = time.Now().UTC().Format(time.RFC3339Nano) // only then: a folder of small files is a run per file
	}
	eng := newStateRun(p, opt, name, now, out, perRule)
	defer engines.add(eng)
	st, err := run(cfg, func(res *pipeline.Result) error {
		prog.event(res)
		if res.Bad != nil {
			prog.clear()
			if errors.Is(res.Bad, pipeline.ErrTooLarge) {
				fmt.Fprintf(stderr, "%s: event %d (line %d): larger than %d bytes; skipped\n", quote(name), res.Ordinal, res.Line, opt.maxEvent)
			} else if res.Line == 0 { // an .evtx record
				fmt.Fprintf(stderr, "%s: event %d: %v; skipped\n", quote(name), res.Ordinal, res.Bad)
			} else {
				fmt.Fprintf(stderr, "%s: event %d (line %d): %v; skipped\n", quote(name), res.Ordinal, res.Line, res.Bad)
			}
			return nil
		}
		info, _ := res.Info.(*matched)
		for k, i := range res.Hits {
			perRule[i]++
			if opt.count || opt.hunt.row(out, name, res, k, rs) {
				continue
			}
			rule := rs.Rule(i)
			var line []byte
			if opt.output == "alert" {
				line, _ = json.Marshal(alert{
					Timestamp: now,
					Event:     alertEvent{Kind: "alert", Original: string(res.Raw), Code: info.eventCode()},
					Rule:      newAlertRule(rule),
					Input:     alertSource{Name: name, Event: res.Ordinal, Line: res.Line, RecordID: res.RecordID},
					Threat:    newAlertThreat(rule),
					alertInfo: info.alert(k),
				})
			} else {
				line = info.appendHit(&opt.hunt.lines, out.AvailableBuffer(), name, res.Ordinal, rule, k, nil)
			}
			out.Write(line)
			out.WriteByte('\n')
		}
		eng.step(res)
		if _, err := out.Write(nil); err != nil { // a bufio.Writer keeps its first error
			return &writeError{err}
		}
		return nil
	})
	st.Hits += eng.alerts
	return st, err
}
