package sigma

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// parsePattern reads a Sigma string value as a pattern: "*" matches any run
// of characters, "?" exactly one; "\*", "\?" and "\\" stand for a literal
// "*", "?" and "\"; a backslash before any other character, or at the end,
// is a literal backslash. The result is normalized (Pattern.Norm); the
// empty string gives the empty pattern.
func parsePattern(s string) ir.Pattern {
	var p ir.Pattern
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p = append(p, ir.Piece{Kind: ir.PieceLit, Text: lit.String()})
			lit.Reset()
		}
	}
	// Byte by byte: the special characters are ASCII, and no byte of a
	// multi-byte UTF-8 sequence is ASCII.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			flush()
			p = append(p, ir.Piece{Kind: ir.PieceStar})
		case '?':
			flush()
			p = append(p, ir.Piece{Kind: ir.PieceOne})
		case '\\':
			if i+1 < len(s) && (s[i+1] == '*' || s[i+1] == '?' || s[i+1] == '\\') {
				i++
				lit.WriteByte(s[i])
			} else {
				lit.WriteByte('\\')
			}
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return p.Norm()
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

// newValue returns the value of a decoded YAML scalar.
func newValue(x any) (*value, error) {
	v := &value{cmp: ir.CmpGlob}
	var n ir.Number
	switch x := x.(type) {
	case nil:
		v.kind = vNull
		return v, nil
	case string:
		v.kind, v.raws = vString, []string{x}
		v.pats = []ir.Pattern{parsePattern(x)}
		return v, nil
	case bool:
		v.kind, v.b = vBool, x
		return v, nil
	case int:
		n, v.text = ir.Int(int64(x)), strconv.Itoa(x)
	case int64:
		n, v.text = ir.Int(x), strconv.FormatInt(x, 10)
	case uint64:
		n, v.text = ir.Uint(x), strconv.FormatUint(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("%w: number %v", ir.ErrUnsupported, x)
		}
		n, v.text = ir.Float(x), strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return nil, fmt.Errorf("%w: value of type %T", ir.ErrUnsupported, x)
	}
	v.kind, v.num = vNumber, n
	return v, nil
}

// asString turns a number into its decimal text, for the string modifiers.
func (v *value) asString() {
	if v.kind == vNumber {
		v.kind, v.raws = vString, []string{v.text}
		v.pats = []ir.Pattern{ir.Lit(v.text)}
	}
}

// predKey is what the values of one predicate share.
type predKey struct {
	cmp   ir.Cmp
	cased bool
}

// operand is one value of a field after its modifiers: alternatives, any
// of which may match, or an expression of its own (null, exists).
type operand struct {
	expr *ir.Expr
	alts []alt
}

// alt is one alternative of an operand: values for one predicate.
type alt struct {
	key  predKey
	vals []ir.Value
}

// lowerField lowers one "field|modifiers: values" entry of a search, or,
// with field "", keywords. xs are the values sigma-go decoded and nodes the
// YAML nodes they came from; key is the entry's key node.
func (l *lowerer) lowerField(search, field string, mods []string, key *yaml.Node, nodes []*yaml.Node, xs []any) (*ir.Expr, error) {
	c, err := l.modifiers(search, field, mods, key)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("search %q: field %q", search, field)
	f := fieldFor(field, l.logsource)
	if field == "" {
		what = fmt.Sprintf("search %q", search)
		f = ir.AnyField()
	}
	switch n := len(nodes); {
	case n == 0:
		return nil, l.errorf(key.Line, key.Column, "search %q: field %q has an empty list of values", search, field)
	case n > l.cfg.maxValues:
		return nil, l.errorf(key.Line, key.Column, "%s has %d values, more than the limit of %d", what, n, l.cfg.maxValues)
	}
	ops := make([]operand, 0, len(nodes))
	total := 0
	for i, n := range nodes {
		n = resolve(n)
		unknown := len(l.unknown)
		op, err := l.operand(c, xs[i], field == "")
		if err != nil {
			return nil, l.errorf(n.Line, n.Column, "%s: %w", what, err)
		}
		if unknown == 0 && len(l.unknown) > 0 {
			l.unknownAt = n
		}
		for _, a := range op.alts {
			total += len(a.vals)
		}
		if total > l.cfg.maxValues {
			return nil, l.errorf(key.Line, key.Column, "%s expands to more than %d values", what, l.cfg.maxValues)
		}
		ops = append(ops, op)
	}
	var x *ir.Expr
	if c.all {
		args := make([]*ir.Expr, 0, len(ops))
		for _, o := range ops {
			args = append(args, matchAny(f, []operand{o}))
		}
		x = and(args...)
	} else {
		x = matchAny(f, ops)
	}
	if c.neq {
		x = ir.Not(x)
	}
	return x, nil
}

// operand runs the modifiers on one decoded value and turns the result
// into an operand. Keywords compare by substring.
func (l *lowerer) operand(c *chain, x any, keyword bool) (operand, error) {
	v, err := newValue(x)
	if err != nil {
		return operand{}, err
	}
	if c.expand {
		nothing, err := l.expandValue(v)
		if err != nil {
			return operand{}, err
		}
		if nothing {
			return operand{expr: ir.Const(false)}, nil
		}
	}
	for _, m := range c.mods {
		if err := v.apply(m, l.cfg.maxValues); err != nil {
			return operand{}, err
		}
	}
	if keyword {
		switch v.kind {
		case vNull:
			return operand{}, errors.New("null is not a keyword")
		case vExists:
			return operand{}, fmt.Errorf("modifier %q needs a field", "exists")
		case vNumber, vBool:
			text := v.text
			if v.kind == vBool {
				text = fmt.Sprint(v.b)
			}
			return operand{alts: []alt{{predKey{ir.CmpContains, false}, []ir.Value{ir.Str(text)}}}}, nil
		case vString:
			if v.cmp == ir.CmpGlob {
				v.cmp = ir.CmpContains
			}
		}
	}
	switch v.kind {
	case vNull:
		return operand{expr: ir.Not(ir.P(pred(nil, ir.CmpExists, false)))}, nil
	case vExists:
		x := ir.P(pred(nil, ir.CmpExists, false))
		if !v.b {
			x = ir.Not(x)
		}
		return operand{expr: x}, nil
	case vFieldref:
		p := pred(nil, v.cmp, v.cased)
		p.Right = &ir.Term{Fn: ir.FnField, Field: fieldFor(v.raws[0], l.logsource)}
		return operand{expr: ir.P(p)}, nil
	case vTimePart:
		p := pred(nil, v.cmp, false, ir.NumOf(v.num))
		p.Left = &ir.Term{Fn: v.part, Args: []*ir.Term{{Fn: ir.FnField}}}
		return operand{expr: ir.P(p)}, nil
	case vBool:
		return operand{alts: []alt{{predKey{ir.CmpEqual, false}, []ir.Value{ir.Bool(v.b), ir.Str(fmt.Sprint(v.b))}}}}, nil
	case vNumber:
		return operand{alts: []alt{{predKey{ir.CmpEqual, false}, []ir.Value{ir.NumOf(v.num)}}}}, nil
	case vOrder:
		return operand{alts: []alt{{predKey{v.cmp, false}, []ir.Value{ir.NumOf(v.num)}}}}, nil
	case vCIDR:
		vals := make([]ir.Value, len(v.raws))
		for i, r := range v.raws {
			vals[i] = ir.Str(r)
		}
		return operand{alts: []alt{{predKey{ir.CmpCIDR, false}, vals}}}, nil
	case vRegex:
		vals := make([]ir.Value, len(v.raws))
		for i, r := range v.raws {
			src, err := v.regexSource(r)
			if err != nil {
				return operand{}, err
			}
			vals[i] = ir.Str(src)
		}
		return operand{alts: []alt{{predKey{ir.CmpRegex, !v.fold}, vals}}}, nil
	}
	vals := make([]ir.Value, len(v.pats))
	for i, p := range v.pats {
		vals[i] = ir.Glob(p)
	}
	return operand{alts: []alt{{predKey{v.cmp, v.cased}, vals}}}, nil
}

// matchAny returns the expression that holds when f matches any of ops:
// one predicate per comparison and case sensitivity, in the order each
// first appears, holding all the values for it, and the operands' own
// expressions, ORed.
func matchAny(f ir.Field, ops []operand) *ir.Expr {
	// Count each key's values first, so that each predicate's values are
	// allocated once, not grown value by value (most fields have one key
	// and many values): a small list, as there are few keys.
	type count struct {
		key predKey
		n   int
	}
	var counts []count
	for _, o := range ops {
	alts:
		for _, a := range o.alts {
			for i := range counts {
				if counts[i].key == a.key {
					counts[i].n += len(a.vals)
					continue alts
				}
			}
			counts = append(counts, count{a.key, len(a.vals)})
		}
	}
	var args []*ir.Expr
	byKey := make(map[predKey]*ir.Pred, len(counts))
	seen := map[string]bool{}
	for _, o := range ops {
		if o.expr != nil {
			x := withField(o.expr, f)
			if s := x.String(); !seen[s] {
				seen[s] = true
				args = append(args, x)
			}
			continue
		}
		for _, a := range o.alts {
			if p := byKey[a.key]; p != nil {
				p.Values = append(p.Values, a.vals...)
				continue
			}
			p := pred(&f, a.key.cmp, a.key.cased)
			for _, c := range counts {
				if c.key == a.key && c.n > 0 {
					p.Values = append(make([]ir.Value, 0, c.n), a.vals...)
				}
			}
			byKey[a.key] = p
			args = append(args, ir.P(p))
		}
	}
	return or(args...)
}

// withField sets the field of every predicate of x, a new expression.
func withField(x *ir.Expr, f ir.Field) *ir.Expr {
	ir.Walk(x, func(y *ir.Expr) bool {
		if y.Pred != nil {
			y.Pred.Field = copyField(f)
			fillField(y.Pred.Left, f)
		}
		return true
	})
	return x
}

// fillField gives the field term with no name in t (the operand of a time
// part) the field f.
func fillField(t *ir.Term, f ir.Field) {
	if t == nil {
		return
	}
	if t.Fn == ir.FnField && t.Field.Name == "" {
		t.Field = copyField(f)
	}
	for _, a := range t.Args {
		fillField(a, f)
	}
}

// copyField returns f with its own copy of the paths.
func copyField(f ir.Field) ir.Field {
	f.Paths = append([]string(nil), f.Paths...)
	return f
}

// pred returns a predicate on its own copy of *f (no field when f is nil).
func pred(f *ir.Field, cmp ir.Cmp, cased bool, vals ...ir.Value) *ir.Pred {
	p := &ir.Pred{Cmp: cmp, Values: append([]ir.Value(nil), vals...), CaseSensitive: cased}
	if f != nil {
		p.Field = copyField(*f)
	}
	return p
}

// and returns the conjunction of args, or the one argument itself.
func and(args ...*ir.Expr) *ir.Expr {
	if len(args) == 1 {
		return args[0]
	}
	return ir.And(args...)
}

// or returns the disjunction of args, or the one argument itself.
func or(args ...*ir.Expr) *ir.Expr {
	if len(args) == 1 {
		return args[0]
	}
	return ir.Or(args...)
}
