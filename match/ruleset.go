package match

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// Ruleset is a compiled, immutable set of rules. It is safe for concurrent
// use by many goroutines. Package compile builds Rulesets.
type Ruleset struct {
	rules    []*ir.Rule
	plans    []*plan.Node
	shared   int        // shared nodes: the memo's size
	anyField bool       // a test reads every value (Test.Any)
	index    *index     // nil: every rule is evaluated for every event
	slots    *slotTable // with the index: the fields the rules read
	pool     sync.Pool  // of *scratch, one per concurrent Match
	reads    []*Path    // paths read besides the rules' (withReads)
}

// rulesetOption configures newRuleset.
type rulesetOption func(*rulesetConfig)

// rulesetConfig holds newRuleset's options.
type rulesetConfig struct {
	index bool
	reads []*Path
}

// withIndex turns the rule index on (the default) or off. With it, Match
// evaluates only the rules whose necessary texts the event holds (see
// Ruleset.Gate); without it, every rule, which is the reference the index
// is tested against.
func withIndex(on bool) rulesetOption { return func(c *rulesetConfig) { c.index = on } }

// withReads makes the ruleset read paths as if a rule tested them: records
// hold their values (Record.Lookup finds them in the one pass of
// ResetJSON) and Paths lists them, so that package normalize computes the
// ECS view's fields there. Stateful rules read their join keys and event
// time this way (package state).
func withReads(paths ...*Path) rulesetOption {
	return func(c *rulesetConfig) { c.reads = append(c.reads, paths...) }
}

// init lets package compile build rulesets (internal/hooks).
func init() {
	hooks.RulesetPlan = func(rs any, i int) *plan.Node { return rs.(*Ruleset).plans[i] }
	hooks.RulesetShared = func(rs any) int { return rs.(*Ruleset).shared }
	hooks.RulesetReadsAnyField = func(rs any) bool { return rs.(*Ruleset).anyField }
	hooks.NewRuleset = func(rules []*ir.Rule, plans []*plan.Node, cfg hooks.RulesetConfig) (any, error) {
		rs, err := newRuleset(rules, plans, withIndex(!cfg.Unindexed), withReads(cfg.Reads...))
		if err != nil {
			return nil, err
		}
		return rs, nil
	}
}

// newRuleset pairs rules with their compiled evaluation trees and builds
// the rule index.
func newRuleset(rules []*ir.Rule, plans []*plan.Node, opts ...rulesetOption) (*Ruleset, error) {
	cfg := rulesetConfig{index: true}
	for _, o := range opts {
		o(&cfg)
	}
	if len(rules) != len(plans) {
		return nil, fmt.Errorf("%d rules but %d plans", len(rules), len(plans))
	}
	for i, p := range plans {
		if p == nil {
			return nil, errors.New("rule " + rules[i].ID + " has no plan")
		}
	}
	rs := &Ruleset{rules: rules, plans: plans, reads: cfg.reads}
	nodes := allNodes(plans)
	for _, n := range nodes {
		if n.Slot < 0 {
			return nil, fmt.Errorf("node with slot %d", n.Slot)
		}
		rs.shared = max(rs.shared, n.Slot)
		rs.anyField = rs.anyField || n.Test != nil && n.Test.Any
	}
	if cfg.index {
		rs.slots = newSlotTable(nodes, rs.reads)
		rs.index = newIndex(plans, nodes, rs.slots)
		rs.slots.keywords = rs.index.keywordScan()
	}
	rs.pool.New = func() any { return newScratch(rs.shared, rs.index, rs.slots) }
	return rs, nil
}

// allNodes returns every node of plans once (they share nodes), in the
// order a preorder walk of the plans first reaches them.
func allNodes(plans []*plan.Node) []*plan.Node {
	var out []*plan.Node
	seen := map[*plan.Node]bool{}
	var walk func(n *plan.Node)
	walk = func(n *plan.Node) {
		if seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
		for _, k := range n.Kids {
			walk(k)
		}
	}
	for _, p := range plans {
		walk(p)
	}
	return out
}

// Len returns the number of rules.
func (rs *Ruleset) Len() int { return len(rs.rules) }

// Rule returns rule i.
func (rs *Ruleset) Rule(i int) *ir.Rule { return rs.rules[i] }

// Plan returns the compiled evaluation tree of rule i, printed one node a
// line as "ruleforge explain" shows it: what the optimizer made of the
// rule (merged values, shared subtrees, the matcher of each test).
func (rs *Ruleset) Plan(i int) string { return rs.plans[i].String() }

// Match appends to dst the indices, in rule order, of the rules that match
// ev, and returns the extended slice. With a dst of enough capacity it
// allocates nothing.
func (rs *Ruleset) Match(ev Event, dst []int) []int {
	x := rs.pool.Get().(*scratch)
	if rs.index == nil {
		x.memo.Reset()
		for i, p := range rs.plans {
			if p.EvalMemo(ev, x.memo) {
				dst = append(dst, i)
			}
		}
	} else {
		x.rec.reset(ev, false)
		dst = rs.matchRecord(x, x.rec, dst)
		x.rec.ev = nil
	}
	rs.pool.Put(x)
	return dst
}

// NewRecord returns an empty Record for events matched by rs.
func (rs *Ruleset) NewRecord() *Record {
	if rs.slots == nil {
		return newRecord(newSlotTable(nil, nil))
	}
	return newRecord(rs.slots)
}

// Paths returns the dotted paths of the fields the rules read, sorted:
// what an event needs to hold for rs to match it.
func (rs *Ruleset) Paths() []string {
	st := rs.slots
	if st == nil {
		st = newSlotTable(allNodes(rs.plans), rs.reads)
	}
	out := make([]string, len(st.paths))
	for i, p := range st.paths {
		out[i] = p.String()
	}
	slices.Sort(out)
	return out
}

// NewRecordWith returns an empty Record for events matched by rs that
// also holds the events' values at paths, which the caller reads or adds
// (Record.Lookup, Record.Add): one pass of ResetJSON finds them with the
// values the rules read.
func (rs *Ruleset) NewRecordWith(paths []*Path) *Record {
	st := rs.slots
	if st == nil {
		st = newSlotTable(nil, nil)
	}
	return newRecord(st.with(paths))
}

// MatchRecord is Match for an event already in a Record (filled by
// Record.Reset or ResetJSON, with the values Add gave it), which should
// come from rs.NewRecord or rs.NewRecordWith; another is matched as an
// Event.
func (rs *Ruleset) MatchRecord(r *Record, dst []int) []int {
	if rs.index == nil || r.st.ruleset() != rs.slots {
		return rs.Match(r, dst)
	}
	x := rs.pool.Get().(*scratch)
	dst = rs.matchRecord(x, r, dst)
	rs.pool.Put(x)
	return dst
}

// matchRecord probes the index with r and evaluates the candidates.
func (rs *Ruleset) matchRecord(x *scratch, r *Record, dst []int) []int {
	x.memo.Reset()
	x.cur = r
	x.begin()
	rs.index.probe(x)
	for w, b := range x.cand {
		for ; b != 0; b &= b - 1 {
			i := w<<6 | bits.TrailingZeros64(b)
			if rs.index.passes(x, i) && rs.plans[i].EvalMemo(r, x.memo) {
				dst = append(dst, i)
			}
		}
	}
	x.cur = nil
	return dst
}

// Gate describes the index gate of rule i: clauses, each a list of keys
// such as `Image contains~ "\mofcomp.exe"`, `OriginalFileName equals~
// "mofcomp.exe"` or `EventID number 1`. An event is checked against the
// rule only when every clause has a key that holds in it (texts are
// folded; a gate is necessary, not sufficient). ok is false when the rule
// has no gate and is evaluated for every event, or when the ruleset is not
// indexed. It is for whoever writes or tunes rules: a rule without a gate
// costs every event its whole evaluation ("ruleforge explain" prints the
// gates); the texts are for reading, not parsing.
func (rs *Ruleset) Gate(i int) (clauses [][]string, ok bool) {
	if rs.index == nil || rs.index.gates[i] == nil {
		return nil, false
	}
	for _, c := range rs.index.gates[i] {
		var keys []string
		for _, id := range c {
			k := rs.index.keys[id]
			switch k.kind {
			case keyExact:
				keys = append(keys, rs.index.names[id]+" equals~ "+matcher.Quote(k.text))
			case keyNumber:
				keys = append(keys, rs.index.names[id]+" number "+k.text)
			case keyPrefix:
				keys = append(keys, rs.index.names[id]+" starts~ "+matcher.Quote(k.text))
			case keySuffix:
				keys = append(keys, rs.index.names[id]+" ends~ "+matcher.Quote(k.text))
			case keyPresent:
				keys = append(keys, rs.index.names[id]+" exists")
			default:
				keys = append(keys, rs.index.names[id]+" contains~ "+matcher.Quote(k.text))
			}
		}
		clauses = append(clauses, keys)
	}
	return clauses, true
}

// IndexStats describes a ruleset's rule index.
type IndexStats struct {
	Rules   int // rules in the ruleset
	Gated   int // rules with a gate, evaluated only when it fires
	Keys    int // distinct keys
	Paths   int // paths whose values are probed for keys
	States  int // Aho–Corasick states over all fields
	Indexed bool
}

// IndexStats returns the index's statistics.
func (rs *Ruleset) IndexStats() IndexStats {
	st := IndexStats{Rules: len(rs.rules)}
	ix := rs.index
	if ix == nil {
		return st
	}
	st.Indexed = true
	for _, g := range ix.gates {
		if g != nil {
			st.Gated++
		}
	}
	st.Keys, st.States = len(ix.keys), ix.states
	for s := range ix.probes[0] {
		if ix.probes[0][s] != nil || ix.probes[1][s] != nil {
			st.Paths++
		}
	}
	return st
}
