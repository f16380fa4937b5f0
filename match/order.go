package match

import (
	"strconv"
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// Bound is one ordering comparison: a value is less than, at most, greater
// than or at least a number or a string.
type Bound struct {
	Cmp    ir.Cmp  // ir.CmpLT, CmpLE, CmpGT or CmpGE
	Num    float64 // the bound when IsText is false
	Text   string  // the bound when IsText is true
	IsText bool    // compare strings by code point instead of numbers
}

// num tests a number against a numeric bound.
func (b *Bound) num(f float64) bool {
	if b.IsText {
		return false
	}
	switch {
	case f < b.Num:
		return b.Cmp.Holds(-1)
	case f > b.Num:
		return b.Cmp.Holds(1)
	case f == b.Num:
		return b.Cmp.Holds(0)
	}
	return false // NaN
}

// str tests a string: against a text bound by code point order, against a
// numeric bound when it spells a number.
func (b *Bound) str(s string) bool {
	if b.IsText {
		return b.Cmp.Holds(strings.Compare(s, b.Text))
	}
	if !looksNumeric(s) {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && b.num(f)
}

// String renders the bound, e.g. "ge 5" or `lt "m"`.
func (b *Bound) String() string {
	if b.IsText {
		return b.Cmp.String() + " " + quote(b.Text)
	}
	return b.Cmp.String() + " " + strconv.FormatFloat(b.Num, 'g', -1, 64)
}
