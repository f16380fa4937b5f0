package stream

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

func TestReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // values, with their line: "3:{...}"; "3:!" is ErrArray at line 3
	}{
		{"ndjson", "{\"a\":1}\n{\"b\":2}\n", []string{`1:{"a":1}`, `2:{"b":2}`}},
		{"pretty", "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}", []string{"1:{\n  \"a\": {\n    \"b\": 1\n  }\n}", "6:{\n  \"c\": 2\n}"}},
		{"concatenated_one_line", `{"a":1}{"b":2} {"c":"}"}`, []string{`1:{"a":1}`, `1:{"b":2}`, `1:{"c":"}"}`}},
		{"escaped_quote_in_string", `{"a":"x\"}"}` + "\n", []string{`1:{"a":"x\"}"}`}},
		{"garbage_line", "not json\n{\"a\":1}\n", []string{"1:not json", `2:{"a":1}`}},
		{"truncated_line_then_object", "{\"a\":\n{\"b\":2}\n", []string{`1:{"a":`, `2:{"b":2}`}},
		{"unterminated_at_eof", `{"a":[1,2`, []string{`1:{"a":[1,2`}},
		{"array", "[1,2]\n", []string{"1:1", "1:2"}},
		{"array_elements", "[\n {\"a\": \"],\\\"\"},\n [1, [2]] ,\n\"x\" , \"a,]\"  \n]", []string{`2:{"a": "],\""}`, "3:[1, [2]]", `4:"x"`, `4:"a,]"`}},
		{"array_empty_and_lenient_commas", "[]\n[ ]\n[1,]\n[,1,,2]", []string{"3:1", "4:1", "4:2"}},
		{"array_elements_at_column_0", "[\n{\"a\":1},\n{\"b\":2}\n]\n{\"c\":3}", []string{`2:{"a":1}`, `3:{"b":2}`, `5:{"c":3}`}},
		{"array_of_arrays", "[[{\"a\":1}],[]]", []string{`1:[{"a":1}]`, "1:[]"}},
		{"array_then_values", "[1] {\"a\":1}]", []string{"1:1", `1:{"a":1}`, "1:]"}},
		{"array_missing_comma", "[{\"a\":1} {\"b\":2}]\n", []string{`1:{"a":1}`, "1:!", `1:{"b":2}`, "1:]"}},
		{"array_missing_close", "[\n{\"a\":1}\n{\"b\":2}\n", []string{`2:{"a":1}`, "1:!", `3:{"b":2}`}},
		{"array_at_eof", "\n[{\"a\":1},", []string{`2:{"a":1}`, "2:!"}},
		{"array_unterminated_element_then_element", "[\n{\"a\":\"x\n{\"b\":1},\n  {\"c\":\n  {\"d\":2}]", []string{`2:{"a":"x`, `3:{"b":1}`, `4:{"c":`, `5:{"d":2}`}},
		{"array_unterminated_element_breaks_it", "[\n{\"a\":{}\n{\"b\":1}]", []string{`2:{"a":{}`, "1:!", `3:{"b":1}`, "3:]"}},
		{"array_indented_element_after_close", "[\n  {\"a\":{}\n  {\"b\":1}]", []string{`2:{"a":{}`, `3:{"b":1}`}},
		{"bom_and_blank_lines", "\xEF\xBB\xBF\n\n{\"a\":1}", []string{`3:{"a":1}`}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in))
			var got []string
			for {
				v, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if v.Err != nil {
					v.Data = []byte("!")
				}
				got = append(got, strconv.Itoa(v.Line)+":"+string(v.Data))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReaderMaxValue(t *testing.T) {
	r := NewReader(strings.NewReader(`{"a":"0123456789"}` + "\n" + `{"b":1}`))
	r.max = 8
	v, err := r.Next()
	if err != nil || !v.Truncated || string(v.Data) != `{"a":"01` {
		t.Fatalf("first value = %q truncated=%v err=%v", v.Data, v.Truncated, err)
	}
	v, err = r.Next()
	if err != nil || v.Truncated || string(v.Data) != `{"b":1}` {
		t.Fatalf("second value = %q truncated=%v err=%v", v.Data, v.Truncated, err)
	}
}

// BenchmarkReader frames NDJSON of Sysmon-like events; bytes/op is the
// input, so MB/s is the framing speed.
func BenchmarkReader(b *testing.B) {
	ev := `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\svchost.exe","CommandLine":"\"C:\\Windows\\System32\\svchost.exe\" -k netsvcs -p","ParentImage":"C:\\Windows\\services.exe","User":"NT AUTHORITY\\SYSTEM","Hashes":"SHA256=ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB","UtcTime":"2026-11-25 01:00:00.000"}` + "\n"
	in := strings.Repeat(ev, 10000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(strings.NewReader(in))
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	}
}
