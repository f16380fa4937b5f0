package match

import (
	"slices"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// A candidate is evaluated only after its gate held (and its checks,
// checks.go): each clause had a key fire. An operand of the rule's top
// and whose own gate those clauses imply (a selection of image names,
// a clause of its keys) then nearly always holds, and evaluating it first
// decides nothing: compile's evaluation order (evalOrder) rates each
// operand alone and cannot know that. "System File Execution Location
// Anomaly" tested its 55 image suffixes, which its gate had just found,
// before the negated folder prefixes that make it false, for 2,047 of
// the corpus's 18,270 records. deferImplied moves such operands after the
// others in the top and's evaluation order (plan.Node.Run). The result
// is the same in any order (internal/plan: no side effects, two values)
// and Kids, which Explain reports reasons in, keep their order.

// deferImplied reorders the top and of each rule whose gate implies some
// of its operands but not all (impliedBy), moving those after the others,
// each group in its order. It changes Run of top nodes that no other
// rule shares (Slot 0): the plans are the ruleset's own (compile gives
// newRuleset fresh ones), and no evaluation has begun.
func (ix *index) deferImplied(ixr *indexer, plans []*plan.Node, ids map[ixKey]int32) {
	for r, root := range plans {
		if ix.gates[r] == nil || root.Op != ir.OpAnd || root.Slot != 0 {
			continue
		}
		held := ix.heldClauses(r)
		run := root.Run
		if run == nil {
			run = root.Kids
		}
		implied := make([]bool, len(run))
		n := 0
		for i, k := range run {
			if implied[i] = ix.impliedBy(ixr, ids, held, k); implied[i] {
				n++
			}
		}
		if n == 0 || n == len(run) || !slices.Contains(implied[:len(run)-n], true) {
			continue // nothing moves
		}
		order := make([]*plan.Node, 0, len(run))
		for _, last := range []bool{false, true} {
			for i, k := range run {
				if implied[i] == last {
					order = append(order, k)
				}
			}
		}
		if root.Run == nil {
			root.Run = order
		} else {
			copy(root.Run, order)
		}
	}
}

// heldClauses returns the clauses whose keys fired in every event where
// rule r is evaluated: its gate's, and its checks that are read in every
// such event (those with no phase 1 probe).
func (ix *index) heldClauses(r int) [][]int32 {
	held := slices.Clone(ix.gates[r])
	for _, c := range ix.checks[ix.checkAt[r]:ix.checkAt[r+1]] {
		if len(c.late) == 0 {
			held = append(held, c.keys)
		}
	}
	return held
}

// impliedBy reports whether n nearly always holds where the clauses held
// did: n is a test its keys stand for (keyedTest), or an or of such, and
// each clause of its gate has all the keys of one of held. It is not
// certain (a key fires at any of a field's paths, a test reads the
// first present one; a long text's key is its end): it decides an order,
// never a result.
func (ix *index) impliedBy(ixr *indexer, ids map[ixKey]int32, held [][]int32, n *plan.Node) bool {
	if !keyedNode(n) {
		return false
	}
	g := ixr.gate(n)
	if !g.ok || len(g.clauses) == 0 {
		return false
	}
	for _, c := range g.clauses {
		keys := make([]int32, 0, len(c.keys))
		for _, k := range c.keys {
			if id, ok := ids[ixr.keys[k]]; ok {
				keys = append(keys, id)
			}
		}
		slices.Sort(keys)
		if !slices.ContainsFunc(held, func(h []int32) bool { return len(h) > 0 && subset(h, keys) }) {
			return false
		}
	}
	return true
}

// keyedNode reports whether n is a test whose keys stand for it
// (keyedTest) or an or of such nodes.
func keyedNode(n *plan.Node) bool {
	switch n.Op {
	case ir.OpPred:
		return keyedTest(n.Test)
	case ir.OpOr:
		for _, k := range n.Kids {
			if !keyedNode(k) {
				return false
			}
		}
		return len(n.Kids) > 0
	}
	return false
}

// keyedTest reports whether a value that fires one of t's keys (gateKeys)
// nearly always passes t: a presence test, or a test of texts and numbers
// whose matchers need their whole text (equal, start, end, contain), not
// the longest literal of a pattern.
func keyedTest(t *plan.Test) bool {
	if t.Any || t.Left != nil || t.Right != nil || len(t.Paths) == 0 {
		return false
	}
	if t.Exists {
		return true
	}
	if len(t.Bools)+len(t.Bounds) > 0 || len(t.Strings)+len(t.Numbers) == 0 {
		return false
	}
	for _, m := range t.Strings {
		switch m.Kind() {
		case matcher.KindExact, matcher.KindPrefix, matcher.KindSuffix, matcher.KindContains, matcher.KindSet:
		default:
			return false
		}
	}
	return true
}
