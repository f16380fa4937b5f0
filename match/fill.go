package match

import (
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/hooks"
)

// Filling a Record from an event that the caller reads itself, such as a
// Windows event log record read from its binary form (package evtx): the
// caller walks the event's keys along the record's paths (Child) and
// gives it its values (Set), as ResetJSON does for JSON text, with no
// text or maps in between. Package normalize is the only caller: it
// reaches a Record's filler through hooks.RecordFiller, so that these
// methods stay out of match's API (issue 15), and hooks.Filler documents
// them.

// filler is a Record as the hooks.Filler its caller fills it through.
type filler Record

// init lets package normalize fill a Record (internal/hooks).
func init() {
	hooks.RecordFiller = func(r any) hooks.Filler { return (*filler)(r.(*Record)) }
}

// lazyEvent is item.lazy of an object SetObject marked: looked up in
// the event on first use.
const lazyEvent = -1

// Fill implements hooks.Filler: ev is the event, a match.Event.
func (f *filler) Fill(ev any) hooks.Key {
	r := (*Record)(f)
	e, _ := ev.(Event)
	r.reset(e, false)
	r.walked, r.complete, r.fill = true, true, true
	r.kw.on = false
	if r.scan != nil {
		r.scan.begin(nil)
	}
	if r.byID == nil {
		r.byID = make([]*trieNode, r.st.nodes)
		var walk func(n *trieNode)
		walk = func(n *trieNode) {
			r.byID[n.id] = n
			for _, c := range n.kids {
				walk(c)
			}
		}
		walk(r.st.root)
	}
	return hooks.Key(r.st.root.id)
}

// FillValues implements hooks.Filler.
func (f *filler) FillValues(text []byte) {
	r := (*Record)(f)
	if r.scan == nil {
		r.scan = newScanner(r)
	}
	r.scan.begin(text)
}

// text returns the JSON text the record's event was read from (ResetJSON)
// or whose values it was given (FillValues, or FillValuesLazy: made
// now), or nil.
func (r *Record) text() *scanner {
	s := r.scan
	if s != nil && s.data == nil && r.fill && r.kw.on {
		s.data = r.kw.values()
	}
	if s != nil && s.data != nil && (r.fill || r.ev == Event(s)) {
		return s
	}
	return nil
}

// node returns the trie node k names, or nil.
func (f *filler) node(k hooks.Key) *trieNode {
	if k < 0 || int(k) >= len(f.byID) {
		return nil
	}
	return f.byID[k]
}

// Child implements hooks.Filler.
func (f *filler) Child(k hooks.Key, name string) hooks.Key {
	if n := f.node(k); n != nil && n.kids != nil {
		if c := n.kids[name]; c != nil {
			return hooks.Key(c.id)
		}
	}
	return hooks.NoKey
}

// Inner implements hooks.Filler.
func (f *filler) Inner(k hooks.Key) bool {
	n := f.node(k)
	return n != nil && n.kids != nil
}

// Ends implements hooks.Filler.
func (f *filler) Ends(k hooks.Key) bool {
	n := f.node(k)
	return n != nil && n.slot >= 0
}

// Slot implements hooks.Filler.
func (f *filler) Slot(k hooks.Key) hooks.Slot {
	if n := f.node(k); n != nil && n.slot >= 0 {
		return hooks.Slot(n.slot)
	}
	return hooks.NoSlot
}

// Set implements hooks.Filler.
func (f *filler) Set(k hooks.Key, v any) {
	if n := f.node(k); n != nil && n.slot >= 0 {
		(*Record)(f).add(n.slot, v)
	}
}

// SetSlot implements hooks.Filler.
func (f *filler) SetSlot(s hooks.Slot, v any) {
	(*Record)(f).add(int32(s), v)
}

// SetObject implements hooks.Filler.
func (f *filler) SetObject(k hooks.Key) {
	if n := f.node(k); n != nil && n.slot >= 0 {
		f.items = append(f.items, item{slot: n.slot, lazy: lazyEvent})
		f.pos[n.slot] = int32(len(f.items))
	}
}

// String implements hooks.Filler.
func (f *filler) String(s string) any {
	x := &f.strs.take(1)[0]
	*x = s
	return boxAt(stringWord, unsafe.Pointer(x))
}

// Number implements hooks.Filler.
func (f *filler) Number(text string) any {
	x := &f.strs.take(1)[0]
	*x = text
	return boxAt(numberWord, unsafe.Pointer(x))
}

// StringAt implements hooks.Filler.
func (f *filler) StringAt(p *string) any { return boxAt(stringWord, unsafe.Pointer(p)) }

// NumberAt implements hooks.Filler.
func (f *filler) NumberAt(p *string) any { return boxAt(numberWord, unsafe.Pointer(p)) }

// List implements hooks.Filler.
func (f *filler) List(items []any) any {
	elems := f.elems.take(len(items))
	copy(elems, items)
	list := &f.lists.take(1)[0]
	*list = elems
	return boxAt(listWord, unsafe.Pointer(list))
}
