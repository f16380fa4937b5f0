package sigma

import (
	"github.com/ruleforge/ruleforge/ir"
)

// File is what one Sigma YAML file holds: detection rules and correlation
// rules, in file order. A file of several YAML documents (separated by
// "---") is the usual way to ship a correlation with its base rules
// (Sigma correlation rules specification v2.1, "Example").
type File struct {
	Rules        []*ir.Rule
	Correlations []*ir.Correlation
}

// ParseFile loads every YAML document of a Sigma file: detection rules (as
// ParseRule loads them, with the same options) and correlation rules.
// Empty documents are skipped. The correlations' references are not
// checked: they may name rules of other files; Resolve checks them once
// every file is loaded. Filter rules are loaded with ParseFilter. The
// error is an *ir.Error at a position in file: the first error of the
// file, which then yields nothing.
func ParseFile(file string, src []byte, opts ...Option) (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, ir.Errorf(startPos(file), "internal error: %v", r)
		}
	}()
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if len(src) > cfg.maxRuleSize {
		return nil, ir.Errorf(startPos(file), "rule is %d bytes, more than the limit of %d", len(src), cfg.maxRuleSize)
	}
	docs, err := readDocs(newPosMap(file, src), src, &cfg)
	if err != nil {
		return nil, err
	}
	f = &File{}
	for _, d := range docs {
		if k := d.keys["filter"]; k != nil {
			return nil, d.errorf(k.Line, k.Column, "filter rule: load it with ParseFilter")
		}
		if d.keys["correlation"] != nil {
			c, err := d.correlation()
			if err != nil {
				return nil, err
			}
			f.Correlations = append(f.Correlations, c)
			continue
		}
		r, err := d.rule(cfg)
		if err != nil {
			return nil, err
		}
		f.Rules = append(f.Rules, r)
	}
	return f, nil
}
