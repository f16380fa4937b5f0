package normalize

import (
	"strings"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/match"
)

// ReadEVTX fills a record from er, a record of an .evtx file, with the ECS
// view of a Windows event, and returns it for rs.MatchRecord; it is valid
// until the next Read or ReadEVTX, and until er's Decoder reads on. The
// record holds what Read(er.AppendJSON(nil)) gives, value for value, so
// that rules match the same and read the same values; but the values go
// from er's tree into the record (evtx.Record.Walk, match.Record.Fill)
// with no JSON text in between, and only the ones the record's paths reach
// are more than text. The event's JSON is written and read only where the
// record cannot hold the event as Read would: a key holding dots on the
// way to a path, a path through an array, and what Read itself decodes
// (UserData when rules read every value, and lookups of objects and of
// paths that no rule reads, made on first use).
func (rd *Reader) ReadEVTX(er *evtx.Record) (*match.Record, error) {
	rec := rd.rec
	if rd.f == ECS {
		rec = rd.plain
	}
	fl := &rd.fill
	fl.begin(rec, er)
	er.Walk(fl)
	if fl.failed {
		return rd.Read(fl.ev.json())
	}
	f := rd.f
	if f == ECS {
		return rec, nil
	}
	if f == Auto {
		if f = rd.format(rec, nil); f == ECS {
			return rec, nil
		}
	}
	return rec, rd.view(f, true, fl.ev.json)
}

// filler is the evtx.Visitor that fills a match.Record from an .evtx
// record: it follows the record's paths with match.Key, sets the values
// it finds on them and hands every other value to the record for Each,
// as match.Record.ResetJSON does with JSON text.
type filler struct {
	rec    *match.Record
	ev     evtxEvent
	open   []frame // the objects and arrays open
	items  []any   // the items of the arrays open, back to back
	failed bool    // the record needs its JSON read: see ReadEVTX
}

// frame is an open object or array: its Key, and for an array where its
// items start in filler.items.
type frame struct {
	key   match.Key
	array bool
	start int
}

// begin starts filling rec from er.
func (fl *filler) begin(rec *match.Record, er *evtx.Record) {
	fl.rec, fl.ev = rec, evtxEvent{rec: er, buf: fl.ev.buf}
	fl.open, fl.items, fl.failed = fl.open[:0], fl.items[:0], false
}

// child returns the Key of member key of the open object, and notes a key
// with dots that may lead to a path, which Map would follow.
func (fl *filler) child(key string) match.Key {
	top := fl.open[len(fl.open)-1].key
	if top.Inner() && strings.IndexByte(key, '.') >= 0 {
		fl.failed = true
	}
	return top.Child(key)
}

// Object opens an object; the record itself is the first.
func (fl *filler) Object(key string) bool {
	if fl.failed {
		return false
	}
	if len(fl.open) == 0 {
		fl.open = append(fl.open, frame{key: fl.rec.Fill(&fl.ev)})
		return true
	}
	k := fl.child(key)
	fl.rec.SetObject(k)
	fl.open = append(fl.open, frame{key: k})
	return true
}

// Array opens an array.
func (fl *filler) Array(key string) {
	var k match.Key
	if top := fl.open[len(fl.open)-1]; !top.array {
		k = fl.child(key)
	}
	fl.failed = fl.failed || k.Inner() // a path through an array: Map collects the items' values
	fl.open = append(fl.open, frame{key: k, array: true, start: len(fl.items)})
}

// End closes an object or an array, which is then set as a value.
func (fl *filler) End() {
	top := fl.open[len(fl.open)-1]
	fl.open = fl.open[:len(fl.open)-1]
	if !top.array {
		return
	}
	list := fl.rec.List(fl.items[top.start:])
	clear(fl.items[top.start:])
	fl.items = fl.items[:top.start]
	fl.put(top.key, list)
}

// Value sets a scalar.
func (fl *filler) Value(key string, v evtx.Value) {
	var k match.Key
	if top := fl.open[len(fl.open)-1]; !top.array {
		k = fl.child(key)
	}
	var x any
	switch v.Kind() {
	case evtx.KindString:
		x = fl.rec.String(v.Text())
	case evtx.KindNumber:
		x = fl.rec.Number(v.Text())
	case evtx.KindBool:
		x = v.Text() == "true"
	}
	fl.put(k, x)
}

// put sets x at k, or adds it to the array open.
func (fl *filler) put(k match.Key, x any) {
	if len(fl.open) > 0 && fl.open[len(fl.open)-1].array {
		fl.items = append(fl.items, x)
		return
	}
	fl.rec.Set(k, x)
}

// evtxEvent is an .evtx record as the match.Event of a filled record: it
// looks paths up in the record's JSON, written and decoded on first use.
type evtxEvent struct {
	rec *evtx.Record
	buf []byte // the JSON, once written; its memory is reused
	doc *match.Doc
	ok  bool // buf holds the JSON
}

// json returns the record's JSON, written on first use.
func (e *evtxEvent) json() []byte {
	if !e.ok {
		e.buf, e.ok = e.rec.AppendJSON(e.buf[:0]), true
	}
	return e.buf
}

// Lookup returns the value at p in the record's decoded JSON.
func (e *evtxEvent) Lookup(p *match.Path) (any, bool) {
	if e.doc == nil {
		d, err := match.ParseJSON(e.json())
		if err != nil {
			return nil, false // cannot happen: AppendJSON writes JSON
		}
		e.doc = d
	}
	return e.doc.Lookup(p)
}
