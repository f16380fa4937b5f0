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
		want []string // values, with their line: "3:{...}"
	}{
		{"ndjson", "{\"a\":1}\n{\"b\":2}\n", []string{`1:{"a":1}`, `2:{"b":2}`}},
		{"pretty", "{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}", []string{"1:{\n  \"a\": {\n    \"b\": 1\n  }\n}", "6:{\n  \"c\": 2\n}"}},
		{"concatenated_one_line", `{"a":1}{"b":2} {"c":"}"}`, []string{`1:{"a":1}`, `1:{"b":2}`, `1:{"c":"}"}`}},
		{"escaped_quote_in_string", `{"a":"x\"}"}` + "\n", []string{`1:{"a":"x\"}"}`}},
		{"garbage_line", "not json\n{\"a\":1}\n", []string{"1:not json", `2:{"a":1}`}},
		{"truncated_line_then_object", "{\"a\":\n{\"b\":2}\n", []string{`1:{"a":`, `2:{"b":2}`}},
		{"unterminated_at_eof", `{"a":[1,2`, []string{`1:{"a":[1,2`}},
		{"array_value", "[1,2]\n", []string{"1:[1,2]"}},
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
