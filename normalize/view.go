package normalize

import (
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/swar"
)

// view writes the ECS fields of one event to where they go: a decoded
// event (mapView) or a match.Record (recordView). Either adds a field
// only where the event has no value at its path and no non-object value
// at any prefix of it, with paths looked up as match.Map looks them up
// (nested objects first, then keys holding dots); the first value added
// for a path stays.
type view struct {
	out  sink
	args *[]string // where SplitCommandLine's arguments go, reused; nil: new each time
	text *arena    // where lower-cased texts go, reused; nil: new each time
}

// sink is where a view's fields go.
type sink interface {
	// wants reports whether f's value may matter (a rule reads it, or
	// it would make an object that a rule reads present); the view need
	// not compute a field whose value does not.
	wants(f field) bool
	put(f field, val any) // a boolean
	putString(f field, s string)
	putInt(f field, n int64)
	putList(f field, ss []string) // ss is the view's: the sink copies what it keeps
}

// wants reports whether one of fields may be read.
func (v view) wants(fields ...field) bool {
	for _, f := range fields {
		if v.out.wants(f) {
			return true
		}
	}
	return false
}

// strOf adds event data field d as text at f, if f may be read.
func (v view) strOf(f field, r *record, d name) {
	if v.out.wants(f) {
		v.str(f, r.str(d))
	}
}

// numOf adds event data field d as a number at f, if f may be read.
func (v view) numOf(f field, r *record, d name) {
	if v.out.wants(f) {
		n, ok := r.num(d)
		v.num(f, n, ok)
	}
}

// set adds a boolean at f.
func (v view) set(f field, b bool) { v.out.put(f, b) }

// str adds a text value; empty text is no value.
func (v view) str(f field, s string) {
	if s != "" {
		v.out.putString(f, s)
	}
}

// num adds a number when ok.
func (v view) num(f field, n int64, ok bool) {
	if ok {
		v.out.putInt(f, n)
	}
}

// list adds an array of texts; ss may be the view's memory (split), which
// the sink copies.
func (v view) list(f field, ss []string) { v.out.putList(f, ss) }

// split returns the arguments of a command line (SplitCommandLine), in
// v.args's memory when v has it: valid until the next split.
func (v view) split(commandLine string) []string {
	if v.args == nil {
		return SplitCommandLine(commandLine)
	}
	*v.args = appendArgs((*v.args)[:0], commandLine)
	return *v.args
}

// lower returns s in lower case (strings.ToLower), in v.text's memory
// when v has it and s changes: valid until the text's next reset.
func (v view) lower(s string) string {
	if v.text == nil {
		return strings.ToLower(s)
	}
	return v.text.lower(s)
}

// arena holds the texts a view makes for one event, reused from event
// to event: a text is valid until the next reset, as a Reader's record
// holds its values until the next event. Its memory grows by starting a
// new block, never by moving what it has handed out.
type arena struct{ buf []byte }

// minArena is the size of an arena's first block.
const minArena = 1 << 10

// reset frees the arena's texts for the next event.
func (a *arena) reset() { a.buf = a.buf[:0] }

// lower returns s in lower case, as strings.ToLower does, in a's memory
// where s is ASCII and changes. It reads and writes eight bytes at a
// time (package swar).
func (a *arena) lower(s string) string {
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	var all, upper uint64 // every byte or-ed; the upper-case letters' high bits
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		all |= w
		upper |= swar.UpperBits(w)
	}
	for ; i < len(b); i++ {
		all |= uint64(b[i])
		upper |= swar.UpperBits(uint64(b[i]))
	}
	switch {
	case all&swar.Highs != 0:
		return strings.ToLower(s) // not ASCII
	case upper == 0:
		return s
	}
	if len(a.buf)+len(s) > cap(a.buf) {
		a.buf = make([]byte, 0, max(minArena, 2*cap(a.buf), len(s)))
	}
	start := len(a.buf)
	for i = 0; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		a.buf = binary.LittleEndian.AppendUint64(a.buf, swar.LowerWord(w))
	}
	for ; i < len(b); i++ {
		a.buf = append(a.buf, byte(swar.LowerWord(uint64(b[i]))))
	}
	return unsafe.String(&a.buf[start], len(s))
}

// mapView adds fields to a decoded event as nested objects, never
// replacing or hiding what the event holds (see view).
type mapView struct {
	m      map[string]any
	dotted bool // a key of m, or of an object in it, holds a dot
}

// newMapView returns the view of event m.
func newMapView(m map[string]any) mapView {
	return mapView{m: m, dotted: hasDottedKey(m)}
}

// wants reports that every field may be read.
func (v mapView) wants(field) bool { return true }

// put adds val at f's path.
func (v mapView) put(f field, val any) { v.set(fieldPaths[f], val) }

// putString adds s at f's path.
func (v mapView) putString(f field, s string) { v.set(fieldPaths[f], s) }

// putInt adds n at f's path.
func (v mapView) putInt(f field, n int64) { v.set(fieldPaths[f], n) }

// putList adds ss at f's path as decoded JSON holds an array.
func (v mapView) putList(f field, ss []string) { v.set(fieldPaths[f], strs(ss...)) }

// hasDottedKey reports whether a key of m, or of an object under m other
// than a Windows event record's "Event" (no field is added there), holds a
// dot. Without one, paths have one reading: nested objects.
func hasDottedKey(m map[string]any) bool {
	for k, x := range m {
		if strings.IndexByte(k, '.') >= 0 {
			return true
		}
		if o, ok := x.(map[string]any); ok && k != "Event" && hasDottedKey(o) {
			return true
		}
	}
	return false
}

// set adds val at path (dot-separated) unless the event holds the path or
// a non-object on the way to it.
func (v mapView) set(path string, val any) {
	if !v.dotted {
		setNested(v.m, path, val)
		return
	}
	if _, ok := lookup(v.m, path); ok {
		return
	}
	for i := 0; i < len(path); i++ {
		if path[i] != '.' {
			continue
		}
		if x, ok := lookup(v.m, path[:i]); ok {
			if _, isObj := x.(map[string]any); !isObj {
				return
			}
		}
	}
	write(v.m, path, val)
}

// setNested is set for an event without dotted keys, where a path is
// only nested objects.
func setNested(o map[string]any, path string, val any) {
	for {
		i := strings.IndexByte(path, '.')
		if i < 0 {
			if _, ok := o[path]; !ok {
				o[path] = val
			}
			return
		}
		x, ok := o[path[:i]]
		if !ok {
			write(o, path, val)
			return
		}
		next, isObj := x.(map[string]any)
		if !isObj {
			return
		}
		o, path = next, path[i+1:]
	}
}

// write adds val at path in o, going into the objects the event has on
// the way (nested or under a dotted key) and creating the missing ones as
// nested objects.
func write(o map[string]any, path string, val any) {
	for {
		if next, rest, ok := prefixObject(o, path); ok {
			o, path = next, rest
			continue
		}
		i := strings.IndexByte(path, '.')
		if i < 0 {
			o[path] = val
			return
		}
		if _, taken := o[path[:i]]; taken {
			return // not an object: set checked, kept for safety
		}
		next := map[string]any{}
		o[path[:i]] = next
		o, path = next, path[i+1:]
	}
}

// prefixObject returns the object o holds at the shortest proper prefix
// of path that names one, and the rest of the path.
func prefixObject(o map[string]any, path string) (map[string]any, string, bool) {
	for i := 0; i < len(path); i++ {
		if path[i] == '.' {
			if next, ok := o[path[:i]].(map[string]any); ok {
				return next, path[i+1:], true
			}
		}
	}
	return nil, "", false
}

// lookup returns the value at a dot-separated path in m: at each level
// the path's next component as a key of a nested object, then the next
// components joined with dots as one key.
func lookup(m map[string]any, path string) (any, bool) {
	for i := 0; i <= len(path); i++ {
		if i < len(path) && path[i] != '.' {
			continue
		}
		x, ok := m[path[:i]]
		if !ok {
			continue
		}
		if i == len(path) {
			return x, true
		}
		if o, isObj := x.(map[string]any); isObj {
			if y, ok := lookup(o, path[i+1:]); ok {
				return y, true
			}
		}
	}
	return nil, false
}
