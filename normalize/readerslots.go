package normalize

import (
	"maps"
	"slices"
	"sync"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
)

// readerPaths are the paths a Reader's records hold besides the rules':
// those Detect reads, the proper prefixes of the view's fields (which
// must hold objects, if anything), the view's fields, and the event data
// and system fields the view derives from, found at the top level (Flat)
// and in Event.EventData and Event.System (WinEvent).
type readerPaths struct {
	event, system, eventData, userData, dataArray, eventID, channel *match.Path
	child                                                           *match.Path // UserDataChild: the event's own key

	detect   []*match.Path // the paths format reads
	prefixes []*match.Path
	prefix   map[string]*match.Path // prefixes by text
	fields   []*match.Path          // by field
	names    []namePaths            // by name
	all      []*match.Path
}

// namePaths are the paths of a name (names.go): in a Flat event, at the
// top level (not for an attribute); in a WinEvent record, an event data
// field at Event.EventData.<name>, a system field at Event.System.<name>
// and at its #text (the text of an element with attributes), and an
// attribute a of element e at #attributes.a, @a and a under
// Event.System.<e>, in this order (attr).
type namePaths struct {
	flat *match.Path
	at   [3]*match.Path
}

// pathsOnce returns the paths of every Reader, made on first use.
var pathsOnce = sync.OnceValue(newReaderPaths)

// newReaderPaths makes the paths of the names the view reads.
func newReaderPaths() *readerPaths {
	p := &readerPaths{prefix: map[string]*match.Path{}}
	byText := map[string]*match.Path{}
	path := func(dotted string) *match.Path {
		q := byText[dotted]
		if q == nil {
			q = match.NewPath(dotted)
			byText[dotted] = q
			p.all = append(p.all, q)
		}
		return q
	}
	p.event, p.system, p.eventData = path("Event"), path("Event.System"), path("Event.EventData")
	p.userData, p.dataArray = path("Event.UserData"), path("Event.EventData.Data")
	p.eventID, p.channel = path("EventID"), path("Channel")
	p.child = path(UserDataChild)
	p.detect = []*match.Path{p.event, p.system, p.eventData, p.userData, p.eventID, p.channel}
	prefixes := map[string]bool{}
	for _, f := range fieldPaths {
		p.fields = append(p.fields, path(f))
		for i := range len(f) {
			if f[i] == '.' {
				prefixes[f[:i]] = true
			}
		}
	}
	for _, f := range slices.Sorted(maps.Keys(prefixes)) {
		p.prefix[f] = path(f)
		p.prefixes = append(p.prefixes, p.prefix[f])
	}
	for _, e := range nameTable {
		var n namePaths
		switch e.kind {
		case dataName:
			n.flat, n.at[0] = path(e.text), path("Event.EventData."+e.text)
		case systemName:
			n.flat, n.at[0], n.at[1] = path(e.text), path("Event.System."+e.text), path("Event.System."+e.text+".#text")
		case attributeName:
			el := "Event.System." + e.text + "."
			n.at = [3]*match.Path{path(el + "#attributes." + e.attribute), path(el + "@" + e.attribute), path(el + e.attribute)}
		}
		p.names = append(p.names, n)
	}
	return p
}

// nameSlots are the slots of a name's paths (namePaths) in a Reader's
// record.
type nameSlots struct {
	flat hooks.Slot
	at   [3]hooks.Slot
}

// slotSource is the source of a Windows event in a Reader's record: the
// names' values at their slots, found when the Reader was made.
type slotSource struct {
	rec                            hooks.Slots
	names                          []nameSlots // by name
	eventData, dataArray, userData hooks.Slot
	flat                           bool
	maps                           []map[string]any // WinEvent: the Data array's named elements and UserData's child
	ud                             map[string]any   // WinEvent: UserData's child
	// looked, when not nil, gets the slot of every Lookup (lookup): the
	// values a view read, which a fill program's view trace depends on
	// (evtxview.go).
	looked *[]hooks.Slot
}

// lookup is s.rec.Lookup at sl, noted in looked.
func (s *slotSource) lookup(sl hooks.Slot) (any, bool) {
	if s.looked != nil {
		*s.looked = append(*s.looked, sl)
	}
	return s.rec.Lookup(sl)
}

// newSlotSource returns the source of events in rec, a record holding
// the paths p.
func newSlotSource(rec hooks.Slots, p *readerPaths) slotSource {
	s := slotSource{rec: rec, eventData: rec.Slot(p.eventData), dataArray: rec.Slot(p.dataArray), userData: rec.Slot(p.userData)}
	for _, n := range p.names {
		sl := nameSlots{flat: hooks.NoSlot}
		if n.flat != nil {
			sl.flat = rec.Slot(n.flat)
		}
		for i, q := range n.at {
			sl.at[i] = hooks.NoSlot
			if q != nil {
				sl.at[i] = rec.Slot(q)
			}
		}
		s.names = append(s.names, sl)
	}
	return s
}

// begin starts reading the event in s.rec as format f. In the shape of
// an .evtx record (evtxShape), Event.EventData.Data holds unnamed data
// only (named Data elements are members of EventData), which dataArray
// gives nil for: it is not looked up.
func (s *slotSource) begin(f Format, evtxShape bool) {
	s.flat = f == Flat
	clear(s.maps)
	s.maps = s.maps[:0]
	s.ud = nil
	if s.flat {
		return
	}
	rec := s.rec
	if _, object := rec.Holds(s.eventData); object && !evtxShape {
		if present, _ := rec.Holds(s.dataArray); present {
			v, _ := s.lookup(s.dataArray)
			if d := dataArray(v); d != nil {
				s.maps = append(s.maps, d)
			}
		}
	}
	if _, object := rec.Holds(s.userData); object {
		v, _ := s.lookup(s.userData)
		if ud := userDataChild(v); ud != nil {
			s.maps = append(s.maps, ud)
			s.ud = ud
		}
	}
}

// data returns event data field n: at the top level of a Flat event; in
// Event.EventData, then the Data array's elements, then UserData's child
// of a WinEvent record.
func (s *slotSource) data(n name) (any, bool) {
	sl := &s.names[n]
	if s.flat {
		return s.lookup(sl.flat)
	}
	if v, ok := s.lookup(sl.at[0]); ok || len(s.maps) == 0 {
		return v, ok
	}
	return first(s.maps, nameTable[n].text)
}

// system returns system field n; for an element with attributes
// (EventID with Qualifiers, in the System and Application logs), its
// #text when that is not an object, which is all record.sys reads of it
// (unwrap): the record holds it at a slot of its own, and the object,
// which the record would decode from the event (a JSON text, or an .evtx
// record walked again into maps), is not looked up.
func (s *slotSource) system(n name) (any, bool) {
	sl := &s.names[n]
	if s.flat {
		return s.lookup(sl.flat)
	}
	present, object := s.rec.Holds(sl.at[0])
	if !present {
		return nil, false
	}
	if object {
		if present, object := s.rec.Holds(sl.at[1]); present && !object {
			return s.lookup(sl.at[1])
		}
	}
	return s.lookup(sl.at[0])
}

// attribute returns the text of attribute n of a system element, as attr
// reads it.
func (s *slotSource) attribute(n name) (string, bool) {
	if s.flat {
		return "", false
	}
	for _, sl := range s.names[n].at {
		if v, ok := s.lookup(sl); ok {
			if t, ok := text(v); ok {
				return t, true
			}
		}
	}
	return "", false
}

// systemObject reports whether system field n is an object.
func (s *slotSource) systemObject(n name) bool {
	sl := &s.names[n]
	q := sl.at[0]
	if s.flat {
		q = sl.flat
	}
	_, object := s.rec.Holds(q)
	return object
}

// recordView is the sink of a view into a Reader's record.
//
// A field that no rule reads at its own path (read) but that lies under
// an object a rule reads (objects: process, when a rule tests whether
// the event has one) is not added: its value is read by no one, and all
// it does is make those objects present (hold), where the event has
// none. So it is computed only while one of them is absent (wants):
// once a first field has made process present, the view skips the
// process fields no rule reads, such as the hashes, the arguments or
// the code signature, which the SigmaHQ Windows rules would otherwise
// have it compute for every Sysmon event (TestViewSkipsUnread compares
// with a view that computes them all, every).
type recordView struct {
	rec     hooks.Slots
	fields  []hooks.Slot   // by field
	objects [][]hooks.Slot // by field: the objects holding it that rules read
	read    []bool         // by field: rules or the Reader's caller read it at its own path (see NewReaderWith)
	empty   map[string]any // the empty object hold gives, shared: never written
	trace   *viewTrace     // when not nil, gets what the view adds (evtxview.go)
}

// wants reports whether f must be computed: rules read it, or read an
// object holding it that the event does not hold yet.
func (v *recordView) wants(f field) bool {
	if v.read[f] {
		return true
	}
	for _, o := range v.objects[f] {
		if present, _ := v.rec.Holds(o); !present {
			return true
		}
	}
	return false
}

// added is what a put does with f's value, which is not empty: whether
// to add it to the record (and, where the record held no value there,
// hold f's objects), or only to hold f's objects, which is all that a
// value no rule reads does (the record holds no value at f's path: it
// would hold an object at each of the path's prefixes).
func (v *recordView) added(f field) (add, holdOnly bool) {
	if v.read[f] {
		return true, false
	}
	return false, len(v.objects[f]) > 0
}

// put adds val at f, if rules read it, and holds its objects (added).
func (v *recordView) put(f field, val any) {
	if add, holdOnly := v.added(f); add && v.add(v.fields[f], val) || holdOnly {
		v.hold(f)
	}
}

// putString adds s at f, if rules read it, and holds its objects (added).
func (v *recordView) putString(f field, s string) {
	if add, holdOnly := v.added(f); add && v.addString(v.fields[f], s) || holdOnly {
		v.hold(f)
	}
}

// putInt adds n at f, if rules read it, and holds its objects (added).
func (v *recordView) putInt(f field, n int64) {
	if add, holdOnly := v.added(f); add && v.addInt(v.fields[f], n) || holdOnly {
		v.hold(f)
	}
}

// putList adds ss at f, as decoded JSON holds an array, if rules read
// it, and holds its objects (added).
func (v *recordView) putList(f field, ss []string) {
	if add, holdOnly := v.added(f); add && v.addStrings(v.fields[f], ss) || holdOnly {
		v.hold(f)
	}
}

// hold gives the objects that hold f and that rules read an empty object
// as their value, where the event has none.
func (v *recordView) hold(f field) {
	for _, o := range v.objects[f] {
		if present, _ := v.rec.Holds(o); !present {
			if v.empty == nil {
				v.empty = map[string]any{}
			}
			v.add(o, v.empty)
		}
	}
}

// add is v.rec.Add, noted in v.trace when it adds.
func (v *recordView) add(s hooks.Slot, val any) bool {
	ok := v.rec.Add(s, val)
	if ok && v.trace != nil {
		v.trace.add(s, val)
	}
	return ok
}

// addString is v.rec.AddString, noted in v.trace when it adds.
func (v *recordView) addString(s hooks.Slot, str string) bool {
	ok := v.rec.AddString(s, str)
	if ok && v.trace != nil {
		v.trace.addString(s, str)
	}
	return ok
}

// addInt is v.rec.AddInt, noted in v.trace when it adds.
func (v *recordView) addInt(s hooks.Slot, n int64) bool {
	ok := v.rec.AddInt(s, n)
	if ok && v.trace != nil {
		v.trace.addInt(s, n)
	}
	return ok
}

// addStrings is v.rec.AddStrings, noted in v.trace when it adds.
func (v *recordView) addStrings(s hooks.Slot, ss []string) bool {
	ok := v.rec.AddStrings(s, ss)
	if ok && v.trace != nil {
		v.trace.addStrings(s, ss)
	}
	return ok
}
