package normalize

import (
	"maps"
	"slices"
	"strings"
	"sync"

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
// The view's fields that no rule reads are not computed, unless a rule
// reads every value (a Sigma keyword search): rules match the same either
// way, and the record holds only what they may read.
//
// With Auto, each event's format is detected from the keys the pass
// found. A Windows event is read with the view's sources, an ECS event
// without them; after an event of one kind, the next is read as the same
// kind first, so a file of one kind is read in one pass an event.
//
// A Reader is not safe for concurrent use; make one per goroutine.
type Reader struct {
	f       Format
	plain   *match.Record // events that need no view, and their format
	rec     *match.Record // Windows events: with the view's sources and fields
	windows bool          // with Auto: the last event was a Windows event
	p       *readerPaths
	src     slotSource
	out     recordView
	args    []string    // the view's split command lines
	child   []childPath // the paths below UserDataChild that rules read
	whole   bool        // rules read Event or Event.UserData whole
	fill    filler      // ReadEVTX's
}

// childPath is a path below UserDataChild that a rule reads, and the rest
// of it below UserDataChild.
type childPath struct{ path, rest *match.Path }

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
	rd := &Reader{f: f, p: p, plain: rs.NewRecordWith(slices.Concat(p.detect, paths)), rec: rs.NewRecordWith(slices.Concat(p.all, paths))}
	rd.src = slotSource{rec: rd.rec, p: p}
	rd.out = recordView{rec: rd.rec, add: hooks.RecordAdder(rd.rec), fields: p.fields, objects: make([][]*match.Path, len(p.fields)), read: make([]bool, len(p.fields))}
	read := rs.Paths()
	anyField := hooks.RulesetReadsAnyField(rs)
	for _, q := range []string{"Event", "Event.UserData"} {
		_, ok := slices.BinarySearch(read, q)
		rd.whole = rd.whole || ok
	}
	for _, r := range read {
		if rest, ok := strings.CutPrefix(r, UserDataChild+"."); ok {
			rd.child = append(rd.child, childPath{path: match.NewPath(r), rest: match.NewPath(rest)})
		}
	}
	for field, q := range p.fields {
		_, rd.out.read[field] = slices.BinarySearch(read, q.String())
		rd.out.read[field] = rd.out.read[field] || anyField
		parts := q.Parts()
		for i := 1; i < len(parts); i++ {
			prefix := strings.Join(parts[:i], ".")
			if _, ok := slices.BinarySearch(read, prefix); ok {
				rd.out.objects[field] = append(rd.out.objects[field], p.prefix[prefix])
				rd.out.read[field] = true
			}
		}
	}
	return rd
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

// view adds the ECS view of the Windows event in rd.rec, read as format
// f, to the record, or decodes the event's JSON text (from raw) and
// normalizes that where the record cannot tell. evtxShape says that the
// event has the shape of an .evtx record (ReadEVTX).
func (rd *Reader) view(f Format, evtxShape bool, raw func() []byte) error {
	rec := rd.rec
	for _, p := range rd.p.prefixes {
		if present, object := hooks.RecordHolds(rec, p); present && !object {
			return rd.decoded(raw(), f)
		}
	}
	if rd.whole && f == WinEvent {
		// The rules read UserData whole: it must hold the alias
		// UserDataChild, as Normalize writes it in the map. Any object
		// UserData is decoded, without looking it up first for its one
		// child: decoded gives what the view would.
		if _, object := hooks.RecordHolds(rec, rd.p.userData); object {
			return rd.decoded(raw(), f)
		}
	}
	rd.src.begin(f, evtxShape)
	rd.aliasUserData()
	addWindows(&record{&rd.src}, view{&rd.out, &rd.args})
	return nil
}

// aliasUserData adds to the record the values the rules read under
// UserDataChild, from the UserData element begin found, as aliasUserData
// gives them to a decoded event: not where the event has a "#child" key
// of its own. As in the decoded event, the element's values are the
// event's twice for Each (keyword searches): at their own keys and under
// the alias.
func (rd *Reader) aliasUserData() {
	ud := rd.src.ud
	if ud == nil {
		return
	}
	if present, _ := hooks.RecordHolds(rd.rec, rd.p.child); present {
		return
	}
	add := rd.out.add
	add.Visit(ud)
	add.Alias(rd.p.child, ud)
	for _, c := range rd.child {
		if v, ok := match.Map(ud).Lookup(c.rest); ok {
			add.Alias(c.path, v)
		}
	}
}

// decoded decodes raw and fills the record from it, normalized as format f.
func (rd *Reader) decoded(raw []byte, f Format) error {
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
	Normalize(m, f)
	rd.rec.Reset(match.NewDoc(m))
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
	flat     map[string]*match.Path
	data     map[string]*match.Path
	sys      map[string]*match.Path
	sysText  map[string]*match.Path       // Event.System.<name>.#text: the text of an element with attributes
	attrs    map[[2]string][3]*match.Path // element, attribute: #attributes.a, @a and a under it
	all      []*match.Path
}

// pathsOnce returns the paths of every Reader, made on first use.
var pathsOnce = sync.OnceValue(newReaderPaths)

// newReaderPaths makes the paths of the names the view reads.
func newReaderPaths() *readerPaths {
	p := &readerPaths{flat: map[string]*match.Path{}, data: map[string]*match.Path{}, sys: map[string]*match.Path{},
		sysText: map[string]*match.Path{}, attrs: map[[2]string][3]*match.Path{}}
	path := func(dotted string) *match.Path {
		q := match.NewPath(dotted)
		p.all = append(p.all, q)
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
	p.prefix = map[string]*match.Path{}
	for _, f := range slices.Sorted(maps.Keys(prefixes)) {
		p.prefix[f] = path(f)
		p.prefixes = append(p.prefixes, p.prefix[f])
	}
	n := readNames()
	for _, name := range slices.Sorted(maps.Keys(n.dataNames)) {
		p.flat[name], p.data[name] = path(name), path("Event.EventData."+name)
	}
	for _, name := range slices.Sorted(maps.Keys(n.sysNames)) {
		if p.flat[name] == nil {
			p.flat[name] = path(name)
		}
		p.sys[name] = path("Event.System." + name)
		p.sysText[name] = path("Event.System." + name + ".#text")
	}
	for _, ea := range slices.SortedFunc(maps.Keys(n.attrNames), func(a, b [2]string) int { return strings.Compare(a[0]+"."+a[1], b[0]+"."+b[1]) }) {
		e := "Event.System." + ea[0] + "."
		p.attrs[ea] = [3]*match.Path{path(e + "#attributes." + ea[1]), path(e + "@" + ea[1]), path(e + ea[1])}
	}
	return p
}

// slotSource is the source of a Windows event in a Reader's record.
type slotSource struct {
	rec  *match.Record
	p    *readerPaths
	flat bool
	maps []map[string]any // WinEvent: the Data array's named elements and UserData's child
	ud   map[string]any   // WinEvent: UserData's child
	more map[string]*match.Path
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
	rec, p := s.rec, s.p
	if _, object := hooks.RecordHolds(rec, p.eventData); object && !evtxShape {
		if present, _ := hooks.RecordHolds(rec, p.dataArray); present {
			v, _ := rec.Lookup(p.dataArray)
			if d := dataArray(v); d != nil {
				s.maps = append(s.maps, d)
			}
		}
	}
	if _, object := hooks.RecordHolds(rec, p.userData); object {
		v, _ := rec.Lookup(p.userData)
		if ud := userDataChild(v); ud != nil {
			s.maps = append(s.maps, ud)
			s.ud = ud
		}
	}
}

// path returns the path of a name in one of the maps of s.p, or, for a
// name the view was not seen to read when the paths were made, a path of
// s's own: its value is found by decoding the event, slowly but right.
func (s *slotSource) path(known map[string]*match.Path, prefix, name string) *match.Path {
	if q := known[name]; q != nil {
		return q
	}
	q := s.more[prefix+name]
	if q == nil {
		if s.more == nil {
			s.more = map[string]*match.Path{}
		}
		q = match.NewPath(prefix + name)
		s.more[prefix+name] = q
	}
	return q
}

// data returns event data field name: at the top level of a Flat event;
// in Event.EventData, then the Data array's elements, then UserData's
// child of a WinEvent record.
func (s *slotSource) data(name string) (any, bool) {
	if s.flat {
		return s.rec.Lookup(s.path(s.p.flat, "", name))
	}
	if v, ok := s.rec.Lookup(s.path(s.p.data, "Event.EventData.", name)); ok {
		return v, true
	}
	for _, m := range s.maps {
		if v, ok := m[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// system returns system field name; for an element with attributes
// (EventID with Qualifiers, in the System and Application logs), its
// #text when that is not an object, which is all record.sys reads of it
// (unwrap): the record holds it at a path of its own, and the object,
// which the record would decode from the event (a JSON text, or an .evtx
// record walked again into maps), is not looked up.
func (s *slotSource) system(name string) (any, bool) {
	if s.flat {
		return s.rec.Lookup(s.path(s.p.flat, "", name))
	}
	q := s.path(s.p.sys, "Event.System.", name)
	present, object := hooks.RecordHolds(s.rec, q)
	if !present {
		return nil, false
	}
	if t := s.p.sysText[name]; object && t != nil {
		if present, object := hooks.RecordHolds(s.rec, t); present && !object {
			return s.rec.Lookup(t)
		}
	}
	return s.rec.Lookup(q)
}

// attribute returns the text of an attribute of system element name, as
// attr reads it.
func (s *slotSource) attribute(name, attribute string) (string, bool) {
	if s.flat {
		return "", false
	}
	paths, ok := s.p.attrs[[2]string{name, attribute}]
	if !ok {
		e := "Event.System." + name + "."
		paths = [3]*match.Path{s.path(nil, e, "#attributes."+attribute), s.path(nil, e, "@"+attribute), s.path(nil, e, attribute)}
	}
	for _, q := range paths {
		if v, ok := s.rec.Lookup(q); ok {
			if t, ok := text(v); ok {
				return t, true
			}
		}
	}
	return "", false
}

// systemObject reports whether system field name is an object.
func (s *slotSource) systemObject(name string) bool {
	q := s.path(s.p.sys, "Event.System.", name)
	if s.flat {
		q = s.path(s.p.flat, "", name)
	}
	_, object := hooks.RecordHolds(s.rec, q)
	return object
}

// recordView is the sink of a view into a Reader's record.
type recordView struct {
	rec     *match.Record
	add     hooks.Adder     // rec's, adding without allocations
	fields  []*match.Path   // by field
	objects [][]*match.Path // by field: the objects holding it that rules read
	read    []bool          // by field: rules may read it (see NewReader)
}

// wants reports whether rules may read f.
func (v *recordView) wants(f field) bool { return v.read[f] }

// put adds val at f.
func (v *recordView) put(f field, val any) {
	if v.rec.Add(v.fields[f], val) {
		v.hold(f)
	}
}

// putString adds s at f.
func (v *recordView) putString(f field, s string) {
	if v.add.AddString(v.fields[f], s) {
		v.hold(f)
	}
}

// putInt adds n at f.
func (v *recordView) putInt(f field, n int64) {
	if v.add.AddInt(v.fields[f], n) {
		v.hold(f)
	}
}

// putList adds ss at f, as decoded JSON holds an array.
func (v *recordView) putList(f field, ss []string) {
	if v.add.AddStrings(v.fields[f], ss) {
		v.hold(f)
	}
}

// hold gives the objects that hold f and that rules read an empty object
// as their value, where the event has none.
func (v *recordView) hold(f field) {
	for _, p := range v.objects[f] {
		if present, _ := hooks.RecordHolds(v.rec, p); !present {
			v.rec.Add(p, map[string]any{})
		}
	}
}

// names are the names of the event data fields, system fields and system
// attributes that the view reads.
type names struct {
	id, channel string
	dataNames   map[string]bool
	sysNames    map[string]bool
	attrNames   map[[2]string]bool
}

// readNames returns the names the view reads, found by running it over
// events of every kind it maps (each format, log and event ID) whose event
// data are all absent, so that it reads every name it may read.
func readNames() *names {
	n := &names{dataNames: map[string]bool{}, sysNames: map[string]bool{}, attrNames: map[[2]string]bool{}}
	ids := append(slices.Collect(maps.Keys(sysmonEvents)), "4688", "0")
	for _, channel := range []string{sysmonChannel, securityChannel, "Linux-Sysmon/Operational", ""} {
		for _, id := range ids {
			n.id, n.channel = id, channel
			addWindows(&record{n}, view{out: discard{}})
		}
	}
	return n
}

// data records that name is read.
func (n *names) data(name string) (any, bool) {
	n.dataNames[name] = true
	return nil, false
}

// system records that name is read, and returns the event ID and channel.
func (n *names) system(name string) (any, bool) {
	n.sysNames[name] = true
	switch name {
	case "EventID":
		return n.id, true
	case "Channel":
		return n.channel, true
	}
	return nil, false
}

// attribute records that the attribute is read.
func (n *names) attribute(name, attribute string) (string, bool) {
	n.attrNames[[2]string{name, attribute}] = true
	return "", false
}

// systemObject records that name is read.
func (n *names) systemObject(name string) bool {
	n.sysNames[name] = true
	return false
}

// discard is a sink that keeps nothing.
type discard struct{}

func (discard) wants(field) bool        { return true }
func (discard) put(field, any)          {}
func (discard) putString(field, string) {}
func (discard) putInt(field, int64)     {}
func (discard) putList(field, []string) {}
