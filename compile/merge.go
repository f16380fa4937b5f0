package compile

import "github.com/ruleforge/ruleforge/ir"

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

// mergeNode merges the predicate operands of one or node.
func mergeNode(x *ir.Expr) (*ir.Expr, bool) {
	if x.Op != ir.OpOr || len(x.Args) < 2 {
		return x, false
	}
	first := map[mergeKey]int{} // key → index in args
	args := make([]*ir.Expr, 0, len(x.Args))
	changed := false
	for _, a := range x.Args {
		if a.Op != ir.OpPred || a.Pred.Cmp == ir.CmpExists || a.Pred.Left != nil || a.Pred.Right != nil {
			args = append(args, a)
			continue
		}
		k := mergeKey{a.Pred.Field.Key(), a.Pred.Cmp, a.Pred.CaseSensitive}
		i, ok := first[k]
		if !ok {
			first[k] = len(args)
			args = append(args, a)
			continue
		}
		p := *args[i].Pred
		p.Values = appendNew(append([]ir.Value(nil), p.Values...), a.Pred.Values)
		args[i] = ir.P(&p)
		changed = true
	}
	if !changed {
		return x, false
	}
	return &ir.Expr{Op: ir.OpOr, Args: args}, true
}

// appendNew appends the values of add that dst does not hold yet.
func appendNew(dst, add []ir.Value) []ir.Value {
	seen := make(map[string]bool, len(dst)+len(add))
	for _, v := range dst {
		seen[v.Kind.String()+v.String()] = true
	}
	for _, v := range add {
		k := v.Kind.String() + v.String()
		if !seen[k] {
			seen[k] = true
			dst = append(dst, v)
		}
	}
	return dst
}
