package plan

import (
	"encoding/json"
	"strconv"

	"github.com/ruleforge/ruleforge/ir"
)

// ValueKind is what an event value is to a comparison.
type ValueKind uint8

// The kinds of event values. The zero value is a value no test compares.
const (
	NotScalar  ValueKind = iota // null, an object, or a type events do not hold
	StringKind                  // a string (Value.Text)
	NumberText                  // a JSON number by its text (Value.Text): json.Number, or what a Record holds
	NumberKind                  // a Go number (Value.Num): the integer types, float32, float64
	BoolKind                    // a boolean (Value.Bool)
	ListKind                    // an array (Value.List or Value.Strings): each element is a value
)

// Value is an event value classified by Classify, the one place that
// decides what a value is: the tests (Test.value), the rule index's
// probes (package match) and package normalize read values through it, so
// that the index cannot fire fewer keys than the tests pass.
type Value struct {
	Kind    ValueKind
	Text    string    // StringKind and NumberText
	Num     ir.Number // NumberKind
	Bool    bool      // BoolKind
	List    []any     // ListKind, from []any
	Strings []string  // ListKind, from []string
}

// Classify returns what v is: a string, a JSON number's text, a Go number
// (ir.NumberOf: every integer type, float32 and float64), a boolean, an
// array ([]any or []string), or nothing a test compares.
func Classify(v any) Value {
	switch x := v.(type) {
	case string:
		return Value{Kind: StringKind, Text: x}
	case json.Number:
		return Value{Kind: NumberText, Text: string(x)}
	case bool:
		return Value{Kind: BoolKind, Bool: x}
	case []any:
		return Value{Kind: ListKind, List: x}
	case []string:
		return Value{Kind: ListKind, Strings: x}
	}
	if n, ok := ir.NumberOf(v); ok {
		return Value{Kind: NumberKind, Num: n}
	}
	return Value{}
}

// AppendText appends the text a string matcher compares for the value: a
// string or a JSON number's text as it is, a Go number in decimal as
// ir.Number.Text writes it (4.5, 1000000, never an exponent), a boolean as
// true or false. Arrays and other values append nothing.
func (v *Value) AppendText(dst []byte) []byte {
	switch v.Kind {
	case StringKind, NumberText:
		return append(dst, v.Text...)
	case BoolKind:
		return strconv.AppendBool(dst, v.Bool)
	case NumberKind:
		if v.Num.IsFloat() {
			return strconv.AppendFloat(dst, v.Num.Float64(), 'f', -1, 64)
		}
		if i, ok := v.Num.Int64(); ok {
			return strconv.AppendInt(dst, i, 10)
		}
		return append(dst, v.Num.Text()...) // a uint64 above math.MaxInt64
	}
	return dst
}

// String returns the text AppendText appends.
func (v *Value) String() string {
	switch v.Kind {
	case StringKind, NumberText:
		return v.Text
	case BoolKind:
		return strconv.FormatBool(v.Bool)
	case NumberKind:
		return v.Num.Text()
	}
	return ""
}
