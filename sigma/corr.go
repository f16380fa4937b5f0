package sigma

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// MaxTimespan is the longest correlation window: a year, the longest unit
// pySigma knows. A longer timespan is an error.
const MaxTimespan = 366 * 24 * time.Hour

// timespanUnits are the units of a correlation's timespan: the
// specification's s, m, h and d ("Time Selection") and pySigma's w, M and y
// (SigmaCorrelationTimespan; M is 1/12 and y one Gregorian year on
// average).
var timespanUnits = map[byte]time.Duration{
	's': time.Second,
	'm': time.Minute,
	'h': time.Hour,
	'd': 24 * time.Hour,
	'w': 7 * 24 * time.Hour,
	'M': 2629746 * time.Second,
	'y': 31556952 * time.Second,
}

// timespanSyntax is a timespan: a number and a unit.
var timespanSyntax = regexp.MustCompile(`^([0-9]+)([smhdwMy])$`)

// correlationKeys are the keys of a "correlation:" mapping.
var correlationKeys = []string{"type", "rules", "group-by", "timespan", "condition", "aliases", "generate"}

// condOps are the operators of a correlation condition, as Bounds.
var condOps = map[string]ir.Bound{
	"gt":  {Op: ir.CmpGT},
	"gte": {Op: ir.CmpGE},
	"lt":  {Op: ir.CmpLT},
	"lte": {Op: ir.CmpLE},
	"eq":  {Op: ir.CmpEqual},
	"neq": {Op: ir.CmpEqual, Not: true},
}

// correlation reads a correlation rule's document (Sigma correlation rules
// specification v2.1). The references are checked against the other rules
// by Resolve.
func (d *doc) correlation() (_ *ir.Correlation, err error) {
	defer func() { err = ir.ForRule(err, d.id()) }()
	key := d.keys["correlation"]
	if k := d.keys["detection"]; k != nil {
		return nil, d.errorf(k.Line, k.Column, "a correlation rule has no detection")
	}
	body := resolve(d.value("correlation"))
	if body.Kind != yaml.MappingNode {
		return nil, d.errorf(body.Line, body.Column, "correlation is a YAML %s, not a mapping", kindName(body))
	}
	var meta sigmago.Rule
	if err := decode(d.posMap, d.without("correlation", "generate"), &meta); err != nil {
		return nil, err
	}
	name, err := d.name()
	if err != nil {
		return nil, err
	}
	if meta.Title == "" {
		return nil, d.errorf(key.Line, key.Column, "correlation rule has no title")
	}
	c := &ir.Correlation{
		Meta:       metaOf(&meta, name),
		Source:     d.pos(key.Line, key.Column),
		Percentile: -1,
	}
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(body.Content); i += 2 {
		k, v := body.Content[i], resolve(body.Content[i+1])
		known := false
		for _, n := range correlationKeys {
			known = known || k.Value == n
		}
		if !known {
			return nil, d.errorf(k.Line, k.Column, "unknown key %q in correlation (expected one of %s)", k.Value, strings.Join(correlationKeys, ", "))
		}
		if prev := vals[k.Value]; prev != nil {
			return nil, d.errorf(k.Line, k.Column, "duplicate key %q in correlation (first at line %d)", k.Value, prev.Line)
		}
		vals[k.Value] = v
	}
	if err := d.corrType(c, key, vals["type"]); err != nil {
		return nil, err
	}
	if err := d.corrRules(c, key, vals["rules"]); err != nil {
		return nil, err
	}
	if c.GroupBy, err = d.strings("group-by", vals["group-by"], true); err != nil {
		return nil, err
	}
	if err := d.corrTimespan(c, key, vals["timespan"]); err != nil {
		return nil, err
	}
	if err := d.corrCondition(c, key, vals["condition"]); err != nil {
		return nil, err
	}
	if err := d.corrAliases(c, vals["aliases"]); err != nil {
		return nil, err
	}
	return c, d.corrGenerate(c, vals["generate"], d.value("generate"))
}

// corrType reads "type".
func (d *doc) corrType(c *ir.Correlation, key, v *yaml.Node) error {
	if v == nil {
		return d.errorf(key.Line, key.Column, "correlation has no type (expected one of %s)", corrTypeList())
	}
	if v.Kind == yaml.ScalarNode {
		c.Type = ir.ParseCorrType(v.Value)
	}
	if c.Type == ir.CorrInvalid {
		return d.errorf(v.Line, v.Column, "unknown correlation type %q (expected one of %s)", v.Value, corrTypeList())
	}
	return nil
}

// corrTypeList names the correlation types for messages.
func corrTypeList() string {
	var names []string
	for t := ir.CorrEventCount; t <= ir.CorrValuePercentile; t++ {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
}

// corrRules reads "rules": one reference or a list of them, without
// duplicates.
func (d *doc) corrRules(c *ir.Correlation, key, v *yaml.Node) error {
	if v == nil {
		return d.errorf(key.Line, key.Column, "correlation has no rules")
	}
	nodes := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	}
	if len(nodes) == 0 {
		return d.errorf(v.Line, v.Column, "correlation rules is an empty list")
	}
	for _, n := range nodes {
		n = resolve(n)
		if n.Kind != yaml.ScalarNode || isNull(n) || n.Value == "" {
			return d.errorf(n.Line, n.Column, "correlation rules: item is a YAML %s, not a rule id or name", kindName(n))
		}
		for _, r := range c.Rules {
			if r.Ref == n.Value {
				return d.errorf(n.Line, n.Column, "correlation rules: %q is listed twice", n.Value)
			}
		}
		c.Rules = append(c.Rules, ir.CorrRef{Ref: n.Value, Pos: d.pos(n.Line, n.Column), Target: -1})
	}
	if c.Type.IsTemporal() && len(c.Rules) < 2 {
		return d.errorf(v.Line, v.Column, "a %s correlation needs at least two rules, not %d", c.Type, len(c.Rules))
	}
	return nil
}

// strings reads a string or a list of distinct strings (what names the
// value); a null value is no strings when optional.
func (d *doc) strings(what string, v *yaml.Node, optional bool) ([]string, error) {
	if v == nil || isNull(v) && optional {
		return nil, nil
	}
	nodes := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
		if len(nodes) == 0 {
			return nil, d.errorf(v.Line, v.Column, "%s is an empty list", what)
		}
	}
	var out []string
	for _, n := range nodes {
		n = resolve(n)
		if n.Kind != yaml.ScalarNode || isNull(n) || n.Value == "" {
			return nil, d.errorf(n.Line, n.Column, "%s: item is a YAML %s, not a field name", what, kindName(n))
		}
		for _, s := range out {
			if s == n.Value {
				return nil, d.errorf(n.Line, n.Column, "%s: %q is listed twice", what, n.Value)
			}
		}
		out = append(out, n.Value)
	}
	return out, nil
}

// corrTimespan reads "timespan".
func (d *doc) corrTimespan(c *ir.Correlation, key, v *yaml.Node) error {
	if v == nil {
		return d.errorf(key.Line, key.Column, "correlation has no timespan")
	}
	span, ok := ParseTimespan(v.Value)
	if v.Kind != yaml.ScalarNode || !ok {
		return d.errorf(v.Line, v.Column, "bad timespan %q: expected a positive whole number and a unit s, m, h, d, w, M or y (such as 90m), at most a year", v.Value)
	}
	c.Timespan = span
	return nil
}

// ParseTimespan reads a correlation timespan: a positive whole number and
// a unit, s, m, h or d (the specification) or w, M or y (pySigma), at most
// MaxTimespan. ok is false for anything else.
func ParseTimespan(s string) (span time.Duration, ok bool) {
	m := timespanSyntax.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	unit := timespanUnits[m[2][0]]
	if err != nil || n <= 0 || n > int64(MaxTimespan/unit) {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// corrCondition reads "condition": operators ANDed (a range has two),
// "field" for the types that read one, and pySigma's "percentile" for
// value_percentile. temporal and temporal_ordered default to "gte: the
// number of rules", as pySigma does.
func (d *doc) corrCondition(c *ir.Correlation, key, v *yaml.Node) error {
	if v == nil {
		if c.Type.IsTemporal() {
			c.Cond = []ir.Bound{{Op: ir.CmpGE, Value: float64(len(c.Rules))}}
			return nil
		}
		return d.errorf(key.Line, key.Column, "a %s correlation needs a condition", c.Type)
	}
	if v.Kind != yaml.MappingNode {
		return d.errorf(v.Line, v.Column, "correlation condition is a YAML %s, not a mapping such as {gte: 10}", kindName(v))
	}
	var fieldNode *yaml.Node
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], resolve(v.Content[i+1])
		switch k.Value {
		case "field":
			fieldNode = k
			fields, err := d.strings("condition field", val, false)
			if err != nil {
				return err
			}
			c.Field = fields
		case "percentile":
			p, err := strconv.Atoi(val.Value)
			if val.Kind != yaml.ScalarNode || err != nil || p < 0 || p > 100 {
				return d.errorf(val.Line, val.Column, "condition percentile %q is not a whole number from 0 to 100", val.Value)
			}
			if c.Type != ir.CorrValuePercentile {
				return d.errorf(k.Line, k.Column, "condition percentile is for value_percentile, not %s", c.Type)
			}
			c.Percentile = p
		default:
			b, ok := condOps[k.Value]
			if !ok {
				return d.errorf(k.Line, k.Column, "unknown condition key %q (expected gt, gte, lt, lte, eq, neq, field or percentile)", k.Value)
			}
			f, err := strconv.ParseFloat(val.Value, 64)
			if val.Kind != yaml.ScalarNode || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return d.errorf(val.Line, val.Column, "condition %s: %q is not a number", k.Value, val.Value)
			}
			b.Value = f
			c.Cond = append(c.Cond, b)
		}
	}
	switch {
	case len(c.Cond) == 0:
		return d.errorf(v.Line, v.Column, "correlation condition has no operator (expected gt, gte, lt, lte, eq or neq)")
	case c.Type.HasField() && len(c.Field) == 0:
		return d.errorf(v.Line, v.Column, "a %s correlation needs a field in its condition", c.Type)
	case !c.Type.HasField() && fieldNode != nil:
		return d.errorf(fieldNode.Line, fieldNode.Column, "condition field is for value_count, value_sum, value_avg and value_percentile, not %s", c.Type)
	case c.Type.HasField() && c.Type != ir.CorrValueCount && len(c.Field) > 1:
		return d.errorf(fieldNode.Line, fieldNode.Column, "a %s correlation reads one field, not %d", c.Type, len(c.Field))
	}
	if n := c.Need(); n > d.cfg.maxGroupEvents {
		what := "events"
		if c.Type == ir.CorrValueCount {
			what = "distinct values"
		}
		return d.errorf(v.Line, v.Column, "correlation condition needs %d %s per group; the limit is %d (MaxGroupEvents)", n, what, d.cfg.maxGroupEvents)
	}
	return nil
}

// corrAliases reads "aliases": alias → {rule reference: field name}, each
// reference one of the correlation's rules.
func (d *doc) corrAliases(c *ir.Correlation, v *yaml.Node) error {
	if v == nil || isNull(v) {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		return d.errorf(v.Line, v.Column, "correlation aliases is a YAML %s, not a mapping", kindName(v))
	}
	c.Aliases = map[string][]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, m := v.Content[i], resolve(v.Content[i+1])
		if m.Kind != yaml.MappingNode {
			return d.errorf(m.Line, m.Column, "alias %q is a YAML %s, not a mapping of rule names to fields", k.Value, kindName(m))
		}
		fields := make([]string, len(c.Rules))
		for j := 0; j+1 < len(m.Content); j += 2 {
			ref, f := m.Content[j], resolve(m.Content[j+1])
			at := -1
			for r := range c.Rules {
				if c.Rules[r].Ref == ref.Value {
					at = r
				}
			}
			if at < 0 {
				return d.errorf(ref.Line, ref.Column, "alias %q names rule %q, which is not one of the correlation's rules", k.Value, ref.Value)
			}
			if f.Kind != yaml.ScalarNode || isNull(f) || f.Value == "" {
				return d.errorf(f.Line, f.Column, "alias %q: rule %q: field is a YAML %s, not a field name", k.Value, ref.Value, kindName(f))
			}
			fields[at] = f.Value
		}
		c.Aliases[k.Value] = fields
	}
	return nil
}

// corrGenerate reads "generate", which the specification lists among the
// rule's top-level attributes ("Generate") and pySigma reads inside
// "correlation:"; either place is taken, both only when they agree.
func (d *doc) corrGenerate(c *ir.Correlation, inner, outer *yaml.Node) error {
	var set *yaml.Node
	for _, v := range []*yaml.Node{inner, outer} {
		if v == nil {
			continue
		}
		v = resolve(v)
		b, err := strconv.ParseBool(v.Value)
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || err != nil {
			return d.errorf(v.Line, v.Column, "generate is %q, not true or false", v.Value)
		}
		if set != nil && b != c.Generate {
			return d.errorf(v.Line, v.Column, "generate is %s here and %s at line %d", v.Value, set.Value, set.Line)
		}
		set, c.Generate = v, b
	}
	return nil
}
