package match

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Event is the runtime view of one event.
//
// Lookup returns the value at a path and whether it is present. Values are
// string, json.Number, float64, the Go integer types, bool, nil, []any,
// []string or map[string]any; a comparison on an array is true when it is
// true for any element. Implementations must be safe for the concurrent
// use the caller makes of them; Ruleset.Match only reads.
type Event interface {
	Lookup(p *Path) (any, bool)
}

// Map is an Event over decoded JSON: nested objects, flattened dotted keys
// ("process.name") or any mix of the two.
//
// A path is looked up component by component, nested objects first, and at
// each level also as a key that joins the remaining components with dots,
// so {"process":{"parent.name":"x"}} and {"process.parent.name":"x"} both
// hold process.parent.name. Where the path runs through an array of
// objects, the value is the array of what each element holds.
type Map map[string]any

// Lookup returns the value at p.
func (m Map) Lookup(p *Path) (any, bool) { return lookup(m, p, 0) }

// lookup resolves p.parts[i:] in m.
func lookup(m map[string]any, p *Path, i int) (any, bool) {
	n := len(p.parts)
	for j := i + 1; j <= n; j++ {
		v, ok := m[p.joins[i][j-i-1]]
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

// lookupArray resolves p.parts[i:] in each object of an array and returns
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

// ParseJSON decodes one JSON object into a Map. Numbers are kept as
// json.Number, so integers compare exactly.
func ParseJSON(data []byte) (Map, error) {
	var m map[string]any
	if err := unmarshalNumber(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("event is null, not a JSON object")
	}
	return Map(m), nil
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
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}
