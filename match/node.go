package match

import "strings"

// Op is the kind of a compiled Node.
type Op uint8

// The node kinds. The zero value is invalid.
const (
	OpInvalid Op = iota
	OpAnd        // every kid is true
	OpOr         // some kid is true
	OpNot        // the one kid is false
	OpTest       // Node.Test passes
	OpTrue       // constant true
	OpFalse      // constant false
)

// String returns the node kind's name.
func (op Op) String() string {
	switch op {
	case OpAnd:
		return "and"
	case OpOr:
		return "or"
	case OpNot:
		return "not"
	case OpTest:
		return "test"
	case OpTrue:
		return "true"
	case OpFalse:
		return "false"
	}
	return "invalid"
}

// Node is a node of a compiled rule's evaluation tree. Rules of one
// ruleset share identical subtrees; a shared node has a Slot (from 1), and
// Ruleset.Match evaluates it at most once per event.
type Node struct {
	Op   Op
	Kids []*Node
	Test *Test
	Slot int // 0: not shared; otherwise the node's memo slot in a Ruleset
}

// Eval evaluates the node for ev, left to right with short circuits.
func (n *Node) Eval(ev Event) bool { return n.eval(ev, nil) }

// memo remembers the results of shared nodes for one event: 0 not yet
// evaluated, 1 false, 2 true; index Slot-1.
type memo []uint8

// eval evaluates n, using and filling m (when not nil) for shared nodes.
func (n *Node) eval(ev Event, m memo) bool {
	if n.Slot > 0 && m != nil {
		switch m[n.Slot-1] {
		case 1:
			return false
		case 2:
			return true
		}
		r := n.evalOp(ev, m)
		m[n.Slot-1] = 1
		if r {
			m[n.Slot-1] = 2
		}
		return r
	}
	return n.evalOp(ev, m)
}

// evalOp evaluates n's operator.
func (n *Node) evalOp(ev Event, m memo) bool {
	switch n.Op {
	case OpAnd:
		for _, k := range n.Kids {
			if !k.eval(ev, m) {
				return false
			}
		}
		return true
	case OpOr:
		for _, k := range n.Kids {
			if k.eval(ev, m) {
				return true
			}
		}
		return false
	case OpNot:
		return !n.Kids[0].eval(ev, m)
	case OpTest:
		return n.Test.Eval(ev)
	case OpTrue:
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
	if n.Op == OpTest {
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
