package plan

import (
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// Node is a node of a compiled rule's evaluation tree. Rules of one
// ruleset share identical subtrees; a shared node has a Slot (from 1), and
// Ruleset.Match evaluates it at most once per event.
//
// An and or an or may evaluate its operands in another order than Kids
// lists them: Run, when set, holds the same operands in the order Eval
// tries them (package compile puts the cheap and decisive first). The
// result is the same either way (no side effects, two values); Kids'
// order is the one String prints and Explain reports reasons in, so
// that a faster evaluation order changes no explanation.
//
// The fields are in the order evaluation reads them, so that a node
// (package compile lays a rule's nodes out one after another) is read
// from as few cache lines as it can be.
type Node struct {
	Op   ir.Op // ir.OpAnd, ir.OpOr, ir.OpNot, OpPred (Test), OpTrue or OpFalse
	Slot int   // 0: not shared; otherwise the node's memo slot in a Ruleset
	Test *Test
	Run  []*Node // Kids in evaluation order, or nil for Kids' order
	Kids []*Node
}

// Eval evaluates the node for ev, left to right with short circuits.
func (n *Node) Eval(ev Event) bool { return n.eval(ev, nil) }

// EvalMemo is Eval remembering, in m, the results of shared nodes and
// the long values folded for this event.
func (n *Node) EvalMemo(ev Event, m *Memo) bool { return n.eval(ev, m) }

// eval evaluates n, using and filling m (when not nil).
func (n *Node) eval(ev Event, m *Memo) bool {
	if n.Slot > 0 && m != nil {
		switch m.results[n.Slot-1] {
		case 1:
			return false
		case 2:
			return true
		}
		r := n.evalOp(ev, m)
		m.results[n.Slot-1] = 1
		if r {
			m.results[n.Slot-1] = 2
		}
		return r
	}
	return n.evalOp(ev, m)
}

// evalOp evaluates n's operator.
func (n *Node) evalOp(ev Event, m *Memo) bool {
	kids := n.Run
	if kids == nil {
		kids = n.Kids
	}
	switch n.Op {
	case ir.OpAnd:
		for _, k := range kids {
			if !k.eval(ev, m) {
				return false
			}
		}
		return true
	case ir.OpOr:
		for _, k := range kids {
			if k.eval(ev, m) {
				return true
			}
		}
		return false
	case ir.OpNot:
		return !n.Kids[0].eval(ev, m)
	case ir.OpPred:
		return n.Test.eval(ev, m)
	case ir.OpTrue:
		return true
	}
	return false
}

// String renders the tree indented, one node a line.
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b, 0)
	return b.String()
}

// write prints n at depth.
func (n *Node) write(b *strings.Builder, depth int) {
	b.WriteString(strings.Repeat("  ", depth))
	if n.Op == ir.OpPred {
		b.WriteString(n.Test.String())
		b.WriteByte('\n')
		return
	}
	b.WriteString(n.Op.String())
	b.WriteByte('\n')
	for _, k := range n.Kids {
		k.write(b, depth+1)
	}
}
