package match

import "unsafe"

// Filling a Record from an event that the caller reads itself, such as a
// Windows event log record read from its binary form (package evtx): the
// caller walks the event's keys along the record's paths (Key.Child) and
// gives it its values (Set), as ResetJSON does for JSON text, with no
// text or maps in between.

// Key is a place among a Record's paths while Fill's caller fills it:
// the root, or a key on the way to one of the paths. The zero Key is no
// place: no path runs through it. A Key belongs to the paths of the
// record whose Fill returned its root: other records ignore it.
type Key struct {
	n  *trieNode
	st *slotTable
}

// lazyEvent is item.lazy of an object SetObject marked: looked up in
// the event on first use.
const lazyEvent = -1

// Fill starts filling r with an event that the caller reads, and returns
// the root Key: every slot is absent until Set or SetObject gives it a
// value. ev is the event itself: Lookup asks it for the paths without a
// slot and, on first use, for the objects SetObject marked, and Event
// returns it. Each visits the values FillValues gives, then those Add
// gives. Ruleset.MatchRecord then matches the event as it would match ev.
func (r *Record) Fill(ev Event) Key {
	r.reset(ev, false)
	r.walked, r.complete, r.fill = true, true, true
	if r.scan != nil {
		r.scan.begin(nil)
	}
	return Key{r.st.root, r.st}
}

// FillValues gives the event filled since Fill its values, for Each and
// for the rule index's keywords: text is a JSON array of every scalar
// value of the event, in order (an array's items among them), as JSON
// writes them. Each decodes them on first use; the index reads the text
// in one pass, as it reads ResetJSON's. text must not change until the
// next Reset, ResetJSON or Fill.
func (r *Record) FillValues(text []byte) {
	if r.scan == nil {
		r.scan = newScanner(r)
	}
	r.scan.begin(text)
}

// text returns the JSON text the record's event was read from (ResetJSON)
// or whose values it was given (FillValues), or nil.
func (r *Record) text() *scanner {
	if s := r.scan; s != nil && s.data != nil && (r.fill || r.ev == Event(s)) {
		return s
	}
	return nil
}

// Child returns the key name below k, or the zero Key when none of the
// record's paths runs through it. A name holding dots is one key, not a
// path of its parts: the caller of an event with such keys should read
// it another way (ResetJSON, Reset) for the results of Map's lookups.
func (k Key) Child(name string) Key {
	if k.n == nil || k.n.kids == nil {
		return Key{}
	}
	if c := k.n.kids[name]; c != nil {
		return Key{c, k.st}
	}
	return Key{}
}

// ID numbers k among the keys of the record's paths, for a caller's
// caches: distinct keys have distinct IDs; the zero Key's is -1.
func (k Key) ID() int32 {
	if k.n == nil {
		return -1
	}
	return k.n.id
}

// Inner reports whether paths run on below k: the event's object there
// is worth entering. A path running through an array is not followed:
// such an event is for ResetJSON or Reset.
func (k Key) Inner() bool { return k.n != nil && k.n.kids != nil }

// Set gives the event the value v at k, which Lookup returns when k
// ends a path. v is a value as ParseJSON decodes them: a string, a
// json.Number, a bool, nil, or an []any of them; String, Number and List
// box them without an allocation. A Key is set once per event.
func (r *Record) Set(k Key, v any) {
	if k.Ends() && k.st == r.st {
		r.add(k.n.slot, v)
	}
}

// SetObject tells the record that the event holds an object at k, whose
// members the caller sets in turn: the record holds it (present, an
// object, no value for the index), and Lookup asks the event for it on
// first use.
func (r *Record) SetObject(k Key) {
	if k.Ends() && k.st == r.st {
		r.items = append(r.items, item{slot: k.n.slot, lazy: lazyEvent})
		r.pos[k.n.slot] = int32(len(r.items))
	}
}

// Ends reports whether k ends one of the record's paths: a value set
// there is a slot's.
func (k Key) Ends() bool { return k.n != nil && k.n.slot >= 0 }

// String returns s as an interface value held in the record's memory
// (until the next Reset, ResetJSON or Fill), without an allocation.
func (r *Record) String(s string) any {
	x := &r.strs.take(1)[0]
	*x = s
	return boxAt(stringWord, unsafe.Pointer(x))
}

// Number returns the number of JSON text text as a json.Number, held as
// String holds strings.
func (r *Record) Number(text string) any {
	x := &r.strs.take(1)[0]
	*x = text
	return boxAt(numberWord, unsafe.Pointer(x))
}

// List returns an array of a copy of items as an []any, held as String
// holds strings.
func (r *Record) List(items []any) any {
	elems := r.elems.take(len(items))
	copy(elems, items)
	list := &r.lists.take(1)[0]
	*list = elems
	return boxAt(listWord, unsafe.Pointer(list))
}
