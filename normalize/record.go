package normalize

import "strings"

// record is the Windows event one Normalize call reads: the system fields
// and the event data, wherever the event's format keeps them, read from a
// source: the decoded event (mapSource) or a match.Record (slotSource).
// Values are read as they are; nothing is flattened into the event.
type record struct{ src source }

// source is where a record's fields are found.
type source interface {
	// data returns event data field n as the event holds it.
	data(n name) (any, bool)
	// system returns system field n as the event holds it.
	system(n name) (any, bool)
	// attribute returns the text of attribute n of a system element
	// (see attr); a Flat event has none.
	attribute(n name) (string, bool)
	// systemObject reports whether system field n is an object.
	systemObject(n name) bool
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

// data returns the first of the data maps' values for n.
func (s *mapSource) data(n name) (any, bool) { return first(s.maps, nameTable[n].text) }

// first returns the value of the first of maps that holds key.
func first(maps []map[string]any, key string) (any, bool) {
	for _, m := range maps {
		if v, ok := m[key]; ok {
			return v, true
		}
	}
	return nil, false
}

// system returns the system field n.
func (s *mapSource) system(n name) (any, bool) {
	v, ok := s.sys[nameTable[n].text]
	return v, ok
}

// attribute returns the text of attribute n of a system element.
func (s *mapSource) attribute(n name) (string, bool) {
	if !s.winEv {
		return "", false
	}
	e := nameTable[n]
	o, ok := s.sys[e.text].(map[string]any)
	if !ok {
		return "", false
	}
	return attr(o, e.attribute)
}

// systemObject reports whether system field n is an object.
func (s *mapSource) systemObject(n name) bool {
	_, ok := s.sys[nameTable[n].text].(map[string]any)
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

// value returns the event data field n, unwrapped ({"#text": v, …} is
// v), and whether it is present.
func (r *record) value(n name) (any, bool) {
	if v, ok := r.src.data(n); ok {
		return unwrap(v)
	}
	return nil, false
}

// str returns the text of event data field n; absent, empty and
// placeholder values ("-", the zero GUID) are "", as Winlogbeat drops them.
func (r *record) str(n name) string {
	v, ok := r.value(n)
	if !ok {
		return ""
	}
	s, _ := text(v)
	return usable(s)
}

// num returns event data field n as a whole number (decimal, or
// hexadecimal with 0x) and whether it is one.
func (r *record) num(n name) (int64, bool) {
	v, ok := r.value(n)
	if !ok {
		return 0, false
	}
	return number(v)
}

// sys returns the text of system field n: Event.System.<n> (its #text
// when it is an element with attributes), or the top level of a Flat
// event.
func (r *record) sys(n name) string {
	v, ok := r.src.system(n)
	if !ok {
		return ""
	}
	v, _ = unwrap(v)
	s, _ := text(v)
	return usable(s)
}

// sysAttr returns the text of attribute n of a system element, such as
// Event.System.Security's UserID; "" in a Flat event, which has no
// elements.
func (r *record) sysAttr(n name) string {
	s, _ := r.src.attribute(n)
	return usable(s)
}

// provider returns the name of the event's provider: the Name attribute of
// Event.System.Provider, or Provider_Name (Sigma's name for it), or
// Provider when that is text.
func (r *record) provider() string {
	if p := r.sysAttr(providerName); p != "" {
		return p
	}
	if p := r.sys(sysProviderName); p != "" {
		return p
	}
	if r.src.systemObject(sysProvider) {
		return ""
	}
	return r.sys(sysProvider)
}
