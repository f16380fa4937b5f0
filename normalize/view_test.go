package normalize

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// viewPaths are paths Normalize writes, and some that cross them.
var viewPaths = []string{
	"process.name", "process.parent.args", "process.parent.args_count", "host.os.type", "host.name",
	"event.category", "registry.data.strings", "winlog.process.thread.id", "@timestamp", "a", "a.b", "a.b.c",
}

func TestView(t *testing.T) {
	for _, tt := range []struct {
		event, path, want string
	}{
		{`{}`, "a.b.c", `{"a":{"b":{"c":1}}}`},
		{`{"a": {"x": 2}}`, "a.b.c", `{"a":{"b":{"c":1},"x":2}}`},
		{`{"a": {"b": {"c": 2}}}`, "a.b.c", `{"a":{"b":{"c":2}}}`},
		{`{"a": {"b": null}}`, "a.b.c", `{"a":{"b":null}}`},
		{`{"a": [{"b": 2}]}`, "a.b.c", `{"a":[{"b":2}]}`},
		{`{"a": "x"}`, "a.b.c", `{"a":"x"}`},
		{`{"a.b": {"x": 2}}`, "a.b.c", `{"a.b":{"c":1,"x":2}}`},
		{`{"a.b": 2}`, "a.b.c", `{"a.b":2}`},
		{`{"a.b.c": 2}`, "a.b.c", `{"a.b.c":2}`},
		{`{"a": {"b.c": 2}}`, "a.b.c", `{"a":{"b.c":2}}`},
		{`{"a": {"x": 2}, "a.b": 3}`, "a.b.c", `{"a":{"x":2},"a.b":3}`},
		{`{"a.x": 2}`, "a.b.c", `{"a":{"b":{"c":1}},"a.x":2}`},
	} {
		var m map[string]any
		if err := json.Unmarshal([]byte(tt.event), &m); err != nil {
			t.Fatal(err)
		}
		newMapView(m).set(tt.path, 1)
		if got, _ := json.Marshal(m); string(got) != tt.want {
			t.Errorf("set(%s, %s) = %s, want %s", tt.event, tt.path, got, tt.want)
		}
	}
}

// FuzzView checks that, in events without dotted keys, the nested walk
// adds exactly what the general path lookup adds.
func FuzzView(f *testing.F) {
	f.Add([]byte(`{"process": {"parent": "x"}, "host": {"os": {}}}`), "process.parent.pid")
	f.Add([]byte(`{"a": [1], "event": null}`), "a.b")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		var m1, m2 map[string]any
		if json.Unmarshal(data, &m1) != nil || m1 == nil || hasDottedKey(m1) {
			return
		}
		d := json.NewDecoder(bytes.NewReader(data))
		if d.Decode(&m2) != nil {
			return
		}
		paths := viewPaths
		if path != "" && !strings.HasPrefix(path, ".") && !strings.HasSuffix(path, ".") && !strings.Contains(path, "..") {
			paths = append(paths[:len(paths):len(paths)], path)
		}
		fast, general := mapView{m: m1}, mapView{m: m2, dotted: true}
		for i, p := range paths {
			fast.set(p, i)
			general.set(p, i)
		}
		if !reflect.DeepEqual(m1, m2) {
			t.Fatalf("%s with %q: nested walk %v, lookup %v", data, paths, m1, m2)
		}
	})
}

// TestArenaLower checks that an arena lower-cases as strings.ToLower does
// and that the texts it gave keep their value while it grows.
func TestArenaLower(t *testing.T) {
	var a arena
	var got, want []string
	inputs := []string{"", "abc", "ABC", "0123ABCDEF", "MiXeD-Case_9", "ÀB", "İSTANBUL", "a\x80B", strings.Repeat("AB", minArena)}
	for c := range 256 { // every byte, at every place of a word and past it
		for k := range 10 {
			inputs = append(inputs, strings.Repeat("Q", k)+string(rune(c))+"Zz@[`{", strings.Repeat("m", k)+string([]byte{byte(c)}))
		}
	}
	for round := range 3 {
		for _, s := range inputs {
			s += strings.Repeat("Z", round*100)
			got, want = append(got, a.lower(s)), append(want, strings.ToLower(s))
		}
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("lower #%d = %q, want %q", i, got[i], want[i])
		}
	}
	a.reset()
	if s := a.lower("XY"); s != "xy" || len(a.buf) != 2 {
		t.Errorf("after reset: lower(XY) = %q with %d bytes held, want \"xy\" with 2", s, len(a.buf))
	}
}
