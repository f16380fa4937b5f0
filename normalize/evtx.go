package normalize

import (
	"bytes"
	"hash/maphash"
	"strings"
	"unsafe"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/jsonlex"
	"github.com/ruleforge/ruleforge/match"
)

// ReadEVTX fills a record from er, a record of an .evtx file, with the ECS
// view of a Windows event, and returns it for rs.MatchRecord; it is valid
// until the next Read or ReadEVTX, and until er's Decoder reads on. The
// record holds what Read(er.AppendJSON(nil)) gives, value for value, so
// that rules match the same and read the same values; but the values go
// from er's tree into the record (evtx.Record.Walk, hooks.Filler), or for
// a record read by a plan from its values by its shape's fill program
// (evtxprog.go), with no JSON text in between, and only the ones the
// record's paths reach are more than text. The event's JSON is written and read only where the
// record cannot hold the event as Read would: a key holding dots on the
// way to a path, a path through an array, and what Read itself decodes
// (UserData when rules read it whole, and lookups of objects and of
// paths that no rule reads, made on first use).
func (rd *Reader) ReadEVTX(er *evtx.Record) (*match.Record, error) {
	rec := rd.rec
	if rd.f == ECS {
		rec = rd.plain
	}
	fl := &rd.fill
	fl.begin(rec, er)
	// With the rules reading UserData whole, view decodes a WinEvent record
	// with an object UserData (Reader.view): the walk stops at it, and
	// the event is decoded at once, from the record rather than its
	// JSON, as Auto detects every .evtx record.
	fl.userData = rd.whole && (rd.f == Auto || rd.f == WinEvent)
	fl.fill(er)
	if fl.decode {
		rd.normalized(fl.ev.decodeAll(), WinEvent)
		return rec, nil
	}
	if fl.failed {
		return rd.Read(fl.ev.json())
	}
	fl.fillValues()
	f := rd.f
	if f == ECS {
		return rec, nil
	}
	p := fl.progs.ran
	if f == Auto {
		// Detected once for a program's records: format reads only
		// which objects and values the record holds where, which are
		// the same for all the records of the shape (evtxview.go).
		switch {
		case p == nil:
			f = rd.format(rec, nil)
		case p.format == Auto:
			p.format = rd.format(rec, nil)
			fallthrough
		default:
			f = p.format
		}
		if f == ECS {
			return rec, nil
		}
	}
	if p != nil {
		return rec, rd.programView(p, f)
	}
	return rec, rd.view(f, true, fl.ev.json)
}

// filler is the evtx.Visitor that fills a match.Record from an .evtx
// record through its hooks.Filler: it follows the record's paths with
// hooks.Key, sets the values it finds on them, and writes every scalar
// value into a JSON array for the record's Each and keywords
// (hooks.Filler.FillValues), as match.Record.ResetJSON reads JSON text. Objects are not decoded: the
// record asks the event (evtxEvent) for one that a rule reads.
type filler struct {
	rec    hooks.Filler
	ev     evtxEvent
	open   []frame // the objects and arrays open
	items  []any   // the items of the arrays open that end a path, back to back
	vals   []byte  // the JSON array of the values
	texts  []byte  // the text of values whose JSON holds escapes (text)
	failed bool    // the record needs its JSON read: see ReadEVTX
	lazy   bool    // vals holds the values not known clean only (fillValues)
	// userData asks the walk to stop at an object Event.UserData, and
	// decode says that it did: the record is to be decoded (ReadEVTX).
	userData, decode bool
	keys             *keyCache
	progs            fillPrograms // evtxprog.go
}

// keyCache remembers, for one record, the Keys that member names led to
// from their objects' Keys, so that most members cost no lookup in the
// record's paths. It finds a name by its text (hash/maphash), not by
// where the text is: element names are in the chunk's memory, but the
// names of Data elements (their Name attributes) are decoded from UTF-16
// into the Decoder's memory for each record, at a place that changes
// from record to record. An entry holds a copy of its name, kept in
// text; the cache is emptied when text is full.
//
// Before the cache, the members of the last record are tried in their
// order (seq): records of one event type, which logs often hold in runs,
// have the same members in the same order, and a member that is where it
// was costs a comparison of its name, not a hash.
type keyCache struct {
	rec  hooks.Filler // the record whose Keys these are
	seed maphash.Seed
	sets [keyCacheSets][keyCacheWays]keyEntry
	text []byte
	seq  []keyEntry // the members of the record, and after them the last one's
	at   int        // the next member's place in seq
}

// keyEntry is a name the cache holds: its object's Key, its Key.
type keyEntry struct {
	parent, child hooks.Key
	name          string
}

// The size of a keyCache: sets of names that hash alike, each holding
// the last few of them (the same name under several objects), and the
// bytes of their copies.
const (
	keyCacheSets = 1 << 9
	keyCacheWays = 4
	keyCacheText = 1 << 16
	keyCacheSeq  = 1 << 12 // the most members of a record kept in seq
)

// next returns the Key below parent at name, the record's next member.
func (c *keyCache) next(parent hooks.Key, name string) hooks.Key {
	if c.at < len(c.seq) {
		if e := &c.seq[c.at]; e.parent == parent && e.name == name {
			c.at++
			return e.child
		}
	}
	e := c.child(parent, name)
	switch {
	case c.at < len(c.seq):
		c.seq[c.at] = e
	case c.at < keyCacheSeq:
		c.seq = append(c.seq, e)
	}
	c.at++
	return e.child
}

// child returns the entry of the Key below parent at name, with a copy
// of name that stays as it is.
func (c *keyCache) child(parent hooks.Key, name string) keyEntry {
	set := &c.sets[(maphash.String(c.seed, name)^uint64(parent)*0x9e3779b1)%keyCacheSets]
	for i := range set {
		if e := &set[i]; e.parent == parent && e.name == name {
			return *e
		}
	}
	if len(c.text)+len(name) > cap(c.text) {
		c.sets = [keyCacheSets][keyCacheWays]keyEntry{}
		c.text = make([]byte, 0, max(keyCacheText, len(name)))
	}
	start := len(c.text)
	c.text = append(c.text, name...)
	copy(set[1:], set[:keyCacheWays-1])
	set[0] = keyEntry{parent, c.rec.Child(parent, name), unsafe.String(unsafe.SliceData(c.text[start:]), len(name))}
	return set[0]
}

// frame is an open object or array: its Key, and for an array whether
// its items are kept and where they start in filler.items.
type frame struct {
	key   hooks.Key
	event bool // the record's Event
	array bool
	keep  bool // an array whose items are kept: it ends a path, or is an item of one that is kept
	start int
}

// begin starts filling rec from er.
func (fl *filler) begin(rec *match.Record, er *evtx.Record) {
	fl.rec = hooks.RecordFiller(rec)
	fl.ev.begin(er, fl.rec)
	if fl.keys == nil || fl.keys.rec != fl.rec {
		fl.keys = &keyCache{rec: fl.rec, seed: maphash.MakeSeed()}
	}
	fl.keys.at = 0
	fl.open, fl.items, fl.vals, fl.failed, fl.decode, fl.lazy = fl.open[:0], fl.items[:0], append(fl.vals[:0], '['), false, false, false
	fl.texts = fl.texts[:0]
}

// member returns the Key of member key of the open object or array (an
// item's: the zero Key), and notes a key with dots that may lead to a
// path, which Map would follow.
func (fl *filler) member(key string) hooks.Key {
	top := fl.open[len(fl.open)-1]
	if top.array || !fl.rec.Inner(top.key) {
		return hooks.NoKey // no path runs below: Child would say so
	}
	if strings.IndexByte(key, '.') >= 0 {
		fl.failed = true
	}
	return fl.keys.next(top.key, key)
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
	top := fl.open[len(fl.open)-1]
	if fl.userData && top.event && key == "UserData" {
		fl.decode, fl.failed = true, true
		return false
	}
	k := fl.member(key)
	fl.rec.SetObject(k)
	if fl.progs.making != nil && fl.rec.Ends(k) {
		fl.note(fillObject, k)
	}
	fl.open = append(fl.open, frame{key: k, event: len(fl.open) == 1 && key == "Event"})
	return true
}

// Array opens an array.
func (fl *filler) Array(key string) {
	k := fl.member(key)
	fl.failed = fl.failed || fl.rec.Inner(k) // a path through an array: Map collects the items' values
	top := fl.open[len(fl.open)-1]
	keep := fl.rec.Ends(k) || top.array && top.keep
	if keep {
		fl.note(fillList, hooks.NoKey)
	}
	fl.open = append(fl.open, frame{key: k, array: true, keep: keep, start: len(fl.items)})
}

// End closes an object or an array; an array that ends a path is then
// set as a value.
func (fl *filler) End() {
	top := fl.open[len(fl.open)-1]
	fl.open = fl.open[:len(fl.open)-1]
	if !top.keep {
		return
	}
	item := fl.open[len(fl.open)-1].array
	if item {
		fl.note(fillListItem, hooks.NoKey)
	} else {
		fl.note(fillListSet, top.key)
	}
	fl.endList(top.start, item, top.key)
}

// endList closes the kept array whose items start at start in fl.items:
// it adds the array to the array around it (item) or sets it at key.
func (fl *filler) endList(start int, item bool, key hooks.Key) {
	list := fl.rec.List(fl.items[start:])
	clear(fl.items[start:])
	fl.items = fl.items[:start]
	if item {
		fl.items = append(fl.items, list)
	} else {
		fl.rec.Set(key, list)
	}
}

// Value writes a scalar among the values and sets it where it ends a
// path (or is an item of an array that does).
func (fl *filler) Value(key string, v evtx.Value) {
	if len(fl.vals) > 1 {
		fl.vals = append(fl.vals, ',')
	}
	start := len(fl.vals)
	fl.vals = v.AppendJSON(fl.vals)
	top := &fl.open[len(fl.open)-1]
	k := fl.member(key)
	switch {
	case top.array && top.keep:
		fl.note(fillItem, hooks.NoKey)
		fl.items = append(fl.items, fl.boxed(v.Kind(), start))
	case !top.array && fl.rec.Ends(k):
		fl.note(fillSet, k)
		fl.rec.Set(k, fl.boxed(v.Kind(), start))
	default:
		fl.note(fillValue, hooks.NoKey)
	}
}

// boxed returns the value of kind whose JSON Value wrote into fl.vals
// from start as the record holds it: a string, a json.Number, a bool or
// nil, boxed in the record's memory.
func (fl *filler) boxed(kind evtx.Kind, start int) any {
	switch kind {
	case evtx.KindString:
		return fl.rec.String(fl.text(true, start))
	case evtx.KindNumber:
		return fl.rec.Number(fl.text(false, start))
	case evtx.KindBool:
		return fl.vals[start] == 't'
	}
	return nil
}

// text returns the text (evtx.Value.Text) of the value whose JSON Value
// wrote into fl.vals from start, a string's quoted: that JSON itself,
// unquoted, when it holds no escape, else unescaped into fl.texts (a
// byte loop, cheaper than rendering the value again: UTF-16 decoded,
// times formatted). It lives as long as fl.vals's and fl.texts's text:
// the record's.
func (fl *filler) text(quoted bool, start int) string {
	js := fl.vals[start:]
	if quoted {
		js = js[1 : len(js)-1]
		if bytes.IndexByte(js, '\\') >= 0 {
			at := len(fl.texts)
			fl.texts = jsonlex.AppendUnquoted(fl.texts, js)
			js = fl.texts[at:]
		}
	}
	return unsafe.String(unsafe.SliceData(js), len(js))
}
