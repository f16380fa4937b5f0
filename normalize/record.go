package normalize

import "strings"

// record is the Windows event one Normalize call reads: the system fields
// and the event data, wherever the event's format keeps them, read from a
// source: the decoded event (mapSource) or a match.Record (slotSource).
// Values are read as they are; nothing is flattened into the event.
type record struct{ src source }

// source is where a record's fields are found.
type source interface {
	// data returns event data field name as the event holds it.
	data(name string) (any, bool)
	// system returns system field name as the event holds it.
	system(name string) (any, bool)
	// attribute returns the text of an attribute of system element name
	// (see attr); a Flat event has none.
	attribute(name, attribute string) (string, bool)
	// systemObject reports whether system field name is an object.
	systemObject(name string) bool
}

// mapSource is a decoded event's fields.
type mapSource struct {
	sys   map[string]any   // Event.System, or the top level of a Flat event
	maps  []map[string]any // where event data fields are looked up, in order
	winEv bool             // a WinEvent record (system attributes as objects)
}

// flatRecord reads a Flat event: system fields and event data alike at
// the top level.
func flatRecord(m map[string]any) *record {
	return &record{&mapSource{sys: m, maps: []map[string]any{m}}}
}

// eventRecord reads a WinEvent record: Event.System, then the event data
// in Event.EventData (its fields, then the named elements of its Data
// array) and in the single child object of Event.UserData.
func eventRecord(m map[string]any) *record {
	src := &mapSource{winEv: true}
	ev, _ := m["Event"].(map[string]any)
	if ev == nil {
		return &record{src}
	}
	src.sys, _ = ev["System"].(map[string]any)
	if ed, ok := ev["EventData"].(map[string]any); ok {
		src.maps = append(src.maps, ed)
		if d := dataArray(ed["Data"]); d != nil {
			src.maps = append(src.maps, d)
		}
	}
	if ud := userDataChild(ev["UserData"]); ud != nil {
		src.maps = append(src.maps, ud)
	}
	return &record{src}
}

// data returns the first of the data maps' values for name.
func (s *mapSource) data(name string) (any, bool) {
	for _, d := range s.maps {
		if v, ok := d[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// system returns the system field name.
func (s *mapSource) system(name string) (any, bool) {
	v, ok := s.sys[name]
	return v, ok
}

// attribute returns the text of an attribute of system element name.
func (s *mapSource) attribute(name, attribute string) (string, bool) {
	if !s.winEv {
		return "", false
	}
	o, ok := s.sys[name].(map[string]any)
	if !ok {
		return "", false
	}
	return attr(o, attribute)
}

// systemObject reports whether system field name is an object.
func (s *mapSource) systemObject(name string) bool {
	_, ok := s.sys[name].(map[string]any)
	return ok
}

// dataArray returns the named elements of an EventData.Data value as a
// map, name to value, the first of a repeated name winning: an array (or
// a single object) of {"@Name": k, "#text": v}, {"Name": k, "#text": v} or
// {"#attributes": {"Name": k}, "#text": v}. It returns nil for anything
// else (a field that happens to be named Data, unnamed data).
func dataArray(v any) map[string]any {
	var elems []any
	switch x := v.(type) {
	case []any:
		elems = x
	case map[string]any:
		elems = []any{x}
	default:
		return nil
	}
	var out map[string]any
	for _, e := range elems {
		o, ok := e.(map[string]any)
		if !ok {
			continue
		}
		name, ok := attr(o, "Name")
		if !ok {
			continue
		}
		text, ok := o["#text"]
		if !ok {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		if _, dup := out[name]; !dup {
			out[name] = text
		}
	}
	return out
}

// UserDataChild is the path at which Normalize and Reader give a Windows
// event record the one element of its Event.UserData, whatever the
// provider's manifest names it: Event.UserData.#child.N is
// Event.UserData.LogFileCleared.N in a System 104 record and
// Event.UserData.CbsUpdateChangeState.N in a Setup record. Sigma rules of
// product windows read UserData there (go doc ./sigma, Fields). The alias
// is given only when UserData has exactly one child object (keys starting
// with "#", such as #attributes, are not children) and holds no key
// "#child" of its own, which then stays as the event has it.
const UserDataChild = "Event.UserData." + childKey

// childKey is the key of the alias UserDataChild under Event.UserData.
const childKey = "#child"

// aliasUserData gives the decoded Windows event record m its UserData
// element at UserDataChild, as a second reference to the same object.
func aliasUserData(m map[string]any) {
	ev, _ := m["Event"].(map[string]any)
	ud, _ := ev["UserData"].(map[string]any)
	if ud == nil {
		return
	}
	if _, own := ud[childKey]; own {
		return
	}
	if c := userDataChild(ud); c != nil {
		ud[childKey] = c
	}
}

// userDataChild returns the child object of Event.UserData that holds the
// event's data (UserData has one element, named by the event's manifest),
// or nil when there is not exactly one. Keys starting with "#" (attributes,
// the alias UserDataChild) name no element.
func userDataChild(v any) map[string]any {
	ud, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	var keys []string
	for k, c := range ud {
		if _, ok := c.(map[string]any); ok && !strings.HasPrefix(k, "#") {
			keys = append(keys, k)
		}
	}
	if len(keys) != 1 {
		return nil
	}
	return ud[keys[0]].(map[string]any)
}

// attr returns the text of an attribute of an element rendered as an
// object: {"#attributes": {name: v}}, {"@name": v} or {name: v}.
func attr(o map[string]any, name string) (string, bool) {
	if a, ok := o["#attributes"].(map[string]any); ok {
		if s, ok := text(a[name]); ok {
			return s, true
		}
	}
	if s, ok := text(o["@"+name]); ok {
		return s, true
	}
	return text(o[name])
}

// value returns the event data field name, unwrapped ({"#text": v, …} is
// v), and whether it is present.
func (r *record) value(name string) (any, bool) {
	if v, ok := r.src.data(name); ok {
		return unwrap(v)
	}
	return nil, false
}

// str returns the text of event data field name; absent, empty and
// placeholder values ("-", the zero GUID) are "", as Winlogbeat drops them.
func (r *record) str(name string) string {
	v, ok := r.value(name)
	if !ok {
		return ""
	}
	s, _ := text(v)
	return usable(s)
}

// num returns event data field name as a whole number (decimal, or
// hexadecimal with 0x) and whether it is one.
func (r *record) num(name string) (int64, bool) {
	v, ok := r.value(name)
	if !ok {
		return 0, false
	}
	return number(v)
}

// sys returns the text of system field name: Event.System.<name> (its
// #text when it is an element with attributes), or the top level of a
// Flat event.
func (r *record) sys(name string) string {
	v, ok := r.src.system(name)
	if !ok {
		return ""
	}
	v, _ = unwrap(v)
	s, _ := text(v)
	return usable(s)
}

// sysAttr returns the text of an attribute of system element name, such
// as Event.System.Security's UserID; "" in a Flat event, which has no
// elements.
func (r *record) sysAttr(name, attribute string) string {
	s, _ := r.src.attribute(name, attribute)
	return usable(s)
}

// provider returns the name of the event's provider: the Name attribute of
// Event.System.Provider, or Provider_Name (Sigma's name for it), or
// Provider when that is text.
func (r *record) provider() string {
	if p := r.sysAttr("Provider", "Name"); p != "" {
		return p
	}
	if p := r.sys("Provider_Name"); p != "" {
		return p
	}
	if r.src.systemObject("Provider") {
		return ""
	}
	return r.sys("Provider")
}
