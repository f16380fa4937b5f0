package plan

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestClassify checks what each value an event may hold classifies as,
// and the text a string matcher compares for it: AppendText and String
// agree, and a number's text is its decimal (strconv 'f' format, as
// ir.Number.Text), never an exponent.
func TestClassify(t *testing.T) {
	tests := []struct {
		v    any
		kind ValueKind
		text string
	}{
		{"cmd.exe", StringKind, "cmd.exe"},
		{"", StringKind, ""},
		{json.Number("1e21"), NumberText, "1e21"},
		{json.Number("4688"), NumberText, "4688"},
		{true, BoolKind, "true"},
		{false, BoolKind, "false"},
		{4688, NumberKind, "4688"},
		{int8(-2), NumberKind, "-2"},
		{int16(300), NumberKind, "300"},
		{int32(-7), NumberKind, "-7"},
		{int64(1<<53 + 1), NumberKind, "9007199254740993"},
		{uint8(255), NumberKind, "255"},
		{uint16(65535), NumberKind, "65535"},
		{uint32(4294967295), NumberKind, "4294967295"},
		{uint64(1 << 63), NumberKind, "9223372036854775808"},
		{1.5, NumberKind, "1.5"},
		{1e21, NumberKind, "1000000000000000000000"},
		{float32(1.5), NumberKind, "1.5"},
		{math.Inf(1), NumberKind, "+Inf"},
		{[]any{"a", 1.0}, ListKind, ""},
		{[]string{"a"}, ListKind, ""},
		{nil, NotScalar, ""},
		{map[string]any{"a": "b"}, NotScalar, ""},
		{struct{}{}, NotScalar, ""},
	}
	for _, tt := range tests {
		c := Classify(tt.v)
		if c.Kind != tt.kind {
			t.Errorf("Classify(%#v).Kind = %d, want %d", tt.v, c.Kind, tt.kind)
		}
		if got := c.String(); got != tt.text {
			t.Errorf("Classify(%#v).String() = %q, want %q", tt.v, got, tt.text)
		}
		if got := string(c.AppendText([]byte("x"))); got != "x"+tt.text {
			t.Errorf("Classify(%#v).AppendText = %q, want %q", tt.v, got, "x"+tt.text)
		}
		if c.Kind == NumberKind {
			if n, _ := ir.NumberOf(tt.v); c.Num != n || c.Num.Text() != tt.text {
				t.Errorf("Classify(%#v).Num = %v, want %v with text %q", tt.v, c.Num, n, tt.text)
			}
		}
	}
}

// TestValueGoIntegers checks that every Go integer type compares as a
// number and through its text, as the rule index probes it (Classify).
func TestValueGoIntegers(t *testing.T) {
	p := NewPath("f")
	num := Test{Paths: []*Path{p}, Numbers: []ir.Number{ir.Int(7)}}
	for _, v := range []any{int(7), int8(7), int16(7), int32(7), int64(7), uint8(7), uint16(7), uint32(7), uint64(7), float32(7), 7.0} {
		if !num.Eval(fields{"f": v}) {
			t.Errorf("number 7 on %T(7) = false, want true", v)
		}
	}
}
