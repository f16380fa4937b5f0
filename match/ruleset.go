package match

import (
	"errors"
	"fmt"
	"sync"

	"github.com/ruleforge/ruleforge/ir"
)

// Ruleset is a compiled, immutable set of rules. It is safe for concurrent
// use by many goroutines. Package compile builds Rulesets.
type Ruleset struct {
	rules []*ir.Rule
	plans []*Node
	slots int       // shared nodes: the memo's size
	memos sync.Pool // of *memo, one per concurrent Match
}

// NewRuleset pairs rules with their compiled evaluation trees.
func NewRuleset(rules []*ir.Rule, plans []*Node) (*Ruleset, error) {
	if len(rules) != len(plans) {
		return nil, fmt.Errorf("%d rules but %d plans", len(rules), len(plans))
	}
	for i, p := range plans {
		if p == nil {
			return nil, errors.New("rule " + rules[i].ID + " has no plan")
		}
	}
	rs := &Ruleset{rules: rules, plans: plans}
	seen := map[*Node]bool{}
	var walk func(*Node) error
	walk = func(n *Node) error {
		if seen[n] {
			return nil
		}
		seen[n] = true
		if n.Slot < 0 {
			return fmt.Errorf("node with slot %d", n.Slot)
		}
		rs.slots = max(rs.slots, n.Slot)
		for _, k := range n.Kids {
			if err := walk(k); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range plans {
		if err := walk(p); err != nil {
			return nil, err
		}
	}
	rs.memos.New = func() any { m := make(memo, rs.slots); return &m }
	return rs, nil
}

// Len returns the number of rules.
func (rs *Ruleset) Len() int { return len(rs.rules) }

// Rule returns rule i.
func (rs *Ruleset) Rule(i int) *ir.Rule { return rs.rules[i] }

// Shared returns the number of subtrees the rules share (each evaluated at
// most once per event by Match).
func (rs *Ruleset) Shared() int { return rs.slots }

// Plan returns the compiled evaluation tree of rule i.
func (rs *Ruleset) Plan(i int) *Node { return rs.plans[i] }

// Match appends to dst the indices, in rule order, of the rules that match
// ev, and returns the extended slice. With a dst of enough capacity it
// allocates nothing.
func (rs *Ruleset) Match(ev Event, dst []int) []int {
	var m memo
	var mp *memo
	if rs.slots > 0 {
		mp = rs.memos.Get().(*memo)
		m = *mp
		clear(m)
	}
	for i, p := range rs.plans {
		if p.eval(ev, m) {
			dst = append(dst, i)
		}
	}
	if mp != nil {
		rs.memos.Put(mp)
	}
	return dst
}
