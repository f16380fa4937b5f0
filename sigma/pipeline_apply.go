package sigma

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// WithPipelines applies processing pipelines (ParsePipeline) to each rule
// before it is lowered: lowest Priority first, pipelines of equal priority
// in the order given, as pySigma's ProcessingPipelineResolver orders them
// (a stable sort by priority alone), and
// within a pipeline its transformations in file order. The pipelines are
// read, never changed, and may be shared.
func WithPipelines(ps ...*Pipeline) Option {
	return func(c *config) { c.pipelines = append(c.pipelines, ps...) }
}

// orderPipelines returns ps sorted by priority, equal priorities in the
// order of ps.
func orderPipelines(ps []*Pipeline) []*Pipeline {
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b *Pipeline) int { return cmp.Compare(a.Priority, b.Priority) })
	return out
}

// pipelineRun is the state of applying pipelines to one rule.
type pipelineRun struct {
	d         *doc
	det       *yaml.Node // the detection mapping
	filter    bool       // det is a filter rule's: its rules key names rules
	ls        logsource
	conds     int  // add_condition searches added so far
	expand    bool // a value_placeholders transformation applied
	vars      map[string][]string
	lsChanged bool
}

// applyPipelines applies the pipelines of cfg to the rule's node tree in
// place (its searches under key: detection, or filter for a filter rule),
// and returns the placeholder values the rule's expand modifiers use: the
// Placeholders option's, and the pipelines' vars when a value_placeholders
// transformation applied to the rule.
func (d *doc) applyPipelines(cfg *config, key string) (map[string][]string, error) {
	det := d.value(key)
	if det == nil || det.Kind != yaml.MappingNode {
		return cfg.placeholders, nil // checkDetection reports it
	}
	r := &pipelineRun{d: d, det: det, filter: key == "filter", ls: d.logsource(), vars: map[string][]string{}}
	for _, p := range orderPipelines(cfg.pipelines) {
		maps.Copy(r.vars, p.vars)
		for _, it := range p.items {
			if !it.ruleMatches(r) {
				continue
			}
			if err := r.apply(it); err != nil {
				return nil, err
			}
		}
	}
	if r.lsChanged {
		d.setLogsource(r.ls)
	}
	if !r.expand {
		return cfg.placeholders, nil
	}
	ph := maps.Clone(r.vars)
	maps.Copy(ph, cfg.placeholders)
	return ph, nil
}

// apply applies one transformation.
func (r *pipelineRun) apply(it *pipelineItem) error {
	switch {
	case it.mapsFields():
		var err error
		r.eachSearch(func(name string, v *yaml.Node) *yaml.Node {
			out, dup := it.mapSearch(v)
			if dup != "" && err == nil {
				err = it.errorf("it maps two fields of search %q to %q (a search holds a field once)", name, dup)
			}
			return out
		})
		return err
	case it.typ == "add_condition":
		r.addCondition(it)
	case it.typ == "change_logsource":
		r.ls, r.lsChanged = it.logsource, true
	case it.typ == "drop_detection_item":
		var err error
		r.eachSearch(func(_ string, v *yaml.Node) *yaml.Node {
			out, empty := it.drop(v)
			if empty && err == nil {
				err = it.errorf("it drops every field of a search")
			}
			return out
		})
		return err
	case it.typ == "replace_string":
		seen := map[*yaml.Node]bool{}
		r.eachSearch(func(_ string, v *yaml.Node) *yaml.Node {
			it.replace(v, seen)
			return v
		})
	case it.typ == "value_placeholders":
		r.expand = true
	}
	return nil
}

// eachSearch replaces each search of the detection by what fn makes of it
// and its name.
func (r *pipelineRun) eachSearch(fn func(name string, v *yaml.Node) *yaml.Node) {
	for i := 0; i+1 < len(r.det.Content); i += 2 {
		if k := r.det.Content[i].Value; k == "condition" || k == "timeframe" || k == "rules" && r.filter {
			continue
		}
		r.det.Content[i+1] = fn(r.det.Content[i].Value, resolve(r.det.Content[i+1]))
	}
}

// ruleMatches evaluates the transformation's rule conditions on the rule
// as the transformations before it left it: all must hold (any with
// rule_cond_op or), negated with rule_cond_not; none always holds.
func (it *pipelineItem) ruleMatches(r *pipelineRun) bool {
	if len(it.ruleConds) == 0 {
		return true
	}
	ok := !it.ruleOr
	for _, c := range it.ruleConds {
		var m bool
		if c.logsource != nil {
			m = (c.logsource.category == "" || c.logsource.category == r.ls.category) &&
				(c.logsource.product == "" || c.logsource.product == r.ls.product) &&
				(c.logsource.service == "" || c.logsource.service == r.ls.service)
		} else {
			m = r.containsItem(c.field, c.value)
		}
		if it.ruleOr {
			ok = ok || m
		} else {
			ok = ok && m
		}
	}
	return ok != it.ruleNot
}

// containsItem reports whether a search of the detection has field with
// value among its values (pySigma's contains_detection_item).
func (r *pipelineRun) containsItem(field, value string) bool {
	found := false
	r.eachSearch(func(_ string, v *yaml.Node) *yaml.Node {
		for _, m := range searchMaps(v) {
			for i := 0; i+1 < len(m.Content); i += 2 {
				if fieldName(m.Content[i].Value) != field {
					continue
				}
				for _, s := range scalars(m.Content[i+1]) {
					found = found || s.Value == value
				}
			}
		}
		return v
	})
	return found
}

// fieldMatches evaluates the transformation's field name conditions on a
// field ("" for keywords, which include_fields never matches): all must
// hold (any with field_name_cond_op or), negated with field_name_cond_not;
// none always holds.
func (it *pipelineItem) fieldMatches(field string) bool {
	if !it.hasFieldConditions {
		return true
	}
	ok := !it.fieldOr
	for _, c := range it.fieldConds {
		m := false
		if field != "" {
			m = slices.Contains(c.names, field)
			if c.res != nil {
				m = slices.ContainsFunc(c.res, func(re *regexp.Regexp) bool { return re.MatchString(field) })
			}
		}
		if c.exclude {
			m = !m
		}
		if it.fieldOr {
			ok = ok || m
		} else {
			ok = ok && m
		}
	}
	return ok != it.fieldNot
}

// mapped returns the names a field is mapped to, or nil.
func (it *pipelineItem) mapped(field string) []string {
	if field == "" || !it.fieldMatches(field) {
		return nil
	}
	switch it.typ {
	case "field_name_mapping":
		return it.mapping[field]
	case "field_name_prefix":
		return []string{it.affix + field}
	case "field_name_suffix":
		return []string{field + it.affix}
	}
	for _, p := range it.prefixes {
		if strings.HasPrefix(field, p.from) {
			out := make([]string, len(p.to))
			for i, t := range p.to {
				out[i] = t + field[len(p.from):]
			}
			return out
		}
	}
	return nil
}

// mapSearch renames the fields of a search. A field mapped to several
// names matches when any of them does, as in pySigma: a mapping holding
// it becomes a list of mappings (ORed), one per name. dup is a key that
// two fields of one mapping would both become.
func (it *pipelineItem) mapSearch(v *yaml.Node) (out *yaml.Node, dup string) {
	var alts []*yaml.Node
	for _, m := range searchMaps(v) {
		ms, d := it.mapMapping(m)
		alts = append(alts, ms...)
		if dup == "" {
			dup = d
		}
	}
	if alts == nil {
		return v, dup // keywords
	}
	if len(alts) == 1 && v.Kind == yaml.MappingNode {
		return alts[0], dup
	}
	s := *v
	s.Kind, s.Tag, s.Content, s.Style = yaml.SequenceNode, "!!seq", alts, 0
	return &s, dup
}

// mapMapping returns the mappings that one mapping of fields becomes, and
// a key that two of its fields would both become.
func (it *pipelineItem) mapMapping(m *yaml.Node) (alts []*yaml.Node, dup string) {
	alts = []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map", Line: m.Line, Column: m.Column}}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		name, mods, _ := strings.Cut(k.Value, "|")
		if mods != "" {
			mods = "|" + mods
		}
		if strings.Contains(mods+"|", "|fieldref|") {
			v = it.mapFieldrefs(v)
		}
		to := it.mapped(name)
		if to == nil {
			for _, a := range alts {
				a.Content = append(a.Content, k, v)
			}
			continue
		}
		var next []*yaml.Node
		for _, a := range alts {
			for j, t := range to {
				b := a
				if j < len(to)-1 {
					b = cloneNode(a)
				}
				nk := *k
				nk.Value = t + mods
				val := v
				if len(to) > 1 {
					val = cloneNode(v)
				}
				b.Content = append(b.Content, &nk, val)
				next = append(next, b)
			}
		}
		alts = next
	}
	for _, a := range alts {
		seen := map[string]bool{}
		for e := 0; e < len(a.Content); e += 2 {
			if k := a.Content[e].Value; seen[k] && dup == "" {
				dup = k
			}
			seen[a.Content[e].Value] = true
		}
	}
	return alts, dup
}

// mapFieldrefs maps the field names that the values of a fieldref
// modifier name, as pySigma maps SigmaFieldReference values: a name mapped
// to several becomes several values, any of which may match.
func (it *pipelineItem) mapFieldrefs(v *yaml.Node) *yaml.Node {
	vals := scalars(v)
	changed := false
	var out []*yaml.Node
	for _, s := range vals {
		to := it.mapped(s.Value)
		if to == nil {
			out = append(out, s)
			continue
		}
		changed = true
		for _, t := range to {
			n := *s
			n.Value = t
			out = append(out, &n)
		}
	}
	if !changed {
		return v
	}
	if len(out) == 1 {
		return out[0]
	}
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: out, Line: v.Line, Column: v.Column}
}

// drop removes the fields that match the field name conditions from a
// search; empty reports that nothing is left of it.
func (it *pipelineItem) drop(v *yaml.Node) (out *yaml.Node, empty bool) {
	maps := searchMaps(v)
	if maps == nil {
		return v, false
	}
	var kept []*yaml.Node
	for _, m := range maps {
		n := *m
		n.Content = nil
		for i := 0; i+1 < len(m.Content); i += 2 {
			if name := fieldName(m.Content[i].Value); name == "" || !it.fieldMatches(name) {
				n.Content = append(n.Content, m.Content[i], m.Content[i+1])
			}
		}
		if len(n.Content) > 0 {
			kept = append(kept, &n)
		}
	}
	switch {
	case len(kept) == 0:
		return v, true
	case v.Kind == yaml.MappingNode:
		return kept[0], false
	}
	s := *v
	s.Content = kept
	return &s, false
}

// replace applies replace_string to the string and number values of a
// search whose field matches the field name conditions; values of the re,
// cidr, exists and fieldref modifiers are not strings and are left alone.
// seen keeps a value shared through YAML aliases from being replaced twice.
func (it *pipelineItem) replace(v *yaml.Node, seen map[*yaml.Node]bool) {
	edit := func(vals *yaml.Node) {
		for _, s := range scalars(vals) {
			if seen[s] || isNull(s) || s.ShortTag() == "!!bool" {
				continue
			}
			seen[s] = true
			s.Value = it.re.ReplaceAllString(s.Value, it.repl)
			s.Tag, s.Style = "!!str", yaml.SingleQuotedStyle
		}
	}
	maps := searchMaps(v)
	if maps == nil {
		if it.fieldMatches("") {
			edit(v)
		}
		return
	}
	for _, m := range maps {
		for i := 0; i+1 < len(m.Content); i += 2 {
			name, mods, _ := strings.Cut(m.Content[i].Value, "|")
			if !it.fieldMatches(name) || strings.Contains("|"+mods+"|", "|re|") ||
				strings.Contains("|"+mods+"|", "|cidr|") || strings.Contains("|"+mods+"|", "|exists|") ||
				strings.Contains("|"+mods+"|", "|fieldref|") {
				continue
			}
			if !it.replaceWildcards(m.Content[i], m.Content[i+1], seen) {
				edit(m.Content[i+1])
			}
		}
	}
}

// replaceWildcards applies replace_string to the values of a search whose
// modifiers are contains, startswith or endswith (with all or cased), as
// pySigma does: its modifiers have already made each value a string with
// wildcards ("*v*", "v*", "*v") when the transformation sees it
// (sigma/processing/transformations/values.py ReplaceStringTransformation
// reads str(value)), so "^C:" does not match a contains value. Where the
// regex changes a value, the values are written with their wildcards and
// the modifier dropped from the key (a Sigma value is a whole-value glob,
// so the search means the same). It reports false, leaving the values to
// the caller, for other modifiers and for a value that is null, a boolean
// or shared through a YAML alias already replaced.
func (it *pipelineItem) replaceWildcards(key, vals *yaml.Node, seen map[*yaml.Node]bool) bool {
	parts := strings.Split(key.Value, "|")
	var kept []string
	prefix, suffix := "", ""
	for _, m := range parts[1:] {
		switch m {
		case "contains":
			prefix, suffix = "*", "*"
		case "startswith":
			suffix = "*"
		case "endswith":
			prefix = "*"
		case "all", "cased":
			kept = append(kept, m)
		default:
			return false
		}
	}
	ss := scalars(vals)
	if prefix == "" && suffix == "" || len(ss) == 0 {
		return false
	}
	out := make([]string, len(ss))
	changed := false
	for i, s := range ss {
		if seen[s] || isNull(s) || s.ShortTag() == "!!bool" {
			return false
		}
		w := prefix + s.Value + suffix
		if suffix != "" && trailingBackslashes(s.Value)%2 == 1 {
			// A lone backslash at the end is literal; before the added
			// wildcard it would escape it, so it is written escaped.
			w = prefix + s.Value + `\` + suffix
		}
		out[i] = it.re.ReplaceAllString(w, it.repl)
		changed = changed || out[i] != w
	}
	if !changed {
		return true
	}
	for i, s := range ss {
		seen[s] = true
		s.Value, s.Tag, s.Style = out[i], "!!str", yaml.SingleQuotedStyle
	}
	key.Value = strings.Join(append(parts[:1], kept...), "|")
	return true
}

// trailingBackslashes returns how many backslashes end s.
func trailingBackslashes(s string) int {
	return len(s) - len(strings.TrimRight(s, `\`))
}

// addCondition adds the transformation's conditions as a new search and
// ANDs it into every condition of the rule, as pySigma's add_condition
// does ("(condition) and _cond_N", "… and not _cond_N" when negated).
func (r *pipelineRun) addCondition(it *pipelineItem) {
	r.conds++
	name := fmt.Sprintf("_cond_%d", r.conds)
	search := cloneNode(it.condition)
	if it.template {
		// pySigma substitutes with string.Template: $name and ${name}.
		sub := strings.NewReplacer("${category}", r.ls.category, "$category", r.ls.category,
			"${product}", r.ls.product, "$product", r.ls.product,
			"${service}", r.ls.service, "$service", r.ls.service)
		for i := 1; i < len(search.Content); i += 2 {
			for _, s := range scalars(search.Content[i]) {
				s.Value = sub.Replace(s.Value)
			}
		}
	}
	key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name, Line: it.condition.Line, Column: it.condition.Column}
	// The added search is ANDed after the rule's own condition: the same
	// expression as pySigma's, whose order the rule index follows when it
	// picks a rule's first gate clause (a key every event of the schema
	// holds would make every rule a candidate).
	suffix := " and " + name
	if it.negated {
		suffix = " and not " + name
	}
	for i := 0; i+1 < len(r.det.Content); i += 2 {
		if r.det.Content[i].Value != "condition" {
			continue
		}
		c := cloneNode(resolve(r.det.Content[i+1]))
		conds := []*yaml.Node{c}
		if c.Kind == yaml.SequenceNode {
			conds = c.Content
		}
		for _, s := range conds {
			if s.Kind == yaml.ScalarNode {
				s.Value = "(" + s.Value + ")" + suffix
				s.Style = yaml.DoubleQuotedStyle
			}
		}
		r.det.Content[i+1] = c
	}
	r.det.Content = append(r.det.Content, key, search)
}

// searchMaps returns the mappings of a search: itself, or the elements of
// a list of mappings; nil for keywords.
func searchMaps(v *yaml.Node) []*yaml.Node {
	v = resolve(v)
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, e := range v.Content {
			if e = resolve(e); e.Kind == yaml.MappingNode {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

// scalars returns a value's scalar nodes: itself or a list's elements.
func scalars(v *yaml.Node) []*yaml.Node {
	v = resolve(v)
	switch v.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, e := range v.Content {
			if e = resolve(e); e.Kind == yaml.ScalarNode {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

// cloneNode returns a deep copy of n, aliases resolved.
func cloneNode(n *yaml.Node) *yaml.Node {
	n = resolve(n)
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = cloneNode(k)
	}
	return &c
}

// logsource returns the rule's log source as its YAML says.
func (d *doc) logsource() logsource {
	var ls logsource
	v := d.value("logsource")
	if v == nil || resolve(v).Kind != yaml.MappingNode {
		return ls
	}
	v = resolve(v)
	for i := 0; i+1 < len(v.Content); i += 2 {
		ls.set(v.Content[i].Value, resolve(v.Content[i+1]).Value)
	}
	return ls
}

// setLogsource replaces the rule's log source, as change_logsource does:
// the attributes it does not give are gone.
func (d *doc) setLogsource(ls logsource) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	for _, kv := range [][2]string{{"category", ls.category}, {"product", ls.product}, {"service", ls.service}} {
		if kv[1] != "" {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv[0]},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kv[1]})
		}
	}
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		if d.root.Content[i].Value == "logsource" {
			d.root.Content[i+1] = m
			return
		}
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "logsource", Line: 1, Column: 1}
	d.root.Content = append(d.root.Content, k, m)
	d.keys["logsource"] = k
}
