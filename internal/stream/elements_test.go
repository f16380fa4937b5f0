package stream

import (
	"fmt"
	"testing"
)

// TestElements splits arrays into elements with their lines, and refuses
// what is no well-formed array at its top level.
func TestElements(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string // each element as line:text
	}{
		{`[]`, true, ``},
		{" [ ] ", false, ``}, // a value starts with its "["
		{"[ ]\n", true, ``},
		{`[1]`, true, `1:1 `},
		{"[\n {\"a\": \"],\\\"\"},\n [1, [2]] ,\n\"x\"\n]", true, `2:{"a": "],\""} 3:[1, [2]] 4:"x" `},
		{`[1,]`, false, ``},
		{`[,1]`, false, ``},
		{`[1,,2]`, false, ``},
		{`[1`, false, ``},
		{`[1] x`, false, ``},
		{`[{"a":1}`, false, ``},
		{`{"a":1}`, false, ``},
	}
	for _, tt := range tests {
		els, ok := Elements(nil, []byte(tt.in), 1)
		got := ""
		for _, e := range els {
			got += fmt.Sprintf("%d:%s ", e.Line, tt.in[e.Start:e.End])
		}
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("%q: %v %q, want %v %q", tt.in, ok, got, tt.ok, tt.want)
		}
	}
}
