package ruleforge

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/sigma"
)

// Parse reads one rule from src; name's extension selects the language:
// .yml and .yaml are Sigma, .eql a bare EQL query (its ID and title are the
// file name without extension), .toml an Elastic detection rule.
func Parse(name string, src []byte) (*ir.Rule, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yml", ".yaml":
		return sigma.ParseRule(name, src)
	case ".eql":
		return eql.ParseRule(name, src)
	case ".toml":
		return eql.ParseTOML(name, src)
	}
	return nil, &ir.Error{Pos: ir.Pos{File: name}, Msg: "unknown rule file type (expected .yml, .yaml, .eql or .toml)"}
}

// ReadFile reads and parses one rule file.
func ReadFile(path string) (*ir.Rule, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// IsRuleFile reports whether a file name has a rule file extension.
func IsRuleFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yml", ".yaml", ".eql", ".toml":
		return true
	}
	return false
}

// Load reads rules from files and directories. Directories are walked in
// lexical order and only their rule files (see IsRuleFile) are read; a file
// named directly is read whatever its name. It returns the rules that
// parsed and one error per file that did not, each naming the file.
func Load(paths ...string) ([]*ir.Rule, []error) {
	var rules []*ir.Rule
	var errs []error
	add := func(path string) {
		r, err := ReadFile(path)
		if err != nil {
			errs = append(errs, err)
			return
		}
		rules = append(rules, r)
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			if !d.IsDir() && IsRuleFile(path) {
				add(path)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", root, err))
		}
	}
	return rules, errs
}
