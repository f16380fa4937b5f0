package match

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// jsonPaths are the paths the rules of jsonRuleset read: nested and
// overlapping, through arrays, with an empty part, and with keys that
// need escapes or are not ASCII.
var jsonPaths = []string{
	"a", "a.b", "a.b.c", "a.b.d", "x", "y", "n", "t", "f", "s", "arr",
	"obj", "obj.k", "deep.l1.l2.l3", "list.name", "é", "\ufffd", `k"q`,
	"tab\tkey", "", "e..f", "process.name", "process.parent.name",
	"process.pid", "event.category", "u",
}

// jsonOther are paths no rule of jsonRuleset reads.
var jsonOther = []string{"zz", "other", "other.x.y", "list", "a.b.c.d", "a.z", "process.parent"}

// jsonRuleset returns an indexed ruleset whose rules read each of paths
// (a presence test, a gated substring test, a number test, a boolean
// test), with keyword a keyword rule, and the ruleset's paths.
func jsonRuleset(t testing.TB, paths []string, keyword bool) (*Ruleset, []*Path) {
	t.Helper()
	var ps []*Path
	var plans []*plan.Node
	for _, s := range paths {
		p := NewPath(s)
		ps = append(ps, p)
		on := []*Path{p}
		plans = append(plans,
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Exists: true}},
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Strings: []matcher.Matcher{matcher.NewContains("x", true)}}},
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Numbers: nums(1)}},
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: s, Paths: on, Bools: []bool{true}}},
		)
	}
	if keyword {
		plans = append(plans, &plan.Node{Op: ir.OpPred, Test: &plan.Test{Any: true, Strings: []matcher.Matcher{matcher.NewExact("needle", true)}}})
	}
	rules := make([]*ir.Rule, len(plans))
	for i := range rules {
		rules[i] = &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint("r", i)}}
	}
	rs, err := newRuleset(rules, plans)
	if err != nil {
		t.Fatal(err)
	}
	return rs, ps
}

// checkResetJSON reports where r.ResetJSON(data) and Reset(ParseJSON(data))
// differ: the error, the values at paths (each of the ruleset's, and
// paths without a slot), the values Each visits and the rules that match.
// It returns whether ResetJSON read data itself (its fast pass).
func checkResetJSON(t testing.TB, rs *Ruleset, r *Record, paths []*Path, data []byte) (fast bool) {
	t.Helper()
	doc, wantErr := ParseJSON(data)
	err := r.ResetJSON(data)
	if fmt.Sprint(err) != fmt.Sprint(wantErr) {
		t.Fatalf("ResetJSON(%q): error %v, ParseJSON: %v", data, err, wantErr)
	}
	if err != nil {
		for _, p := range paths {
			if v, ok := r.Lookup(p); ok {
				t.Fatalf("ResetJSON(%q) failed, yet %s holds %#v", data, p, v)
			}
		}
		return false
	}
	fast = ScanReadItself(r)
	want := rs.NewRecord()
	want.Reset(opaque{doc}) // every path looked up
	m := rs.NewRecord()
	m.Reset(Map(doc.Map())) // walked, as doc is
	if !m.walked && !strings.Contains(string(data), ".") && !strings.Contains(string(data), `\u002`) {
		t.Fatalf("Reset(Map(%q)) did not walk it", data)
	}
	all := slices.Clone(paths)
	for _, s := range jsonOther {
		all = append(all, NewPath(s))
	}
	for _, p := range paths {
		all = append(all, NewPath(p.String())) // the same text, no slot
	}
	for _, p := range all {
		w, wok := want.Lookup(p)
		g, ok := r.Lookup(p)
		if ok != wok || !reflect.DeepEqual(g, w) {
			t.Fatalf("ResetJSON(%q): %q holds %#v, %v; Reset(ParseJSON): %#v, %v", data, p, g, ok, w, wok)
		}
		if g, ok := m.Lookup(p); ok != wok || ok && !reflect.DeepEqual(g, w) {
			t.Fatalf("Reset(Map(%q)): %q holds %#v, %v; looked up: %#v, %v", data, p, g, ok, w, wok)
		}
	}
	if g, w := rs.Match(Map(doc.Map()), nil), rs.Match(opaque{doc}, nil); !slices.Equal(g, w) {
		t.Fatalf("Match(Map(%q)): rules %v match; looked up: %v", data, g, w)
	}
	if g, w := eachValues(r), eachValues(want); !slices.Equal(g, w) {
		t.Fatalf("ResetJSON(%q): Each visits %q; Reset(ParseJSON): %q", data, g, w)
	}
	if g, w := rs.MatchRecord(r, nil), rs.Match(doc, nil); !slices.Equal(g, w) {
		t.Fatalf("ResetJSON(%q): rules %v match; Match(ParseJSON): %v", data, g, w)
	}
	return fast
}

// opaque is an event that Record.Reset cannot walk: it looks every path up.
type opaque struct{ d *Doc }

func (o opaque) Lookup(p *Path) (any, bool)    { return o.d.Lookup(p) }
func (o opaque) Each(fn func(v any) bool) bool { return o.d.Each(fn) }

// members returns n members "k0":0, "k1":1, … of an object.
func members(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d":%d`, i, i)
	}
	return b.String()
}

// eachValues returns the values r.Each visits, as sorted Go syntax.
func eachValues(r *Record) []string {
	var out []string
	r.Each(func(v any) bool {
		out = append(out, fmt.Sprintf("%#v", v))
		return false
	})
	slices.Sort(out)
	return out
}

// deep returns a JSON value of n nested arrays around inner.
func deep(n int, inner string) string {
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// deepObject returns a JSON value of n nested objects around inner, each
// under key k.
func deepObject(n int, k, inner string) string {
	return strings.Repeat(`{"`+k+`":`, n) + inner + strings.Repeat("}", n)
}

// wideObject returns an object of n keys under "zz", and again key rep at
// the end when rep >= 0; the value "needle" is the one the repeated key
// drops.
func wideObject(n, rep int) string {
	var b strings.Builder
	b.WriteString(`{"zz":{`)
	for i := range n {
		v := fmt.Sprint(i)
		if i == rep {
			v = `"needle"`
		}
		fmt.Fprintf(&b, `"k%d":%s,`, i, v)
	}
	if rep >= 0 {
		fmt.Fprintf(&b, `"k%d":null,`, rep)
	}
	b.WriteString(`"end":true}}`)
	return b.String()
}

// resetJSONCases are the inputs of TestResetJSON, and whether ResetJSON
// reads each itself (fast) rather than through ParseJSON.
var resetJSONCases = []struct {
	name, json string
	fast       bool
}{
	{"empty_object", `{}`, true},
	{"nested", `{"a":{"b":{"c":"v1","d":2}},"x":"xyz"}`, true},
	{"every_escape", `{"s":"q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\u20AC\u0000"}`, true},
	{"windows_path", `{"x":"C:\\Windows\\System32\\cmd.exe","y":"\\\\srv\\share\\"}`, true},
	{"surrogate_pair", `{"s":"\ud83d\ude00 \uD834\uDD1E"}`, true},
	{"lone_high", `{"s":"\ud83d"}`, true},
	{"lone_low", `{"s":"\ude00x"}`, true},
	{"high_high", `{"s":"\ud83d\ud83d\ude00"}`, true},
	{"high_then_escape", `{"s":"\ud83d\n"}`, true},
	{"high_then_text", `{"s":"\ud83dxyz"}`, true},
	{"low_then_high", `{"s":"\ude00\ud83d"}`, true},
	{"invalid_utf8", "{\"s\":\"a\xffb\xc3\"}", true},
	{"overlong_utf8", "{\"s\":\"\xc0\xaf\xe0\x80\x80\"}", true},
	{"utf8_surrogate", "{\"s\":\"\xed\xa0\x80\"}", true},
	{"valid_utf8", `{"s":"héllo wörld €𝄞"}`, true},
	{"escape_and_invalid_utf8", "{\"s\":\"\\n\xff\\u00e9\xfe\"}", true},
	{"long_invalid_utf8", "{\"s\":\"" + strings.Repeat("\xff", 100) + "\"}", true},
	{"long_strings", `{"x":"` + strings.Repeat("abcdefgh", 20) + `","y":"` + strings.Repeat(`a\"`, 50) + `"}`, true},
	{"del_byte", "{\"s\":\"\x7f\"}", true},
	{"escaped_key", `{"\u0061":{"b":{"c":1}},"\u00e9":"e","k\"q":"quote","tab\tkey":"t"}`, true},
	{"invalid_utf8_key", "{\"\xff\":\"replaced\"}", true},
	{"escaped_skipped_key", `{"z\u007a":1,"\ud800":2,"x":3}`, true},
	{"numbers", `{"n":0,"a":{"b":{"c":-0,"d":1.5}},"x":-1.5e10,"y":1E+2,"u":1e-2,"s":123456789012345678901234567890}`, true},
	{"number_one", `{"n":1,"x":1.0,"y":"1","u":1e0}`, true},
	{"literals", `{"t":true,"f":false,"x":null,"n":null}`, true},
	{"array_of_scalars", `{"arr":[1,"two",true,false,null,[3,[]],{},"x"]}`, true},
	{"array_of_strings", `{"event":{"category":["process","x"]},"arr":["C:\\x","\u00e9"]}`, true},
	{"empty_array", `{"arr":[]}`, true},
	{"object_at_slot", `{"obj":{"k":"v","z":[1,{"q":null}],"w":{}},"a":{"b":{}}}`, true},
	{"object_at_slot_dotted", `{"obj":{"z.y":1}}`, true},
	{"object_in_array_at_slot", `{"arr":[{"a.b":1,"a":2,"a":3}]}`, true},
	{"empty_object_at_slot", `{"obj":{}}`, true},
	{"scalar_on_the_way", `{"a":"flat","process":7,"deep":{"l1":"q"}}`, true},
	{"null_on_the_way", `{"a":null,"process":{"parent":null}}`, true},
	{"empty_part", `{"e":{"":{"f":"x"}},"":"empty"}`, true},
	{"deep_path", `{"deep":{"l1":{"l2":{"l3":"x"}}}}`, true},
	{"array_of_objects", `{"list":[{"name":"a"},{"name":"b"},"junk",[{"name":"c"}]]}`, false},
	{"array_on_path", `{"a":[{"b":1},{"b":{"c":"x"}}],"x":"x"}`, false},
	{"empty_array_on_path", `{"a":[]}`, false},
	{"array_not_on_path", `{"zz":[{"name":"a"}],"x":"x"}`, true},
	{"dotted_key", `{"a.b":1}`, true},
	{"dotted_inner_key", `{"a":{"b.c":1}}`, true},
	{"dotted_escaped_key", `{"a\u002eb":1}`, true},
	{"dotted_other_key", `{"a":{"z.z":1},"x":"x"}`, true},
	{"dotted_skipped_key", `{"other":{"x.y":1},"x":"x"}`, true},
	{"mixed_dotted", `{"process":{"parent.name":"x","name":"p"}}`, true},
	{"dotted_all", `{"process.name":"p","process.parent.name":"q","a.b.c":"v","a.b.d":2,"e..f":3}`, true},
	{"dotted_object", `{"a.b":{"c":"v","d":[1]},"process.parent":{"name":"q"}}`, true},
	{"dotted_beside_nested", `{"a":{"x":1},"a.b":2,"a.b.c":3}`, true},
	{"dotted_split_twice", `{"a":{"b.c":"v"},"a.b":{"d":1}}`, true},
	{"dotted_then_nested", `{"a.b":1,"a":{"b":2}}`, false},
	{"nested_then_dotted", `{"a":{"b":{"c":1}},"a.b.c":2}`, false},
	{"dotted_twice", `{"a.b.c":1,"a.b":{"c":2}}`, false},
	{"dotted_prefix_scalar", `{"a":5,"a.b":1}`, true},
	{"dotted_empty_parts", `{".a":1,"a.":2,"..":3,"e..f":4}`, true},
	{"dotted_unknown", `{"a.z.q":1,"zz.top":2,"process.nope":3}`, true},
	{"duplicate_key", `{"x":1,"x":"two"}`, true},
	{"duplicate_parent", `{"a":{"b":1},"a":{"d":2}}`, true},
	{"duplicate_key_between", `{"x":1,"s":"s","x":"two","s":"t","x":3}`, true},
	{"duplicate_parent_deep", `{"a":{"b":{"c":"v1","d":2},"x":1},"x":"x","a":{"b":{"d":3}},"a":{"b":{"c":"v2"},"b":{"d":4}}}`, true},
	{"duplicate_parent_emptied", `{"a":{"b":{"c":1}},"x":"x","a":{},"x":"y"}`, true},
	{"duplicate_parent_scalar", `{"a":{"b":{"c":1}},"a":5,"obj":{"k":1},"obj":"k"}`, true},
	{"duplicate_lazy", `{"obj":{"k":1},"s":"\u00e9","obj":{"k":2},"s":"plain"}`, true},
	{"duplicate_many", `{` + strings.Repeat(`"x":1,"s":"a","a":{"b":{"c":"q"}},`, 200) + `"x":2}`, true},
	{"duplicate_dotted_then_nested", `{"a.b":1,"a":{"x":1},"a":{"b":2}}`, false},
	{"duplicate_nested_then_dotted", `{"a":{"b":{"c":1}},"a":{"x":1},"a.b.c":2}`, false},
	{"duplicate_dotted", `{"a.b":1,"a.b":2}`, false},
	{"duplicate_values_for_each", `{"zz":[1,{"q":"a"}],"zz":2,"yy":{"k":"v","k":null,"k":[3,4]},"xx":null,"zz":{"w":5}}`, true},
	{"duplicate_in_many_keys", `{` + members(40) + `,"k3":"again","k39":{"k3":1,"k3":2},"k0":null}`, true},
	{"duplicate_many_values", `{` + strings.Repeat(`"zz":[1,2,3],"yy":"y",`, 100) + `"zz":0}`, true},
	{"duplicate_skipped", `{"zz":1,"zz":2,"x":"x"}`, true},
	{"duplicate_in_value", `{"obj":{"k":1,"z":2,"z":3}}`, true},
	{"duplicate_in_array_at_slot", `{"arr":[{"z":1,"z":2}]}`, true},
	{"whitespace", " \t\n{ \"a\" : { \"b\" :\r\n{\"c\" : \"v\" , \"d\"\t:\t[ ] } } , \"x\" : [ 1 , { } ] , \"zz\" : [ 1 , { \"q\" : true } ] }\n\r\t ", true},
	{"pretty", "{\n  \"a\": {\n    \"b\": {\n      \"c\": \"v\"\n    }\n  },\n  \"arr\": [\n    1,\n    2\n  ]\n}\n", true},
	{"skipped_values", `{"zz":{"q":[1,-2.5e+3,"s\u00e9\"",true,false,null,{"":{}}]},"x":"x"}`, true},
	{"keyword", `{"zz":{"q":["NEEDLE"]}}`, true},
	{"keyword_repeated_out", `{"zz":{"q":{"a":"needle","b":2,"a":1}}}`, true},
	{"keyword_repeated_in", `{"zz":{"q":{"a":1,"b":2,"a":"needle"}}}`, true},
	{"keyword_escaped_key", `{"zz":{"\u0061":"needle","a":1}}`, true},
	{"keyword_invalid_key", "{\"zz\":{\"\xff\":\"needle\",\"\xfe\":1}}", true},
	{"many_keys", wideObject(100, -1), true},
	{"many_keys_repeated", wideObject(100, 37), true},
	{"many_keys_repeated_first", wideObject(100, 0), true},
	{"many_keys_nested", strings.Replace(wideObject(40, 5), `"end":true`, `"in":`+wideObject(40, -1)+`,"x":`+wideObject(40, 3), 1), true},
	{"depth_max", `{"zz":` + deep(MaxEventDepth-1, "1") + `}`, true},
	{"depth_over", `{"zz":` + deep(MaxEventDepth, "1") + `}`, false},
	{"depth_max_at_slot", `{"arr":` + deep(MaxEventDepth-1, `"x"`) + `}`, true},
	{"depth_over_at_slot", `{"arr":` + deep(MaxEventDepth, `"x"`) + `}`, false},
	{"depth_max_objects", deepObject(MaxEventDepth, "a", "1"), true},
	{"depth_over_objects", deepObject(MaxEventDepth+1, "a", "1"), false},
	{"depth_over_invalid", `{"zz":` + deep(MaxEventDepth, "1") + `x}`, false},
	{"depth_in_string", `{"zz":"` + strings.Repeat("[", 2000) + `"}`, true},
	{"not_object_array", `[]`, false},
	{"not_object_string", `"s"`, false},
	{"not_object_number", `1`, false},
	{"not_object_true", `true`, false},
	{"null", `null`, false},
	{"empty", ``, false},
	{"space", "  \n", false},
	{"bom", "\xef\xbb\xbf{}", false},
	{"trailing_garbage", `{"x":1} x`, false},
	{"trailing_value", `{"x":1}{"x":2}`, false},
	{"trailing_close", `{"x":1}]`, false},
	{"trailing_closes", `{"x":1} }]]]`, false},
	{"trailing_space", "{\"x\":1} \n\t\r", true},
	{"truncated_key", `{"a"`, false},
	{"truncated_colon", `{"a":`, false},
	{"truncated_string", `{"a":"b`, false},
	{"truncated_comma", `{"a":1,`, false},
	{"truncated_open", `{`, false},
	{"truncated_escape", `{"s":"\`, false},
	{"truncated_unicode", `{"s":"\u12`, false},
	{"truncated_nested", `{"a":{"b":{"c":1}`, false},
	{"truncated_number", `{"n":-`, false},
	{"truncated_literal", `{"t":tru`, false},
	{"bad_escape", `{"s":"\q"}`, false},
	{"bad_escape_skipped", `{"zz":"\x41"}`, false},
	{"bad_unicode", `{"s":"\u12g4"}`, false},
	{"control_byte", "{\"s\":\"a\tb\"}", false},
	{"control_byte_key", "{\"a\nb\":1}", false},
	{"bad_numbers", `{"n":01}`, false},
	{"bad_number_dot", `{"n":1.}`, false},
	{"bad_number_lead_dot", `{"n":.5}`, false},
	{"bad_number_plus", `{"n":+1}`, false},
	{"bad_number_exp", `{"n":1e}`, false},
	{"bad_number_exp_sign", `{"zz":1e+}`, false},
	{"bad_number_hex", `{"n":0x10}`, false},
	{"bad_number_nan", `{"n":NaN}`, false},
	{"bad_literal", `{"t":True}`, false},
	{"bad_literal_skipped", `{"zz":nul}`, false},
	{"missing_colon", `{"a" 1}`, false},
	{"missing_comma", `{"a":1 "x":2}`, false},
	{"trailing_comma", `{"a":1,}`, false},
	{"trailing_comma_array", `{"arr":[1,]}`, false},
	{"trailing_comma_skipped", `{"zz":[1,]}`, false},
	{"single_quotes", `{'a':1}`, false},
	{"bare_key", `{a:1}`, false},
	{"comment", `{"a":1 /* c */}`, false},
}

// TestResetJSON compares ResetJSON with Reset(ParseJSON) on every case,
// with a fresh record and with one record reused for all of them.
func TestResetJSON(t *testing.T) {
	rs, paths := jsonRuleset(t, jsonPaths, true)
	reused := rs.NewRecord()
	for _, tt := range resetJSONCases {
		t.Run(tt.name, func(t *testing.T) {
			if fast := checkResetJSON(t, rs, rs.NewRecord(), paths, []byte(tt.json)); fast != tt.fast {
				t.Errorf("ResetJSON(%q) read it itself: %v, want %v", tt.json, fast, tt.fast)
			}
			checkResetJSON(t, rs, reused, paths, []byte(tt.json))
		})
	}
}

// TestResetJSONNoSlots checks ResetJSON for a ruleset without slots (not
// indexed): it only validates, and lookups decode the event.
func TestResetJSONNoSlots(t *testing.T) {
	p := NewPath("a.b")
	plans := []*plan.Node{{Op: ir.OpPred, Test: &plan.Test{Name: "a.b", Paths: []*Path{p}, Strings: []matcher.Matcher{matcher.NewContains("x", false)}}}}
	rs, err := newRuleset([]*ir.Rule{{Meta: ir.Meta{ID: "r"}}}, plans, withIndex(false))
	if err != nil {
		t.Fatal(err)
	}
	r := rs.NewRecord()
	for _, tt := range resetJSONCases {
		checkResetJSON(t, rs, r, []*Path{p}, []byte(tt.json))
	}
}

// TestResetJSONValues checks the values of a few events exactly, and that
// an event's values survive the buffers growing within it.
func TestResetJSONValues(t *testing.T) {
	rs, paths := jsonRuleset(t, jsonPaths, true)
	r := rs.NewRecord()
	get := func(s string) any {
		for _, p := range paths {
			if p.String() == s {
				v, _ := r.Lookup(p)
				return v
			}
		}
		t.Fatalf("no path %q", s)
		return nil
	}
	if err := r.ResetJSON([]byte(`{"x":"a\"b","n":12.50,"arr":["c",{"d":1},[]],"t":true}`)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want any
	}{
		{"x", `a"b`},
		{"n", json.Number("12.50")},
		{"arr", []any{"c", map[string]any{"d": json.Number("1")}, []any{}}},
		{"t", true},
		{"y", nil},
	} {
		if got := get(c.path); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.path, got, c.want)
		}
	}
	// One event with more escaped text and array elements than the
	// buffers the last one left: values made before each buffer grew
	// must keep their text.
	var b strings.Builder
	b.WriteString(`{"arr":[`)
	var want []any
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"v\u00e9%d\n"`, i)
		want = append(want, fmt.Sprintf("vé%d\n", i))
	}
	b.WriteString(`],"x":"` + strings.Repeat(`\t`, 5000) + `"}`)
	if err := r.ResetJSON([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	if got := get("arr"); !reflect.DeepEqual(got, want) {
		t.Errorf("arr = %#v, want %#v", got, want)
	}
	if got := get("x"); got != strings.Repeat("\t", 5000) {
		t.Errorf("x = %q", got)
	}
	if got := get("n"); got != nil {
		t.Errorf("n = %#v after the next event, want nil", got)
	}
	// Reset and ResetJSON take turns on the record.
	doc, err := ParseJSON([]byte(`{"x":"from Reset"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Reset(doc)
	if got := get("x"); got != "from Reset" {
		t.Errorf("x = %#v after Reset, want %q", got, "from Reset")
	}
	if err := r.ResetJSON([]byte(`{"n":7}`)); err != nil {
		t.Fatal(err)
	}
	if got, x := get("n"), get("x"); got != json.Number("7") || x != nil {
		t.Errorf("n, x = %#v, %#v after ResetJSON, want 7, nil", got, x)
	}
	if err := r.ResetJSON([]byte(`{"n":7`)); err == nil || get("n") != nil {
		t.Errorf("ResetJSON of a truncated event: error %v, n = %#v, want an error and nil", err, get("n"))
	}
}

// For scan_ext_test.go.
var (
	ScanSysmonEvent = sysmonEvent
	ScanECSEvent    = ecsEvent
	// ScanReadItself reports whether r's last ResetJSON read the event
	// itself, not through ParseJSON, and nothing has decoded it since.
	ScanReadItself = func(r *Record) bool {
		s, ok := r.ev.(*scanner)
		return ok && s.data != nil && s.doc == nil
	}
)

// sysmonEvent is a typical Sysmon process creation, one NDJSON line.
const sysmonEvent = `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws-17.corp.example.com","UtcTime":"2026-11-25 01:00:00.000","ProcessGuid":"{5AA13A44-0D08-68FC-DC1D-000000004002}","ProcessId":7760,"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","FileVersion":"10.0.19041.1","Description":"MOF compiler","Product":"Microsoft Windows Operating System","Company":"Microsoft Corporation","OriginalFileName":"mofcomp.exe","CommandLine":"mofcomp.exe C:\\Users\\Public\\evil.mof","CurrentDirectory":"C:\\Users\\Public\\","User":"CORP\\user17","LogonId":"0x3e7","IntegrityLevel":"High","Hashes":"SHA256=ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB","ParentImage":"C:\\Windows\\System32\\cmd.exe","ParentCommandLine":"cmd.exe /c mofcomp","ParentUser":"CORP\\user17"}`

// ecsEvent is a typical ECS process start, one NDJSON line.
const ecsEvent = `{"@timestamp":"2026-11-25T00:00:00.009Z","event":{"category":["process"],"type":["start"],"kind":"event"},"host":{"os":{"type":"windows","family":"windows"},"name":"ws-17"},"process":{"pid":4242,"name":"mofcomp.exe","executable":"C:\\Windows\\System32\\wbem\\mofcomp.exe","command_line":"C:\\Windows\\System32\\wbem\\mofcomp.exe C:\\Users\\Public\\evil.mof","args":["C:\\Windows\\System32\\wbem\\mofcomp.exe","C:\\Users\\Public\\evil.mof"],"pe":{"original_file_name":"mofcomp.exe"},"parent":{"name":"cmd.exe","executable":"C:\\Windows\\cmd.exe","pid":777}},"user":{"name":"user17","id":"S-1-5-21-1-2-3-1001"}}`

// sysmonPaths and ecsPaths are fields that rules over such events read.
var (
	sysmonPaths = []string{"EventID", "Channel", "Image", "OriginalFileName", "CommandLine", "ParentImage", "ParentCommandLine", "User", "IntegrityLevel", "Hashes", "CurrentDirectory", "Product", "Company", "Description", "TargetFilename", "Event.EventData.Image", "Event.System.EventID"}
	ecsPaths    = []string{"event.category", "event.type", "host.os.type", "process.name", "process.executable", "process.command_line", "process.args", "process.pe.original_file_name", "process.parent.name", "process.parent.executable", "process.pid", "user.name", "file.path", "dll.name"}
)

// TestResetJSONAllocs checks that ResetJSON, and Each and MatchRecord
// after it (with a keyword rule, which visits every value), allocate
// nothing for events whose slots hold strings (escaped or not), numbers,
// booleans and arrays of them, once the buffers have grown, and do not
// decode the event.
func TestResetJSONAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items at random")
	}
	for _, c := range []struct {
		name  string
		paths []string
		event string
	}{
		{"sysmon", sysmonPaths, sysmonEvent},
		{"ecs", ecsPaths, ecsEvent},
	} {
		rs, paths := jsonRuleset(t, c.paths, true)
		r := rs.NewRecord()
		data := []byte(c.event)
		if fast := checkResetJSON(t, rs, r, paths, data); !fast {
			t.Fatalf("%s: ResetJSON did not read the event itself", c.name)
		}
		r.ResetJSON(data)
		if rs.MatchRecord(r, nil); !ScanReadItself(r) {
			t.Errorf("%s: MatchRecord decoded the event", c.name)
		}
		if n := testing.AllocsPerRun(100, func() {
			if err := r.ResetJSON(data); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("%s: ResetJSON allocates %v times per event", c.name, n)
		}
		if n := testing.AllocsPerRun(100, func() {
			r.ResetJSON(data)
			r.Each(func(any) bool { return false })
		}); n != 0 {
			t.Errorf("%s: ResetJSON and Each allocate %v times per event", c.name, n)
		}
		// MatchRecord may allocate itself: no more than on a Reset record.
		var hits []int
		base := rs.NewRecord()
		doc, _ := ParseJSON(data)
		base.Reset(doc)
		want := testing.AllocsPerRun(100, func() { hits = rs.MatchRecord(base, hits[:0]) })
		if n := testing.AllocsPerRun(100, func() {
			r.ResetJSON(data)
			hits = rs.MatchRecord(r, hits[:0])
		}); n > want {
			t.Errorf("%s: ResetJSON and MatchRecord allocate %v times per event, MatchRecord alone %v", c.name, n, want)
		}
	}
}

// BenchmarkResetJSON fills a record from a Sysmon and an ECS event with
// ResetJSON, against the baseline ParseJSON and Reset.
func BenchmarkResetJSON(b *testing.B) {
	for _, c := range []struct {
		name  string
		paths []string
		event string
	}{
		{"sysmon", sysmonPaths, sysmonEvent},
		{"ecs", ecsPaths, ecsEvent},
	} {
		rs, _ := jsonRuleset(b, c.paths, false)
		data := []byte(c.event)
		b.Run(c.name+"/ResetJSON", func(b *testing.B) {
			r := rs.NewRecord()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := r.ResetJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/ParseJSON+Reset", func(b *testing.B) {
			r := rs.NewRecord()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				d, err := ParseJSON(data)
				if err != nil {
					b.Fatal(err)
				}
				r.Reset(d)
			}
		})
	}
}
