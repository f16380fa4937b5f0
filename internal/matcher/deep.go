package matcher

import (
	"slices"
	"unsafe"
)

// Deep states: how ScanMarked steps a large automaton. The DFA's table
// holds a row of columns steps for every state (for the SigmaHQ Windows
// rules' command-line probe, 27,889 states of 72 columns: 8 MB), and
// breadth first, a key's states lie a layer apart: each byte's step of a
// scan reads a cache line of its own. Past its first states (breadth
// first, the shallow ones most bytes lead to, whose rows it keeps),
// ScanMarked instead steps as the Aho–Corasick automaton the DFA was
// made from does: along a state's trie edge, or from its fail state,
// which is shallower, until a state with a row takes the byte. The DFA's
// row of a state is its fail state's row with its own edges over it
// (NewAutomaton builds it so), so both lead to the same state. The deep
// states are laid out depth first, a state and its first kid side by
// side, 16 bytes each: a key's states share cache lines. The table stays
// whole for the other scans (ScanJSON, the sampler's verify, has).
//
// Measured on the SigmaHQ Windows rules and the .evtx corpus's records
// (BenchmarkMatchRecords, the same test binary with and without deep
// states, eight alternating runs, load 6-7): matching's CPU time a record
// 0.87-1.03 of it without, 0.96 on average, lower in seven runs of eight
// (the per-field probes alone, in one process: 0.83-0.90). Simulated by
// cachegrind, ScanMarked runs 1.4 times the instructions, with 1.17 times
// the misses of a 48 KB L1 cache but fewer of a 2 MB one: what it saves
// is misses further out (and the TLB's, which cachegrind does not model).
// The deep states laid out breadth first, as the table is, gained
// nothing measurable. Memory: 3.0 MB more for the SigmaHQ Windows rules'
// index (a Set's automaton, only asked has, has none).

// maxRowBytes is the size of the rows ScanMarked reads from a copy of the
// DFA's table (those of the first states, breadth first); an automaton
// whose table is larger steps its other states as deep states.
var maxRowBytes = 128 << 10

// deepStates is the deep states of an automaton (see above). A step to a
// deep state is lim + 2*i (i its place, depth first), with emitBit; to
// another state, its offset in rows, with emitBit.
type deepStates struct {
	lim    uintptr     // the steps from lim on are deep states'
	rows   []uint32    // the first states' rows, their steps to deep states as above
	states []deepState // depth first
	more   []deepEdge  // the edges of states with more than one
	num    []int32     // per deep state: its state number, for report
}

// deepState is a deep state: its first trie edge (class and step; class
// noClass when it has none), where its other edges are in more, and the
// step to its fail state (without emitBit).
type deepState struct {
	class uint16
	nmore uint16
	o     uint32
	fail  uint32
	at    uint32 // its other edges: more[at:at+nmore]
}

// noClass is the class of no byte (classes are below 257).
const noClass = 0xffff

// deepEdge is a trie edge of a deep state: the class of its byte and the
// step to the state it leads to.
type deepEdge struct {
	class uint16
	o     uint32
}

// newDeepStates returns the deep states of an automaton whose steps
// (offsets with emitBit) are step, with cols columns, states in order
// (breadth first: order[s] is state s's trie node), the trie's first,
// sibling and label, num (trie node -> state), and fail and emit (by
// state: its fail state, whether it reports keys); nil when the table is
// within maxRowBytes.
func newDeepStates(step []uint32, cols int, order, first, sibling []int32, label []uint16, num []int32, fail []uint32, emit []bool) *deepStates {
	nrows := max(1, maxRowBytes/(4*cols))
	if nrows >= len(order) {
		return nil
	}
	d := &deepStates{lim: uintptr(nrows * cols)}
	// Depth first from each deep state whose parent has a row.
	place := make([]int32, len(order)) // state -> place among the deep states, depth first
	var stack []int32
	for s := range nrows {
		for k := first[order[s]]; k >= 0; k = sibling[k] {
			if c := num[k]; int(c) >= nrows {
				stack = append(stack, c)
			}
		}
	}
	slices.Reverse(stack)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		place[s] = int32(len(d.num))
		d.num = append(d.num, s)
		n := len(stack)
		for k := first[order[s]]; k >= 0; k = sibling[k] {
			stack = append(stack, num[k])
		}
		slices.Reverse(stack[n:]) // the first kid next
	}
	enc := func(s uint32) uint32 { // the step to state s, without emitBit
		if int(s) < nrows {
			return s * uint32(cols)
		}
		return uint32(d.lim) + 2*uint32(place[s])
	}
	withEmit := func(s uint32) uint32 {
		o := enc(s)
		if emit[s] {
			o |= emitBit
		}
		return o
	}
	d.rows = make([]uint32, nrows*cols)
	for i := range d.rows {
		d.rows[i] = withEmit(step[i] / uint32(cols))
	}
	d.states = make([]deepState, len(d.num))
	for i, s := range d.num {
		ds := &d.states[i]
		ds.class, ds.fail = noClass, enc(fail[s])
		ds.at = uint32(len(d.more))
		for k := first[order[s]]; k >= 0; k = sibling[k] {
			e := deepEdge{label[k], withEmit(uint32(num[k]))}
			if ds.class == noClass {
				ds.class, ds.o = e.class, e.o
				continue
			}
			d.more = append(d.more, e)
			ds.nmore++
		}
	}
	return d
}

// step returns the step from o (without emitBit) on a byte of class c.
func (d *deepStates) step(o uintptr, c uint16) uintptr {
	for o >= d.lim {
		ds := &d.states[(o-d.lim)/2]
		if ds.class == c {
			return uintptr(ds.o)
		}
		for _, e := range d.more[ds.at : ds.at+uint32(ds.nmore)] {
			if e.class == c {
				return uintptr(e.o)
			}
		}
		o = uintptr(ds.fail)
	}
	return at(unsafe.Pointer(unsafe.SliceData(d.rows)), c, o)
}

// state returns the state number of step o (without emitBit).
func (d *deepStates) state(o uintptr, cols int) int32 {
	if o >= d.lim {
		return d.num[(o-d.lim)/2]
	}
	return int32(o / uintptr(cols))
}

// scanDeep is ScanMarked stepping the deep states; a.deep is set. The
// steps most bytes take are inline: by a row, or by a deep state's first
// edge; the others call step.
func (a *Automaton) scanDeep(text string, x Sink, m *Marks) {
	d, class := a.deep, &a.class
	rows, lim, states := unsafe.Pointer(unsafe.SliceData(d.rows)), d.lim, d.states
	o := uintptr(0)
	for i := 0; i < len(text); i++ {
		if o == 0 {
			if i = a.skipRoot(text, i); i < 0 {
				return
			}
		}
		if c := class[text[i]]; o < lim {
			o = at(rows, c, o)
		} else if ds := &states[(o-lim)/2]; ds.class == c {
			o = uintptr(ds.o)
		} else {
			o = d.step(o, c)
		}
		if o&emitBit != 0 {
			o &^= emitBit
			a.report(d.state(o, a.columns), x, m)
		}
	}
}
