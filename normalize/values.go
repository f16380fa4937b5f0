package normalize

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/ruleforge/ruleforge/internal/plan"
)

// unwrap returns the value of an element rendered as an object with its
// attributes, {"#text": v, "#attributes": {…}}: v. An object of attributes
// only is an empty element: absent. Other values are returned as they are.
func unwrap(v any) (any, bool) {
	o, ok := v.(map[string]any)
	if !ok {
		return v, true
	}
	if t, ok := o["#text"]; ok {
		return t, true
	}
	if _, ok := o["#attributes"]; ok && len(o) == 1 {
		return nil, false
	}
	return v, true
}

// text returns a scalar as text, as the tests compare it (plan.Classify):
// strings as they are, numbers in decimal, booleans as true and false. A
// float that is not finite, objects, arrays and null are not text.
func text(v any) (string, bool) {
	if s, ok := v.(string); ok {
		return s, true // the common case, as Classify would give it
	}
	c := plan.Classify(v)
	switch c.Kind {
	case plan.StringKind, plan.NumberText, plan.BoolKind:
		return c.String(), true
	case plan.NumberKind:
		if f := c.Num.Float64(); c.Num.IsFloat() && (math.IsNaN(f) || math.IsInf(f, 0)) {
			return "", false
		}
		return c.String(), true
	}
	return "", false
}

// zeroGUID is the GUID Sysmon writes for an unknown one.
const zeroGUID = "{00000000-0000-0000-0000-000000000000}"

// usable returns s, or "" for the values that stand for no value: "-" and
// the zero GUID (Winlogbeat's Sysmon pipeline drops them, and the empty
// string, from the event data).
func usable(s string) string {
	if s == "-" || s == zeroGUID {
		return ""
	}
	return s
}

// number returns v as a whole number: a JSON number without a fraction, or
// text in decimal or in hexadecimal after "0x" (the Security log writes
// process IDs as 0x1a2b), surrounding blanks ignored.
func number(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
		f, err := x.Float64()
		if err != nil {
			return 0, false
		}
		return number(f)
	case float64:
		if x != math.Trunc(x) || x < math.MinInt64 || x >= math.MaxInt64 {
			return 0, false
		}
		return int64(x), true
	case int:
		return int64(x), true
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		if x > math.MaxInt64 {
			return 0, false
		}
		return int64(x), true
	case string:
		return parseNumber(x)
	}
	return 0, false
}

// parseNumber reads a whole number in decimal, or in hexadecimal after
// "0x" or "0X".
func parseNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		return parseHex(h)
	}
	if h, ok := strings.CutPrefix(s, "0X"); ok {
		return parseHex(h)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseHex reads hexadecimal digits as a non-negative number.
func parseHex(s string) (int64, bool) {
	n, err := strconv.ParseUint(s, 16, 63)
	return int64(n), err == nil
}

// baseName returns what follows the last "\" or "/" of a path: the file
// name, or the whole path when it has neither.
func baseName(path string) string {
	return path[strings.LastIndexAny(path, `\/`)+1:]
}

// strs returns an array of strings as decoded JSON holds it.
func strs(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
