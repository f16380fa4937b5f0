package match

import (
	"errors"
	"fmt"

	"github.com/ruleforge/ruleforge/ir"
)

// Ruleset is a compiled, immutable set of rules. It is safe for concurrent
// use by many goroutines. Package compile builds Rulesets.
type Ruleset struct {
	rules []*ir.Rule
	plans []*Node
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
	return &Ruleset{rules: rules, plans: plans}, nil
}

// Len returns the number of rules.
func (rs *Ruleset) Len() int { return len(rs.rules) }

// Rule returns rule i.
func (rs *Ruleset) Rule(i int) *ir.Rule { return rs.rules[i] }

// Plan returns the compiled evaluation tree of rule i.
func (rs *Ruleset) Plan(i int) *Node { return rs.plans[i] }

// Match appends to dst the indices, in rule order, of the rules that match
// ev, and returns the extended slice. With a dst of enough capacity it
// allocates nothing.
func (rs *Ruleset) Match(ev Event, dst []int) []int {
	for i, p := range rs.plans {
		if p.Eval(ev) {
			dst = append(dst, i)
		}
	}
	return dst
}
