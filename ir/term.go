package ir

import "strings"

// Fn is the function of a computed operand (a Term).
type Fn uint8

// The term functions. The zero value is invalid. The semantics, and what
// each does with null, are Elasticsearch EQL's; see package eql.
const (
	FnInvalid   Fn = iota
	FnField        // the value of Term.Field
	FnConst        // Term.Value
	FnAdd          // a + b
	FnSub          // a - b
	FnMul          // a * b
	FnDiv          // a / b (integer division when both are integers)
	FnMod          // a % b
	FnNeg          // -a
	FnLength       // length of a string, in characters
	FnConcat       // the strings of all arguments joined
	FnSubstring    // substring(s, start[, end]); negative offsets count from the end
	FnIndexOf      // indexOf(s, sub[, start]): first offset of sub at or after start
	FnNumber       // number(s[, base])
	FnString       // string(x)
	FnBetween      // between(s, left, right[, greedy])
	FnMinute       // the minute (0-59) of a timestamp
	FnHour         // the hour (0-23) of a timestamp
	FnDay          // the day of the month (1-31) of a timestamp
	FnWeek         // the ISO 8601 week (1-53) of a timestamp
	FnMonth        // the month (1-12) of a timestamp
	FnYear         // the year of a timestamp
)

var fnNames = [...]string{
	FnInvalid: "invalid", FnField: "field", FnConst: "const", FnAdd: "add", FnSub: "subtract",
	FnMul: "multiply", FnDiv: "divide", FnMod: "modulo", FnNeg: "negate", FnLength: "length",
	FnConcat: "concat", FnSubstring: "substring", FnIndexOf: "indexOf", FnNumber: "number",
	FnString: "string", FnBetween: "between", FnMinute: "minute", FnHour: "hour", FnDay: "day",
	FnWeek: "week", FnMonth: "month", FnYear: "year",
}

// String returns the function's name.
func (f Fn) String() string {
	if int(f) < len(fnNames) {
		return fnNames[f]
	}
	return "invalid"
}

// IsTimePart reports whether f takes a part of a timestamp. Timestamps are
// strings in RFC 3339 form or "2006-01-02 15:04:05" (with an optional
// fraction; no zone means UTC); the part is taken in UTC.
func (f Fn) IsTimePart() bool { return f >= FnMinute && f <= FnYear }

// Term is a computed operand: a field, a constant, or a function of terms.
// A term whose input is missing or null is null, and a predicate with a
// null operand is false (not does not make it true: front ends that need
// that say so explicitly).
type Term struct {
	Fn    Fn
	Field Field   // FnField
	Value Value   // FnConst
	Args  []*Term // the function's arguments
	Fold  bool    // the case-insensitive variant (indexOf~, between~)
}

// String renders the term: a field name, a value, or name(args), with "~"
// after the name of a case-insensitive variant.
func (t *Term) String() string {
	switch t.Fn {
	case FnField:
		return t.Field.Name
	case FnConst:
		return t.Value.String()
	}
	var b strings.Builder
	b.WriteString(t.Fn.String())
	if t.Fold {
		b.WriteByte('~')
	}
	b.WriteByte('(')
	for i, a := range t.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.String())
	}
	b.WriteByte(')')
	return b.String()
}

// Fields returns the fields the term reads, in order, without repeats.
func (t *Term) Fields() []Field {
	var out []Field
	seen := map[string]bool{}
	var walk func(*Term)
	walk = func(t *Term) {
		if t.Fn == FnField && !seen[t.Field.Key()] {
			seen[t.Field.Key()] = true
			out = append(out, t.Field)
		}
		for _, a := range t.Args {
			walk(a)
		}
	}
	walk(t)
	return out
}
