package sigma

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// doc is a rule's YAML node tree. ParseRule reads it before anything is
// decoded, so that what sigma-go would reject without a position, or accept
// with a different meaning, is reported at its place in the file.
type doc struct {
	*posMap
	cfg    *config               // the limits
	root   *yaml.Node            // the top-level mapping
	keys   map[string]*yaml.Node // top-level keys by name
	values int                   // values of the fields checked so far
}

// readDoc decodes src into a node tree: exactly one YAML document holding a
// mapping whose keys are unique strings. cfg gives the limits.
func readDoc(m *posMap, src []byte, cfg *config) (*doc, error) {
	docs, err := readDocs(m, src, cfg)
	if err != nil {
		return nil, err
	}
	if len(docs) > 1 {
		n := docs[1].root
		return nil, m.errorf(n.Line, n.Column, "several YAML documents in one rule (load the file with ParseFile)")
	}
	return docs[0], nil
}

// readDocs decodes every YAML document of src (separated by "---"; empty
// ones are skipped) into a node tree each: a mapping whose keys are unique
// strings. There is at least one. cfg gives the limits.
func readDocs(m *posMap, src []byte, cfg *config) ([]*doc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var docs []*doc
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, yamlError(m, err)
		}
		if len(n.Content) == 0 || isNull(n.Content[0]) {
			continue
		}
		d, err := newDoc(m, cfg, n.Content[0])
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil, m.errorf(1, 1, "empty rule")
	}
	return docs, nil
}

// newDoc checks that root is a mapping with unique string keys and indexes
// its keys.
func newDoc(m *posMap, cfg *config, root *yaml.Node) (*doc, error) {
	if root.Kind != yaml.MappingNode {
		return nil, m.errorf(root.Line, root.Column, "rule is a YAML %s, not a mapping", kindName(root))
	}
	d := &doc{posMap: m, cfg: cfg, root: root, keys: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, m.errorf(k.Line, k.Column, "rule key is a YAML %s, not a string", kindName(k))
		}
		if prev := d.keys[k.Value]; prev != nil {
			return nil, m.errorf(k.Line, k.Column, "duplicate key %q (first at line %d)", k.Value, prev.Line)
		}
		d.keys[k.Value] = k
	}
	return d, nil
}

// value returns the value node of a top-level key, or nil.
func (d *doc) value(key string) *yaml.Node {
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		if d.root.Content[i].Value == key {
			return d.root.Content[i+1]
		}
	}
	return nil
}

// without returns a copy of the root mapping without the named keys, for
// decoding the metadata with sigma-go without its detection decoder.
func (d *doc) without(keys ...string) *yaml.Node {
	n := *d.root
	n.Content = nil
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		skip := false
		for _, k := range keys {
			skip = skip || d.root.Content[i].Value == k
		}
		if !skip {
			n.Content = append(n.Content, d.root.Content[i], d.root.Content[i+1])
		}
	}
	return &n
}

// isNull reports whether n is an empty or null scalar.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// kindName names the kind of a node in messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	case yaml.ScalarNode:
		if isNull(n) {
			return "null"
		}
		return "scalar"
	}
	return "document"
}

// detection is the checked structure of a detection (or of a filter).
type detection struct {
	key        *yaml.Node   // the "detection:" or "filter:" key
	searches   []search     // in file order
	conditions []*yaml.Node // scalar nodes, one per condition
	rules      *yaml.Node   // a filter's "rules:" value
}

// search is one named search of a detection.
type search struct {
	key, value *yaml.Node
}

// checkDetection checks the detection (or, with filter, a filter's
// "filter:" mapping) under key and returns its parts.
func (d *doc) checkDetection(key *yaml.Node, filter bool) (*detection, error) {
	det := d.value(key.Value)
	if det.Kind != yaml.MappingNode {
		return nil, d.errorf(det.Line, det.Column, "%s is a YAML %s, not a mapping", key.Value, kindName(det))
	}
	out := &detection{key: key}
	var condKey *yaml.Node
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(det.Content); i += 2 {
		k, v := det.Content[i], det.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, d.errorf(k.Line, k.Column, "%s key is a YAML %s, not a string", key.Value, kindName(k))
		}
		if prev := seen[k.Value]; prev != nil {
			return nil, d.errorf(k.Line, k.Column, "duplicate key %q in %s (first at line %d)", k.Value, key.Value, prev.Line)
		}
		seen[k.Value] = k
		var err error
		switch {
		case k.Value == "condition":
			condKey = k
			out.conditions, err = d.checkConditions(v)
		case k.Value == "timeframe":
			err = d.errorf(k.Line, k.Column, "%w: timeframe", ir.ErrUnsupported)
		case k.Value == "rules" && filter:
			out.rules = v
		default:
			err = d.checkSearch(k, v)
			out.searches = append(out.searches, search{k, v})
		}
		if err != nil {
			return nil, err
		}
	}
	if condKey == nil {
		return nil, d.errorf(key.Line, key.Column, "%s has no condition", key.Value)
	}
	return out, nil
}

// checkSearch checks the shape of one search: a non-empty mapping of fields
// to values, a non-empty list of such mappings, or a list of keywords.
func (d *doc) checkSearch(k, v *yaml.Node) error {
	name := k.Value
	switch v.Kind {
	case yaml.MappingNode:
		return d.checkFields(name, v)
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			return d.errorf(k.Line, k.Column, "search %q is an empty list", name)
		}
		first := v.Content[0].Kind
		for _, e := range v.Content {
			if e.Kind != yaml.MappingNode && e.Kind != yaml.ScalarNode {
				return d.errorf(e.Line, e.Column, "search %q: list item is a YAML %s, not a mapping or a keyword", name, kindName(e))
			}
			if e.Kind != first {
				return d.errorf(e.Line, e.Column, "search %q mixes mappings and keywords", name)
			}
		}
		if first == yaml.ScalarNode {
			return d.checkValues(name, "", k, v.Content)
		}
		for _, e := range v.Content {
			if err := d.checkFields(name, e); err != nil {
				return err
			}
		}
		return nil
	}
	return d.errorf(v.Line, v.Column, "search %q is a YAML %s, not a mapping or a list", name, kindName(v))
}

// checkFields checks one mapping of fields to values.
func (d *doc) checkFields(name string, v *yaml.Node) error {
	if len(v.Content) == 0 {
		return d.errorf(v.Line, v.Column, "search %q has an empty mapping", name)
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errorf(k.Line, k.Column, "search %q: field name is a YAML %s, not a string", name, kindName(k))
		}
		if prev := seen[k.Value]; prev != nil {
			return d.errorf(k.Line, k.Column, "search %q: duplicate key %q (first at line %d)", name, k.Value, prev.Line)
		}
		seen[k.Value] = k
		val = resolve(val)
		vals := []*yaml.Node{val}
		switch val.Kind {
		case yaml.MappingNode:
			return d.errorf(val.Line, val.Column, "search %q: field %q: value is a mapping", name, fieldName(k.Value))
		case yaml.SequenceNode:
			vals = val.Content
		}
		if err := d.checkValues(name, "field "+strconv.Quote(fieldName(k.Value)), k, vals); err != nil {
			return err
		}
	}
	return nil
}

// checkValues checks the values of a field (what is `field "F"`) or the
// keywords of a search (what is ""): scalars only, no timestamps, and
// within the rule's limit (MaxRuleValues) in all.
func (d *doc) checkValues(name, what string, k *yaml.Node, vals []*yaml.Node) error {
	d.values += len(vals)
	if d.values > d.cfg.maxRuleValues {
		return d.errorf(k.Line, k.Column, "rule has more than %d values", d.cfg.maxRuleValues)
	}
	prefix, noun := "", "keyword"
	if what != "" {
		prefix, noun = what+": ", "value"
	}
	for _, e := range vals {
		e = resolve(e)
		switch {
		case e.Kind != yaml.ScalarNode:
			return d.errorf(e.Line, e.Column, "search %q: %s%s is a YAML %s inside a list", name, prefix, noun, kindName(e))
		case e.ShortTag() == "!!timestamp":
			return d.errorf(e.Line, e.Column, "search %q: %s%w: timestamp %s %s (quote it to match text)", name, prefix, ir.ErrUnsupported, noun, e.Value)
		}
	}
	return nil
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// fieldName returns the field name of a search key "name|mod|mod".
func fieldName(key string) string {
	name, _, _ := strings.Cut(key, "|")
	return name
}

// checkConditions checks the condition: one expression or a list of them,
// and returns their scalar nodes.
func (d *doc) checkConditions(v *yaml.Node) ([]*yaml.Node, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{v}, d.checkCondition(v)
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			return nil, d.errorf(v.Line, v.Column, "condition is an empty list")
		}
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, d.errorf(c.Line, c.Column, "condition is a YAML %s, not a string", kindName(c))
			}
			if err := d.checkCondition(c); err != nil {
				return nil, err
			}
		}
		return v.Content, nil
	}
	return nil, d.errorf(v.Line, v.Column, "condition is a YAML %s, not a string or a list", kindName(v))
}

// checkCondition checks that a condition is not empty nor over the size
// limit; it is parsed when it is lowered.
func (d *doc) checkCondition(c *yaml.Node) error {
	s := c.Value
	switch {
	case isNull(c) || strings.TrimSpace(s) == "":
		return d.errorf(c.Line, c.Column, "condition is empty")
	case len(s) > d.cfg.maxConditionSize:
		return d.errorf(c.Line, c.Column, "condition is %d bytes, more than the limit of %d", len(s), d.cfg.maxConditionSize)
	}
	return nil
}

// condErrorf returns an error at byte offset off of condition c.
func (d *doc) condErrorf(c *yaml.Node, off int, format string, args ...any) error {
	return ir.Errorf(d.valuePos(c, off), format, args...)
}
