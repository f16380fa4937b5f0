package plan

import (
	"strconv"
	"strings"

	"github.com/ruleforge/ruleforge/internal/eval"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// Test is a compiled predicate: it reads one field, through the first of
// its paths that is present, and compares the value.
//
// Numbers, of the event and of the Test, compare exactly (ir.Compare; see
// the package documentation's Numbers section for values out of range).
//
// A Test on a missing field is false. A value that is an array is tested
// element by element (nested arrays too) and the Test is true when any
// element passes. A string passes when any string matcher matches it; a
// number passes when it equals one of Numbers or, through its JSON text,
// a string matcher matches, or when it satisfies a Bound; a boolean passes when it is one of Bools or its
// text ("true", "false") matches a string matcher. A string that spells a
// number in decimal also passes when that number is one of Numbers; a
// string passes when it satisfies a Bound (text bounds compare by
// code point, numeric bounds need a string that spells a number). With
// Exists, the Test passes for any present value that is not null and not
// an empty array.
//
// The fields that every evaluation reads come first, so that they share a
// cache line.
type Test struct {
	Exists  bool              // presence test; the other comparisons are ignored
	Any     bool              // test every value of the event (needs a Walker); Paths unused
	Paths   []*Path           // tried in order; the first present wins
	Strings []matcher.Matcher // string comparisons

	// Computed operands (EQL functions and arithmetic, comparisons of two
	// fields). Left, when set, replaces the Paths as the value tested; when
	// Left reads exactly one field, an array in that field is tried element
	// by element (Iter names it). Right, when set, is compared with the
	// value by Cmp and Fold instead of the matchers.
	Left  *Term
	Right *Term
	Iter  []*Path
	Cmp   ir.Cmp
	Fold  bool

	Numbers []ir.Number // numeric equality, exact (ir.Compare)
	Bools   []bool      // boolean equality
	Bounds  []Bound     // ordering comparisons
	Name    string      // the field name, for String
}

// Eval reports whether the test passes for ev.
func (t *Test) Eval(ev Event) bool { return t.eval(ev, nil) }

// eval is Eval folding long values once per event in m (when not nil).
func (t *Test) eval(ev Event, m *Memo) bool {
	if t.Any {
		w, ok := ev.(Walker)
		if !ok {
			return false
		}
		if m == nil {
			return w.Each(t.value)
		}
		return w.Each(m.visitor(t))
	}
	if t.Left != nil || t.Right != nil {
		return t.computed(ev)
	}
	for _, p := range t.Paths {
		v, ok := ev.Lookup(p)
		if !ok || v == nil {
			continue
		}
		if t.Exists {
			return present(v)
		}
		return t.valueIn(m, v)
	}
	return false
}

// valueIn is value folding each long string that needs folding, alone or
// in an array, once per event in m (when not nil): see foldOnceLen.
func (t *Test) valueIn(m *Memo, v any) bool {
	if m == nil || len(t.Strings) == 0 {
		return t.value(v)
	}
	switch x := v.(type) {
	case string:
		if len(x) >= foldOnceLen && matcher.NeedsFold(x) {
			return t.strOnce(m, x) || (len(t.Numbers) > 0 && t.numText(x)) || (len(t.Bounds) > 0 && t.strBounds(x))
		}
	case []any:
		for _, e := range x {
			if t.valueIn(m, e) {
				return true
			}
		}
		return false
	case []string:
		for _, e := range x {
			if t.valueIn(m, e) {
				return true
			}
		}
		return false
	}
	return t.value(v)
}

// computed evaluates a test with computed operands. A null operand makes
// it false.
func (t *Test) computed(ev Event) bool {
	_, ok := t.passing(ev)
	return ok
}

// passing evaluates a test with computed operands and returns the value
// that passed: the left operand's value (for an array iterated, the one
// of the element that passed), or the field's value (or element) compared
// with the right operand.
func (t *Test) passing(ev Event) (any, bool) {
	var right any
	if t.Right != nil {
		var ok bool
		if right, ok = t.Right.Eval(ev, nil); !ok {
			return nil, false
		}
	}
	check := func(v any) bool {
		if t.Right != nil {
			return eval.Compare(t.Cmp, t.Fold, v, right)
		}
		return t.value(v)
	}
	if t.Left == nil { // a field compared with a computed operand
		for _, p := range t.Paths {
			if v, ok := ev.Lookup(p); ok && v != nil {
				var passed any
				ok := anyElement(v, func(e any) bool {
					s, ok := scalar(e)
					passed = s
					return ok && check(s)
				})
				return passed, ok
			}
		}
		return nil, false
	}
	if len(t.Iter) > 0 {
		for _, p := range t.Iter {
			v, ok := ev.Lookup(p)
			if !ok || v == nil {
				continue
			}
			if a, isArray := v.([]any); isArray {
				for _, e := range a {
					if l, ok := t.Left.Eval(ev, &Binding{Paths: t.Iter, Value: e}); ok && check(l) {
						return l, true
					}
				}
				return nil, false
			}
			break
		}
	}
	l, ok := t.Left.Eval(ev, nil)
	return l, ok && check(l)
}

// anyElement calls f on v, or on each element of an array (nested arrays
// flattened), until f returns true.
func anyElement(v any, f func(any) bool) bool {
	if a, ok := v.([]any); ok {
		for _, e := range a {
			if anyElement(e, f) {
				return true
			}
		}
		return false
	}
	return f(v)
}

// present reports whether v counts as present: not null, not an empty
// array, and not an array of nulls only.
func present(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case []any:
		for _, e := range x {
			if present(e) {
				return true
			}
		}
		return false
	case []string:
		return len(x) > 0
	}
	return true
}

// value tests one value, as Classify classifies it.
func (t *Test) value(v any) bool {
	c := Classify(v)
	switch c.Kind {
	case StringKind:
		return t.str(c.Text) || (len(t.Numbers) > 0 && t.numText(c.Text)) || (len(t.Bounds) > 0 && t.strBounds(c.Text))
	case NumberText:
		if t.str(c.Text) {
			return true
		}
		if len(t.Numbers)+len(t.Bounds) > 0 {
			n, ok := Spelled(c.Text)
			return ok && t.number(n)
		}
		return false
	case NumberKind:
		return t.number(c.Num) || (len(t.Strings) > 0 && t.str(c.String()))
	case BoolKind:
		for _, b := range t.Bools {
			if b == c.Bool {
				return true
			}
		}
		return len(t.Strings) > 0 && t.str(c.String())
	case ListKind:
		for _, e := range c.List {
			if t.value(e) {
				return true
			}
		}
		for _, e := range c.Strings {
			if t.value(e) {
				return true
			}
		}
	}
	return false
}

// str reports whether any string matcher matches s.
func (t *Test) str(s string) bool {
	for _, m := range t.Strings {
		if m.Match(s) {
			return true
		}
	}
	return false
}

// number reports whether n is one of Numbers or satisfies a bound.
func (t *Test) number(n ir.Number) bool {
	return t.num(n) || (len(t.Bounds) > 0 && t.numBounds(n))
}

// num reports whether n is one of Numbers.
func (t *Test) num(n ir.Number) bool {
	for _, m := range t.Numbers {
		if c, ok := ir.Compare(n, m); ok && c == 0 {
			return true
		}
	}
	return false
}

// numBounds reports whether n satisfies a bound.
func (t *Test) numBounds(n ir.Number) bool {
	for i := range t.Bounds {
		if t.Bounds[i].num(n) {
			return true
		}
	}
	return false
}

// strBounds reports whether s satisfies a bound.
func (t *Test) strBounds(s string) bool {
	for i := range t.Bounds {
		if t.Bounds[i].str(s) {
			return true
		}
	}
	return false
}

// numText reports whether s spells a number that is one of Numbers.
func (t *Test) numText(s string) bool {
	if len(t.Numbers) == 0 {
		return false
	}
	n, ok := Spelled(s)
	return ok && t.num(n)
}

// Spelled returns the number a string or JSON number text spells in
// decimal, exactly where it is an integer (ir.ParseNumber, which also
// defines texts out of range: 1e400 is +Inf).
func Spelled(s string) (ir.Number, bool) {
	if !LooksNumeric(s) {
		return ir.Number{}, false
	}
	n, err := ir.ParseNumber(s)
	return n, err == nil
}

// LooksNumeric reports whether s has the shape of a decimal number, so that
// ir.ParseNumber is only called where it will not fail (and allocate
// an error).
func LooksNumeric(s string) bool {
	if s == "" {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '-' || c == '+':
			if i != 0 && s[i-1] != 'e' && s[i-1] != 'E' {
				return false
			}
		case c == '.' || c == 'e' || c == 'E':
		default:
			return false
		}
	}
	return digits > 0 && strings.Count(s, ".") <= 1
}

// String renders the test, e.g. `process.name [exact~ "mofcomp.exe"]`.
func (t *Test) String() string {
	var b strings.Builder
	if t.Left != nil {
		b.WriteString(t.Left.String())
	} else {
		b.WriteString(t.Name)
	}
	if t.Right != nil {
		b.WriteString(" " + t.Cmp.String())
		if t.Fold {
			b.WriteByte('~')
		}
		b.WriteString(" " + t.Right.String())
		return b.String()
	}
	if t.Any {
		b.WriteString(" (any value)")
	}
	if t.Exists {
		b.WriteString(" exists")
		return b.String()
	}
	b.WriteString(" [")
	sep := ""
	for _, m := range t.Strings {
		b.WriteString(sep + m.String())
		sep = ", "
	}
	for _, n := range t.Numbers {
		b.WriteString(sep + "number " + n.String())
		sep = ", "
	}
	for _, v := range t.Bools {
		b.WriteString(sep + "bool " + strconv.FormatBool(v))
		sep = ", "
	}
	for i := range t.Bounds {
		b.WriteString(sep + t.Bounds[i].String())
		sep = ", "
	}
	b.WriteByte(']')
	return b.String()
}
