package ruleforge_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/state"
)

// corpusRoots are the rule folders of ../shared/corpus that fast start
// is measured on (issue 15, point 7): the three SigmaHQ folders and both
// Elastic folders.
var corpusRoots = []string{
	"sigmahq/rules", "sigmahq/rules-emerging-threats", "sigmahq/rules-threat-hunting",
	"elastic/rules", "elastic/rules_building_block",
}

// corpusPaths returns the paths of corpusRoots, skipping tb when the
// corpus is absent.
func corpusPaths(tb testing.TB) []string {
	var paths []string
	for _, r := range corpusRoots {
		p := filepath.Join("..", "shared", "corpus", r)
		if _, err := os.Stat(p); err != nil {
			tb.Skipf("corpus not found: %v", err)
		}
		paths = append(paths, p)
	}
	return paths
}

// BenchmarkStart loads and compiles every corpus rule (what every CLI
// run does before reading an event), then each stage alone.
func BenchmarkStart(b *testing.B) {
	paths := corpusPaths(b)
	rules, errs := ruleforge.Load(paths...)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	b.Run("load+compile", func(b *testing.B) {
		for b.Loop() {
			rules, _ := ruleforge.Load(paths...)
			if _, err := state.Compile(rules); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			ruleforge.Load(paths...)
		}
	})
	b.Run("compile", func(b *testing.B) {
		for b.Loop() {
			if _, err := state.Compile(rules); err != nil {
				b.Fatal(err)
			}
		}
	})
}
