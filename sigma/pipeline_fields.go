package sigma

import (
	"slices"

	"github.com/ruleforge/ruleforge/ir"
)

// MapFields applies the field name mappings of pipelines to a rule that
// is not Sigma's (an EQL rule): where a pipeline maps the names the rule
// reads, as Elastic writes them (process.executable, …), to a schema's.
// Only what makes sense without a Sigma rule applies: field_name_mapping,
// field_name_prefix_mapping, field_name_prefix and field_name_suffix
// transformations without rule conditions
// (a rule condition reads a Sigma log source or search, which the rule
// has not), with their field name conditions, in the pipelines' order.
// A field mapped to several names reads the first of them the event holds
// (ir.Field.Paths), as the rule's other paths are read. Stateful rules
// (sequences, samples) are left as they are. r.Expr is replaced by a
// mapped copy, never changed in place: a lowered expression may share
// nodes with other rules' (ParseRule).
func MapFields(r *ir.Rule, ps ...*Pipeline) {
	var items []*pipelineItem
	for _, p := range orderPipelines(ps) {
		for _, it := range p.items {
			if it.mapsFields() && len(it.ruleConds) == 0 {
				items = append(items, it)
			}
		}
	}
	if len(items) == 0 || r.Expr == nil {
		return
	}
	r.Expr = r.Expr.Clone()
	ir.Walk(r.Expr, func(x *ir.Expr) bool {
		if p := x.Pred; p != nil {
			mapField(&p.Field, items)
			mapTerm(p.Left, items)
			mapTerm(p.Right, items)
		}
		return true
	})
}

// mapsFields reports whether the transformation renames fields.
func (it *pipelineItem) mapsFields() bool {
	switch it.typ {
	case "field_name_mapping", "field_name_prefix_mapping", "field_name_prefix", "field_name_suffix":
		return true
	}
	return false
}

// mapTerm maps the fields a term reads.
func mapTerm(t *ir.Term, items []*pipelineItem) {
	if t == nil {
		return
	}
	if t.Fn == ir.FnField {
		mapField(&t.Field, items)
	}
	for _, a := range t.Args {
		mapTerm(a, items)
	}
}

// mapField maps each path of f through items in turn.
func mapField(f *ir.Field, items []*pipelineItem) {
	if f.Any || f.Name == "" {
		return
	}
	paths := f.Lookup()
	for _, it := range items {
		var next []string
		for _, p := range paths {
			to := it.mapped(p)
			if to == nil {
				to = []string{p}
			}
			for _, t := range to {
				if !slices.Contains(next, t) {
					next = append(next, t)
				}
			}
		}
		paths = next
	}
	if !slices.Equal(paths, f.Lookup()) {
		f.Paths = paths
	}
}
