package state

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// Rule is what a stateful rule's ir.Rule.State implements for package
// state to run it with a machine of its own: its stages, and a Machine
// over their hits. Sigma correlations implement it (package correlate);
// EQL sequences and samples are Sequences instead, run by this package.
type Rule interface {
	ir.Stateful
	// NewMachine returns an empty machine for the rule, keeping its
	// state in Stores made with lim and budget.
	NewMachine(lim Limits, budget *Budget) Machine
}

// Machine runs one stateful rule over the hits of its stages, in input
// order, on one goroutine (an Engine's).
type Machine interface {
	// Step feeds one event's hits on the rule's stages, at most one per
	// stage, in stage order; ev.Time is the event's time (Clock.Observe).
	// It calls emit for each result the event completes.
	Step(ev Event, hits []Hit, emit func(*Alert))
	// Advance tells the machine that event time reached ev.Time (the
	// watermark) at event ev, which hit none of its stages: it expires
	// state and reports what only the passing of time completes (an EQL
	// sequence's trailing missing event). The Engine calls it once the
	// watermark passes Deadline.
	Advance(ev Event, emit func(*Alert))
	// Deadline returns the earliest event time after which Advance has
	// work, Never when none.
	Deadline() int64
	// Stats returns the machine's counts.
	Stats() Stats
	// Encode writes the machine's state for the keys keep accepts (all
	// with a nil keep); Decode adds what Encode wrote to the state.
	Encode(e *Encoder, keep func(Key) bool)
	Decode(d *Decoder) error
}

// Event is one event as machines see it.
type Event struct {
	Ordinal int64 // 1-based position in the input
	Time    int64 // event time in Unix nanoseconds (see Clock.Observe)
	// Now is the watermark: the newest event time seen, this event's
	// included (Clock.Now; 0 before any event with a time). It differs
	// from Time for an event out of order, whose window a machine may
	// measure from the newest time rather than its own (Sigma
	// correlations do).
	Now int64
}

// Hit is an event's hit on one stage of a stateful rule.
type Hit struct {
	Stage int     // the stage's index in ir.Stateful.Stages
	Keys  []Value // the values of the stage's Keys, in order
}

// Alert is one result of a stateful rule: a completed sequence, a sample,
// a correlation whose condition became true.
type Alert struct {
	Rule   int     // the stateful rule: Program.Rule(Rule)
	Event  int64   // the ordinal of the event that completed it
	Time   int64   // that event's time
	Keys   []Value // the join or group key values, in the rule's order
	Fields []Field // what outputs add to the rule's usual fields, in order
}

// Field is a named value that an alert adds to its output line: an EQL
// sequence's "sequence" and "join", a correlation's "group",
// "correlation" and "events". Value is JSON-encodable.
type Field struct {
	Name  string
	Value any
}

// Program is a set of rules, single-event and stateful, compiled
// together: one match.Ruleset holds the single-event rules and every
// stage of the stateful ones, and the Program says which of its rules
// ordinary output shows and which stages their hits feed.
type Program struct {
	rs       *match.Ruleset
	index    map[*ir.Rule]int // a single-event rule → its index in rs
	stages   [][]int          // per stateful rule and stage: the stage's rule in rs, -1 for a Ref
	stateful []*ir.Rule       // the stateful rules, in input order
	visible  []bool           // per ruleset rule: its hits are output lines
	listen   [][]stage        // per ruleset rule: the stages its hits feed
	chained  [][]stage        // per stateful rule: the stages its alerts feed
	rank     []int            // per stateful rule: its place, after the rules it feeds on
	hidden   []bool           // per stateful rule: its alerts feed others only (AlertVisible)
	timePath *match.Path      // TimeField
	lim      Limits
}

// stage is one stage of a stateful rule that some rule's hits feed.
type stage struct {
	rule, stage int
	keys        [][]*match.Path // per key: the paths tried in order
	required    []bool          // per key: ir.Stage.Required
}

// Compile compiles rules: single-event rules as compile.Compile does,
// and of each stateful rule (ir.Rule.State, which must implement Rule)
// each stage, as a rule of its own whose hits ordinary output does not
// show. A stage that refers to another rule (ir.Stage.Ref) is fed by its
// hits, or alerts for a stateful one; the referenced rule's own hits are
// no longer output unless a stage referring to it asks (Generate). The
// ruleset also reads every stage's Keys and TimeField (compile.Reads).
// A rule that cannot be compiled is left out, and so is a stateful rule
// that refers to one left out; the program holds the others, and the
// error is an ir.ErrorList with one error per rule left out, naming the
// rule or stage's position.
func Compile(rules []*ir.Rule, opts ...Option) (*Program, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	var list ir.ErrorList
	for {
		p, err := build(rules, cfg)
		var f *failed
		if !errors.As(err, &f) {
			if err != nil {
				return nil, err
			}
			return p, list.Err()
		}
		list = append(list, f.errs...)
		rules = without(rules, f.rules, &list)
	}
}

// build compiles rules as Compile does, or returns a *failed error naming
// the rules that Compile must leave out.
func build(rules []*ir.Rule, cfg config) (*Program, error) {
	p := &Program{lim: cfg.limits}
	var flat []*ir.Rule
	var visible []bool
	var owner []*ir.Rule        // per rule of flat: the rule given that it comes from
	index := map[*ir.Rule]int{} // single-event rule → ruleset index; stateful → -1-i
	for _, r := range rules {
		if r.State == nil {
			index[r] = len(flat)
			flat, owner = append(flat, r), append(owner, r)
			visible = append(visible, true)
			continue
		}
		if !runnable(r.State) {
			return nil, fail(r, &ir.Error{Pos: r.Source, Msg: fmt.Sprintf("rule %q: stateful rule of kind %q has no machine", r.ID, r.State.Kind()), Rule: r.ID})
		}
		index[r] = -1 - len(p.stateful)
		p.stateful = append(p.stateful, r)
	}
	type feed struct {
		from int // ruleset index, or -1-i for stateful rule i
		to   stage
		ref  bool // through ir.Stage.Ref
		gen  bool // ir.Stage.Generate
	}
	var feeds []feed
	var reads []ir.Field
	paths := map[string]*match.Path{}
	intern := func(f ir.Field) []*match.Path {
		var out []*match.Path
		for _, s := range f.Lookup() {
			if paths[s] == nil {
				paths[s] = match.NewPath(s)
			}
			out = append(out, paths[s])
		}
		return out
	}
	stageRule := map[*ir.Expr]int{} // a stage's expression → its rule in flat
	p.stages = make([][]int, len(p.stateful))
	for i, r := range p.stateful {
		p.stages[i] = make([]int, len(r.State.Stages()))
		for j, st := range r.State.Stages() {
			p.stages[i][j] = -1
			to := stage{rule: i, stage: j, required: st.Required}
			for _, k := range st.Keys {
				to.keys = append(to.keys, intern(k))
				reads = append(reads, k)
			}
			if st.Expr != nil {
				// Stages of one expression (EQL's with runs=N) are one
				// rule whose hits feed each.
				at, ok := stageRule[st.Expr]
				if !ok {
					at = len(flat)
					stageRule[st.Expr] = at
					flat = append(flat, &ir.Rule{
						Meta: ir.Meta{
							ID:    r.ID,
							Title: fmt.Sprintf("%s (stage %d)", r.Title, j+1),
						},
						Lang:   r.Lang,
						Source: cmpPos(st.Pos, r.Source),
						Expr:   st.Expr,
					})
					owner = append(owner, r)
					visible = append(visible, false)
				}
				feeds = append(feeds, feed{from: at, to: to})
				p.stages[i][j] = at
				continue
			}
			ref := findRule(rules, st.Ref)
			if ref == nil {
				return nil, fail(r, &ir.Error{Pos: cmpPos(st.Pos, r.Source), Msg: fmt.Sprintf("rule %q: stage %d refers to %q, which is no rule given", r.ID, j+1, st.Ref), Rule: r.ID})
			}
			feeds = append(feeds, feed{from: index[ref], to: to, ref: true, gen: st.Generate})
		}
	}
	shown := map[int]bool{} // a referenced rule → whether a stage generates its output
	for _, f := range feeds {
		if f.ref && f.from >= 0 {
			shown[f.from] = shown[f.from] || f.gen
		}
	}
	for i, gen := range shown {
		visible[i] = gen
	}
	p.hidden = make([]bool, len(p.stateful))
	shownState := map[int]bool{} // the same for a referenced stateful rule
	for _, f := range feeds {
		if f.ref && f.from < 0 {
			shownState[-1-f.from] = shownState[-1-f.from] || f.gen
		}
	}
	for i, gen := range shownState {
		p.hidden[i] = !gen
	}
	reads = append(reads, ir.F(TimeField))
	rs, err := compile.Compile(flat, append([]compile.Option{compile.Reads(reads...)}, cfg.compile...)...)
	if err != nil {
		return nil, compileFailed(rs, err, flat, owner)
	}
	p.rs, p.visible = rs, visible
	p.index = map[*ir.Rule]int{}
	for r, i := range index {
		if i >= 0 {
			p.index[r] = i
		}
	}
	p.listen = make([][]stage, len(flat))
	p.chained = make([][]stage, len(p.stateful))
	for _, f := range feeds {
		if f.from >= 0 {
			p.listen[f.from] = append(p.listen[f.from], f.to)
		} else {
			p.chained[-1-f.from] = append(p.chained[-1-f.from], f.to)
		}
	}
	order, bad, err := p.sortChains()
	if err != nil {
		return nil, fail(bad, err)
	}
	p.rank = make([]int, len(order))
	for k, i := range order {
		p.rank[i] = k
	}
	p.timePath = intern(ir.F(TimeField))[0]
	return p, nil
}

// cmpPos returns p, or def when p is the zero position.
func cmpPos(p, def ir.Pos) ir.Pos {
	if p == (ir.Pos{}) {
		return def
	}
	return p
}

// findRule returns the rule whose ID, or else name (a Sigma rule's name:,
// how correlations refer to rules), or else title, is ref.
func findRule(rules []*ir.Rule, ref string) *ir.Rule {
	for _, pick := range []func(*ir.Rule) string{
		func(r *ir.Rule) string { return r.ID },
		func(r *ir.Rule) string { return r.Name },
		func(r *ir.Rule) string { return r.Title },
	} {
		for _, r := range rules {
			if pick(r) == ref {
				return r
			}
		}
	}
	return nil
}

// Requires returns the rules among all that r's stages refer to, and
// theirs in turn, so that r can be compiled alone with them (the CLI
// checks each rule so); the error names a reference that none of all
// satisfies.
func Requires(r *ir.Rule, all []*ir.Rule) ([]*ir.Rule, error) {
	var out []*ir.Rule
	seen := map[*ir.Rule]bool{r: true}
	var walk func(r *ir.Rule) error
	walk = func(r *ir.Rule) error {
		if r.State == nil {
			return nil
		}
		for j, st := range r.State.Stages() {
			if st.Expr != nil {
				continue
			}
			ref := findRule(all, st.Ref)
			if ref == nil {
				return &ir.Error{Pos: cmpPos(st.Pos, r.Source), Msg: fmt.Sprintf("rule %q: stage %d refers to %q, which is no rule given", r.ID, j+1, st.Ref)}
			}
			if seen[ref] {
				continue
			}
			seen[ref] = true
			out = append(out, ref)
			if err := walk(ref); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk(r)
}

// errCycle is the error of stateful rules that feed on each other.
var errCycle = errors.New("stateful rules refer to each other in a cycle")

// sortChains orders the stateful rules so that each comes after the rules
// whose alerts it feeds on, and rejects cycles.
func (p *Program) sortChains() ([]int, *ir.Rule, error) {
	const (
		unseen = iota
		busy
		done
	)
	mark := make([]int, len(p.stateful))
	var order []int
	// feeds[i]: the stateful rules that rule i's alerts feed.
	var visit func(i int) error
	visit = func(i int) error {
		switch mark[i] {
		case busy:
			r := p.stateful[i]
			return &ir.Error{Pos: r.Source, Msg: fmt.Sprintf("rule %q: %v", r.ID, errCycle), Rule: r.ID, Err: errCycle}
		case done:
			return nil
		}
		mark[i] = busy
		for _, to := range p.chained[i] {
			if err := visit(to.rule); err != nil {
				return err
			}
		}
		mark[i] = done
		order = append(order, i)
		return nil
	}
	for i := range p.stateful {
		if err := visit(i); err != nil {
			return nil, p.stateful[i], err
		}
	}
	slices.Reverse(order)
	return order, nil, nil
}

// Ruleset returns the compiled ruleset: the single-event rules and the
// stages, for the workers' Ruleset.MatchRecord.
func (p *Program) Ruleset() *match.Ruleset { return p.rs }

// Visible reports whether the hits of ruleset rule i are output lines:
// false for the stages of stateful rules and the rules only correlations
// see.
func (p *Program) Visible(i int) bool { return p.visible[i] }

// AlertVisible reports whether the alerts of stateful rule i are output
// lines: false for a rule that other stateful rules refer to and none
// asks to show (a Sigma correlation under another with generate: false).
// Its alerts still feed the rules that refer to it.
func (p *Program) AlertVisible(i int) bool { return !p.hidden[i] }

// Index returns the index in Ruleset of single-event rule r, -1 when r
// is not one of the program's.
func (p *Program) Index(r *ir.Rule) int {
	if i, ok := p.index[r]; ok {
		return i
	}
	return -1
}

// Stage returns the index in Ruleset of the rule of stage j of stateful
// rule i, -1 for a stage that refers to another rule (ir.Stage.Ref).
func (p *Program) Stage(i, j int) int { return p.stages[i][j] }

// Len returns the number of stateful rules.
func (p *Program) Len() int { return len(p.stateful) }

// Rule returns stateful rule i.
func (p *Program) Rule(i int) *ir.Rule { return p.stateful[i] }

// Input is what a worker takes from one event for the stateful rules:
// its time and its hits on their stages with the stages' key values.
// Split fills it; Engine.Step consumes it in input order. Its memory is
// reused from one event to the next.
type Input struct {
	Time  int64 // TimeField's value (ParseTime), NoTime when none
	hits  []inputHit
	vals  []Value
	known []known // the key values read for this event so far
}

// known is a key field's value read for one event: stages that join on
// the same field read it once.
type known struct {
	paths []*match.Path
	v     Value
}

// inputHit is one stage hit: its rule, stage and key values (in vals).
type inputHit struct {
	rule, stage int32
	lo, hi      int32
}

// Reset empties the input, keeping its memory.
func (in *Input) Reset() {
	in.hits, in.vals, in.known, in.Time = in.hits[:0], in.vals[:0], in.known[:0], NoTime
}

// Stateful reports whether the input holds any stage hit.
func (in *Input) Stateful() bool { return len(in.hits) > 0 }

// Split prepares ev's Input for the stateful rules, from hits (the
// indices MatchRecord returned for ev on Ruleset) and ev, the event's
// record: it reads the event time and, for each stage hit, the stage's
// key values. It returns hits without the rules that ordinary output does
// not show, in place. Workers call it in parallel: it only reads p.
func (p *Program) Split(ev match.Event, hits []int, in *Input) []int {
	in.Reset()
	if len(p.stateful) == 0 {
		return hits
	}
	if v, ok := ev.Lookup(p.timePath); ok {
		in.Time = ParseTime(v)
	}
	out := hits[:0]
	for _, i := range hits {
	stages:
		for _, st := range p.listen[i] {
			lo := len(in.vals)
			for k, paths := range st.keys {
				v := in.lookup(ev, paths)
				if (v == Missing || v == Null) && k < len(st.required) && st.required[k] {
					in.vals = in.vals[:lo] // no hit of this stage (ir.Stage.Required)
					continue stages
				}
				in.vals = append(in.vals, v)
			}
			in.hits = append(in.hits, inputHit{rule: int32(st.rule), stage: int32(st.stage), lo: int32(lo), hi: int32(len(in.vals))})
		}
		if p.visible[i] {
			out = append(out, i)
		}
	}
	return out
}

// lookup returns the value at the first of paths that ev holds, read
// once per event.
func (in *Input) lookup(ev match.Event, paths []*match.Path) Value {
	for _, k := range in.known {
		if slices.Equal(k.paths, paths) {
			return k.v
		}
	}
	v := Missing
	for _, p := range paths {
		if x, ok := ev.Lookup(p); ok {
			v = Of(x, true)
			break
		}
	}
	in.known = append(in.known, known{paths, v})
	return v
}
