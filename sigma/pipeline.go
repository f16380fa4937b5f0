package sigma

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// Pipeline is a processing pipeline in pySigma's YAML format: the way the
// Sigma world says how rules meet a schema (field names, log sources,
// values). ParsePipeline reads one; WithPipelines applies pipelines to
// rules while they load. See the package documentation for what is
// supported; everything else in a pipeline file is an error.
type Pipeline struct {
	Name     string // the pipeline's name, "" when it has none
	Priority int    // pipelines apply lowest priority first, then in the order given
	File     string // the file it was read from

	vars  map[string][]string
	items []*pipelineItem
}

// pipelineItem is one transformation of a pipeline with its conditions.
type pipelineItem struct {
	id, typ string
	pos     ir.Pos

	mapping   map[string][]string // field_name_mapping: name -> names
	prefixes  []prefixMap         // field_name_prefix_mapping, in file order
	affix     string              // field_name_prefix, field_name_suffix
	condition *yaml.Node          // add_condition: the mapping of fields to values
	template  bool                // add_condition: $category, $product, $service in values
	negated   bool                // add_condition: not (condition) and (…)
	logsource logsource           // change_logsource
	re        *regexp.Regexp      // replace_string
	repl      string              // replace_string, in Go's Expand syntax

	ruleConds          []ruleCond
	ruleOr, ruleNot    bool
	fieldConds         []fieldCond
	fieldOr, fieldNot  bool
	hasFieldConditions bool
}

// prefixMap maps a field name prefix to one or more prefixes.
type prefixMap struct {
	from string
	to   []string
}

// logsource is a rule's log source as pipelines read and change it.
type logsource struct{ category, product, service string }

// set sets the attribute named key (category, product or service).
func (ls *logsource) set(key, value string) {
	switch key {
	case "category":
		ls.category = value
	case "product":
		ls.product = value
	case "service":
		ls.service = value
	}
}

// ruleCond is a rule condition: logsource (the given attributes equal the
// rule's) or contains_detection_item (a field with a value).
type ruleCond struct {
	logsource    *logsource
	field, value string
}

// fieldCond is a field name condition: include_fields or exclude_fields,
// by name or by regular expression (mode re, matched at the start, as
// Python's re.match).
type fieldCond struct {
	exclude bool
	names   []string
	res     []*regexp.Regexp
}

// The keys a pipeline file may hold, at the top and in a transformation,
// and the parameters of each transformation type.
var (
	pipelineKeys = []string{"name", "priority", "vars", "transformations"}
	itemKeys     = []string{"id", "type", "rule_conditions", "rule_cond_op", "rule_cond_not",
		"field_name_conditions", "field_name_cond_op", "field_name_cond_not"}
	transformParams = map[string][]string{
		"field_name_mapping":        {"mapping"},
		"field_name_prefix_mapping": {"mapping"},
		"field_name_prefix":         {"prefix"},
		"field_name_suffix":         {"suffix"},
		"add_condition":             {"conditions", "template", "negated"},
		"change_logsource":          {"category", "product", "service"},
		"drop_detection_item":       nil,
		"replace_string":            {"regex", "replacement"},
		"value_placeholders":        nil,
	}
)

// ParsePipeline reads a processing pipeline in pySigma's YAML format from
// src; file names it in errors, which are *ir.Error values at the key or
// value that is wrong (an unsupported key, transformation or condition is
// named).
func ParsePipeline(file string, src []byte) (p *Pipeline, err error) {
	defer func() {
		// The YAML decoder may panic on odd input; no panic crosses
		// this API.
		if r := recover(); r != nil {
			p, err = nil, ir.Errorf(startPos(file), "internal error: %v", r)
		}
	}()
	m := newPosMap(file, src)
	root, err := yamlRoot(m, src)
	if err != nil {
		return nil, err
	}
	p = &Pipeline{File: file, vars: map[string][]string{}}
	if root == nil {
		return p, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, m.errorf(root.Line, root.Column, "pipeline is a YAML %s, not a mapping", kindName(root))
	}
	err = eachKey(m, root, "pipeline", pipelineKeys, func(k, v *yaml.Node) error {
		var err error
		switch k.Value {
		case "name":
			p.Name, err = scalar(m, v, "name")
		case "priority":
			var s string
			if s, err = scalar(m, v, "priority"); err == nil {
				if p.Priority, err = strconv.Atoi(s); err != nil {
					err = m.errorf(v.Line, v.Column, "priority: expected a whole number, found %q", s)
				}
			}
		case "vars":
			p.vars, err = stringLists(m, v, "vars")
		case "transformations":
			if v.Kind != yaml.SequenceNode {
				return m.errorf(v.Line, v.Column, "transformations: expected a list, found a %s", kindName(v))
			}
			for _, n := range v.Content {
				it, err := parseItem(m, resolve(n))
				if err != nil {
					return err
				}
				p.items = append(p.items, it)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// eachKey calls fn for each key of mapping n and its value, after checking
// that the key is one of allowed (what names the mapping in errors).
func eachKey(m *posMap, n *yaml.Node, what string, allowed []string, fn func(k, v *yaml.Node) error) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if !slices.Contains(allowed, k.Value) {
			return m.errorf(k.Line, k.Column, "%s: unsupported key %q (supported: %s)", what, k.Value, strings.Join(allowed, ", "))
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// scalar returns a scalar node's text.
func scalar(m *posMap, n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", m.errorf(n.Line, n.Column, "%s: expected a scalar, found a %s", what, kindName(n))
	}
	return n.Value, nil
}

// boolean returns a scalar node's truth value.
func boolean(m *posMap, n *yaml.Node, what string) (bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		return false, m.errorf(n.Line, n.Column, "%s: expected true or false", what)
	}
	return b, nil
}

// condOp reads rule_cond_op or field_name_cond_op: and (the default) or
// or; it reports whether it is or.
func condOp(m *posMap, n *yaml.Node, what string) (bool, error) {
	s, err := scalar(m, n, what)
	if err != nil {
		return false, err
	}
	switch s {
	case "and":
		return false, nil
	case "or":
		return true, nil
	}
	return false, m.errorf(n.Line, n.Column, "%s: expected and or or, found %q", what, s)
}

// parseItem reads one transformation.
func parseItem(m *posMap, n *yaml.Node) (*pipelineItem, error) {
	if n.Kind != yaml.MappingNode {
		return nil, m.errorf(n.Line, n.Column, "transformation is a YAML %s, not a mapping", kindName(n))
	}
	it := &pipelineItem{pos: m.pos(n.Line, n.Column)}
	var typeNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "type" {
			typeNode = resolve(n.Content[i+1])
		}
	}
	if typeNode == nil {
		return nil, m.errorf(n.Line, n.Column, "transformation has no type")
	}
	params, ok := transformParams[typeNode.Value]
	if !ok {
		return nil, m.errorf(typeNode.Line, typeNode.Column, "unsupported transformation type %q", typeNode.Value)
	}
	it.typ = typeNode.Value
	what := "transformation " + it.typ
	err := eachKey(m, n, what, append(slices.Clone(itemKeys), params...), func(k, v *yaml.Node) error {
		var err error
		switch k.Value {
		case "id":
			it.id, err = scalar(m, v, "id")
		case "rule_conditions":
			it.ruleConds, err = parseRuleConds(m, v)
		case "rule_cond_op":
			it.ruleOr, err = condOp(m, v, k.Value)
		case "rule_cond_not":
			it.ruleNot, err = boolean(m, v, k.Value)
		case "field_name_conditions":
			it.hasFieldConditions = true
			it.fieldConds, err = parseFieldConds(m, v)
		case "field_name_cond_op":
			it.fieldOr, err = condOp(m, v, k.Value)
		case "field_name_cond_not":
			it.fieldNot, err = boolean(m, v, k.Value)
		case "mapping":
			err = it.parseMapping(m, v)
		case "prefix", "suffix":
			it.affix, err = scalar(m, v, k.Value)
		case "conditions":
			if v.Kind != yaml.MappingNode || len(v.Content) == 0 {
				return m.errorf(v.Line, v.Column, "conditions: expected a mapping of fields to values, found a %s", kindName(v))
			}
			it.condition = v
		case "template":
			it.template, err = boolean(m, v, k.Value)
		case "negated":
			it.negated, err = boolean(m, v, k.Value)
		case "category", "product", "service":
			var s string
			s, err = scalar(m, v, k.Value)
			it.logsource.set(k.Value, s)
		case "regex":
			var s string
			if s, err = scalar(m, v, k.Value); err == nil {
				if it.re, err = regexp.Compile(s); err != nil {
					err = m.errorf(v.Line, v.Column, "regex: %v", err)
				}
			}
		case "replacement":
			var s string
			s, err = scalar(m, v, k.Value)
			it.repl = goReplacement(s)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	switch {
	case (it.typ == "field_name_mapping" || it.typ == "field_name_prefix_mapping") && it.mapping == nil && it.prefixes == nil:
		return nil, m.errorf(n.Line, n.Column, "%s has no mapping", what)
	case it.typ == "add_condition" && it.condition == nil:
		return nil, m.errorf(n.Line, n.Column, "%s has no conditions", what)
	case it.typ == "replace_string" && it.re == nil:
		return nil, m.errorf(n.Line, n.Column, "%s has no regex", what)
	}
	return it, nil
}

// parseMapping reads the mapping of field_name_mapping (name to name or
// names) or field_name_prefix_mapping (prefix to prefix or prefixes).
func (it *pipelineItem) parseMapping(m *posMap, v *yaml.Node) error {
	if v.Kind != yaml.MappingNode {
		return m.errorf(v.Line, v.Column, "mapping: expected a mapping of names to names, found a %s", kindName(v))
	}
	it.mapping = map[string][]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k := v.Content[i]
		to, err := stringList(m, v.Content[i+1], "mapping "+k.Value)
		if err != nil {
			return err
		}
		if len(to) == 0 {
			return m.errorf(k.Line, k.Column, "mapping %s: no names to map to", k.Value)
		}
		if it.typ == "field_name_prefix_mapping" {
			it.prefixes = append(it.prefixes, prefixMap{k.Value, to})
		} else {
			it.mapping[k.Value] = to
		}
	}
	return nil
}

// goReplacement turns a replacement in Python's re.sub syntax (\1, \g<1>,
// \g<name>, \\) into Go's Regexp.Expand syntax (${1}, ${name}, $$ for $).
func goReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '$':
			b.WriteString("$$")
		case c == '\\' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString("${" + s[i+1:j] + "}")
			i = j - 1
		case c == '\\' && strings.HasPrefix(s[i+1:], "g<") && strings.Contains(s[i+3:], ">"):
			end := i + 3 + strings.IndexByte(s[i+3:], '>')
			b.WriteString("${" + s[i+3:end] + "}")
			i = end
		case c == '\\' && i+1 < len(s) && s[i+1] == '\\':
			b.WriteByte('\\')
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// eachCond calls fn for each condition of a list of conditions (what
// names the list in errors), with its type.
func eachCond(m *posMap, v *yaml.Node, what string, fn func(n *yaml.Node, typ string) error) error {
	if v.Kind != yaml.SequenceNode {
		return m.errorf(v.Line, v.Column, "%ss: expected a list, found a %s", strings.ReplaceAll(what, " ", "_"), kindName(v))
	}
	for _, n := range v.Content {
		n = resolve(n)
		typ, err := condType(m, n, what)
		if err != nil {
			return err
		}
		if err := fn(n, typ); err != nil {
			return err
		}
	}
	return nil
}

// parseRuleConds reads rule_conditions: a list of logsource and
// contains_detection_item conditions.
func parseRuleConds(m *posMap, v *yaml.Node) ([]ruleCond, error) {
	var out []ruleCond
	err := eachCond(m, v, "rule condition", func(n *yaml.Node, typ string) error {
		var c ruleCond
		var err error
		switch typ {
		case "logsource":
			c.logsource = &logsource{}
			err = eachKey(m, n, "rule condition logsource", []string{"type", "category", "product", "service"}, func(k, v *yaml.Node) error {
				if k.Value == "type" {
					return nil
				}
				s, err := scalar(m, v, k.Value)
				c.logsource.set(k.Value, s)
				return err
			})
		case "contains_detection_item":
			err = eachKey(m, n, "rule condition contains_detection_item", []string{"type", "field", "value"}, func(k, v *yaml.Node) error {
				var err error
				switch k.Value {
				case "field":
					c.field, err = scalar(m, v, k.Value)
				case "value":
					c.value, err = scalar(m, v, k.Value)
				}
				return err
			})
		default:
			return m.errorf(n.Line, n.Column, "unsupported rule condition type %q", typ)
		}
		out = append(out, c)
		return err
	})
	return out, err
}

// parseFieldConds reads field_name_conditions: include_fields and
// exclude_fields, with fields and mode (plain, the default, or re).
func parseFieldConds(m *posMap, v *yaml.Node) ([]fieldCond, error) {
	var out []fieldCond
	err := eachCond(m, v, "field name condition", func(n *yaml.Node, typ string) error {
		if typ != "include_fields" && typ != "exclude_fields" {
			return m.errorf(n.Line, n.Column, "unsupported field name condition type %q", typ)
		}
		c := fieldCond{exclude: typ == "exclude_fields"}
		mode := "plain"
		var modeNode *yaml.Node
		err := eachKey(m, n, "field name condition "+typ, []string{"type", "fields", "mode"}, func(k, v *yaml.Node) error {
			var err error
			switch k.Value {
			case "fields":
				c.names, err = stringList(m, v, k.Value)
			case "mode":
				modeNode = v
				mode, err = scalar(m, v, k.Value)
			}
			return err
		})
		if err != nil {
			return err
		}
		switch mode {
		case "plain":
		case "re":
			for _, s := range c.names {
				re, err := regexp.Compile(`^(?:` + s + `)`)
				if err != nil {
					return m.errorf(n.Line, n.Column, "fields: %v", err)
				}
				c.res = append(c.res, re)
			}
		default:
			return m.errorf(modeNode.Line, modeNode.Column, "mode: expected plain or re, found %q", mode)
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// condType returns the type of a condition, a mapping with a type key.
func condType(m *posMap, n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.MappingNode {
		return "", m.errorf(n.Line, n.Column, "%s is a YAML %s, not a mapping", what, kindName(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "type" {
			return scalar(m, resolve(n.Content[i+1]), what+" type")
		}
	}
	return "", m.errorf(n.Line, n.Column, "%s has no type", what)
}

// String returns the pipeline's name, or its file when it has none.
func (p *Pipeline) String() string {
	if p.Name != "" {
		return p.Name
	}
	return p.File
}

// errorf returns an error at the transformation's position.
func (it *pipelineItem) errorf(format string, args ...any) error {
	return ir.Errorf(it.pos, "transformation %s: %s", it.typ, fmt.Sprintf(format, args...))
}
