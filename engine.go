package ruleforge

import (
	"sync"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/state"
)

// Engine is a set of rules compiled for matching: single-event rules,
// and stateful ones (EQL sequences and samples, Sigma correlations) for
// Stream. It reads events as "ruleforge match" does: JSON text of any
// shape that -format auto reads, Windows and Sysmon events with the ECS
// view that EQL rules read. An Engine is immutable and safe for
// concurrent use.
type Engine struct {
	prog    *state.Program
	rs      *match.Ruleset
	cfg     config
	readers sync.Pool // *normalize.Reader, one per goroutine in Match
}

// Option configures Compile.
type Option func(*config)

// config holds the options of an Engine.
type config struct {
	compile []compile.Option
	format  normalize.Format
	workers int
}

// WithCompile passes options to compile.Compile, such as its limits
// (compile.WithMaxValues).
func WithCompile(opts ...compile.Option) Option {
	return func(c *config) { c.compile = append(c.compile, opts...) }
}

// WithFormat sets the events' format: normalize.Auto (the default)
// detects each event's, normalize.ECS reads every event as it is.
func WithFormat(f normalize.Format) Option { return func(c *config) { c.format = f } }

// WithWorkers sets how many goroutines Stream matches events on (default
// 0: one per CPU).
func WithWorkers(n int) Option { return func(c *config) { c.workers = n } }

// Hit is a rule that matched an event.
type Hit struct {
	// Rule is the rule with its metadata: ID, title, severity, status,
	// tags, author, references, ATT&CK tactics and techniques, its file.
	Rule *ir.Rule
	// Fields are what a stateful rule's result adds, in order (an EQL
	// sequence's "sequence" ordinals and "join" keys, a correlation's
	// "group"); nil for a single-event rule.
	Fields []state.Field
}

// Compile compiles rules into an Engine. Rules that fail to compile are
// left out: the Engine holds the others, and the error, an ir.ErrorList,
// names each rule left out with its position and cause (errors.Is
// ErrUnsupported tells a rule ruleforge cannot run from a broken one).
// An error that concerns no single rule (a bad option) returns a nil
// Engine.
func Compile(rules []*ir.Rule, opts ...Option) (*Engine, error) {
	e := &Engine{}
	for _, o := range opts {
		o(&e.cfg)
	}
	p, err := state.Compile(rules, state.WithCompile(e.cfg.compile...))
	if p == nil {
		return nil, err
	}
	e.prog, e.rs = p, p.Ruleset()
	e.readers.New = func() any { return &matcher{rd: normalize.NewReader(e.rs, e.cfg.format)} }
	return e, err
}

// Rules returns the rules whose hits Match and Stream report, single-event
// rules first, then the stateful ones; rules that stateful rules only
// refer to (a correlation's) are left out.
func (e *Engine) Rules() []*ir.Rule {
	var out []*ir.Rule
	for i := range e.rs.Len() {
		if e.prog.Visible(i) {
			out = append(out, e.rs.Rule(i))
		}
	}
	for i := range e.prog.Len() {
		if e.prog.AlertVisible(i) {
			out = append(out, e.prog.Rule(i))
		}
	}
	return out
}

// matcher is what Match and MatchMap need per goroutine: a reader into
// the ruleset's records and the hits' memory.
type matcher struct {
	rd   *normalize.Reader
	hits []int
}

// Match matches one event, JSON text as "ruleforge match" reads it, and
// returns the single-event rules that match it, in rule order, appended
// to dst. Stateful rules see a stream in order: see Stream. The error is
// that of an event that does not decode.
func (e *Engine) Match(event []byte, dst []Hit) ([]Hit, error) {
	m := e.readers.Get().(*matcher)
	defer e.readers.Put(m)
	rec, err := m.rd.Read(event)
	if err != nil {
		return dst, err
	}
	m.hits = e.rs.MatchRecord(rec, m.hits[:0])
	return e.appendHits(dst, m.hits), nil
}

// MatchMap matches an event that a program already decoded (with
// encoding/json or another decoder: objects as map[string]any, arrays
// as []any) as Match matches its JSON text. Like normalize.Normalize, it
// adds the ECS view of a Windows or Sysmon event to m in place (adding
// keys, never changing one), so m must not be used by others during the
// call.
func (e *Engine) MatchMap(m map[string]any, dst []Hit) []Hit {
	mt := e.readers.Get().(*matcher)
	defer e.readers.Put(mt)
	mt.hits = e.rs.MatchRecord(mt.rd.ReadMap(m), mt.hits[:0])
	return e.appendHits(dst, mt.hits)
}

// appendHits appends the hits of the visible rules among hits, indices in
// the ruleset, to dst.
func (e *Engine) appendHits(dst []Hit, hits []int) []Hit {
	for _, i := range hits {
		if e.prog.Visible(i) {
			dst = append(dst, Hit{Rule: e.rs.Rule(i)})
		}
	}
	return dst
}
