package sigma

import (
	"sort"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// lowerer turns a checked detection into an expression.
type lowerer struct {
	*doc
	cfg       config
	logsource sigmago.Logsource
	names     []string            // search names, sorted
	search    map[string]*ir.Expr // lowered searches by name
	size      map[string]int      // nodes and values of the lowered searches
	used      map[string]bool     // searches the conditions have referenced so far
	nodes     int                 // nodes and values of the conditions so far
	unknown   []string            // placeholders used with expand and not given, in order
	unknownAt *yaml.Node          // the value where the first of them is
}

// newLowerer returns a lowerer for a rule with log source ls.
func newLowerer(d *doc, ls sigmago.Logsource, cfg config) *lowerer {
	return &lowerer{doc: d, cfg: cfg, logsource: ls}
}

// lower lowers every search of the detection, in file order, whether the
// condition uses it or not, then the conditions; several conditions are
// ORed.
func (l *lowerer) lower(det *detection) (*ir.Expr, error) {
	l.search = make(map[string]*ir.Expr, len(det.searches))
	l.size = make(map[string]int, len(det.searches))
	l.used = make(map[string]bool, len(det.searches))
	for _, s := range det.searches {
		x, err := l.lowerSearch(s)
		if err != nil {
			return nil, err
		}
		l.search[s.key.Value] = x
		l.names = append(l.names, s.key.Value)
		ir.Walk(x, func(y *ir.Expr) bool {
			l.size[s.key.Value]++
			if y.Pred != nil {
				l.size[s.key.Value] += len(y.Pred.Values)
			}
			return true
		})
	}
	sort.Strings(l.names)
	xs := make([]*ir.Expr, 0, len(det.conditions))
	for _, c := range det.conditions {
		tree, cerr := parseCondition(c.Value, l.cfg.maxConditionDepth)
		if cerr != nil && cerr.msg == aggregation {
			return nil, l.condErrorf(c, cerr.off, "%w: aggregation", ir.ErrUnsupported)
		}
		if cerr != nil {
			return nil, l.condErrorf(c, cerr.off, "%s", cerr.msg)
		}
		x, err := l.cond(c, tree)
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	if len(l.unknown) > 0 && l.cfg.warn != nil {
		names := make([]string, len(l.unknown))
		for i, n := range l.unknown {
			names[i] = "%" + n + "%"
		}
		l.cfg.warn(l.errorf(l.unknownAt.Line, l.unknownAt.Column, "no values for placeholder %s: it matches nothing", strings.Join(names, ", ")))
	}
	return or(xs...), nil
}

// lowerSearch lowers one search: a mapping is the AND of its fields, a
// list of mappings the OR of the mappings, a list of keywords the OR of
// the keywords. sigma-go decodes the fields and their values; the nodes
// they came from give the positions.
func (l *lowerer) lowerSearch(s search) (*ir.Expr, error) {
	name := s.key.Value
	if s.value.Kind == yaml.SequenceNode && s.value.Content[0].Kind == yaml.ScalarNode {
		// Keywords: sigma-go decodes them as strings, losing numbers,
		// booleans and null; decode them here.
		xs := make([]any, len(s.value.Content))
		for i, n := range s.value.Content {
			if err := decode(l.posMap, resolve(n), &xs[i]); err != nil {
				return nil, err
			}
		}
		return l.lowerField(name, "", nil, s.key, s.value.Content, xs)
	}
	var ss sigmago.Search
	if err := ss.UnmarshalYAML(s.value); err != nil {
		return nil, yamlError(l.posMap, err)
	}
	maps := []*yaml.Node{s.value}
	if s.value.Kind == yaml.SequenceNode {
		maps = s.value.Content
	}
	alts := make([]*ir.Expr, 0, len(ss.EventMatchers))
	for i, em := range ss.EventMatchers {
		fields := make([]*ir.Expr, 0, len(em))
		for j, fm := range em {
			key, val := maps[i].Content[2*j], resolve(maps[i].Content[2*j+1])
			nodes := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				nodes = val.Content
			}
			if len(nodes) != len(fm.Values) {
				return nil, l.errorf(key.Line, key.Column, "internal error: %d values decoded from %d nodes", len(fm.Values), len(nodes))
			}
			x, err := l.lowerField(name, fm.Field, fm.Modifiers, key, nodes, fm.Values)
			if err != nil {
				return nil, err
			}
			fields = append(fields, x)
		}
		alts = append(alts, and(fields...))
	}
	return or(alts...), nil
}

// cond lowers one node of a condition's tree.
func (l *lowerer) cond(c *yaml.Node, n *condNode) (*ir.Expr, error) {
	switch n.kind {
	case condAnd, condOr:
		args := make([]*ir.Expr, 0, len(n.args))
		for _, a := range n.args {
			x, err := l.cond(c, a)
			if err != nil {
				return nil, err
			}
			args = append(args, x)
		}
		if n.kind == condAnd {
			return and(args...), nil
		}
		return or(args...), nil
	case condNot:
		x, err := l.cond(c, n.args[0])
		if err != nil {
			return nil, err
		}
		return ir.Not(x), nil
	case condName:
		if _, ok := l.search[n.name]; !ok {
			return nil, l.condErrorf(c, n.off, "condition references undefined search %q", n.name)
		}
		return l.clone(c, n.name)
	case condOf:
		return l.quantified(c, n)
	}
	return nil, l.condErrorf(c, n.off, "internal error: condition node %d", n.kind)
}

// clone returns the named search's expression for a reference of the
// conditions, counting its nodes and values against the limit
// (MaxExprSize): a condition naming big searches many times must not make
// ParseRule build a huge tree. The first reference takes the lowered
// search itself, every later one a copy: most searches are referenced
// once, and copying those was a large part of lowering's garbage.
func (l *lowerer) clone(c *yaml.Node, name string) (*ir.Expr, error) {
	l.nodes += l.size[name]
	if l.nodes > l.cfg.maxExprSize {
		return nil, l.errorf(c.Line, c.Column, "condition expands to more than %d nodes and values", l.cfg.maxExprSize)
	}
	if !l.used[name] {
		l.used[name] = true
		return l.search[name], nil
	}
	return l.search[name].Clone(), nil
}

// quantified combines the searches that a quantifier's target matches, in
// name order: "them" matches every search whose name does not start with
// "_"; a pattern, where "*" matches any run of characters, matches whole
// names, those starting with "_" only when the pattern does too.
func (l *lowerer) quantified(c *yaml.Node, n *condNode) (*ir.Expr, error) {
	var args []*ir.Expr
	for _, name := range l.names {
		hidden := strings.HasPrefix(name, "_")
		if n.name == "them" && hidden || n.name != "them" && (!wildMatch(n.name, name) || hidden && !strings.HasPrefix(n.name, "_")) {
			continue
		}
		x, err := l.clone(c, name)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	if len(args) == 0 && !strings.Contains(n.name, "*") && n.name != "them" {
		return nil, l.condErrorf(c, n.at, "condition references undefined search %q", n.name)
	}
	if len(args) == 0 {
		q := "1 of "
		if n.all {
			q = "all of "
		}
		return nil, l.condErrorf(c, n.at, "%q matches no search", q+n.name)
	}
	if n.all {
		return and(args...), nil
	}
	return or(args...), nil
}

// wildMatch reports whether name matches pattern, where "*" matches any run
// of bytes and every other byte itself.
func wildMatch(pattern, name string) bool {
	// Greedy matching with backtracking to the last star: linear in
	// practice, quadratic at worst.
	p, n := 0, 0
	star, next := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, next = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			next++
			p, n = star+1, next
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
