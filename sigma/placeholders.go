package sigma

import (
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// ReadPlaceholders reads a placeholders file for the Placeholders option:
// a YAML mapping from placeholder names (without the % signs) to a list of
// values, or to one value, as pySigma's value_placeholders transformation
// takes them from a pipeline's vars:
//
//	known_cdcs: ['dc01.corp.example', 'dc02.corp.example']
//	Admins: adm_*
//
// Values are Sigma strings ("*" and "?" are wildcards); numbers and
// booleans are taken as their text. Errors are *ir.Error values naming
// file:line:col.
func ReadPlaceholders(file string, src []byte) (ph map[string][]string, err error) {
	defer func() {
		// The YAML decoder may panic on odd input; no panic crosses
		// this API.
		if r := recover(); r != nil {
			ph, err = nil, ir.Errorf(startPos(file), "internal error: %v", r)
		}
	}()
	m := newPosMap(file, src)
	root, err := yamlRoot(m, src)
	if err != nil || root == nil {
		return map[string][]string{}, err
	}
	return stringLists(m, root, "placeholders")
}

// yamlRoot decodes src, one YAML document, and returns its top node: nil
// for an empty document.
func yamlRoot(m *posMap, src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, yamlError(m, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return resolve(doc.Content[0]), nil
}

// stringLists reads a mapping of names to a string or a list of strings;
// what names the mapping in errors.
func stringLists(m *posMap, n *yaml.Node, what string) (map[string][]string, error) {
	if n.Kind != yaml.MappingNode {
		return nil, m.errorf(n.Line, n.Column, "%s: expected a mapping of names to values, found a %s", what, kindName(n))
	}
	out := make(map[string][]string, len(n.Content)/2)
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if _, dup := out[k.Value]; dup {
			return nil, m.errorf(k.Line, k.Column, "%s: %q is given twice", what, k.Value)
		}
		vals, err := stringList(m, v, what+" "+k.Value)
		if err != nil {
			return nil, err
		}
		out[k.Value] = vals
	}
	return out, nil
}

// stringList reads a scalar or a list of scalars as text.
func stringList(m *posMap, n *yaml.Node, what string) ([]string, error) {
	n = resolve(n)
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return []string{}, nil
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		vals := make([]string, 0, len(n.Content))
		for _, e := range n.Content {
			e = resolve(e)
			if e.Kind != yaml.ScalarNode || isNull(e) {
				return nil, m.errorf(e.Line, e.Column, "%s: expected a string, found a %s", what, kindName(e))
			}
			vals = append(vals, e.Value)
		}
		return vals, nil
	}
	return nil, m.errorf(n.Line, n.Column, "%s: expected a string or a list of strings, found a %s", what, kindName(n))
}
