package ir

import "strconv"

// Kind is the type of a Value.
type Kind uint8

// The value kinds. The zero value is invalid.
const (
	KindInvalid Kind = iota
	KindString       // a string or a pattern (Value.Pat)
	KindNumber       // a number (Value.Num)
	KindBool         // a boolean (Value.Bool)
	KindNull         // null
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "bool"
	case KindNull:
		return "null"
	}
	return "invalid"
}

// Value is one operand of a predicate.
type Value struct {
	Kind Kind
	Pat  Pattern // KindString: the text; literal unless the predicate is a pattern comparison
	Num  Number  // KindNumber
	Bool bool    // KindBool
}

// Str returns a string value matching exactly s.
func Str(s string) Value { return Value{Kind: KindString, Pat: Lit(s)} }

// Glob returns a string value holding a pattern.
func Glob(p Pattern) Value { return Value{Kind: KindString, Pat: p} }

// Num returns a number value holding the float f. A rule's integer text
// should go through NumOf(ParseNumber(text)) or NumOf(Int(i)) instead, so
// that it stays exact.
func Num(f float64) Value { return Value{Kind: KindNumber, Num: Float(f)} }

// NumOf returns a number value holding n.
func NumOf(n Number) Value { return Value{Kind: KindNumber, Num: n} }

// Bool returns a boolean value.
func Bool(b bool) Value { return Value{Kind: KindBool, Bool: b} }

// String renders the value: strings and patterns in double quotes (see
// Pattern.String), numbers in Go's shortest form, true, false and null.
func (v Value) String() string {
	switch v.Kind {
	case KindString:
		return `"` + v.Pat.String() + `"`
	case KindNumber:
		return v.Num.String()
	case KindBool:
		return strconv.FormatBool(v.Bool)
	case KindNull:
		return "null"
	}
	return "<invalid>"
}
