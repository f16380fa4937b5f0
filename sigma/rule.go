package sigma

import (
	sigmago "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// Limits on the input. A rule over a limit is rejected with an error; an
// option changes each limit (see options.go). They admit the IOC rules of
// threat-intel feeds, which list tens of thousands of hashes, addresses
// or domains in one field: 100,000 SHA-256 hashes are about 7 MB of YAML
// and load into one hash set (a few hundred bytes per value), so the
// defaults leave twice that room and still bound one rule's memory to a
// few hundred MB.
const (
	MaxRuleSize       = 16 << 20  // bytes of YAML in one rule (WithMaxRuleSize)
	MaxConditionSize  = 4096      // bytes in one condition expression (WithMaxConditionSize)
	MaxConditionDepth = 200       // nesting of parentheses and "not" in a condition (WithMaxConditionDepth)
	MaxValues         = 200_000   // values of one field in one search, after modifiers expand them (WithMaxValues)
	MaxRuleValues     = 1_000_000 // values of all the fields of a rule, YAML aliases expanded (WithMaxRuleValues)
	MaxExprSize       = 1 << 21   // nodes and values in a rule's lowered expression (WithMaxExprSize)
	// MaxGroupEvents is the most events (event_count) or distinct values
	// (value_count) a correlation's condition may need one group to hold
	// (ir.Correlation.Need): each costs tens of bytes of state per group
	// (WithMaxGroupEvents).
	MaxGroupEvents = 1_000_000
)

// ParseRule loads one Sigma rule (YAML) and lowers it to the IR. file names
// the source in errors and in the rule's Source, which is the position of
// the rule's "detection:" key.
//
// With log source routing (on unless Routing(false)), the rule's
// expression is and(route, detection); see the package documentation.
// The route's parts that depend only on the log source are shared by
// every rule of that log source, and the route may hold one node twice
// (its test of the fields the detection reads): the expression is a DAG
// that must not be changed in place (ir.Expr.Clone it first, as
// compile's optimizer and MapFields do). A search named twice by the
// condition is two trees (TestSearchReferences).
//
// Every error is an *ir.Error with a position in file. Anything ParseRule
// does not support (aggregations) is an error, never a rule that matches
// something else. Filter rules are loaded with ParseFilter; correlation
// rules and files of several YAML documents with ParseFile.
func ParseRule(file string, src []byte, opts ...Option) (rule *ir.Rule, err error) {
	defer func() {
		// The YAML decoder and sigma-go may panic on odd input; no panic
		// crosses this API.
		if r := recover(); r != nil {
			rule, err = nil, ir.Errorf(startPos(file), "internal error: %v", r)
		}
	}()
	d, cfg, err := openDoc(file, src, opts)
	if err != nil {
		return nil, err
	}
	if k := d.keys["correlation"]; k != nil {
		return nil, d.errorf(k.Line, k.Column, "correlation rule: load it with ParseFile")
	}
	return d.rule(cfg)
}

// rule lowers a detection rule's document, after the processing pipelines
// of cfg rewrite it. An error names the rule's id when it has one.
func (d *doc) rule(cfg config) (_ *ir.Rule, err error) {
	defer func() { err = ir.ForRule(err, d.id()) }()
	if len(cfg.pipelines) > 0 {
		var err error
		if cfg.placeholders, err = d.applyPipelines(&cfg, "detection"); err != nil {
			return nil, err
		}
	}
	detKey := d.keys["detection"]
	if detKey == nil {
		if k := d.keys["filter"]; k != nil {
			return nil, d.errorf(k.Line, k.Column, "filter rule: load it with ParseFilter")
		}
		return nil, d.errorf(1, 1, "rule has no detection")
	}
	det, err := d.checkDetection(detKey, false)
	if err != nil {
		return nil, err
	}
	var meta sigmago.Rule
	if err := decode(d.posMap, d.without("detection"), &meta); err != nil {
		return nil, err
	}
	name, err := d.name()
	if err != nil {
		return nil, err
	}
	l := newLowerer(d, meta.Logsource, cfg)
	x, err := l.lower(det)
	if err != nil {
		return nil, err
	}
	r := &ir.Rule{
		Meta:      metaOf(&meta, name),
		Lang:      ir.LangSigma,
		Source:    d.pos(detKey.Line, detKey.Column),
		Logsource: ir.Logsource{Category: meta.Logsource.Category, Product: meta.Logsource.Product, Service: meta.Logsource.Service},
	}
	for _, f := range cfg.filters {
		if f.covers(meta.Logsource) && f.names(r) {
			x = and(x, f.Expr.Clone())
		}
	}
	if cfg.routing {
		if route := routeFor(meta.Logsource, x); route.Op != ir.OpTrue {
			x = ir.And(route, x)
		}
	}
	r.Expr = x
	return r, nil
}

// id returns the rule's "id:" when it is a string, else "": for errors,
// which must not fail themselves.
func (d *doc) id() string {
	if n := d.value("id"); n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		return n.Value
	}
	return ""
}

// name returns the rule's "name:" (Sigma correlation rules specification
// v2.1, "Related rules"), or "" when it has none.
func (d *doc) name() (string, error) {
	n := d.value("name")
	if n == nil || isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode || n.Value == "" {
		return "", d.errorf(n.Line, n.Column, "name is a YAML %s, not a string", kindName(n))
	}
	return n.Value, nil
}

// startPos is the position of the first byte of file.
func startPos(file string) ir.Pos { return ir.Pos{File: file, Line: 1, Col: 1} }

// openDoc applies the options, checks the size limit and reads the YAML
// document: the start that ParseRule and ParseFilter share.
func openDoc(file string, src []byte, opts []Option) (*doc, config, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if len(src) > cfg.maxRuleSize {
		return nil, cfg, ir.Errorf(startPos(file), "rule is %d bytes, more than the limit of %d", len(src), cfg.maxRuleSize)
	}
	d, err := readDoc(newPosMap(file, src), src, &cfg)
	return d, cfg, err
}
