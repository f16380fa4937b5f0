package match

import (
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/hooks"
)

// bySlot is a Record as the hooks.Slots package normalize reads an
// event's ECS view's sources and adds its fields through: each path
// resolved to its slot once, values added without allocations, for the
// CLI's hot path, and not match's API (issue 15).
type bySlot Record

// Slot implements hooks.Slots: p's slot, or NoSlot.
func (b *bySlot) Slot(p *Path) hooks.Slot { return hooks.Slot(b.st.slotOf(p)) }

// Holds implements hooks.Slots: holds at s's path.
func (b *bySlot) Holds(s hooks.Slot) (present, object bool) {
	if s < 0 {
		return false, false
	}
	return (*Record)(b).holdsSlot(int32(s))
}

// HoldObjects implements hooks.Slots: holdsSlot for each of slots whose
// parent is held, without a call through the interface for each.
func (b *bySlot) HoldObjects(slots []hooks.Slot, parent []int, held []bool) bool {
	r := (*Record)(b)
	held = held[:len(slots)]
	parent = parent[:len(slots)]
	for i, s := range slots {
		if par := parent[i]; s < 0 || par >= 0 && !held[par] || r.knownAbsent(r.pos[s]) {
			held[i] = false // most prefixes: no call
			continue
		}
		present, object := r.holdsSlot(int32(s))
		if present && !object {
			return false
		}
		held[i] = present
	}
	return true
}

// Lookup implements hooks.Slots: Lookup at s's path.
func (b *bySlot) Lookup(s hooks.Slot) (any, bool) {
	if s < 0 {
		return nil, false
	}
	return (*Record)(b).lookupSlot(int32(s), b.st.paths[s])
}

// free returns whether s is a slot where the event holds no value for an
// Add to give it.
func (b *bySlot) free(s hooks.Slot) bool {
	if s < 0 {
		return false
	}
	present, _ := (*Record)(b).holdsSlot(int32(s))
	return !present
}

// Add implements hooks.Slots: v at s's path, which Each does not visit.
func (b *bySlot) Add(s hooks.Slot, v any) bool {
	ok := b.free(s)
	if ok {
		(*Record)(b).add(int32(s), v)
	}
	return ok
}

// AddString implements hooks.Slots: Add(s, str) without the allocation
// that converting str to an interface value makes.
func (b *bySlot) AddString(s hooks.Slot, str string) bool {
	r := (*Record)(b)
	return addBoxed(r, &r.strs, stringWord, s, str)
}

// AddInt implements hooks.Slots: Add(s, n) without an allocation.
func (b *bySlot) AddInt(s hooks.Slot, n int64) bool {
	r := (*Record)(b)
	return addBoxed(r, &r.ints, int64Word, s, n)
}

// addBoxed adds v, of the type whose type word is word, at slot s,
// keeping it in c.
func addBoxed[T any](r *Record, c *chunks[T], word unsafe.Pointer, s hooks.Slot, v T) bool {
	ok := (*bySlot)(r).free(s)
	if ok {
		x := &c.take(1)[0]
		*x = v
		r.add(int32(s), boxAt(word, unsafe.Pointer(x)))
	}
	return ok
}

// AddStrings implements hooks.Slots: the array ss at s as decoded JSON
// holds an array (an []any of strings), without allocating.
func (b *bySlot) AddStrings(s hooks.Slot, ss []string) bool {
	r := (*Record)(b)
	ok := b.free(s)
	if ok {
		elems := r.elems.take(len(ss))
		strs := r.strs.take(len(ss))
		for i, str := range ss {
			strs[i] = str
			elems[i] = boxAt(stringWord, unsafe.Pointer(&strs[i]))
		}
		list := &r.lists.take(1)[0]
		*list = elems
		r.add(int32(s), boxAt(listWord, unsafe.Pointer(list)))
	}
	return ok
}

// Own implements hooks.Slots: Each visits w's values in place of the
// event's, until the next Reset.
func (b *bySlot) Own(w Walker) { b.own = w }
