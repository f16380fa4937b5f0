package normalize_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// FuzzNormalize normalizes random JSON objects, detected and as each
// format: no panic, the format returned is the one detected, everything
// the event held is still there and still what a rule reads at its path,
// normalizing again changes nothing, and the result is still JSON.
func FuzzNormalize(f *testing.F) {
	for _, tt := range mappingTests {
		f.Add([]byte(tt.event))
	}
	for _, tt := range mofcompEvents {
		f.Add([]byte(tt.event))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var orig map[string]any
		if d.Decode(&orig) != nil || orig == nil {
			return
		}
		for _, format := range []normalize.Format{normalize.Auto, normalize.Flat, normalize.WinEvent} {
			m := clone(orig)
			want := format
			if format == normalize.Auto {
				want = normalize.Detect(orig)
			}
			if got := normalize.Normalize(m, format); got != want {
				t.Fatalf("Normalize(%s, %v) = %v, want %v", data, format, got, want)
			}
			if msg := contains(m, orig, ""); msg != "" {
				t.Fatalf("Normalize(%s, %v): %s", data, format, msg)
			}
			for _, p := range leafPaths(orig, "", nil) {
				path := match.NewPath(p)
				before, ok1 := match.Map(orig).Lookup(path)
				after, ok2 := match.Map(m).Lookup(path)
				if ok1 != ok2 || !reflect.DeepEqual(before, after) {
					t.Fatalf("Normalize(%s, %v): %s was %v, is %v", data, format, p, before, after)
				}
			}
			once := clone(m)
			if again := normalize.Normalize(m, format); again != want {
				t.Fatalf("Normalize again (%s, %v) = %v, want %v", data, format, again, want)
			}
			if !reflect.DeepEqual(m, once) {
				t.Fatalf("Normalize(%s, %v) twice differs from once", data, format)
			}
			if _, err := json.Marshal(m); err != nil {
				t.Fatalf("Normalize(%s, %v): %v", data, format, err)
			}
		}
	})
}

// leafPaths returns the dotted paths of the values in m that are not
// objects.
func leafPaths(m map[string]any, prefix string, out []string) []string {
	for k, v := range m {
		if o, ok := v.(map[string]any); ok {
			out = leafPaths(o, prefix+k+".", out)
			continue
		}
		out = append(out, prefix+k)
	}
	return out
}
