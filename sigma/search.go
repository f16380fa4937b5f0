package sigma

import (
	"sort"

	sigmago "github.com/bradleyjkemp/sigma-go"

	"github.com/ruleforge/ruleforge/ir"
)

// The modifiers ParseRule supports, and the comparison each one asks for.
var cmpModifiers = map[string]ir.Cmp{
	"contains":   ir.CmpContains,
	"startswith": ir.CmpPrefix,
	"endswith":   ir.CmpSuffix,
}

// modAll is the modifier that ANDs a field's values instead of ORing them.
const modAll = "all"

// searches lowers every search of the detection, in the order they appear
// in the file, whether the condition uses them or not.
func (l *lowerer) searches(ss map[string]sigmago.Search) error {
	names := make([]string, 0, len(ss))
	for n := range ss {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		li, ci := ss[names[i]].Position()
		lj, cj := ss[names[j]].Position()
		if li != lj {
			return li < lj
		}
		return ci < cj
	})
	l.search = make(map[string]*ir.Expr, len(ss))
	l.size = make(map[string]int, len(ss))
	for _, n := range names {
		x, err := l.lowerSearch(n, ss[n])
		if err != nil {
			return err
		}
		l.search[n] = x
		ir.Walk(x, func(y *ir.Expr) bool {
			l.size[n]++
			if y.Pred != nil {
				l.size[n] += len(y.Pred.Values)
			}
			return true
		})
	}
	sort.Strings(names)
	l.names = names
	return nil
}

// lowerSearch lowers one search: a mapping is the AND of its fields, a
// list of mappings the OR of the mappings.
func (l *lowerer) lowerSearch(name string, s sigmago.Search) (*ir.Expr, error) {
	line, col := s.Position()
	if s.Keywords != nil {
		return nil, l.errorAt(line, col, "search %q: unsupported: keyword search", name)
	}
	if len(s.EventMatchers) == 0 {
		return nil, l.errorAt(line, col, "search %q is empty", name)
	}
	alts := make([]*ir.Expr, 0, len(s.EventMatchers))
	for _, em := range s.EventMatchers {
		if len(em) == 0 {
			return nil, l.errorAt(line, col, "search %q has an empty mapping", name)
		}
		fields := make([]*ir.Expr, 0, len(em))
		for _, fm := range em {
			x, err := l.lowerField(name, fm)
			if err != nil {
				return nil, err
			}
			fields = append(fields, x)
		}
		alts = append(alts, and(fields...))
	}
	return or(alts...), nil
}

// lowerField lowers one "field|modifiers: values" entry of a search.
func (l *lowerer) lowerField(search string, fm sigmago.FieldMatcher) (*ir.Expr, error) {
	line, col := fm.Position()
	if fm.Field == "" {
		return nil, l.errorAt(line, col, "search %q: unsupported: keyword search", search)
	}
	cmp, mod, all := ir.CmpGlob, "", false
	for _, m := range fm.Modifiers {
		c, ok := cmpModifiers[m]
		switch {
		case m == modAll && all:
			return nil, l.errorAt(line, col, "search %q: duplicate modifier %q on field %q", search, m, fm.Field)
		case m == modAll:
			all = true
		case !ok:
			return nil, l.errorAt(line, col, "search %q: unsupported modifier %q on field %q", search, m, fm.Field)
		case mod == m:
			return nil, l.errorAt(line, col, "search %q: duplicate modifier %q on field %q", search, m, fm.Field)
		case mod != "":
			return nil, l.errorAt(line, col, "search %q: modifiers %q and %q on field %q conflict", search, mod, m, fm.Field)
		default:
			cmp, mod = c, m
		}
	}
	switch n := len(fm.Values); {
	case n == 0:
		return nil, l.errorAt(line, col, "search %q: field %q has an empty list of values", search, fm.Field)
	case n > MaxValues:
		return nil, l.errorAt(line, col, "search %q: field %q has %d values, more than the limit of %d", search, fm.Field, n, MaxValues)
	}
	ops := make([]operand, 0, len(fm.Values))
	for _, v := range fm.Values {
		o, msg := lowerValue(v, cmp, mod)
		if msg != "" {
			return nil, l.errorAt(line, col, "search %q: field %q: %s", search, fm.Field, msg)
		}
		ops = append(ops, o)
	}
	f := fieldFor(fm.Field, l.logsource)
	if all {
		return matchAll(f, ops), nil
	}
	return matchAny(f, ops), nil
}
