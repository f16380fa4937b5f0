package plan

import (
	"strings"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// Bound is one ordering comparison: a value is less than, at most, greater
// than or at least a number or a string.
type Bound struct {
	Cmp    ir.Cmp    // ir.CmpLT, CmpLE, CmpGT or CmpGE
	Num    ir.Number // the bound when IsText is false
	Text   string    // the bound when IsText is true
	IsText bool      // compare strings by code point instead of numbers
}

// num tests a number against a numeric bound, exactly (ir.Compare).
func (b *Bound) num(n ir.Number) bool {
	if b.IsText {
		return false
	}
	c, ok := ir.Compare(n, b.Num)
	return ok && b.Cmp.Holds(c) // NaN holds nothing
}

// str tests a string: against a text bound by code point order, against a
// numeric bound when it spells a number.
func (b *Bound) str(s string) bool {
	if b.IsText {
		return b.Cmp.Holds(strings.Compare(s, b.Text))
	}
	n, ok := Spelled(s)
	return ok && b.num(n)
}

// String renders the bound, e.g. "ge 5" or `lt "m"`.
func (b *Bound) String() string {
	if b.IsText {
		return b.Cmp.String() + " " + matcher.Quote(b.Text)
	}
	return b.Cmp.String() + " " + b.Num.String()
}
