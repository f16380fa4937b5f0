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

// Node is a node of a compiled rule's evaluation tree.
type Node struct {
	Op   Op
	Kids []*Node
	Test *Test
}

// Eval evaluates the node for ev, left to right with short circuits.
func (n *Node) Eval(ev Event) bool {
	switch n.Op {
	case OpAnd:
		for _, k := range n.Kids {
			if !k.Eval(ev) {
				return false
			}
		}
		return true
	case OpOr:
		for _, k := range n.Kids {
			if k.Eval(ev) {
				return true
			}
		}
		return false
	case OpNot:
		return !n.Kids[0].Eval(ev)
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
