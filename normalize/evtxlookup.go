package normalize

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
)

// evtxEvent is an .evtx record as the match.Event of a filled record.
// What its lookups decode lives as long as the record does (until the
// next ReadEVTX): the objects are maps it keeps and empties for the next
// record, and the scalars and arrays are boxed in the record's memory
// (hooks.Filler's String, Number and List), so that a lookup allocates
// nothing once the maps have grown.
type evtxEvent struct {
	rec  *evtx.Record
	fill hooks.Filler // the record's, to box values in
	buf  []byte       // the JSON, once written; its memory is reused
	ok   bool         // buf holds the JSON
	dec  decoder
	maps []map[string]any // the objects lookups decoded: those of the record before dec.used, then spares
}

// maxSpareMaps bounds the maps an evtxEvent keeps for the next record's
// lookups; a record whose lookups decode more allocates the rest.
const maxSpareMaps = 64

// begin starts the event of record er, filled through fill.
func (e *evtxEvent) begin(er *evtx.Record, fill hooks.Filler) {
	e.rec, e.fill, e.ok = er, fill, false
	e.dec.used = 0
}

// json returns the record's JSON, written on first use.
func (e *evtxEvent) json() []byte {
	if !e.ok {
		e.buf, e.ok = e.rec.AppendJSON(e.buf[:0]), true
	}
	return e.buf
}

// Lookup returns the value at p as the record's decoded JSON holds it:
// it decodes the members on the way to p, and the value there, into a
// map that holds nothing else, and looks p up in that.
func (e *evtxEvent) Lookup(p *match.Path) (any, bool) {
	return match.Map(e.decode(p.Parts(), false)).Lookup(p)
}

// decodeAll returns the record decoded, as ParseJSON decodes its JSON,
// for Normalize to add to: its values are boxed on the heap, not in the
// record's memory, which the record's Reset empties.
func (e *evtxEvent) decodeAll() map[string]any { return e.decode(nil, true) }

// decode decodes the members of the record on the way to parts, and the
// value there (parts nil: the whole record), into objects that hold
// nothing else, and returns the record's. With own, values are boxed on
// the heap.
func (e *evtxEvent) decode(parts []string, own bool) map[string]any {
	d := &e.dec
	d.ev, d.parts, d.root, d.own = e, parts, nil, own
	d.open, d.items = d.open[:0], d.items[:0]
	e.rec.Walk(d)
	clear(d.items)
	return d.root
}

// newMap returns an empty map for a decoded object: a spare one of
// e.maps when there is one.
func (e *evtxEvent) newMap() map[string]any {
	d := &e.dec
	if d.used < len(e.maps) {
		m := e.maps[d.used]
		clear(m)
		d.used++
		return m
	}
	m := map[string]any{}
	if len(e.maps) < maxSpareMaps {
		e.maps = append(e.maps, m)
		d.used++
	}
	return m
}

// decoder is the evtx.Visitor that decodes the members of a record that
// a lookup of a path (parts) may read, as JSON decodes them: at each
// level, the key that is the next part, or that joins several next parts
// with dots (match.Map looks such keys up too), and all of the value at
// the path's end.
type decoder struct {
	ev    *evtxEvent
	parts []string
	root  map[string]any
	open  []decoding
	items []any // the items of the arrays open, back to back
	used  int   // the maps of ev.maps that the record's lookups hold
	own   bool  // box values on the heap (decodeAll)
}

// decoding is an open object or array: its key, its value (an object's
// map, or where an array's items start in decoder.items), and the parts
// of the path still to go below it (nil: decoded whole).
type decoding struct {
	key   string
	obj   map[string]any
	start int
	rest  []string
}

// wanted returns the parts to go below member key of the open object,
// and whether the lookup reads it.
func (d *decoder) wanted(key string) ([]string, bool) {
	top := &d.open[len(d.open)-1]
	if top.rest == nil || top.obj == nil {
		return nil, true // inside the value at the path's end
	}
	n := joined(key, top.rest)
	switch {
	case n == 0:
		return nil, false
	case n == len(top.rest):
		return nil, true
	}
	return top.rest[n:], true
}

// joined returns how many of parts, joined with dots, make key, or 0.
func joined(key string, parts []string) int {
	for i, part := range parts {
		rest, ok := strings.CutPrefix(key, part)
		switch {
		case !ok:
			return 0
		case rest == "":
			return i + 1
		case rest[0] != '.':
			return 0
		}
		key = rest[1:]
	}
	return 0
}

// put adds member key's value x to the open object or array.
func (d *decoder) put(key string, x any) {
	if top := &d.open[len(d.open)-1]; top.obj != nil {
		top.obj[key] = x
	} else {
		d.items = append(d.items, x)
	}
}

// Object decodes an object the lookup reads.
func (d *decoder) Object(key string) bool {
	if len(d.open) == 0 {
		d.root = d.ev.newMap()
		d.open = append(d.open, decoding{obj: d.root, rest: d.parts})
		return true
	}
	rest, ok := d.wanted(key)
	if ok {
		d.open = append(d.open, decoding{key: key, obj: d.ev.newMap(), rest: rest})
	}
	return ok
}

// Array decodes an array, whole: arrays hold no objects.
func (d *decoder) Array(key string) {
	d.open = append(d.open, decoding{key: key, start: len(d.items)})
}

// End closes an object or array and adds it to its parent.
func (d *decoder) End() {
	top := d.open[len(d.open)-1]
	d.open = d.open[:len(d.open)-1]
	if len(d.open) == 0 {
		return
	}
	if top.obj != nil {
		d.put(top.key, top.obj)
		return
	}
	_, ok := d.wanted(top.key)
	var list any
	switch {
	case ok && d.own:
		list = slices.Clone(d.items[top.start:])
	case ok:
		list = d.ev.fill.List(d.items[top.start:]) // a copy
	}
	clear(d.items[top.start:])
	d.items = d.items[:top.start]
	if ok {
		d.put(top.key, list)
	}
}

// Value decodes a scalar the lookup reads.
func (d *decoder) Value(key string, v evtx.Value) {
	if d.open[len(d.open)-1].obj != nil {
		if _, ok := d.wanted(key); !ok {
			return
		}
	}
	var x any
	switch k := v.Kind(); {
	case k == evtx.KindString && d.own:
		x = v.Text()
	case k == evtx.KindNumber && d.own:
		x = json.Number(v.Text())
	case k == evtx.KindString:
		x = d.ev.fill.String(v.Text())
	case k == evtx.KindNumber:
		x = d.ev.fill.Number(v.Text())
	case k == evtx.KindBool:
		x = v.Text() == "true"
	}
	d.put(key, x)
}
