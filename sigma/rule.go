package sigma

import (
	"regexp"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"

	"github.com/ruleforge/ruleforge/ir"
)

// Limits on the input. A rule over a limit is rejected with an error.
const (
	MaxRuleSize      = 1 << 20 // bytes of YAML in one rule
	MaxConditionSize = 4096    // bytes in one condition expression
	MaxValues        = 10000   // values of one field in one search
	MaxRuleValues    = 100000  // values of all the fields of a rule, YAML aliases expanded
	MaxExprSize      = 1 << 18 // nodes and values in a rule's lowered expression
)

// ParseRule loads one Sigma rule (YAML) and lowers it to the IR. file names
// the source in errors and in the rule's Source, which is the position of the
// rule's "detection:" key.
//
// Every error is an *ir.Error with a position in file. Anything ParseRule
// does not support (modifiers, keyword searches, aggregations, correlation
// and filter rules, several YAML documents) is an error, never a rule that
// matches something else.
func ParseRule(file string, src []byte) (rule *ir.Rule, err error) {
	defer func() {
		// sigma-go and the YAML decoder may panic on odd input; no panic
		// crosses this API.
		if r := recover(); r != nil {
			rule, err = nil, ir.Errorf(startPos(file), "internal error: %v", r)
		}
	}()
	if len(src) > MaxRuleSize {
		return nil, ir.Errorf(startPos(file), "rule is %d bytes, more than the limit of %d", len(src), MaxRuleSize)
	}
	m := newPosMap(file, src)
	d, err := readDoc(m, src)
	if err != nil {
		return nil, err
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	r, err := sigmago.ParseRule(src)
	if err != nil {
		return nil, yamlError(m, err)
	}
	l := &lowerer{posMap: m, logsource: r.Logsource}
	if err := l.searches(r.Detection.Searches); err != nil {
		return nil, err
	}
	x, err := l.conditions(r.Detection.Conditions)
	if err != nil {
		return nil, err
	}
	return &ir.Rule{
		ID:          r.ID,
		Title:       r.Title,
		Description: r.Description,
		Severity:    strings.ToLower(r.Level),
		Tags:        r.Tags,
		Attack:      attackIDs(r.Tags),
		Lang:        ir.LangSigma,
		Source:      d.detection,
		Expr:        x,
	}, nil
}

// attackTag matches the tags that name an ATT&CK technique, sub-technique,
// group or software: attack.t1218, attack.t1055.001, attack.g0010,
// attack.s0002. Tactics are tagged by name (attack.execution) and are not
// converted.
var attackTag = regexp.MustCompile(`^(?i)attack\.(t\d{4}(?:\.\d{3})?|[gs]\d{4})$`)

// attackIDs returns the ATT&CK ids named by tags, upper case, in tag order,
// without duplicates.
func attackIDs(tags []string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, t := range tags {
		m := attackTag.FindStringSubmatch(strings.TrimSpace(t))
		if m == nil {
			continue
		}
		id := strings.ToUpper(m[1])
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// lowerer turns a parsed rule's detection into an expression.
type lowerer struct {
	*posMap
	logsource sigmago.Logsource
	names     []string            // search names, sorted
	search    map[string]*ir.Expr // lowered searches by name
	size      map[string]int      // nodes and values of the lowered searches
	nodes     int                 // nodes and values of the condition so far
}

// errorAt returns an *ir.Error at a 0-based line and column as sigma-go's
// Position methods give them.
func (l *lowerer) errorAt(line, col int, format string, args ...any) error {
	return l.errorf(line+1, col+1, format, args...)
}

// startPos is the position of the first byte of file.
func startPos(file string) ir.Pos { return ir.Pos{File: file, Line: 1, Col: 1} }
