package sigma

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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

// operand is one value of a field, as a predicate compares it: its value
// and the comparison, or null for "the field is absent".
type operand struct {
	null bool
	cmp  ir.Cmp
	val  ir.Value
}

// lowerValue turns one decoded YAML value into an operand. cmp is the
// comparison the modifiers ask for (CmpGlob without one); mod names the
// modifier in messages. Strings are patterns; numbers compare as numbers
// without a modifier and as their decimal text with one; booleans compare
// equal; null means the field is absent. The message of a failure names
// the value.
func lowerValue(v any, cmp ir.Cmp, mod string) (operand, string) {
	var (
		num  float64
		text string // num's decimal text
	)
	switch v := v.(type) {
	case nil:
		if mod != "" {
			return operand{}, fmt.Sprintf("modifier %q does not apply to null", mod)
		}
		return operand{null: true}, ""
	case string:
		return operand{cmp: cmp, val: ir.Glob(parsePattern(v))}, ""
	case bool:
		if mod != "" {
			return operand{}, fmt.Sprintf("modifier %q does not apply to %t", mod, v)
		}
		return operand{cmp: ir.CmpEqual, val: ir.Bool(v)}, ""
	case int:
		num, text = float64(v), strconv.Itoa(v)
	case int64:
		num, text = float64(v), strconv.FormatInt(v, 10)
	case uint64:
		num, text = float64(v), strconv.FormatUint(v, 10)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return operand{}, fmt.Sprintf("unsupported: number %v", v)
		}
		num, text = v, strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return operand{}, fmt.Sprintf("unsupported: value of type %T", v)
	}
	if mod != "" {
		return operand{cmp: cmp, val: ir.Glob(ir.Lit(text))}, ""
	}
	return operand{cmp: ir.CmpEqual, val: ir.Num(num)}, ""
}

// matchAny returns the expression that holds when f matches any of ops:
// one predicate per comparison, in the order each first appears, holding
// all the values for it, and "not exists" for null, ORed.
func matchAny(f ir.Field, ops []operand) *ir.Expr {
	var args []*ir.Expr
	byCmp := map[ir.Cmp]*ir.Pred{}
	null := false
	for _, o := range ops {
		switch {
		case o.null:
			if !null {
				null = true
				args = append(args, absent(f))
			}
		case byCmp[o.cmp] != nil:
			p := byCmp[o.cmp]
			p.Values = append(p.Values, o.val)
		default:
			p := pred(f, o.cmp, o.val)
			byCmp[o.cmp] = p
			args = append(args, ir.P(p))
		}
	}
	return or(args...)
}

// matchAll returns the expression that holds when f matches every one of
// ops: one predicate per value, ANDed.
func matchAll(f ir.Field, ops []operand) *ir.Expr {
	args := make([]*ir.Expr, 0, len(ops))
	for _, o := range ops {
		if o.null {
			args = append(args, absent(f))
			continue
		}
		args = append(args, ir.P(pred(f, o.cmp, o.val)))
	}
	return and(args...)
}

// pred returns a case-insensitive predicate on its own copy of f.
func pred(f ir.Field, cmp ir.Cmp, vals ...ir.Value) *ir.Pred {
	f.Paths = append([]string(nil), f.Paths...)
	return &ir.Pred{Field: f, Cmp: cmp, Values: vals}
}

// absent returns "not (f exists)".
func absent(f ir.Field) *ir.Expr {
	return ir.Not(ir.P(pred(f, ir.CmpExists)))
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
