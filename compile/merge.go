package compile

import (
	"github.com/ruleforge/ruleforge/ir"
)

// mergeValues joins the predicates under one or that read the same field
// with the same comparison and case mode into one predicate holding all
// their values (without repeats), at the place of the first. A predicate
// is already an or over its values, so this changes nothing but cost.
func mergeValues(x *ir.Expr) (*ir.Expr, bool) {
	return rebuild(x, mergeNode)
}

// mergeKey identifies predicates that may be merged.
type mergeKey struct {
	field string
	cmp   ir.Cmp
	cs    bool
}

// mergeNode merges the predicate operands of one or node. Each group of
// predicates is merged once, with one set of the values seen, so an or of
// n predicates costs O(n + values), not a copy of the values so far per
// predicate (a quadratic compile of long or chains).
func mergeNode(x *ir.Expr) (*ir.Expr, bool) {
	if x.Op != ir.OpOr || len(x.Args) < 2 {
		return x, false
	}
	groups := map[mergeKey][]*ir.Pred{} // key → its predicates, the first at its place
	args := make([]*ir.Expr, 0, len(x.Args))
	type place struct {
		key mergeKey
		at  int // index in args
	}
	var places []place // where each group's first predicate is
	for _, a := range x.Args {
		if a.Op != ir.OpPred || a.Pred.Cmp == ir.CmpExists || a.Pred.Left != nil || a.Pred.Right != nil {
			args = append(args, a)
			continue
		}
		k := mergeKey{string(appendReadsKey(nil, a.Pred.Field)), a.Pred.Cmp, a.Pred.CaseSensitive}
		g, ok := groups[k]
		if !ok {
			places = append(places, place{k, len(args)})
			args = append(args, a)
		}
		groups[k] = append(g, a.Pred)
	}
	if len(args) == len(x.Args) { // no two in one group
		return x, false
	}
	for _, pl := range places {
		g := groups[pl.key]
		if len(g) == 1 {
			continue
		}
		p := *g[0]
		p.Values = nil
		seen := map[string]bool{}
		for _, q := range g {
			for _, v := range q.Values {
				if key := v.Kind.String() + v.String(); !seen[key] {
					seen[key] = true
					p.Values = append(p.Values, v)
				}
			}
		}
		args[pl.at] = ir.P(&p)
	}
	return &ir.Expr{Op: ir.OpOr, Args: args}, true
}
