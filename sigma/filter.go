package sigma

import (
	"path/filepath"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// Logsource is the log source of a rule or a filter. Empty fields are
// unset.
type Logsource struct {
	Category, Product, Service string
}

// Filter is a Sigma filter rule (Sigma filters specification v2): searches
// and a condition that tune the rules it names. Loaded with ParseFilter,
// applied with Apply or, at load time, with the WithFilters option.
//
// As in pySigma, a filter's condition is ANDed into a rule as written, so
// a filter that suppresses matches says so: "condition: not selection".
type Filter struct {
	ID        string
	Title     string
	Rules     []string  // rules named by id, title or file name without extension; empty: every rule
	Logsource Logsource // a rule's log source must have every field set here, with the same value
	Source    ir.Pos    // the position of the "filter:" key
	Expr      *ir.Expr  // the filter's condition over its searches
}

// ParseFilter loads one Sigma filter rule: its metadata, log source, the
// rules it names ("rules:" a list of ids, titles or file names; "any" or
// "all" for every rule of the log source; an empty list is an error), its searches
// and its condition. Fields are looked up as in the rules of its log
// source. Options other than Placeholders have no effect. Every error is
// an *ir.Error with a position in file.
func ParseFilter(file string, src []byte, opts ...Option) (f *Filter, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, ir.Errorf(startPos(file), "internal error: %v", r)
		}
	}()
	d, cfg, err := openDoc(file, src, opts)
	if err != nil {
		return nil, err
	}
	key := d.keys["filter"]
	switch {
	case d.keys["correlation"] != nil:
		k := d.keys["correlation"]
		return nil, d.errorf(k.Line, k.Column, "correlation rule: load it with ParseFile")
	case key == nil && d.keys["detection"] != nil:
		k := d.keys["detection"]
		return nil, d.errorf(k.Line, k.Column, "detection rule: load it with ParseRule")
	case key == nil:
		return nil, d.errorf(1, 1, "filter rule has no filter")
	}
	if len(cfg.pipelines) > 0 {
		if cfg.placeholders, err = d.applyPipelines(&cfg, "filter"); err != nil {
			return nil, err
		}
	}
	det, err := d.checkDetection(key, true)
	if err != nil {
		return nil, err
	}
	var meta sigmago.Rule
	if err := decode(d.posMap, d.without("filter", "detection"), &meta); err != nil {
		return nil, err
	}
	rules, err := d.filterRules(key, det.rules)
	if err != nil {
		return nil, err
	}
	x, err := newLowerer(d, meta.Logsource, cfg).lower(det)
	if err != nil {
		return nil, err
	}
	return &Filter{
		ID:        meta.ID,
		Title:     meta.Title,
		Rules:     rules,
		Logsource: Logsource{Category: meta.Logsource.Category, Product: meta.Logsource.Product, Service: meta.Logsource.Service},
		Source:    d.pos(key.Line, key.Column),
		Expr:      x,
	}, nil
}

// filterRules reads a filter's "rules:": a string or a list of strings;
// "any" and "all" mean every rule (nil). An empty list is an error: the
// Sigma filters specification (v2.0.0, "Relative rules", and its JSON
// schema's "minItems": 1) asks for one or more rules, and taking it for
// every rule would tune all rules silently.
func (d *doc) filterRules(key, n *yaml.Node) ([]string, error) {
	if n == nil {
		return nil, d.errorf(key.Line, key.Column, `filter has no "rules" (name the rules, or write "rules: any")`)
	}
	n = resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) || strings.EqualFold(n.Value, "any") || strings.EqualFold(n.Value, "all") {
			return nil, nil
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		if len(n.Content) == 0 { // the schema's "minItems": 1; not "every rule" by accident
			return nil, d.errorf(n.Line, n.Column, `filter rules is an empty list (name at least one rule, or write "rules: any")`)
		}
		var out []string
		for _, e := range n.Content {
			e = resolve(e)
			if e.Kind != yaml.ScalarNode || isNull(e) {
				return nil, d.errorf(e.Line, e.Column, "filter rules: item is a YAML %s, not a rule id or title", kindName(e))
			}
			out = append(out, e.Value)
		}
		return out, nil
	}
	return nil, d.errorf(n.Line, n.Column, "filter rules is a YAML %s, not a list of rule ids", kindName(n))
}

// Apply ANDs the filter's condition into r's expression when the filter
// names r (or names no rules), and reports whether it did. The lowered
// rule no longer carries its log source, so Apply does not check it; the
// WithFilters option of ParseRule does.
func (f *Filter) Apply(r *ir.Rule) bool {
	if !f.names(r) {
		return false
	}
	r.Expr = ir.And(r.Expr, f.Expr.Clone())
	return true
}

// names reports whether the filter applies to r by name: its id, its title
// or its file name without directory and extension.
func (f *Filter) names(r *ir.Rule) bool {
	if len(f.Rules) == 0 {
		return true
	}
	stem := strings.TrimSuffix(filepath.Base(r.Source.File), filepath.Ext(r.Source.File))
	for _, ref := range f.Rules {
		if ref != "" && (ref == r.ID || ref == r.Title || ref == stem) {
			return true
		}
	}
	return false
}

// covers reports whether the filter's log source covers a rule's: every
// field the filter sets is the rule's, ignoring case.
func (f *Filter) covers(ls sigmago.Logsource) bool {
	match := func(want, got string) bool { return want == "" || strings.EqualFold(want, got) }
	return match(f.Logsource.Category, ls.Category) && match(f.Logsource.Product, ls.Product) && match(f.Logsource.Service, ls.Service)
}
