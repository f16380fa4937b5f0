package sigma

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// modClass says what a modifier does.
type modClass uint8

// The modifier classes.
const (
	modUnknown   modClass = iota
	modList               // all, neq: how the field's values combine
	modCmp                // contains, startswith, endswith
	modTransform          // base64, base64offset, utf16*, wide, windash, expand, cased
	modType               // re, cidr, lt, lte, gt, gte, exists: the value's type; first
	modFlag               // i, m, s and their long names: after re
)

// modifiers maps each modifier of the Sigma specification v2 (and pySigma's
// long names of the regular expression flags) to its class.
var modifiers = map[string]modClass{
	"all": modList, "neq": modList,
	"contains": modCmp, "startswith": modCmp, "endswith": modCmp,
	"base64": modTransform, "base64offset": modTransform, "utf16": modTransform, "utf16le": modTransform,
	"utf16be": modTransform, "wide": modTransform, "windash": modTransform, "expand": modTransform, "cased": modTransform,
	"re": modType, "cidr": modType, "lt": modType, "lte": modType, "gt": modType, "gte": modType, "exists": modType,
	"i": modFlag, "ignorecase": modFlag, "m": modFlag, "multiline": modFlag, "s": modFlag, "dotall": modFlag,
	"fieldref": modType, "minute": modType, "hour": modType, "day": modType,
	"week": modType, "month": modType, "year": modType,
}

// timeParts maps the time-part modifiers to their term functions.
var timeParts = map[string]ir.Fn{
	"minute": ir.FnMinute, "hour": ir.FnHour, "day": ir.FnDay,
	"week": ir.FnWeek, "month": ir.FnMonth, "year": ir.FnYear,
}

// cmpModifiers maps contains, startswith and endswith to their comparison.
var cmpModifiers = map[string]ir.Cmp{
	"contains":   ir.CmpContains,
	"startswith": ir.CmpPrefix,
	"endswith":   ir.CmpSuffix,
}

// orderModifiers maps lt, lte, gt and gte to their comparison.
var orderModifiers = map[string]ir.Cmp{"lt": ir.CmpLT, "lte": ir.CmpLE, "gt": ir.CmpGT, "gte": ir.CmpGE}

// chain is the checked modifier list of one field.
type chain struct {
	mods     []string // in order, list modifiers included
	all, neq bool
	expand   bool
}

// modifiers checks a field's modifier list: every modifier known and
// supported, none twice, at most one of contains, startswith and endswith.
func (l *lowerer) modifiers(search, field string, mods []string, key *yaml.Node) (*chain, error) {
	c := &chain{mods: mods}
	seen := map[string]bool{}
	cmp := ""
	for _, m := range mods {
		switch modifiers[m] {
		case modUnknown:
			return nil, l.errorf(key.Line, key.Column, "search %q: unknown modifier %q on field %q", search, m, field)
		}
		if seen[m] {
			return nil, l.errorf(key.Line, key.Column, "search %q: duplicate modifier %q on field %q", search, m, field)
		}
		seen[m] = true
		switch m {
		case "all":
			c.all = true
		case "neq":
			c.neq = true
		case "expand":
			c.expand = true
		case "contains", "startswith", "endswith":
			if cmp != "" {
				return nil, l.errorf(key.Line, key.Column, "search %q: modifiers %q and %q on field %q conflict", search, cmp, m, field)
			}
			cmp = m
		}
	}
	return c, nil
}

// vkind is the type of a value as the modifiers transform it.
type vkind uint8

// The value types.
const (
	vString   vkind = iota + 1 // text or a pattern
	vNumber                    // a YAML number
	vBool                      // a YAML boolean
	vNull                      // a YAML null
	vRegex                     // after re
	vCIDR                      // after cidr
	vOrder                     // after lt, lte, gt, gte
	vExists                    // after exists
	vFieldref                  // after fieldref: raws[0] names the other field
	vTimePart                  // after minute, hour, day, week, month, year
)

// value is one value of a field on its way through the modifiers.
type value struct {
	kind   vkind
	raws   []string     // vString, unchanged: the text as written (after expand); vRegex, vCIDR
	pats   []ir.Pattern // vString: alternatives, any of which may match
	num    ir.Number    // vNumber, vOrder, vTimePart: exact for integers
	text   string       // vNumber: its decimal text
	b      bool         // vBool, vExists
	cmp    ir.Cmp       // vString: glob, prefix, suffix or contains; vOrder
	cmpMod string       // the modifier that set cmp
	cased  bool         // vString: compare case-sensitively
	// vRegex: flags, case folding and anchors
	flags      string
	fold       bool
	start, end bool
	changed    string // the first modifier that changed the value
	part       ir.Fn  // vTimePart: the part
}

// describe names the value's type in messages.
func (v *value) describe() string {
	switch v.kind {
	case vString:
		return "a string"
	case vNumber:
		return "a number"
	case vBool:
		return strconv.FormatBool(v.b)
	case vNull:
		return "null"
	case vRegex:
		return "a regular expression"
	case vCIDR:
		return "a CIDR range"
	case vOrder:
		return "a comparison"
	case vExists:
		return "an exists test"
	case vFieldref:
		return "a field reference"
	case vTimePart:
		return "a time part"
	}
	return "a value"
}

// newValue returns the value of a decoded YAML scalar, or a message.
func newValue(x any) (*value, string) {
	v := &value{cmp: ir.CmpGlob}
	var n ir.Number
	switch x := x.(type) {
	case nil:
		v.kind = vNull
		return v, ""
	case string:
		v.kind, v.raws = vString, []string{x}
		v.pats = []ir.Pattern{parsePattern(x)}
		return v, ""
	case bool:
		v.kind, v.b = vBool, x
		return v, ""
	case int:
		n, v.text = ir.Int(int64(x)), strconv.Itoa(x)
	case int64:
		n, v.text = ir.Int(x), strconv.FormatInt(x, 10)
	case uint64:
		n, v.text = ir.Uint(x), strconv.FormatUint(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Sprintf("unsupported: number %v", x)
		}
		n, v.text = ir.Float(x), strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return nil, fmt.Sprintf("unsupported: value of type %T", x)
	}
	v.kind, v.num = vNumber, n
	return v, ""
}

// asString turns a number into its decimal text, for the string modifiers.
func (v *value) asString() {
	if v.kind == vNumber {
		v.kind, v.raws = vString, []string{v.text}
		v.pats = []ir.Pattern{ir.Lit(v.text)}
	}
}

// expandValue replaces the "%name%" placeholders of a string value with
// the values Placeholders gives them: one alternative per combination. A
// placeholder without values (not given, or given an empty list) matches
// nothing: expandValue reports it with nothing true, and the names not
// given are noted for the rule's warning (unknownPlaceholders).
func (l *lowerer) expandValue(v *value) (nothing bool, msg string) {
	if v.kind != vString {
		return false, fmt.Sprintf("modifier %q does not apply to %s", "expand", v.describe())
	}
	segs := splitPlaceholders(v.raws[0])
	raws, pats := []string{""}, []ir.Pattern{nil}
	for _, s := range segs {
		alts := []string{s.text}
		if s.placeholder {
			var ok bool
			if alts, ok = l.cfg.placeholders[s.text]; !ok && !slices.Contains(l.unknown, s.text) {
				l.unknown = append(l.unknown, s.text)
			}
			if len(alts) == 0 {
				nothing = true
				continue
			}
		}
		if len(raws)*len(alts) > l.cfg.maxValues {
			return false, fmt.Sprintf("placeholders expand to more than %d values", l.cfg.maxValues)
		}
		var nr []string
		var np []ir.Pattern
		for i := range raws {
			for _, a := range alts {
				nr = append(nr, raws[i]+a)
				np = append(np, append(append(ir.Pattern{}, pats[i]...), parsePattern(a)...).Norm())
			}
		}
		raws, pats = nr, np
	}
	v.raws, v.pats = raws, pats
	return nothing, ""
}

// apply runs one modifier on v, or returns a message saying why it cannot.
// A modifier may expand v into at most maxValues values.
func (v *value) apply(m string, maxValues int) string {
	if modifiers[m] == modList || m == "expand" {
		return ""
	}
	if v.kind == vFieldref || v.kind == vTimePart {
		return v.applyComputed(m)
	}
	if v.kind == vNull || v.kind == vBool && m != "exists" {
		return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
	}
	class := modifiers[m]
	if class == modType && v.changed != "" {
		return fmt.Sprintf("modifier %q must come before %q", m, v.changed)
	}
	switch m {
	case "contains", "startswith", "endswith":
		v.asString()
		switch v.kind {
		case vString:
			v.cmp, v.cmpMod = cmpModifiers[m], m
		case vRegex:
			v.start = v.start || m == "startswith"
			v.end = v.end || m == "endswith"
			return ""
		default:
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
	case "base64", "base64offset":
		v.asString()
		if v.kind != vString {
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
		if v.cmp != ir.CmpGlob {
			return fmt.Sprintf("modifier %q does not apply to a value with wildcards (put it before %q)", m, v.cmpMod)
		}
		var pats []ir.Pattern
		for _, p := range v.pats {
			text, ok := p.Literal()
			if !ok {
				return fmt.Sprintf("modifier %q does not apply to a value with wildcards", m)
			}
			if m == "base64" {
				pats = append(pats, ir.Lit(base64.StdEncoding.EncodeToString([]byte(text))))
				continue
			}
			for _, s := range b64offset(text) {
				pats = append(pats, ir.Lit(s))
			}
		}
		if len(pats) == 0 {
			return fmt.Sprintf("modifier %q leaves nothing of an empty or one-byte value", m)
		}
		v.pats, v.cased = pats, true // encoded text compares exactly
	case "utf16", "utf16le", "utf16be", "wide":
		v.asString()
		if v.kind != vString {
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
		mode := map[string]utf16Mode{"utf16": utf16BOM, "utf16le": utf16LE, "wide": utf16LE, "utf16be": utf16BE}[m]
		for i, p := range v.pats {
			v.pats[i] = encodeUTF16(p, mode)
		}
	case "windash":
		v.asString()
		if v.kind != vString {
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
		var pats []ir.Pattern
		for _, p := range v.pats {
			vs := windash(p, maxValues)
			if vs == nil || len(pats)+len(vs) > maxValues {
				return fmt.Sprintf("modifier %q expands the values to more than %d", m, maxValues)
			}
			pats = append(pats, vs...)
		}
		v.pats = pats
	case "cased":
		v.asString()
		if v.kind != vString {
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
		v.cased = true
	case "re":
		v.asString()
		if v.kind != vString {
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
		v.kind = vRegex
		return ""
	case "i", "ignorecase", "m", "multiline", "s", "dotall":
		if v.kind != vRegex {
			return fmt.Sprintf("modifier %q needs %q before it", m, "re")
		}
		switch m[0] {
		case 'i':
			v.fold = true
		case 'm':
			v.flags += "m"
		case 's', 'd':
			v.flags += "s"
		}
		return ""
	case "cidr":
		if v.kind != vString {
			return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
		}
		for _, r := range v.raws {
			if msg := checkCIDR(r); msg != "" {
				return msg
			}
		}
		v.kind = vCIDR
		return ""
	case "lt", "lte", "gt", "gte":
		if v.kind == vString && len(v.raws) == 1 {
			if n, err := ir.ParseNumber(strings.TrimSpace(v.raws[0])); err == nil && !n.IsNaN() && !math.IsInf(n.Float64(), 0) {
				v.kind, v.num = vNumber, n
			}
		}
		if v.kind != vNumber {
			return fmt.Sprintf("modifier %q needs a number, not %s", m, v.describe())
		}
		v.kind, v.cmp = vOrder, orderModifiers[m]
		return ""
	case "fieldref":
		v.asString()
		if v.kind != vString || len(v.raws) != 1 || v.raws[0] == "" {
			return fmt.Sprintf("modifier %q needs a field name, not %s", m, v.describe())
		}
		v.kind, v.cmp = vFieldref, ir.CmpEqual
		return ""
	case "minute", "hour", "day", "week", "month", "year":
		if v.kind == vString && len(v.raws) == 1 {
			if n, err := ir.ParseNumber(strings.TrimSpace(v.raws[0])); err == nil {
				v.kind, v.num = vNumber, n
			}
		}
		if _, whole := v.num.Int64(); v.kind != vNumber || !whole {
			return fmt.Sprintf("modifier %q needs a whole number, not %s", m, v.describe())
		}
		v.kind, v.part, v.cmp = vTimePart, timeParts[m], ir.CmpEqual
		return ""
	case "exists":
		if v.kind != vBool {
			return fmt.Sprintf("modifier %q needs true or false, not %s", m, v.describe())
		}
		v.kind = vExists
		return ""
	}
	if v.changed == "" {
		v.changed = m
	}
	return ""
}

// applyComputed runs a modifier on a field reference or a time part: a
// field reference takes contains, startswith, endswith and cased; a time
// part takes lt, lte, gt and gte.
func (v *value) applyComputed(m string) string {
	switch {
	case v.kind == vFieldref && cmpModifiers[m] != ir.CmpInvalid:
		v.cmp, v.cmpMod = cmpModifiers[m], m
	case v.kind == vFieldref && m == "cased":
		v.cased = true
	case v.kind == vTimePart && orderModifiers[m] != ir.CmpInvalid:
		v.cmp = orderModifiers[m]
	default:
		return fmt.Sprintf("modifier %q does not apply to %s", m, v.describe())
	}
	return ""
}

// checkCIDR checks a CIDR range or a single address.
func checkCIDR(s string) string {
	var err error
	if strings.Contains(s, "/") {
		_, err = netip.ParsePrefix(s)
	} else {
		_, err = netip.ParseAddr(s)
	}
	if err != nil {
		return fmt.Sprintf("bad CIDR range %q: %v", s, err)
	}
	return ""
}

// regexSource returns the RE2 source of a regex value: flags, then the
// expression, anchored for startswith and endswith; or a message when RE2
// cannot take it.
func (v *value) regexSource(raw string) (string, string) {
	src := raw
	if v.start || v.end {
		src = "(?:" + src + ")"
		if v.start {
			src = "^" + src
		}
		if v.end {
			src += "$"
		}
	}
	if v.flags != "" {
		src = "(?" + v.flags + ")" + src
	}
	if _, err := regexp.Compile(src); err != nil {
		msg := fmt.Sprintf("regular expression %q: %v", raw, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		// The hint only where PCRE syntax is the likely cause: (?=, (?<=,
		// (?!, (?<! are "invalid or unsupported Perl syntax", \1 an
		// "invalid escape sequence".
		if se := (*syntax.Error)(nil); errors.As(err, &se) && (se.Code == syntax.ErrInvalidPerlOp || se.Code == syntax.ErrInvalidEscape) {
			msg += " (RE2 syntax: no lookaround, no backreferences)"
		}
		return "", msg
	}
	return src, ""
}
