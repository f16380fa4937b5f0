package state

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// Value is one field value of an event, as stateful rules compare it: a
// comparable string that encodes its type and its text, so that values
// join exactly (strings case-sensitively, numbers as numbers: 1, 1.0
// and 1e0 are the same value), and that a map can key. The zero Value is
// a missing field.
//
//	encoding           value
//	""                 missing
//	"\x00"             null
//	"s" + text         a string
//	"n" + number       a number: an integer in decimal, any other in
//	                   Go's shortest 'g' form
//	"t", "f"           true, false
//	"a" + elements     an array: each element's encoding after its length
//	                   (a uvarint)
//	"o"                an object (present, equal to every object)
type Value string

// The encodings of the values without text.
const (
	Missing Value = ""
	Null    Value = "\x00"
	True    Value = "t"
	False   Value = "f"
	Object  Value = "o"
)

// String returns a Value holding s.
func String(s string) Value { return Value("s" + s) }

// Int returns a Value holding n.
func Int(n int64) Value { return Value("n" + strconv.FormatInt(n, 10)) }

// Float returns a Value holding f; an integral f is the same value as the
// integer.
func Float(f float64) Value {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return Int(int64(f))
	}
	return Value("n" + strconv.FormatFloat(f, 'g', -1, 64))
}

// Of returns the Value of v, a value as match.Event.Lookup returns it
// (string, json.Number, float64, the integer types, bool, nil, []any,
// []string, map[string]any); present is false for a missing field.
func Of(v any, present bool) Value {
	if !present {
		return Missing
	}
	switch v := v.(type) {
	case nil:
		return Null
	case string:
		return String(v)
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return Int(n)
		}
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return Float(f)
		}
		return String(string(v))
	case float64:
		return Float(v)
	case float32:
		return Float(float64(v))
	case int:
		return Int(int64(v))
	case int64:
		return Int(v)
	case int32:
		return Int(int64(v))
	case uint64:
		if v > math.MaxInt64 {
			return Float(float64(v))
		}
		return Int(int64(v))
	case bool:
		if v {
			return True
		}
		return False
	case []any:
		var b []byte
		for _, e := range v {
			b = appendElem(b, Of(e, true))
		}
		return Value("a" + string(b))
	case []string:
		var b []byte
		for _, e := range v {
			b = appendElem(b, String(e))
		}
		return Value("a" + string(b))
	}
	return Object
}

// appendElem appends an array element's encoding: its length, then it.
func appendElem(b []byte, v Value) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// Array returns a Value holding the elements vs.
func Array(vs ...Value) Value {
	b := []byte{'a'}
	for _, v := range vs {
		b = appendElem(b, v)
	}
	return Value(b)
}

// IsArray reports whether v is an array.
func (v Value) IsArray() bool { return len(v) > 0 && v[0] == 'a' }

// Elems returns the elements of an array, and v alone otherwise: the
// values an EQL join key joins on.
func (v Value) Elems() []Value {
	if !v.IsArray() {
		return []Value{v}
	}
	var out []Value
	for s := string(v[1:]); len(s) > 0; {
		n, k := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
		if k <= 0 || uint64(len(s)-k) < n {
			break // cannot happen for a Value made here
		}
		out = append(out, Value(s[k:k+int(n)]))
		s = s[k+int(n):]
	}
	return out
}

// Any returns v as decoded JSON holds it (nil for null and missing), for
// output.
func (v Value) Any() any {
	if v == "" {
		return nil
	}
	switch v[0] {
	case 's':
		return string(v[1:])
	case 'n':
		return json.Number(v[1:])
	case 't':
		return true
	case 'f':
		return false
	case 'a':
		es := v.Elems()
		out := make([]any, len(es))
		for i, e := range es {
			out[i] = e.Any()
		}
		return out
	case 'o':
		return map[string]any{}
	}
	return nil
}

// String renders v for messages: a string quoted, a number, true, false,
// null, missing, [a, b] or {}.
func (v Value) String() string {
	if v == "" {
		return "missing"
	}
	switch v[0] {
	case 's':
		return strconv.Quote(string(v[1:]))
	case 'n':
		return string(v[1:])
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'a':
		var parts []string
		for _, e := range v.Elems() {
			parts = append(parts, e.String())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case 'o':
		return "{}"
	}
	return "null"
}

// Key is the join key of a group of events: the values of its key
// fields, in the rule's order, as one comparable string (MakeKey).
type Key string

// MakeKey returns the Key of vs; MakeKey(a, b) != MakeKey(ab) for any
// split.
func MakeKey(vs ...Value) Key {
	var buf [128]byte // most keys: no allocation but the string's
	return Key(AppendKey(buf[:0], vs...))
}

// AppendKey appends the bytes of MakeKey(vs...) to dst: a machine finds a
// key's state with them (Store.Lookup) without making the Key.
func AppendKey(dst []byte, vs ...Value) []byte {
	for _, v := range vs {
		dst = appendElem(dst, v)
	}
	return dst
}

// Values returns the values k was made of.
func (k Key) Values() []Value { return Value("a" + string(k)).Elems() }

// Partition returns the partition, of n, that k belongs to: FNV-1a of the
// key's bytes modulo n, the same in every process and version, so that
// events partitioned by key (a Kafka producer's partitioner) and state
// split with Engine.Snapshot agree. n < 1 is taken as 1.
func Partition(k Key, n int) int {
	if n <= 1 {
		return 0
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= 1099511628211
	}
	return int(h % uint64(n))
}
