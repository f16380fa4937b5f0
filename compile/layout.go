package compile

import (
	"github.com/ruleforge/ruleforge/internal/plan"
)

// layout copies the plans' nodes and tests into three blocks of memory
// (nodes, operand lists, tests), one rule after another, each rule's in
// the order its evaluation visits them (depth first, operands in Run
// order), and returns the copies. Built by many goroutines and then
// merged (share) and reordered (evalOrder), a rule's nodes, operand lists
// and tests lay anywhere in the heap: evaluating a candidate read a cache
// line for each, a miss most of the time (the first touch of a node's
// Slot and of a test's fields were the hottest instructions of a
// candidate's evaluation). Nodes shared by several plans are copied once,
// where the first plan to reach them puts them, and stay shared; so are
// tests. The copies are equal to the originals (same operators, operands
// in both orders, slots and tests' contents): the result of every plan is
// unchanged.
func layout(plans []*plan.Node) []*plan.Node {
	l := &layouter{copies: map[*plan.Node]*plan.Node{}, tests: map[*plan.Test]*plan.Test{}}
	for _, p := range plans {
		l.count(p)
	}
	l.nodeMem = make([]plan.Node, 0, l.nodes)
	l.kidMem = make([]*plan.Node, 0, l.kids)
	l.testMem = make([]plan.Test, 0, l.ntests)
	clear(l.copies)
	out := make([]*plan.Node, len(plans))
	for i, p := range plans {
		out[i] = l.place(p)
	}
	return out
}

// layouter is layout's state: the blocks, how much each needs, and the
// copy of each node and test placed so far.
type layouter struct {
	nodes, kids, ntests int
	nodeMem             []plan.Node
	kidMem              []*plan.Node
	testMem             []plan.Test
	copies              map[*plan.Node]*plan.Node
	tests               map[*plan.Test]*plan.Test
}

// count adds what n and the nodes under it need, each node once.
func (l *layouter) count(n *plan.Node) {
	if _, ok := l.copies[n]; ok {
		return
	}
	l.copies[n] = nil
	l.nodes++
	l.kids += len(n.Kids) + len(n.Run)
	if n.Test != nil {
		if _, ok := l.tests[n.Test]; !ok {
			l.tests[n.Test] = nil
			l.ntests++
		}
	}
	for _, k := range n.Kids {
		l.count(k)
	}
}

// place returns n's copy, placing it and then the nodes under it (in
// evaluation order) when it is not placed yet.
func (l *layouter) place(n *plan.Node) *plan.Node {
	if c := l.copies[n]; c != nil {
		return c
	}
	l.nodeMem = append(l.nodeMem, *n)
	c := &l.nodeMem[len(l.nodeMem)-1]
	l.copies[n] = c
	if n.Test != nil {
		t := l.tests[n.Test]
		if t == nil {
			l.testMem = append(l.testMem, *n.Test)
			t = &l.testMem[len(l.testMem)-1]
			l.tests[n.Test] = t
		}
		c.Test = t
	}
	if len(n.Kids) == 0 {
		return c
	}
	run := n.Kids
	if n.Run != nil {
		run = n.Run
	}
	// The operand lists first, then the operands: the lists sit next to
	// each other, and the first operand evaluated next to its parent.
	c.Kids = l.kidMem[len(l.kidMem) : len(l.kidMem)+len(n.Kids) : len(l.kidMem)+len(n.Kids)]
	l.kidMem = l.kidMem[:len(l.kidMem)+len(n.Kids)]
	if n.Run != nil {
		c.Run = l.kidMem[len(l.kidMem) : len(l.kidMem)+len(n.Run) : len(l.kidMem)+len(n.Run)]
		l.kidMem = l.kidMem[:len(l.kidMem)+len(n.Run)]
	}
	for _, k := range run {
		l.place(k)
	}
	for i, k := range n.Kids {
		c.Kids[i] = l.copies[k]
	}
	for i, k := range n.Run {
		c.Run[i] = l.copies[k]
	}
	return c
}
