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
	modType               // re, cidr, lt, lte, gt, gte, exists, fieldref, time parts: the value's type; first
	modFlag               // i, m, s and their long names: after re
)

// A modifier is one row of the modifier table.
type modifier struct {
	class modClass
	// takes converts v to what the modifier works on (a number to its
	// text for the string modifiers, a string spelling a number to the
	// number for the comparisons) and reports whether v is that.
	takes func(v *value) bool
	// needs names what the modifier takes in its error ("a number"); ""
	// when the error says the modifier does not apply to v.
	needs string
	// run applies the modifier to a value it takes. It is nil for the
	// modifiers that act on the whole chain: all, neq and expand.
	run func(v *value, name string, maxValues int) error
}

// modifiers is the table of the modifiers of the Sigma specification v2
// and pySigma's long names of the regular expression flags.
var modifiers = map[string]*modifier{
	"all": {class: modList},
	"neq": {class: modList},

	"contains":   {class: modCmp, takes: text(vRegex, vFieldref), run: compare(ir.CmpContains)},
	"startswith": {class: modCmp, takes: text(vRegex, vFieldref), run: compare(ir.CmpPrefix)},
	"endswith":   {class: modCmp, takes: text(vRegex, vFieldref), run: compare(ir.CmpSuffix)},

	"expand":       {class: modTransform, takes: kindIs(vString)}, // run by lowerer.expandValue
	"base64":       {class: modTransform, takes: text(), run: encodeBase64},
	"base64offset": {class: modTransform, takes: text(), run: encodeBase64},
	"utf16":        {class: modTransform, takes: text(), run: toUTF16(utf16BOM)},
	"utf16le":      {class: modTransform, takes: text(), run: toUTF16(utf16LE)},
	"wide":         {class: modTransform, takes: text(), run: toUTF16(utf16LE)},
	"utf16be":      {class: modTransform, takes: text(), run: toUTF16(utf16BE)},
	"windash":      {class: modTransform, takes: text(), run: dashes},
	"cased":        {class: modTransform, takes: text(vFieldref), run: cased},

	"re":       {class: modType, takes: text(), run: toKind(vRegex)},
	"cidr":     {class: modType, takes: kindIs(vString), run: cidr},
	"exists":   {class: modType, takes: kindIs(vBool), needs: "true or false", run: toKind(vExists)},
	"fieldref": {class: modType, takes: namesField, needs: "a field name", run: fieldref},
	"lt":       {class: modType, takes: number, needs: "a number", run: order(ir.CmpLT)},
	"lte":      {class: modType, takes: number, needs: "a number", run: order(ir.CmpLE)},
	"gt":       {class: modType, takes: number, needs: "a number", run: order(ir.CmpGT)},
	"gte":      {class: modType, takes: number, needs: "a number", run: order(ir.CmpGE)},
	"minute":   {class: modType, takes: wholeNumber, needs: "a whole number", run: timePart(ir.FnMinute)},
	"hour":     {class: modType, takes: wholeNumber, needs: "a whole number", run: timePart(ir.FnHour)},
	"day":      {class: modType, takes: wholeNumber, needs: "a whole number", run: timePart(ir.FnDay)},
	"week":     {class: modType, takes: wholeNumber, needs: "a whole number", run: timePart(ir.FnWeek)},
	"month":    {class: modType, takes: wholeNumber, needs: "a whole number", run: timePart(ir.FnMonth)},
	"year":     {class: modType, takes: wholeNumber, needs: "a whole number", run: timePart(ir.FnYear)},

	"i":          {class: modFlag, takes: convertible, run: regexFlag("")},
	"ignorecase": {class: modFlag, takes: convertible, run: regexFlag("")},
	"m":          {class: modFlag, takes: convertible, run: regexFlag("m")},
	"multiline":  {class: modFlag, takes: convertible, run: regexFlag("m")},
	"s":          {class: modFlag, takes: convertible, run: regexFlag("s")},
	"dotall":     {class: modFlag, takes: convertible, run: regexFlag("s")},
}

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
		row := modifiers[m]
		if row == nil {
			return nil, l.errorf(key.Line, key.Column, "search %q: unknown modifier %q on field %q", search, m, field)
		}
		if seen[m] {
			return nil, l.errorf(key.Line, key.Column, "search %q: duplicate modifier %q on field %q", search, m, field)
		}
		seen[m] = true
		switch {
		case m == "all":
			c.all = true
		case m == "neq":
			c.neq = true
		case m == "expand":
			c.expand = true
		case row.class == modCmp:
			if cmp != "" {
				return nil, l.errorf(key.Line, key.Column, "search %q: modifiers %q and %q on field %q conflict", search, cmp, m, field)
			}
			cmp = m
		}
	}
	return c, nil
}

// apply runs the modifier name on v. A modifier of the value's type (re,
// cidr, lt…) must come before those that change the value; a modifier may
// expand v into at most maxValues values.
func (v *value) apply(name string, maxValues int) error {
	m := modifiers[name]
	if m.run == nil {
		return nil
	}
	if m.class == modType && v.changed != "" {
		return fmt.Errorf("modifier %q must come before %q", name, v.changed)
	}
	if err := m.check(name, v); err != nil {
		return err
	}
	if err := m.run(v, name, maxValues); err != nil {
		return err
	}
	if v.kind == vString && (m.class == modCmp || m.class == modTransform) && v.changed == "" {
		v.changed = name
	}
	return nil
}

// check returns the error for a modifier applied to a value of a type it
// does not take: the one place that says so.
func (m *modifier) check(name string, v *value) error {
	switch {
	case m.takes(v):
		return nil
	case m.needs == "" || !convertible(v):
		return notFor(name, v.describe())
	}
	return fmt.Errorf("modifier %q needs %s, not %s", name, m.needs, v.describe())
}

// notFor is the error for modifier name on what it does not apply to.
func notFor(name, what string) error {
	return fmt.Errorf("modifier %q does not apply to %s", name, what)
}

// convertible reports whether v is a string or a number, or what a
// modifier made of one: not null, a boolean, a field reference or a time
// part, which no modifier turns into another type.
func convertible(v *value) bool {
	switch v.kind {
	case vNull, vBool, vFieldref, vTimePart:
		return false
	}
	return true
}

// kindIs returns a takes function for values of kind k.
func kindIs(k vkind) func(*value) bool {
	return func(v *value) bool { return v.kind == k }
}

// text returns a takes function for the string modifiers: a number is
// taken as its decimal text; strings are taken, and values of the kinds
// more.
func text(more ...vkind) func(*value) bool {
	return func(v *value) bool {
		v.asString()
		for _, k := range more {
			if v.kind == k {
				return true
			}
		}
		return v.kind == vString
	}
}

// spelledNumber turns a single string value that spells a number into
// that number; finite leaves NaN and infinities as strings.
func (v *value) spelledNumber(finite bool) {
	if v.kind != vString || len(v.raws) != 1 {
		return
	}
	n, err := ir.ParseNumber(strings.TrimSpace(v.raws[0]))
	if err == nil && (!finite || !n.IsNaN() && !math.IsInf(n.Float64(), 0)) {
		v.kind, v.num = vNumber, n
	}
}

// number takes what lt, lte, gt and gte compare: a finite number, or a
// time part.
func number(v *value) bool {
	v.spelledNumber(true)
	return v.kind == vNumber || v.kind == vTimePart
}

// wholeNumber takes what a time part equals: a whole number.
func wholeNumber(v *value) bool {
	v.spelledNumber(false)
	_, whole := v.num.Int64()
	return v.kind == vNumber && whole
}

// namesField takes what fieldref names: one non-empty string.
func namesField(v *value) bool {
	v.asString()
	return v.kind == vString && len(v.raws) == 1 && v.raws[0] != ""
}

// compare sets the comparison of contains, startswith and endswith; on a
// regular expression, startswith and endswith anchor it.
func compare(cmp ir.Cmp) func(*value, string, int) error {
	return func(v *value, name string, _ int) error {
		if v.kind == vRegex {
			v.start = v.start || cmp == ir.CmpPrefix
			v.end = v.end || cmp == ir.CmpSuffix
			return nil
		}
		v.cmp, v.cmpMod = cmp, name
		return nil
	}
}

// encodeBase64 runs base64 and base64offset: the value's encoding, or the
// three encodings at byte offsets 0, 1, 2; they compare case-sensitively.
func encodeBase64(v *value, name string, _ int) error {
	if v.cmp != ir.CmpGlob {
		return notFor(name, fmt.Sprintf("a value with wildcards (put it before %q)", v.cmpMod))
	}
	var pats []ir.Pattern
	for _, p := range v.pats {
		text, ok := p.Literal()
		if !ok {
			return notFor(name, "a value with wildcards")
		}
		if name == "base64" {
			pats = append(pats, ir.Lit(base64.StdEncoding.EncodeToString([]byte(text))))
			continue
		}
		for _, s := range b64offset(text) {
			pats = append(pats, ir.Lit(s))
		}
	}
	if len(pats) == 0 {
		return fmt.Errorf("modifier %q leaves nothing of an empty or one-byte value", name)
	}
	v.pats, v.cased = pats, true
	return nil
}

// toUTF16 returns the run function of utf16, utf16le, wide and utf16be.
func toUTF16(mode utf16Mode) func(*value, string, int) error {
	return func(v *value, _ string, _ int) error {
		for i, p := range v.pats {
			v.pats[i] = encodeUTF16(p, mode)
		}
		return nil
	}
}

// dashes runs windash.
func dashes(v *value, name string, maxValues int) error {
	var pats []ir.Pattern
	for _, p := range v.pats {
		vs := windash(p, maxValues)
		if vs == nil || len(pats)+len(vs) > maxValues {
			return fmt.Errorf("modifier %q expands the values to more than %d", name, maxValues)
		}
		pats = append(pats, vs...)
	}
	v.pats = pats
	return nil
}

// cased runs cased.
func cased(v *value, _ string, _ int) error {
	v.cased = true
	return nil
}

// toKind returns the run function of a modifier that only gives the value
// its type: re, exists.
func toKind(k vkind) func(*value, string, int) error {
	return func(v *value, _ string, _ int) error {
		v.kind = k
		return nil
	}
}

// regexFlag returns the run function of a regular expression flag: flag
// "m" or "s", or "" for case folding.
func regexFlag(flag string) func(*value, string, int) error {
	return func(v *value, name string, _ int) error {
		if v.kind != vRegex {
			return fmt.Errorf("modifier %q needs %q before it", name, "re")
		}
		if flag == "" {
			v.fold = true
		} else {
			v.flags += flag
		}
		return nil
	}
}

// cidr runs cidr: every value a CIDR range or a single address.
func cidr(v *value, _ string, _ int) error {
	for _, r := range v.raws {
		var err error
		if strings.Contains(r, "/") {
			_, err = netip.ParsePrefix(r)
		} else {
			_, err = netip.ParseAddr(r)
		}
		if err != nil {
			return fmt.Errorf("bad CIDR range %q: %v", r, err)
		}
	}
	v.kind = vCIDR
	return nil
}

// order returns the run function of lt, lte, gt and gte.
func order(cmp ir.Cmp) func(*value, string, int) error {
	return func(v *value, _ string, _ int) error {
		if v.kind != vTimePart {
			v.kind = vOrder
		}
		v.cmp = cmp
		return nil
	}
}

// fieldref runs fieldref: the value names the field to compare with.
func fieldref(v *value, _ string, _ int) error {
	v.kind, v.cmp = vFieldref, ir.CmpEqual
	return nil
}

// timePart returns the run function of a time-part modifier.
func timePart(fn ir.Fn) func(*value, string, int) error {
	return func(v *value, _ string, _ int) error {
		v.kind, v.part, v.cmp = vTimePart, fn, ir.CmpEqual
		return nil
	}
}

// expandValue replaces the "%name%" placeholders of a string value with
// the values Placeholders gives them: one alternative per combination. A
// placeholder without values (not given, or given an empty list) matches
// nothing: expandValue reports it with nothing true, and the names not
// given are noted for the rule's warning (unknownPlaceholders).
func (l *lowerer) expandValue(v *value) (nothing bool, err error) {
	if err := modifiers["expand"].check("expand", v); err != nil {
		return false, err
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
			return false, fmt.Errorf("placeholders expand to more than %d values", l.cfg.maxValues)
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
	return nothing, nil
}

// regexSource returns the RE2 source of a regex value: flags, then the
// expression, anchored for startswith and endswith; or an error when RE2
// cannot take it.
func (v *value) regexSource(raw string) (string, error) {
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
		// The hint where PCRE syntax is the likely cause: lookaround is
		// ErrInvalidPerlOp, a backreference ErrInvalidEscape.
		if se := (*syntax.Error)(nil); errors.As(err, &se) && (se.Code == syntax.ErrInvalidPerlOp || se.Code == syntax.ErrInvalidEscape) {
			msg += " (RE2 syntax: no lookaround, no backreferences)"
		}
		return "", &regexError{msg, err}
	}
	return src, nil
}

// regexError is a regular expression RE2 rejects: a message without the
// regexp package's prefix, and that package's *syntax.Error as the cause,
// for errors.As.
type regexError struct {
	msg string
	err error
}

// Error returns the message.
func (e *regexError) Error() string { return e.msg }

// Unwrap returns the regexp package's error.
func (e *regexError) Unwrap() error { return e.err }
