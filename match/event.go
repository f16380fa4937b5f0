package match

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ruleforge/ruleforge/internal/plan"
)

// Event is the runtime view of one event: an interface with one method,
//
//	Lookup(p *Path) (v any, ok bool)
//
// (go doc shows the alias, not the method: Event is an alias of the
// compiled plans' interface, so that they read events through one
// definition). Lookup returns the value at a path and whether it is
// present. Values are string, json.Number, float64, the Go integer types,
// bool, nil, []any, []string or map[string]any; a comparison on an array
// is true when it is true for any element. Implementations must be safe
// for the concurrent use the caller makes of them; Ruleset.Match only
// reads.
type Event = plan.Event

// Walker is what an Event implements besides when it can visit every
// value it holds, an interface with one method,
//
//	Each(fn func(v any) bool) bool
//
// which calls fn on each scalar value (strings, numbers, booleans; arrays
// and objects are entered, keys are not visited) until fn returns true,
// and reports whether it did. Map, Doc and Record are Walkers. A keyword
// search (a Sigma keyword, which tests every value of an event) is false
// on an Event that is not one.
type Walker = plan.Walker

// each visits the scalar values in v.
func each(v any, fn func(any) bool) bool {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			if each(e, fn) {
				return true
			}
		}
		return false
	case Map:
		return each(map[string]any(x), fn)
	case []any:
		for _, e := range x {
			if each(e, fn) {
				return true
			}
		}
		return false
	case []string:
		for _, e := range x {
			if fn(e) {
				return true
			}
		}
		return false
	case nil:
		return false
	}
	return fn(v)
}

// Each visits every scalar value of the map, at any depth.
func (m Map) Each(fn func(v any) bool) bool { return each(map[string]any(m), fn) }

// Each visits every scalar value of the document, at any depth.
func (d *Doc) Each(fn func(v any) bool) bool { return each(d.m, fn) }

// Map is an Event over decoded JSON: nested objects, flattened dotted keys
// ("process.name") or any mix of the two.
//
// A path is looked up component by component, nested objects first, and at
// each level also as a key that joins the remaining components with dots,
// so {"process":{"parent.name":"x"}} and {"process.parent.name":"x"} both
// hold process.parent.name. Where the path runs through an array of
// objects, the value is the array of what each element holds.
// Ruleset.Match and Record.Reset walk a Map once against the paths the
// rules read, nested and dotted keys alike, rather than looking each path
// up.
type Map map[string]any

// Lookup returns the value at p.
func (m Map) Lookup(p *Path) (any, bool) { return lookup(m, p, 0) }

// lookup resolves p.Parts()[i:] in m.
func lookup(m map[string]any, p *Path, i int) (any, bool) {
	n := len(p.Parts())
	for j := i + 1; j <= n; j++ {
		v, ok := m[p.Joined(i, j)]
		if !ok {
			continue
		}
		if j == n {
			return v, true
		}
		switch x := v.(type) {
		case map[string]any:
			if v, ok := lookup(x, p, j); ok {
				return v, true
			}
		case Map:
			if v, ok := lookup(x, p, j); ok {
				return v, true
			}
		case []any:
			if v, ok := lookupArray(x, p, j); ok {
				return v, true
			}
		}
	}
	return nil, false
}

// lookupArray resolves p.Parts()[i:] in each object of an array and returns
// the values found, arrays among them flattened.
func lookupArray(a []any, p *Path, i int) (any, bool) {
	var out []any
	found := false
	for _, e := range a {
		o, ok := e.(map[string]any)
		if !ok {
			continue
		}
		v, ok := lookup(o, p, i)
		if !ok {
			continue
		}
		found = true
		if vs, ok := v.([]any); ok {
			out = append(out, vs...)
		} else {
			out = append(out, v)
		}
	}
	return out, found
}

// Doc is an Event over a decoded JSON object, prepared for lookups: NewDoc
// notes whether any key, at any depth, contains a dot. When none does, a
// path is looked up as nested objects only, skipping the probes for
// flattened keys that Map makes; the results are the same as Map's.
type Doc struct {
	m      map[string]any
	dotted bool
}

// NewDoc prepares m for lookups. m must not change while the Doc is in use.
func NewDoc(m map[string]any) *Doc {
	return &Doc{m: m, dotted: hasDottedKey(m)}
}

// Map returns the decoded object.
func (d *Doc) Map() map[string]any { return d.m }

// Lookup returns the value at p.
func (d *Doc) Lookup(p *Path) (any, bool) {
	if d.dotted {
		return lookup(d.m, p, 0)
	}
	m := d.m
	last := len(p.Parts()) - 1
	for i, part := range p.Parts() {
		v, ok := m[part]
		if !ok {
			return nil, false
		}
		if i == last {
			return v, true
		}
		switch x := v.(type) {
		case map[string]any:
			m = x
		case []any:
			return lookupArray(x, p, i+1)
		default:
			return nil, false
		}
	}
	return nil, false
}

// hasDottedKey reports whether a key of v or of any object inside it
// contains a dot.
func hasDottedKey(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if strings.IndexByte(k, '.') >= 0 || hasDottedKey(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasDottedKey(e) {
				return true
			}
		}
	}
	return false
}

// MaxEventDepth is the deepest nesting of objects and arrays ParseJSON
// accepts; a deeper event is an error, found before it is decoded.
const MaxEventDepth = 1000

// ParseJSON decodes one JSON object into a Doc. Numbers are kept as
// json.Number, so integers compare exactly. Events nested deeper than
// MaxEventDepth are an error.
func ParseJSON(data []byte) (*Doc, error) {
	if depth(data) > MaxEventDepth {
		return nil, fmt.Errorf("event nested deeper than %d", MaxEventDepth)
	}
	var m map[string]any
	if err := unmarshalNumber(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("event is null, not a JSON object")
	}
	return NewDoc(m), nil
}

// depth returns the deepest nesting of objects and arrays in JSON text,
// strings skipped; it stops counting past MaxEventDepth.
func depth(data []byte) int {
	d, deepest, inStr, esc := 0, 0, false, false
	for _, c := range data {
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			if d++; d > deepest {
				if deepest = d; deepest > MaxEventDepth {
					return deepest
				}
			}
		case c == '}' || c == ']':
			d--
		}
	}
	return deepest
}

// unmarshalNumber is json.Unmarshal with UseNumber.
func unmarshalNumber(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return errors.New("event is a JSON " + ute.Value + ", not an object")
		}
		if err == io.EOF { // the decoder's word for no value at all
			return errors.New("event is empty, not a JSON object")
		}
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	// More is false before a stray '}' or ']' too.
	if rest := bytes.TrimLeft(data[d.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return fmt.Errorf("invalid character %q after the event", rest[0])
	}
	return nil
}
