package eval

import (
	"strings"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// Compare compares two computed values with cmp (equal, prefix, suffix,
// contains or an ordering), as Elasticsearch compares script values:
// strings by code point (fold ignores case, Unicode simple folding),
// numbers exactly ([ir.Compare]; a number may also be an ir.Number, as
// the front end's constants are), booleans for equality. Values of
// different types are unequal and unordered.
func Compare(cmp ir.Cmp, fold bool, l, r any) bool {
	ls, lStr := l.(string)
	rs, rStr := r.(string)
	if lStr && rStr {
		if fold {
			ls, rs = matcher.Fold(ls), matcher.Fold(rs)
		}
		switch cmp {
		case ir.CmpEqual:
			return ls == rs
		case ir.CmpPrefix:
			return strings.HasPrefix(ls, rs)
		case ir.CmpSuffix:
			return strings.HasSuffix(ls, rs)
		case ir.CmpContains:
			return strings.Contains(ls, rs)
		}
		return cmp.IsOrder() && cmp.Holds(strings.Compare(ls, rs))
	}
	ln, lNum := ir.NumberOf(l) // computed values: int64 or float64
	rn, rNum := ir.NumberOf(r)
	if lNum && rNum && (cmp == ir.CmpEqual || cmp.IsOrder()) {
		c, ok := ir.Compare(ln, rn)
		return ok && cmp.Holds(c)
	}
	lb, lBool := l.(bool)
	rb, rBool := r.(bool)
	return lBool && rBool && cmp == ir.CmpEqual && lb == rb
}
