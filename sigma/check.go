package sigma

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// doc is a rule's YAML node tree, read before sigma-go decodes the rule so
// that what sigma-go would reject without a position, or accept with a
// different meaning, is reported at its place in the file.
type doc struct {
	*posMap
	root      *yaml.Node // the top-level mapping
	detection ir.Pos     // the "detection:" key
	values    int        // values of the fields checked so far
}

// readDoc decodes src into a node tree: exactly one YAML document holding a
// mapping.
func readDoc(m *posMap, src []byte) (*doc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, m.errorf(1, 1, "empty rule")
		}
		return nil, yamlError(m, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, yamlError(m, err)
		}
		if len(next.Content) > 0 && !isNull(next.Content[0]) {
			return nil, m.errorf(next.Content[0].Line, next.Content[0].Column, "unsupported: several YAML documents in one rule")
		}
	}
	if len(n.Content) == 0 || isNull(n.Content[0]) {
		return nil, m.errorf(1, 1, "empty rule")
	}
	root := n.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, m.errorf(root.Line, root.Column, "rule is a YAML %s, not a mapping", kindName(root))
	}
	return &doc{posMap: m, root: root}, nil
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

// check rejects rules that sigma-go cannot decode or that ParseRule does not
// support, in the order they appear in the file.
func (d *doc) check() error {
	var detKey, det *yaml.Node
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		k, v := d.root.Content[i], d.root.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errorf(k.Line, k.Column, "rule key is a YAML %s, not a string", kindName(k))
		}
		if prev := seen[k.Value]; prev != nil {
			return d.errorf(k.Line, k.Column, "duplicate key %q (first at line %d)", k.Value, prev.Line)
		}
		seen[k.Value] = k
		switch k.Value {
		case "correlation":
			return d.errorf(k.Line, k.Column, "unsupported: correlation rule")
		case "filter":
			return d.errorf(k.Line, k.Column, "unsupported: filter rule")
		case "detection":
			detKey, det = k, v
		}
	}
	if det == nil {
		return d.errorf(1, 1, "rule has no detection")
	}
	d.detection = d.pos(detKey.Line, detKey.Column)
	if det.Kind != yaml.MappingNode {
		return d.errorf(det.Line, det.Column, "detection is a YAML %s, not a mapping", kindName(det))
	}
	var cond *yaml.Node
	seen = map[string]*yaml.Node{}
	for i := 0; i+1 < len(det.Content); i += 2 {
		k, v := det.Content[i], det.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errorf(k.Line, k.Column, "detection key is a YAML %s, not a string", kindName(k))
		}
		if prev := seen[k.Value]; prev != nil {
			return d.errorf(k.Line, k.Column, "duplicate key %q in detection (first at line %d)", k.Value, prev.Line)
		}
		seen[k.Value] = k
		var err error
		switch k.Value {
		case "condition":
			cond = k
			err = d.checkConditions(v)
		case "timeframe":
			err = d.errorf(k.Line, k.Column, "unsupported: timeframe")
		default:
			err = d.checkSearch(k, v)
		}
		if err != nil {
			return err
		}
	}
	if cond == nil {
		return d.errorf(detKey.Line, detKey.Column, "detection has no condition")
	}
	return nil
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
			return d.errorf(k.Line, k.Column, "search %q: unsupported: keyword search", name)
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
		if val.Kind == yaml.AliasNode {
			val = val.Alias
		}
		vals := []*yaml.Node{val}
		switch val.Kind {
		case yaml.MappingNode:
			return d.errorf(val.Line, val.Column, "search %q: field %q: value is a mapping", name, fieldName(k.Value))
		case yaml.SequenceNode:
			vals = val.Content
		}
		d.values += len(vals)
		if d.values > MaxRuleValues {
			return d.errorf(k.Line, k.Column, "rule has more than %d values", MaxRuleValues)
		}
		for _, e := range vals {
			if e.Kind == yaml.AliasNode {
				e = e.Alias
			}
			switch {
			case e.Kind != yaml.ScalarNode:
				return d.errorf(e.Line, e.Column, "search %q: field %q: value is a YAML %s inside a list", name, fieldName(k.Value), kindName(e))
			case e.ShortTag() == "!!timestamp":
				return d.errorf(e.Line, e.Column, "search %q: field %q: unsupported: timestamp value %s (quote it to match text)", name, fieldName(k.Value), e.Value)
			}
		}
	}
	return nil
}

// fieldName returns the field name of a search key "name|mod|mod".
func fieldName(key string) string {
	name, _, _ := strings.Cut(key, "|")
	return name
}

// checkConditions checks the condition: one expression or a list of them.
func (d *doc) checkConditions(v *yaml.Node) error {
	switch v.Kind {
	case yaml.ScalarNode:
		return d.checkCondition(v)
	case yaml.SequenceNode:
		if len(v.Content) == 0 {
			return d.errorf(v.Line, v.Column, "condition is an empty list")
		}
		for _, c := range v.Content {
			if c.Kind != yaml.ScalarNode {
				return d.errorf(c.Line, c.Column, "condition is a YAML %s, not a string", kindName(c))
			}
			if err := d.checkCondition(c); err != nil {
				return err
			}
		}
		return nil
	}
	return d.errorf(v.Line, v.Column, "condition is a YAML %s, not a string or a list", kindName(v))
}

// checkCondition parses one condition expression, so that syntax errors
// get the position of the offending token where it can be found.
func (d *doc) checkCondition(c *yaml.Node) error {
	s := c.Value
	switch {
	case isNull(c) || strings.TrimSpace(s) == "":
		return d.errorf(c.Line, c.Column, "condition is empty")
	case len(s) > MaxConditionSize:
		return d.errorf(c.Line, c.Column, "condition is %d bytes, more than the limit of %d", len(s), MaxConditionSize)
	}
	if i := strings.IndexByte(s, '|'); i >= 0 {
		return d.condErrorf(c, i, "unsupported: aggregation")
	}
	if _, err := sigmago.ParseCondition(s); err != nil {
		off, msg := -1, err.Error()
		if m := conditionError.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			msg = m[3]
			if line == 1 {
				off = runeOffset(s, col-1)
			}
		}
		return d.condErrorf(c, off, "invalid condition: %s", msg)
	}
	return nil
}

// conditionError matches the position sigma-go's condition parser puts
// before its messages: "line:column: message", the column counting
// characters from 1.
var conditionError = regexp.MustCompile(`(?s)^(\d+):(\d+): (.*)$`)

// runeOffset returns the byte offset of the n-th character (0-based) of s,
// or -1 when s is shorter.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	if n == 0 {
		return len(s)
	}
	return -1
}

// condErrorf returns an error at byte offset off of condition c: there when
// the condition is written on one line as it reads, else at its start.
func (d *doc) condErrorf(c *yaml.Node, off int, format string, args ...any) error {
	p := d.pos(c.Line, c.Column)
	start := p.Col - 1 // 0-based byte column of the text
	if c.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		start++
	}
	line := d.lineText(c.Line)
	if off >= 0 && off <= len(c.Value) && start <= len(line) && strings.HasPrefix(line[start:], c.Value) {
		delta := start + off - (p.Col - 1)
		p.Col += delta
		p.Offset += delta
	}
	return ir.Errorf(p, format, args...)
}
