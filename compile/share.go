package compile

import (
	"fmt"
	"strings"

	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// share merges identical subtrees across the rules' plans, so that a test
// or a subexpression that many rules hold (Sigma's log source routes, the
// same "Image endswith \powershell.exe") is one node, and gives every node
// reached more than once a memo slot: Ruleset.Match then evaluates it at
// most once per event. Plans are changed in place and returned.
func share(plans []*plan.Node) []*plan.Node {
	canon := map[string]*plan.Node{}
	keys := map[*plan.Node]string{}
	var intern func(n *plan.Node) *plan.Node
	intern = func(n *plan.Node) *plan.Node {
		if _, done := keys[n]; done {
			return n
		}
		for i, k := range n.Kids {
			n.Kids[i] = intern(k)
		}
		key := nodeKey(n)
		if c, ok := canon[key]; ok {
			return c
		}
		canon[key] = n
		keys[n] = key
		return n
	}
	for i, p := range plans {
		plans[i] = intern(p)
	}
	uses := map[*plan.Node]int{}
	var count func(n *plan.Node)
	count = func(n *plan.Node) {
		if uses[n]++; uses[n] > 1 {
			return // its subtree is counted once
		}
		for _, k := range n.Kids {
			count(k)
		}
	}
	for _, p := range plans {
		count(p)
	}
	slot := 0
	var number func(n *plan.Node)
	number = func(n *plan.Node) {
		if n.Slot != 0 {
			return
		}
		if uses[n] > 1 && n.Op != ir.OpTrue && n.Op != ir.OpFalse {
			slot++
			n.Slot = slot
		}
		for _, k := range n.Kids {
			number(k)
		}
	}
	for _, p := range plans {
		number(p)
	}
	return plans
}

// nodeKey identifies a node's meaning, its kids by their (already
// interned) identity. Tests with computed operands are never merged.
func nodeKey(n *plan.Node) string {
	var b strings.Builder
	b.WriteString(n.Op.String())
	if n.Op == ir.OpPred {
		t := n.Test
		if t.Left != nil || t.Right != nil {
			return fmt.Sprintf("test %p", t)
		}
		b.WriteString(" ")
		b.WriteString(t.String())
		for _, p := range t.Paths {
			b.WriteString(" @" + p.String())
		}
		return b.String()
	}
	for _, k := range n.Kids {
		fmt.Fprintf(&b, " %p", k)
	}
	return b.String()
}
