package compile

import (
	"encoding/binary"
	"strings"

	"github.com/ruleforge/ruleforge/internal/par"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// share merges identical subtrees across the rules' plans, so that a test
// or a subexpression that many rules hold (Sigma's log source routes, the
// same "Image endswith \powershell.exe") is one node, and gives every node
// reached more than once a memo slot: Ruleset.Match then evaluates it at
// most once per event. Plans are changed in place and returned.
//
// A test is known by its printed form (testKey), made for every plan on
// every CPU; the merging itself runs in plan order, so that the first of
// identical nodes is the one kept, and an and/or/not node is known by its
// operator and its (already merged) operands' numbers.
func share(plans []*plan.Node, keys map[*plan.Test]string) []*plan.Node {
	leaves := make([][]leafKey, len(plans))
	par.For(len(plans), func(i int) { leaves[i] = testKeys(plans[i], keys, nil) })
	tests := 0
	for _, l := range leaves {
		tests += len(l)
	}
	s := &sharer{tests: make(map[string]*plan.Node, tests), ops: map[string]*plan.Node{}}
	for i, p := range plans {
		s.leaves = leaves[i]
		plans[i] = s.intern(p)
		s.uses[-1-plans[i].Slot]++
	}
	// Slot holds -1 - each kept node's number until here; now it becomes
	// the memo slot of the nodes reached more than once, numbered in the
	// order a preorder walk of the plans first reaches them.
	slot := 0
	var number func(n *plan.Node)
	number = func(n *plan.Node) {
		if n.Slot >= 0 {
			return // numbered already
		}
		id := -1 - n.Slot
		n.Slot = 0
		if s.uses[id] > 1 && n.Op != ir.OpTrue && n.Op != ir.OpFalse {
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

// sharer is the state of share's merging.
type sharer struct {
	tests  map[string]*plan.Node // a test's key -> the node kept
	ops    map[string]*plan.Node // an and/or/not/true/false node's key -> the node kept
	uses   []int32               // per kept node: the references to it from kept nodes and plans
	leaves []leafKey             // the keys of the tests intern meets next
	buf    []byte
}

// leafKey is a test node's key, made before the merging.
type leafKey struct {
	n   *plan.Node
	key string
}

// testKeys appends to dst the key of each test node under n that can be
// merged, in the order intern meets them: from keys, those the compiler
// made already, or testKey.
func testKeys(n *plan.Node, keys map[*plan.Test]string, dst []leafKey) []leafKey {
	if n.Op == ir.OpPred {
		k, ok := keys[n.Test]
		if !ok {
			k = testKey(n.Test)
		}
		if k != "" {
			dst = append(dst, leafKey{n, k})
		}
		return dst
	}
	for _, k := range n.Kids {
		dst = testKeys(k, keys, dst)
	}
	return dst
}

// testKey identifies a test's meaning: what it compares and the paths it
// reads; "" for tests with computed operands, which are never merged.
func testKey(t *plan.Test) string {
	if t.Left != nil || t.Right != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(t.String())
	for _, p := range t.Paths {
		b.WriteString(" @")
		b.WriteString(p.String())
	}
	return b.String()
}

// intern returns the node kept for n, merging n's subtree first. A kept
// node's Slot is -1 - its number.
func (s *sharer) intern(n *plan.Node) *plan.Node {
	if n.Slot < 0 {
		return n // kept already
	}
	for i, k := range n.Kids {
		n.Kids[i] = s.intern(k)
	}
	if n.Op != ir.OpPred {
		b := append(s.buf[:0], byte(n.Op))
		for _, k := range n.Kids {
			b = binary.AppendUvarint(b, uint64(-1-k.Slot))
		}
		s.buf = b
		if c, ok := s.ops[string(b)]; ok {
			return c
		}
		s.ops[string(b)] = n
		return s.keep(n)
	}
	var key string
	if len(s.leaves) > 0 && s.leaves[0].n == n {
		key, s.leaves = s.leaves[0].key, s.leaves[1:]
	} else {
		key = testKey(n.Test)
	}
	if key == "" {
		return s.keep(n)
	}
	if c, ok := s.tests[key]; ok {
		return c
	}
	s.tests[key] = n
	return s.keep(n)
}

// keep numbers n, a node kept, and counts the references of its operands.
func (s *sharer) keep(n *plan.Node) *plan.Node {
	n.Slot = -1 - len(s.uses)
	s.uses = append(s.uses, 0)
	for _, k := range n.Kids {
		s.uses[-1-k.Slot]++
	}
	return n
}
