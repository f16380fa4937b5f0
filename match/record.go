package match

import (
	"strings"

	"github.com/ruleforge/ruleforge/internal/hooks"
)

// Record is one event as a ruleset reads it: the event's values at the
// paths the ruleset's rules use (its slots), each found once. Reset fills
// it from an event: a Doc or a Map in one walk over the keys some rule
// uses, any other event by looking each slot's path up.
// Ruleset.MatchRecord matches a filled Record without reading the event
// again, so a Record is the pre-parsed form of an event for one ruleset;
// Ruleset.Match fills one of its own for each event.
//
// A Record belongs to the ruleset that made it (Ruleset.NewRecord) and is
// not safe for concurrent use; it keeps the event until the next Reset.
// It is compact: the values found, in the order found, and one int32 per
// slot.
type Record struct {
	st       *slotTable
	ev       Event
	pos      []int32 // per slot: 0 not known, i+1 items[i], or absent or lazy
	items    []item  // the values found, each slot once (but dead ones)
	dead     int     // the items whose slot is -1: a repeated key dropped them
	live     []int32 // compactItems's memory
	marked   []int32 // the slots marked absent or lazy, to clear
	added    []any   // the values Add gave the event, for Each
	own      Walker  // what Each visits in place of the event (hooks.Slots.Own), or nil
	fill     bool    // the event was filled by Fill's caller (fill.go)
	walked   bool    // a walk found every slot present but the lazy ones
	complete bool    // items holds every slot present

	scan   *scanner    // ResetJSON's state (scan.go), made on its first use
	kw     keywordText // the values a filled record's keyword scan reads, when not all (clean.go)
	joined []*keyTable // per trie node: its deeper descendants by joined keys, made on first use
	byID   []*trieNode // the trie's nodes by id, for Fill's caller (fill.go), made on first use

	// The memory of the values AddString, AddInt and AddStrings give the
	// event, reused from event to event (see scanner).
	strs  chunks[string]
	ints  chunks[int64]
	elems chunks[any]
	lists chunks[[]any]
}

// item is a slot's value. An object, an array or a string with escapes
// or bytes past ASCII found by ResetJSON is decoded on its first lookup:
// until then v is nil and lazy is its offset in the text, plus one. An
// object that Fill's caller found (SetObject) is looked up in the event
// on its first use: lazy is lazyEvent until then.
type item struct {
	slot int32
	lazy int32
	v    any
}

// The marks of Record.pos besides item positions.
const (
	posAbsent = -1 // looked up: absent
	posLazy   = -2 // the walk met an array on the way: look it up
)

// newRecord returns an empty record for slot table st.
func newRecord(st *slotTable) *Record {
	return &Record{st: st, pos: make([]int32, st.slots())}
}

// Reset fills r from ev, resolving every slot now.
func (r *Record) Reset(ev Event) { r.reset(ev, true) }

// reset fills r from ev. A Doc or a Map is walked now (walkDotted); with
// eager, other events, and those a walk cannot read, have every slot
// looked up now, otherwise each slot is looked up the first time it is
// read.
func (r *Record) reset(ev Event, eager bool) {
	r.clear()
	r.ev = ev
	r.walked, r.complete = false, false
	switch d := ev.(type) {
	case *Doc:
		if !d.dotted {
			r.walked, r.complete = true, true
			if r.st.root.kids != nil {
				r.walk(d.m, r.st.root)
			}
		} else {
			r.walkDotted(d.m)
		}
	case Map:
		r.walkDotted(d)
	}
	if r.walked && r.complete {
		return
	}
	if eager {
		for _, p := range r.st.paths {
			r.Lookup(p)
		}
		r.complete = true
	}
}

// clear drops the values r holds.
func (r *Record) clear() {
	for _, it := range r.items {
		if it.slot >= 0 {
			r.pos[it.slot] = 0
		}
	}
	r.dead = 0
	for _, s := range r.marked {
		r.pos[s] = 0
	}
	clear(r.items) // drop the old event's values
	clear(r.added)
	r.items, r.marked, r.added, r.fill, r.own = r.items[:0], r.marked[:0], r.added[:0], false, nil
	r.strs.reset()
	r.ints.reset()
	r.elems.reset()
	r.lists.reset()
}

// walkDotted fills r from m, decoded JSON whose keys may hold dots, in one
// walk over the keys some rule uses, nested ones and those with dots
// alike ({"process.name": …} or {"process": {"parent.name": …}}), with
// the values Map.Lookup finds. Where a slot is reached two ways (a dotted
// key and a nested one, or through an array), Map prefers one by the order
// of its probes, which the walk does not follow: r is left empty, not
// walked, for lookups.
func (r *Record) walkDotted(m map[string]any) {
	r.walked, r.complete = true, true
	if r.st.root.kids != nil && !r.walkKeys(m, r.st.root) {
		r.clear()
		r.walked, r.complete = false, false
	}
}

// walkKeys visits the keys of m that continue the paths at n, by their
// parts or, holding dots, joined; it reports false where a slot is
// reached twice.
func (r *Record) walkKeys(m map[string]any, n *trieNode) bool {
	for k, v := range m {
		c := n.kids[k]
		if c == nil {
			if strings.IndexByte(k, '.') < 0 {
				continue
			}
			if c = findKey(r.joinedTable(n), k); c == nil {
				continue
			}
		}
		if !r.visitOnce(c, v) {
			return false
		}
	}
	return true
}

// visitOnce is visit for walkKeys: it reports false where a slot is
// reached a second time.
func (r *Record) visitOnce(n *trieNode, v any) bool {
	if n.slot >= 0 {
		if r.pos[n.slot] != 0 {
			return false
		}
		r.add(n.slot, v)
	}
	if n.kids == nil {
		return true
	}
	switch c := v.(type) {
	case map[string]any:
		return r.walkKeys(c, n)
	case Map:
		return r.walkKeys(c, n)
	case []any:
		r.complete = false
		for _, s := range n.below {
			if s == n.slot {
				continue
			}
			if r.pos[s] != 0 {
				return false
			}
			r.pos[s] = posLazy
			r.marked = append(r.marked, s)
		}
	}
	return true
}

// joinedTable returns n's descendants by their joined keys (see
// newJoinedTable), made on first use.
func (r *Record) joinedTable(n *trieNode) *keyTable {
	if r.joined == nil {
		r.joined = make([]*keyTable, r.st.nodes)
	}
	t := r.joined[n.id]
	if t == nil {
		t = newJoinedTable(n)
		r.joined[n.id] = t
	}
	return t
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
		r.add(n.slot, v)
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
			if s != n.slot && r.pos[s] == 0 {
				r.pos[s] = posLazy
				r.marked = append(r.marked, s)
			}
		}
	}
}

// add records value v of slot s.
func (r *Record) add(s int32, v any) {
	r.items = append(r.items, item{slot: s, v: v})
	r.pos[s] = int32(len(r.items))
}

// minCompact is the fewest dead items that compactItems is worth
// running for.
const minCompact = 64

// drop forgets the values of items f: ResetJSON found that a repeated key
// replaced them. They stay in items, dead (slot -1), until compactItems,
// unless they end it.
func (r *Record) drop(f span) {
	for k := f.start; k < f.end; k++ {
		it := &r.items[k]
		if it.slot >= 0 {
			r.pos[it.slot] = 0
			*it = item{slot: -1}
			r.dead++
		}
	}
	if f.end == len(r.items) {
		clear(r.items[f.start:])
		r.items, r.dead = r.items[:f.start], r.dead-(f.end-f.start)
	}
}

// compactItems removes the dead items and returns, for each k up to
// len(items) before, the position that items[k] (or the first live item
// after it) moved to; valid until the next call.
func (r *Record) compactItems() []int32 {
	r.live = r.live[:0]
	n := int32(0)
	for k := range r.items {
		r.live = append(r.live, n)
		if it := r.items[k]; it.slot >= 0 {
			r.items[n] = it
			n++
			r.pos[it.slot] = n
		}
	}
	r.live = append(r.live, n)
	clear(r.items[n:])
	r.items, r.dead = r.items[:n], 0
	return r.live
}

// addLazy records that slot s holds the value at offset at of the text
// ResetJSON reads, to be decoded when it is first looked up.
func (r *Record) addLazy(s int32, at int) {
	r.items = append(r.items, item{slot: s, lazy: int32(at + 1)})
	r.pos[s] = int32(len(r.items))
}

// value returns it's value, decoding it on its first use when ResetJSON
// left it in the text.
func (r *Record) value(it *item) any {
	switch {
	case it.lazy > 0:
		// The pass checked the value, within MaxEventDepth.
		it.v, _ = r.scan.value(int(it.lazy-1), 0)
		it.lazy = 0
	case it.lazy == lazyEvent:
		it.v, _ = r.ev.Lookup(r.st.paths[it.slot])
		it.lazy = 0
	}
	return it.v
}

// keyed returns it's value for the rule index, which finds no keys in
// objects: an object that ResetJSON left in the text stays there.
func (r *Record) keyed(it *item) any {
	if it.lazy == lazyEvent || it.lazy > 0 && r.scan.data[it.lazy-1] == '{' {
		return nil
	}
	return r.value(it)
}

// Lookup returns the value at p, from its slot when p has one.
func (r *Record) Lookup(p *Path) (any, bool) {
	s := r.st.slotOf(p)
	if s < 0 {
		return r.ev.Lookup(p)
	}
	return r.lookupSlot(s, p)
}

// lookupSlot returns the value of slot s, whose path is p.
func (r *Record) lookupSlot(s int32, p *Path) (any, bool) {
	switch i := r.pos[s]; {
	case i > 0:
		return r.value(&r.items[i-1]), true
	case r.knownAbsent(i):
		return nil, false
	}
	v, ok := r.ev.Lookup(p)
	if ok {
		r.add(s, v)
	} else {
		if r.pos[s] == 0 {
			r.marked = append(r.marked, s)
		}
		r.pos[s] = posAbsent
	}
	return v, ok
}

// Each visits the event's values (the event's own when it is a Walker,
// or those package normalize gave it when it filled the record from an
// .evtx record, or those it named as the event's own: hooks.Slots.Own),
// and the values Add gave it.
func (r *Record) Each(fn func(v any) bool) bool {
	if r.own != nil {
		if r.own.Each(fn) {
			return true
		}
	} else if r.fill {
		if s := r.text(); s != nil && s.Each(fn) {
			return true
		}
	} else if w, ok := r.ev.(Walker); ok && w.Each(fn) {
		return true
	}
	for _, v := range r.added {
		if each(v, fn) {
			return true
		}
	}
	return false
}

// init lets package normalize ask a Record what it holds (internal/hooks).
func init() {
	hooks.RecordDotted = func(r any) bool { return r.(*Record).dotted() }
	hooks.RecordHolds = func(r any, p *Path) (bool, bool) { return r.(*Record).holds(p) }
	hooks.RecordSlots = func(r any) hooks.Slots { return (*bySlot)(r.(*Record)) }
}

// Event returns the event r holds: the one Reset was given, or, after
// ResetJSON, an Event over the text, or the *Doc that ParseJSON decoded
// where ResetJSON's pass left the event to it (a path through an array, a
// slot reached through a dotted key and a nested one).
func (r *Record) Event() Event { return r.ev }

// dotted reports whether ResetJSON found a value at one of the record's
// paths through a key that holds dots ({"process.name": …} for
// process.name), as Map looks such keys up.
func (r *Record) dotted() bool {
	s, ok := r.ev.(*scanner)
	return ok && s.dotted
}

// holds reports whether the event holds a value at p and whether that
// value is an object, without decoding a value that ResetJSON left in the
// text.
func (r *Record) holds(p *Path) (present, object bool) {
	if s := r.st.slotOf(p); s >= 0 {
		return r.holdsSlot(s)
	}
	v, ok := r.ev.Lookup(p)
	return ok, isObject(v)
}

// holdsSlot is holds for the path of slot s.
func (r *Record) holdsSlot(s int32) (present, object bool) {
	switch i := r.pos[s]; {
	case i > 0:
		it := &r.items[i-1]
		switch {
		case it.lazy > 0:
			return true, r.scan.data[it.lazy-1] == '{'
		case it.lazy == lazyEvent:
			return true, true
		}
		return true, isObject(it.v)
	case r.knownAbsent(i):
		return false, false
	}
	v, ok := r.lookupSlot(s, r.st.paths[s])
	return ok, isObject(v)
}

// knownAbsent reports whether pos i, a slot's, says the record holds no
// value there without a lookup: one found none, or a walk found every
// value and none there.
func (r *Record) knownAbsent(i int32) bool { return i == posAbsent || i == 0 && r.walked }

// isObject reports whether v is a decoded JSON object.
func isObject(v any) bool {
	switch v.(type) {
	case map[string]any, Map:
		return true
	}
	return false
}

// Add gives the event the value v at p where it holds none: Lookup(p)
// returns v from then on, Each visits it, and the ruleset matches it as
// if the event held it. It is how a caller enriches an event (an asset's
// owner, a lookup table's verdict) for rules to test, without writing the
// event again. p must be one of the record's paths: one that the
// ruleset's rules read, or one given to Ruleset.NewRecordWith. Add
// reports whether it added v; values added are the event's until the next
// Reset or ResetJSON.
func (r *Record) Add(p *Path, v any) bool {
	s, ok := r.free(p)
	if ok {
		r.give(s, v)
	}
	return ok
}

// free returns the slot of p, a path of the record's, and whether the
// event holds no value there for Add to give it.
func (r *Record) free(p *Path) (int32, bool) {
	s := r.st.slotOf(p)
	if s < 0 {
		return s, false
	}
	present, _ := r.holdsSlot(s)
	return s, !present
}

// give adds v as the value of slot s, for Each too.
func (r *Record) give(s int32, v any) {
	r.add(s, v)
	r.added = append(r.added, v)
}
