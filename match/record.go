package match

// Record is one event as a ruleset reads it: the event's values at the
// paths the ruleset's rules use (its slots), each found once. Reset fills
// it from an event: a Doc without dotted keys in one walk over the keys
// some rule uses, any other event by looking each slot's path up.
// Ruleset.MatchRecord matches a filled Record without reading the event
// again, so a Record is the pre-parsed form of an event for one ruleset;
// Ruleset.Match fills one of its own for each event.
//
// A Record belongs to the ruleset that made it (Ruleset.NewRecord) and is
// not safe for concurrent use; it keeps the event until the next Reset.
type Record struct {
	st        *slotTable
	ev        Event
	epoch     uint32   // this event's number; the arrays below hold older ones
	vals      []any    // per slot: its value, when found
	found     []uint32 // per slot: the epoch its value was found in
	lazy      []uint32 // per slot: the epoch it was left to Lookup in
	looked    []uint32 // per slot: the epoch a Lookup found it absent in
	foundList []int32  // the slots found, each once
	walked    bool     // a walk found every slot present but those in lazy
	complete  bool     // foundList holds every slot present
}

// newRecord returns an empty record for slot table st.
func newRecord(st *slotTable) *Record {
	n := st.slots()
	return &Record{st: st, vals: make([]any, n), found: make([]uint32, n), lazy: make([]uint32, n), looked: make([]uint32, n)}
}

// Reset fills r from ev, resolving every slot now.
func (r *Record) Reset(ev Event) { r.reset(ev, true) }

// reset fills r from ev. A Doc without dotted keys is walked now; with
// eager, other events have every slot looked up now, otherwise each slot
// is looked up the first time it is read.
func (r *Record) reset(ev Event, eager bool) {
	r.ev = ev
	if r.epoch++; r.epoch == 0 { // wrapped: forget every old epoch
		clear(r.found)
		clear(r.lazy)
		clear(r.looked)
		r.epoch = 1
	}
	r.foundList = r.foundList[:0]
	r.walked, r.complete = false, false
	if d, ok := ev.(*Doc); ok && !d.dotted {
		r.walked, r.complete = true, true
		if r.st.root.kids != nil {
			r.walk(d.m, r.st.root)
		}
		if r.complete {
			return
		}
	}
	if eager {
		r.foundList = r.foundList[:0]
		for s, p := range r.st.paths {
			if _, ok := r.Lookup(p); ok && r.found[s] == r.epoch {
				r.foundList = append(r.foundList, int32(s))
			}
		}
		r.complete = true
	}
}

// walk visits the keys of m that continue the paths at n.
func (r *Record) walk(m map[string]any, n *trieNode) {
	if len(m) <= len(n.kids) {
		for k, v := range m {
			if c := n.kids[k]; c != nil {
				r.visit(c, v)
			}
		}
		return
	}
	for k, c := range n.kids {
		if v, ok := m[k]; ok {
			r.visit(c, v)
		}
	}
}

// visit records v, found at n, and walks on into it. Where a path runs
// through an array, its slots are left to Doc.Lookup, which collects the
// elements' values, and the walk is not complete.
func (r *Record) visit(n *trieNode, v any) {
	if n.slot >= 0 {
		r.vals[n.slot] = v
		r.found[n.slot] = r.epoch
		r.foundList = append(r.foundList, n.slot)
	}
	if n.kids == nil {
		return
	}
	switch c := v.(type) {
	case map[string]any:
		r.walk(c, n)
	case []any:
		r.complete = false
		for _, s := range n.below {
			if s != n.slot {
				r.lazy[s] = r.epoch
			}
		}
	}
}

// Lookup returns the value at p, from its slot when p has one.
func (r *Record) Lookup(p *Path) (any, bool) {
	s := r.st.slotOf(p)
	if s < 0 {
		return r.ev.Lookup(p)
	}
	switch {
	case r.found[s] == r.epoch:
		return r.vals[s], true
	case r.walked && r.lazy[s] != r.epoch:
		return nil, false
	case r.looked[s] == r.epoch:
		return nil, false
	}
	v, ok := r.ev.Lookup(p)
	if ok {
		r.vals[s] = v
		r.found[s] = r.epoch
	} else {
		r.looked[s] = r.epoch
	}
	return v, ok
}

// Each visits the event's values, when it is a Walker.
func (r *Record) Each(fn func(v any) bool) bool {
	w, ok := r.ev.(Walker)
	return ok && w.Each(fn)
}
