package normalize

import (
	"slices"
	"strings"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
)

// Reader reads JSON events into the records of one ruleset and gives
// Windows and Sysmon events their ECS view there: the record holds what
// Normalize would add to the decoded event, without decoding it. One pass
// over the text (match.Record.ResetJSON) finds the values the rules read
// and the fields the view derives from, and the view's fields are added to
// the record (match.Record.Add). An event that the pass leaves to
// match.ParseJSON (a path through an array), or that holds
// a value other than an object where the view would go into one (such as
// "process": "x"), or a Windows event with keys that hold dots on the way
// to its fields, is decoded and normalized with Normalize instead, with
// the same result: the ruleset matches the same rules and
// reads the same values either way. The one difference: where the view
// creates an object to hold its fields, such as "process" for
// process.name, and a rule reads it, the record holds an empty object
// there, which rules test as they test the full one (an object matches no
// value and is present).
//
// Keyword searches (Sigma's lists of values, which test every value of
// an event) see the event's own values, not the view's: the view is
// added to the record at its paths only (see the package documentation,
// Sigma). So the view's fields that no rule reads by path are not
// computed, keyword searches or not: rules match the same either way,
// and the record holds only what they may read. A field under an object
// that a rule reads whole (such as process, for process|exists) is
// computed only while the object is absent, since all its value does is
// make the object present (recordView): once one field has, the others
// no rule reads (hashes, arguments, code signature) are skipped.
//
// With Auto, each event's format is detected from the keys the pass
// found. A Windows event is read with the view's sources, an ECS event
// without them; after an event of one kind, the next is read as the same
// kind first, so a file of one kind is read in one pass an event.
//
// A Reader is not safe for concurrent use; make one per goroutine.
type Reader struct {
	f        Format
	plain    *match.Record // events that need no view, and their format
	rec      *match.Record // Windows events: with the view's sources and fields
	windows  bool          // with Auto: the last event was a Windows event
	p        *readerPaths
	slots    hooks.Slots // rec's
	src      slotSource
	out      recordView
	args     []string                // the view's split command lines
	text     arena                   // the view's lower-cased texts
	child    []childPath             // the paths two or more keys below UserDataChild that rules read
	childOf  map[string][]hooks.Slot // the slots of the paths one key below UserDataChild that rules read, by key
	whole    bool                    // rules read Event or Event.UserData whole
	keywords bool                    // a rule reads every value (a keyword search)
	fill     filler                  // ReadEVTX's

	// The slots in rec of the proper prefixes of the view's fields that
	// view looks at (viewPrefixes), of Event.UserData and of
	// UserDataChild.
	prefixes        []hooks.Slot
	userData, alias hooks.Slot
	parent          []int  // by prefix: its longest proper prefix, among prefixes (-1: none)
	held            []bool // by prefix: the event holds a value there (view's)
}

// childPath is a path two or more keys below UserDataChild that a rule
// reads (its slot in the Reader's record), and the rest of it below
// UserDataChild.
type childPath struct {
	slot hooks.Slot
	rest *match.Path
}

// NewReader returns a Reader of events in format f (Auto: detected per
// event) for ruleset rs.
func NewReader(rs *match.Ruleset, f Format) *Reader { return NewReaderWith(rs, f, nil) }

// NewReaderWith is NewReader for records that also hold the events'
// values at paths, as match.Ruleset.NewRecordWith makes them: the same
// pass finds them, for a caller that reads them from the records Read
// returns (such as the time and host of an event that matched).
func NewReaderWith(rs *match.Ruleset, f Format, paths []*match.Path) *Reader {
	p := pathsOnce()
	if f != ECS && f != Flat && f != WinEvent {
		f = Auto
	}
	rd := &Reader{f: f, p: p, childOf: map[string][]hooks.Slot{}, plain: rs.NewRecordWith(slices.Concat(p.detect, paths)), rec: rs.NewRecordWith(slices.Concat(p.all, paths))}
	rd.slots = hooks.RecordSlots(rd.rec)
	rd.src = newSlotSource(rd.slots, p)
	rd.out = recordView{rec: rd.slots, objects: make([][]hooks.Slot, len(p.fields)), read: make([]bool, len(p.fields))}
	for _, q := range p.fields {
		rd.out.fields = append(rd.out.fields, rd.slots.Slot(q))
	}
	rd.userData, rd.alias = rd.slots.Slot(p.userData), rd.slots.Slot(p.child)
	read := rs.Paths() // sorted
	for _, q := range paths {
		read = append(read, q.String()) // the caller reads them too
	}
	slices.Sort(read)
	rd.keywords = hooks.RulesetReadsAnyField(rs)
	for _, q := range []string{"Event", "Event.UserData"} {
		_, ok := slices.BinarySearch(read, q)
		rd.whole = rd.whole || ok
	}
	for _, r := range read {
		if rest, ok := strings.CutPrefix(r, UserDataChild+"."); ok {
			slot := rd.slots.Slot(match.NewPath(r))
			if q := match.NewPath(rest); len(q.Parts()) > 1 {
				rd.child = append(rd.child, childPath{slot: slot, rest: q})
			} else {
				rd.childOf[rest] = append(rd.childOf[rest], slot)
			}
		}
	}
	for field, q := range p.fields {
		_, rd.out.read[field] = slices.BinarySearch(read, q.String())
		parts := q.Parts()
		for i := 1; i < len(parts); i++ {
			prefix := strings.Join(parts[:i], ".")
			if _, ok := slices.BinarySearch(read, prefix); ok {
				rd.out.objects[field] = append(rd.out.objects[field], rd.slots.Slot(p.prefix[prefix]))
			}
		}
	}
	rd.viewPrefixes()
	return rd
}

// viewPrefixes finds the prefixes the view checks (see view): those of
// the fields it may add or that make objects present (recordView.wants).
// Below another, the event's value changes nothing the view does, and
// its fields are not looked at. The prefixes of a field are all kept, so
// that each prefix's parent is kept too.
func (rd *Reader) viewPrefixes() {
	p := rd.p
	used := map[*match.Path]bool{}
	for field, q := range p.fields {
		if !rd.out.read[field] && len(rd.out.objects[field]) == 0 {
			continue
		}
		parts := q.Parts()
		for i := 1; i < len(parts); i++ {
			used[p.prefix[strings.Join(parts[:i], ".")]] = true
		}
	}
	var kept []*match.Path
	for _, q := range p.prefixes {
		if !used[q] {
			continue
		}
		kept = append(kept, q)
		rd.prefixes = append(rd.prefixes, rd.slots.Slot(q))
		parent := strings.Join(q.Parts()[:len(q.Parts())-1], ".")
		rd.parent = append(rd.parent, slices.Index(kept, p.prefix[parent])) // -1 for ""
	}
	rd.held = make([]bool, len(rd.prefixes))
}

// Read fills a record from raw, one JSON object, with the ECS view of a
// Windows event, and returns it for rs.MatchRecord; it is valid until the
// next Read. The error is that of match.ParseJSON for text that is not a
// JSON object; the record then holds an empty event.
func (rd *Reader) Read(raw []byte) (*match.Record, error) {
	f := rd.f
	if f == ECS || f == Auto && !rd.windows {
		rec := rd.plain
		if err := rec.ResetJSON(raw); err != nil || f == ECS {
			return rec, err
		}
		if rd.format(rec, raw) == ECS {
			return rec, nil
		}
		rd.windows = true
	}
	rec := rd.rec
	if err := rec.ResetJSON(raw); err != nil {
		return rec, err
	}
	if f == Auto {
		if f = rd.format(rec, raw); f == ECS {
			rd.windows = false
			return rec, nil
		}
	}
	if d, ok := rec.Event().(*match.Doc); ok { // the pass left the event to ParseJSON
		rd.normalized(d.Map(), f)
		return rec, nil
	}
	if hooks.RecordDotted(rec) {
		// Normalize reads a record's fields at their nested keys only
		// (Event.EventData.Image, not a key "EventData.Image") and writes
		// into an object under a dotted key ("host.os") rather than make
		// the objects (host) that rules may read: the map tells.
		return rec, rd.decoded(raw, f)
	}
	return rec, rd.view(f, false, func() []byte { return raw })
}

// ReadMap fills a record from m, an event a program already decoded
// (objects as map[string]any, arrays as []any), as Read fills one from
// its JSON text, and returns it for rs.MatchRecord; it is valid until the
// next read. It adds the ECS view to m in place, as Normalize does, so m
// must not be used by others during the call; keyword searches see the
// values m held before.
func (rd *Reader) ReadMap(m map[string]any) *match.Record {
	rd.normalizedAs(m, rd.f, func(m map[string]any) match.Event { return match.Map(m) }) // no Doc to allocate
	return rd.rec
}

// view adds the ECS view of the Windows event in rd.rec, read as format
// f, to the record, or decodes the event's JSON text (from raw) and
// normalizes that where the record cannot tell. evtxShape says that the
// event has the shape of an .evtx record (ReadEVTX).
func (rd *Reader) view(f Format, evtxShape bool, raw func() []byte) error {
	// A prefix is looked at only where its parent is held: the record
	// holds no value at a path reached through a key with dots (Read and
	// ReadEVTX decode such events), so nothing is held below an absent
	// object. Only the prefixes of fields the view may add or hold are
	// looked at (viewPrefixes).
	if !rd.slots.HoldObjects(rd.prefixes, rd.parent, rd.held) {
		return rd.decoded(raw(), f)
	}
	if rd.whole && f == WinEvent {
		// The rules read UserData whole: it must hold the alias
		// UserDataChild, as Normalize writes it in the map. Any object
		// UserData is decoded, without looking it up first for its one
		// child: decoded gives what the view would.
		if _, object := rd.slots.Holds(rd.userData); object {
			return rd.decoded(raw(), f)
		}
	}
	rd.src.begin(f, evtxShape)
	rd.aliasUserData()
	rd.text.reset()
	addWindows(&record{&rd.src}, view{&rd.out, &rd.args, &rd.text})
	return nil
}

// aliasUserData adds to the record the values the rules read under
// UserDataChild, from the UserData element begin found, as aliasUserData
// gives them to a decoded event: not where the event has a "#child" key
// of its own. As the view's fields, the alias is not the event as
// logged: Each does not visit its values a second time.
func (rd *Reader) aliasUserData() {
	ud := rd.src.ud
	if ud == nil {
		return
	}
	if present, _ := rd.slots.Holds(rd.alias); present {
		return
	}
	rd.slots.Add(rd.alias, ud)
	if len(rd.childOf) > 0 {
		for k, v := range ud { // a few keys, where rules read hundreds (196 of SigmaHQ's)
			for _, s := range rd.childOf[k] {
				rd.slots.Add(s, v)
			}
		}
	}
	for _, c := range rd.child {
		if v, ok := match.Map(ud).Lookup(c.rest); ok {
			rd.slots.Add(c.slot, v)
		}
	}
}

// decoded decodes raw and fills the record from it, normalized as format
// f. A view traced so is never given again (programView).
func (rd *Reader) decoded(raw []byte, f Format) error {
	if t := rd.out.trace; t != nil {
		t.never = true
	}
	doc, err := match.ParseJSON(raw)
	if err != nil {
		return err // cannot happen: the pass found raw valid
	}
	rd.normalized(doc.Map(), f)
	return nil
}

// normalized normalizes the decoded event m as format f and fills the
// record from it.
func (rd *Reader) normalized(m map[string]any, f Format) {
	rd.normalizedAs(m, f, func(m map[string]any) match.Event { return match.NewDoc(m) })
}

// normalizedAs is normalized with the record's event made from m by
// event. Where a rule reads every value (a keyword search), Each visits
// the values m holds before Normalize adds the view: a copy of them is
// kept.
func (rd *Reader) normalizedAs(m map[string]any, f Format, event func(map[string]any) match.Event) {
	var own map[string]any
	if rd.keywords {
		own, _ = deepCopy(m).(map[string]any)
	}
	Normalize(m, f)
	rd.rec.Reset(event(m))
	if own != nil {
		rd.slots.Own(match.Map(own))
	}
}

// deepCopy returns a copy of v, decoded JSON, that shares no object or
// array with it.
func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// format is Detect for raw, the event in rec.
func (rd *Reader) format(rec *match.Record, raw []byte) Format {
	if d, ok := rec.Event().(*match.Doc); ok {
		return Detect(d.Map()) // as the map holds it: rec's lookups would join dotted keys
	}
	if hooks.RecordDotted(rec) {
		// Detect reads Event.System at nested keys only; the record may
		// have found it through a key "Event.System".
		if d, err := match.ParseJSON(raw); err == nil {
			return Detect(d.Map())
		}
	}
	p := rd.p
	if _, object := hooks.RecordHolds(rec, p.event); object {
		for _, q := range [...]*match.Path{p.system, p.eventData, p.userData} {
			if _, object := hooks.RecordHolds(rec, q); object {
				return WinEvent
			}
		}
	}
	if present, _ := hooks.RecordHolds(rec, p.eventID); present {
		return Flat
	}
	if present, _ := hooks.RecordHolds(rec, p.channel); present {
		return Flat
	}
	return ECS
}
