package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/sigma"
)

// loadRules parses the Sigma (.yml) and EQL (.eql) rule files named and
// those under the directories named, and returns the first error: the
// tests' ruleforge.Load, which they cannot import (the root package
// imports this one for ruleforge.Engine.Stream).
func loadRules(paths ...string) ([]*ir.Rule, error) {
	var rules []*ir.Rule
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	add := func(path string) {
		src, err := os.ReadFile(path)
		if err != nil {
			fail(err)
			return
		}
		if strings.HasSuffix(path, ".eql") {
			r, err := eql.ParseRule(path, src)
			if err == nil {
				rules = append(rules, r)
			}
			fail(err)
			return
		}
		f, err := sigma.ParseFile(path, src)
		if err != nil {
			fail(err)
			return
		}
		rules = append(rules, f.Rules...)
	}
	isRule := func(path string) bool { return filepath.Ext(path) == ".yml" || filepath.Ext(path) == ".eql" }
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			files.Walk(p, isRule, add, fail)
			continue
		}
		add(p)
	}
	return rules, first
}

// mustLoad is loadRules failing tb on an error.
func mustLoad(tb testing.TB, paths ...string) []*ir.Rule {
	tb.Helper()
	rules, err := loadRules(paths...)
	if err != nil {
		tb.Fatal(err)
	}
	return rules
}
