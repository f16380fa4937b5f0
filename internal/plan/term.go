package plan

import (
	"strconv"

	"github.com/ruleforge/ruleforge/internal/eval"
	"github.com/ruleforge/ruleforge/ir"
)

// Term is a compiled computed operand (see ir.Term): a field, a constant or
// a function of terms. It evaluates to a string, an int64, a float64, a
// bool, or null (ok false) when an input is missing or null or the function
// is undefined for its inputs (division by zero, a number that does not
// parse, a string longer than eval.MaxComputed). String offsets and lengths count UTF-16 code units, as
// Elasticsearch's (Java's) strings do.
type Term struct {
	Fn    ir.Fn
	Paths []*Path // FnField: tried in order, the first present wins
	Const any     // FnConst
	Args  []*Term
	Fold  bool   // case-insensitive variant
	Name  string // the term as ir.Term.String renders it
}

// Eval evaluates the term for ev; bound, when not nil, is the value to use
// for the field named by boundPaths instead of looking it up (an element of
// an array the caller iterates).
func (t *Term) Eval(ev Event, bound *Binding) (any, bool) {
	switch t.Fn {
	case ir.FnConst:
		return t.Const, t.Const != nil
	case ir.FnField:
		if bound != nil && samePaths(bound.Paths, t.Paths) {
			return scalar(bound.Value)
		}
		for _, p := range t.Paths {
			if v, ok := ev.Lookup(p); ok && v != nil {
				if a, ok := v.([]any); ok { // several values: the first
					if len(a) == 0 {
						return nil, false
					}
					v = a[0]
				}
				return scalar(v)
			}
		}
		return nil, false
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		v, ok := a.Eval(ev, bound)
		if !ok {
			return nil, false
		}
		args[i] = v
	}
	return eval.Apply(t.Fn, t.Fold, args)
}

// Binding gives one field a value for the duration of an evaluation.
type Binding struct {
	Paths []*Path
	Value any
}

// samePaths reports whether two path lists are the same (paths are
// interned, so pointers compare).
func samePaths(a, b []*Path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// scalar normalizes an event value for computation (see Classify):
// strings and booleans stay, a JSON number's text becomes an int64 when
// it is one and a float64 otherwise, and a Go number an int64 when it is
// an integer that fits one and a float64 otherwise.
func scalar(v any) (any, bool) {
	c := Classify(v)
	switch c.Kind {
	case StringKind, BoolKind:
		return v, true
	case NumberText:
		if i, err := strconv.ParseInt(c.Text, 10, 64); err == nil {
			return i, true
		}
		if f, err := strconv.ParseFloat(c.Text, 64); err == nil {
			return f, true
		}
	case NumberKind:
		if i, ok := c.Num.Int64(); ok && !c.Num.IsFloat() {
			return i, true
		}
		return c.Num.Float64(), true
	}
	return nil, false
}

// String returns the term as the rule writes it (Name).
func (t *Term) String() string { return t.Name }
