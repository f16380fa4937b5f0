package match

import (
	"maps"
	"math"
	"slices"

	"github.com/ruleforge/ruleforge/internal/plan"
)

// Field slots. A ruleset numbers the distinct paths its tests read (its
// slots); a Record holds one event's values at them (record.go).

// maxSlotSpan bounds a ruleset's slot table, indexed by path id: when its
// paths are numbered further apart than this (made at very different
// times), a map finds their slots instead.
const maxSlotSpan = 1 << 20

// slotTable maps path ids to slots and holds the trie of the slots' paths.
type slotTable struct {
	base  uint64  // the smallest path id
	slot  []int32 // path id - base -> slot, or -1
	base2 uint64  // the smallest id of the paths added by with
	slot2 []int32 // path id - base2 -> slot, or -1: those paths
	// byText finds the slot of any path by its text: of a path made
	// apart from the rules' (Record.Lookup's caller's), or when path ids
	// span too far for slot and slot2.
	byText map[string]int32
	paths  []*Path // per slot: a path to look it up with
	root   *trieNode
	nodes  int32 // trie nodes, numbered 0 (the root) to nodes-1

	// of is the ruleset's table that this one extends (with), or nil: a
	// record of either is matched by that ruleset's index.
	of *slotTable
	// keywords is the ruleset's keyword scan of filled records that may
	// skip clean values (clean.go), or nil; set on the ruleset's own table.
	keywords *keywordScan
}

// trieNode is a step of the slots' paths: the keys that continue them,
// the slot of the path ending here (or -1), every slot at or below, and
// the node's number in its table.
type trieNode struct {
	kids  map[string]*trieNode
	slot  int32
	below []int32
	id    int32
	eager bool // the slot is read for every event: ResetJSON decodes it at once
}

// decodeEagerly marks the slots s with eager[s] as read for every event
// (the rule index probes them), so that ResetJSON decodes their values at
// once rather than on first use.
func (st *slotTable) decodeEagerly(eager []bool) {
	var walk func(n *trieNode)
	walk = func(n *trieNode) {
		n.eager = n.slot >= 0 && eager[n.slot]
		for _, c := range n.kids {
			walk(c)
		}
	}
	walk(st.root)
}

// newSlotTable numbers the paths read by the tests and terms of nodes
// (every node of the plans once, in preorder: allNodes), then extra
// (withReads).
func newSlotTable(nodes []*plan.Node, extra []*Path) *slotTable {
	var all []*Path
	for _, n := range nodes {
		if t := n.Test; t != nil {
			all = append(all, t.Paths...)
			all = append(all, t.Iter...)
			all = termPaths(all, t.Left)
			all = termPaths(all, t.Right)
		}
	}
	all = append(all, extra...)
	st := &slotTable{root: &trieNode{slot: -1}, nodes: 1}
	if len(all) == 0 {
		return st
	}
	lo, hi := uint64(math.MaxUint64), uint64(0)
	for _, p := range all {
		lo, hi = min(lo, p.ID()), max(hi, p.ID())
	}
	if hi-lo < maxSlotSpan {
		st.base = lo
		st.slot = make([]int32, hi-lo+1)
		for i := range st.slot {
			st.slot[i] = -1
		}
	}
	st.byText = map[string]int32{}
	for _, p := range all {
		s, ok := st.byText[p.String()]
		if !ok {
			s = int32(len(st.paths))
			st.byText[p.String()] = s
			st.paths = append(st.paths, p)
			st.add(p, s)
		}
		if st.slot != nil {
			st.slot[p.ID()-lo] = s
		}
	}
	return st
}

// termPaths appends the paths that t reads.
func termPaths(dst []*Path, t *plan.Term) []*Path {
	if t == nil {
		return dst
	}
	dst = append(dst, t.Paths...)
	for _, a := range t.Args {
		dst = termPaths(dst, a)
	}
	return dst
}

// add puts path p, slot s, in the trie.
func (st *slotTable) add(p *Path, s int32) {
	n := st.root
	n.below = append(n.below, s)
	for _, part := range p.Parts() {
		if n.kids == nil {
			n.kids = map[string]*trieNode{}
		}
		c := n.kids[part]
		if c == nil {
			c = &trieNode{slot: -1, id: st.nodes}
			st.nodes++
			n.kids[part] = c
		}
		n = c
		n.below = append(n.below, s)
	}
	n.slot = s
}

// with returns a table that numbers st's slots as st does and gives each
// of paths that st lacks (by text) a slot after them, for records that
// hold more than the rules read.
func (st *slotTable) with(paths []*Path) *slotTable {
	d := &slotTable{base: st.base, slot: st.slot, byText: maps.Clone(st.byText), paths: slices.Clone(st.paths),
		root: st.root.clone(), nodes: st.nodes, of: st.ruleset()}
	if d.byText == nil {
		d.byText = map[string]int32{}
	}
	lo, hi := uint64(math.MaxUint64), uint64(0)
	for _, p := range paths {
		lo, hi = min(lo, p.ID()), max(hi, p.ID())
	}
	if len(paths) > 0 && hi-lo < maxSlotSpan {
		d.base2, d.slot2 = lo, make([]int32, hi-lo+1)
		for i := range d.slot2 {
			d.slot2[i] = -1
		}
	}
	for _, p := range paths {
		s, ok := d.byText[p.String()]
		if !ok {
			s = int32(len(d.paths))
			d.byText[p.String()] = s
			d.paths = append(d.paths, p)
			d.add(p, s)
		}
		if i := p.ID() - d.base2; i < uint64(len(d.slot2)) {
			d.slot2[i] = s
		}
	}
	return d
}

// ruleset returns the ruleset's table: the one st extends, or st.
func (st *slotTable) ruleset() *slotTable {
	if st.of != nil {
		return st.of
	}
	return st
}

// clone returns a deep copy of the trie at n.
func (n *trieNode) clone() *trieNode {
	c := *n
	c.below = slices.Clone(n.below)
	if n.kids != nil {
		c.kids = make(map[string]*trieNode, len(n.kids))
		for k, kid := range n.kids {
			c.kids[k] = kid.clone()
		}
	}
	return &c
}

// slots returns the number of slots.
func (st *slotTable) slots() int { return len(st.paths) }

// slotOf returns the slot of p's path, or -1.
func (st *slotTable) slotOf(p *Path) int32 {
	if i := p.ID() - st.base; i < uint64(len(st.slot)) {
		if s := st.slot[i]; s >= 0 {
			return s
		}
	}
	if i := p.ID() - st.base2; i < uint64(len(st.slot2)) {
		if s := st.slot2[i]; s >= 0 {
			return s
		}
	}
	if s, ok := st.byText[p.String()]; ok {
		return s
	}
	return -1
}
