package match

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

func TestMapLookup(t *testing.T) {
	ev := Map{
		"process": map[string]any{
			"name":        "mofcomp.exe",
			"parent.name": "cmd.exe",
			"args":        []any{"mofcomp.exe", "a.mof"},
		},
		"user.id": "S-1-5-18",
		"host":    map[string]any{"os.type": "windows"},
		"dll":     []any{map[string]any{"name": "a.dll"}, map[string]any{"name": []any{"b.dll", "c.dll"}}, "junk"},
		"event":   map[string]any{"category": nil},
		"a.b":     map[string]any{"c": "dotted-then-nested"},
	}
	tests := []struct {
		path   string
		want   any
		wantOK bool
	}{
		{"process.name", "mofcomp.exe", true},
		{"process.parent.name", "cmd.exe", true},
		{"process.args", []any{"mofcomp.exe", "a.mof"}, true},
		{"user.id", "S-1-5-18", true},
		{"host.os.type", "windows", true},
		{"a.b.c", "dotted-then-nested", true},
		{"dll.name", []any{"a.dll", "b.dll", "c.dll"}, true},
		{"event.category", nil, true},
		{"process.missing", nil, false},
		{"process.name.deeper", nil, false},
		{"nothing", nil, false},
	}
	for _, tt := range tests {
		got, ok := ev.Lookup(NewPath(tt.path))
		if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lookup(%s) = %#v, %v; want %#v, %v", tt.path, got, ok, tt.want, tt.wantOK)
		}
		// A Doc over the same object gives the same answers.
		got, ok = NewDoc(ev).Lookup(NewPath(tt.path))
		if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Doc.Lookup(%s) = %#v, %v; want %#v, %v", tt.path, got, ok, tt.want, tt.wantOK)
		}
	}
	// Without dotted keys, a Doc takes the nested-only path.
	nested := map[string]any{"process": map[string]any{"name": "a", "parent": map[string]any{"name": "b"}}, "dll": []any{map[string]any{"name": "x.dll"}}}
	d := NewDoc(nested)
	if d.dotted {
		t.Fatal("no key has a dot, but the Doc says one does")
	}
	for path, want := range map[string]any{"process.name": "a", "process.parent.name": "b", "dll.name": []any{"x.dll"}, "process.parent": nested["process"].(map[string]any)["parent"]} {
		if got, ok := d.Lookup(NewPath(path)); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("Doc.Lookup(%s) = %v, %v; want %v", path, got, ok, want)
		}
	}
	for _, path := range []string{"process.name.x", "nope", "process.nope", "dll.nope"} {
		if got, ok := d.Lookup(NewPath(path)); ok {
			t.Errorf("Doc.Lookup(%s) = %v, want absent", path, got)
		}
	}
}

func TestParseJSON(t *testing.T) {
	good := []string{`{"a":1}`, ` {"a":{"b":[1,"x",null]}} `, `{}`, `{"a":"[[[[{{{{"}`,
		strings.Repeat(`{"a":`, 999) + "1" + strings.Repeat("}", 999)}
	for _, s := range good {
		if _, err := ParseJSON([]byte(s)); err != nil {
			t.Errorf("ParseJSON(%s): %v", s, err)
		}
	}
	bad := map[string]string{
		`[1,2]`:      "event is a JSON array, not an object",
		`"x"`:        "event is a JSON string, not an object",
		`null`:       "event is null, not a JSON object",
		``:           "event is empty, not a JSON object",
		" \n\t":      "event is empty, not a JSON object",
		`{"a":1} {}`: "more than one JSON value",
		`{"a":1}} `:  `invalid character '}' after the event`,
		`{"a":1}]`:   `invalid character ']' after the event`,
		`{"a":`:      "unexpected EOF",
	}
	for in, want := range bad {
		_, err := ParseJSON([]byte(in))
		if err == nil || err.Error() != want {
			t.Errorf("ParseJSON(%s) error = %v, want %q", in, err, want)
		}
	}
}

func TestTestValues(t *testing.T) {
	p := NewPath("f")
	tests := []struct {
		name string
		test plan.Test
		ev   Map
		want bool
	}{
		{"missing_field_false", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewPrefix("", true)}}, Map{}, false},
		{"null_field_false", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewPrefix("", true)}}, Map{"f": nil}, false},
		{"array_any_element", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewExact("b", false)}}, Map{"f": []any{"a", "b"}}, true},
		{"array_no_element", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewExact("c", false)}}, Map{"f": []any{"a", "b"}}, false},
		{"nested_array", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewExact("c", false)}}, Map{"f": []any{"a", []any{"c"}}}, true},
		{"string_slice", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewExact("c", false)}}, Map{"f": []string{"a", "c"}}, true},
		{"number_equal", plan.Test{Paths: []*Path{p}, Numbers: nums(1)}, Map{"f": 1.0}, true},
		{"json_number_equal", plan.Test{Paths: []*Path{p}, Numbers: nums(4688)}, Map{"f": jsonNumber("4688")}, true},
		{"numeric_string_equal", plan.Test{Paths: []*Path{p}, Numbers: nums(1)}, Map{"f": "1"}, true},
		{"non_numeric_string", plan.Test{Paths: []*Path{p}, Numbers: nums(1)}, Map{"f": "1x"}, false},
		{"int_equal", plan.Test{Paths: []*Path{p}, Numbers: nums(7)}, Map{"f": 7}, true},
		{"number_text_vs_string_matcher", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewExact("7", false)}}, Map{"f": jsonNumber("7")}, true},
		{"bool_equal", plan.Test{Paths: []*Path{p}, Bools: []bool{true}}, Map{"f": true}, true},
		{"bool_not_equal", plan.Test{Paths: []*Path{p}, Bools: []bool{true}}, Map{"f": false}, false},
		{"bool_text", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewExact("TRUE", true)}}, Map{"f": true}, true},
		{"string_not_bool", plan.Test{Paths: []*Path{p}, Bools: []bool{true}}, Map{"f": "true"}, false},
		{"object_never_matches", plan.Test{Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewPrefix("", true)}}, Map{"f": map[string]any{}}, false},
		{"exists_present", plan.Test{Paths: []*Path{p}, Exists: true}, Map{"f": ""}, true},
		{"exists_null", plan.Test{Paths: []*Path{p}, Exists: true}, Map{"f": nil}, false},
		{"exists_empty_array", plan.Test{Paths: []*Path{p}, Exists: true}, Map{"f": []any{}}, false},
		{"exists_missing", plan.Test{Paths: []*Path{p}, Exists: true}, Map{}, false},
		{"any_value_nested", plan.Test{Any: true, Strings: []matcher.Matcher{matcher.NewContains("evil", true)}}, Map{"a": map[string]any{"b": []any{"x", "EVIL.exe"}}}, true},
		{"any_value_not_keys", plan.Test{Any: true, Strings: []matcher.Matcher{matcher.NewContains("evil", true)}}, Map{"evil": "x"}, false},
		{"any_value_number", plan.Test{Any: true, Numbers: nums(4688)}, Map{"e": map[string]any{"id": 4688}}, true},
		{"any_value_doc", plan.Test{Any: true, Strings: []matcher.Matcher{matcher.NewExact("x", false)}}, Map{"k": NewDoc(map[string]any{"y": "x"}).Map()}, true},
		{"second_path_used", plan.Test{Paths: []*Path{NewPath("g"), p}, Strings: []matcher.Matcher{matcher.NewExact("x", false)}}, Map{"f": "x"}, true},
		{"first_present_path_wins", plan.Test{Paths: []*Path{NewPath("g"), p}, Strings: []matcher.Matcher{matcher.NewExact("x", false)}}, Map{"g": "y", "f": "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.test.Eval(tt.ev); got != tt.want {
				t.Errorf("Eval = %v, want %v", got, tt.want)
			}
		})
	}
}

func jsonNumber(s string) any {
	m, err := ParseJSON([]byte(`{"n":` + s + `}`))
	if err != nil {
		panic(err)
	}
	return m.Map()["n"]
}

// nums returns fs as rule numbers (floats; they compare exactly with
// integers, so 1 here equals an event's integer 1).
func nums(fs ...float64) []ir.Number {
	ns := make([]ir.Number, len(fs))
	for i, f := range fs {
		ns[i] = ir.Float(f)
	}
	return ns
}
