package plan

import (
	"encoding/json"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

func TestBounds(t *testing.T) {
	p := NewPath("f")
	tests := []struct {
		name string
		b    Bound
		v    any
		want bool
	}{
		{"lt_number", Bound{Cmp: ir.CmpLT, Num: ir.Float(5)}, 4.0, true},
		{"lt_equal_false", Bound{Cmp: ir.CmpLT, Num: ir.Float(5)}, 5.0, false},
		{"le_equal_true", Bound{Cmp: ir.CmpLE, Num: ir.Float(5)}, json.Number("5"), true},
		{"gt_numeric_string", Bound{Cmp: ir.CmpGT, Num: ir.Float(5)}, "6", true},
		{"gt_non_numeric_string", Bound{Cmp: ir.CmpGT, Num: ir.Float(5)}, "six", false},
		{"ge_int", Bound{Cmp: ir.CmpGE, Num: ir.Float(5)}, 5, true},
		{"text_lt", Bound{Cmp: ir.CmpLT, Text: "m", IsText: true}, "apple", true},
		{"text_lt_upper_sorts_first", Bound{Cmp: ir.CmpLT, Text: "a", IsText: true}, "Z", true},
		{"text_vs_number_false", Bound{Cmp: ir.CmpLT, Text: "m", IsText: true}, 3.0, false},
		{"array_any", Bound{Cmp: ir.CmpGT, Num: ir.Float(5)}, []any{1.0, 9.0}, true},
	}
	for _, tt := range tests {
		test := Test{Paths: []*Path{p}, Bounds: []Bound{tt.b}}
		if got := test.Eval(fields{"f": tt.v}); got != tt.want {
			t.Errorf("%s: %s on %v = %v, want %v", tt.name, &tt.b, tt.v, got, tt.want)
		}
	}
}

// fields is an Event of top-level fields, looked up by their dotted path.
type fields map[string]any

// Lookup returns the value at p.
func (f fields) Lookup(p *Path) (any, bool) {
	v, ok := f[p.String()]
	return v, ok
}
