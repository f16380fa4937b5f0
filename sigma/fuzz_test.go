package sigma

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// FuzzParseRule checks that ParseRule never panics, returns either a rule
// with an expression or an *ir.Error with a position, and gives the same
// answer twice. The seed corpus is in testdata/fuzz/FuzzParseRule.
func FuzzParseRule(f *testing.F) {
	if src, err := os.ReadFile(filepath.Join("..", "testdata", "proc_creation_win_mofcomp_execution.yml")); err == nil {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		r, err := ParseRule("f.yml", src)
		if err != nil {
			var e *ir.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *ir.Error: %v", err, err)
			}
			if !e.Pos.IsValid() || e.Pos.File != "f.yml" {
				t.Fatalf("error without a position: %v", err)
			}
			if _, err2 := ParseRule("f.yml", src); err2 == nil || err2.Error() != err.Error() {
				t.Fatalf("second parse: %v, first: %v", err2, err)
			}
			return
		}
		if r.Expr == nil {
			t.Fatal("rule without an expression")
		}
		r2, err := ParseRule("f.yml", src)
		if err != nil || r2.Dump() != r.Dump() {
			t.Fatalf("second parse differs: %v", err)
		}
	})
}

// FuzzCondition checks that the condition parser never panics, reports
// errors at an offset inside the condition, and that a parsed condition's
// canonical form parses back to itself.
func FuzzCondition(f *testing.F) {
	for _, s := range []string{
		"sel", "a and not (b or c)", "1 of sel_* and not all of filter_*", "any of them",
		"ALL OF them OR NOT x", "sel | count() > 5", "((a)", "a b", "é and sel-1.x", "1 of",
	} {
		f.Add(s)
	}
	// At the depth limit, the canonical form is one level deeper.
	f.Add(strings.Repeat("not ", MaxConditionDepth) + "a and b")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseCondition(s, MaxConditionDepth)
		if err != nil {
			if err.off < 0 || err.off > len(s) || err.msg == "" {
				t.Fatalf("error %q at %d in a condition of %d bytes", err.msg, err.off, len(s))
			}
			return
		}
		canon := n.String()
		// The canonical form puts the top-level and or or in
		// parentheses: one level more.
		n2, err := parseCondition(canon, MaxConditionDepth+1)
		if err != nil {
			t.Fatalf("canonical form %q of %q: %s", canon, s, err.msg)
		}
		if n2.String() != canon {
			t.Fatalf("canonical form %q of %q parses to %q", canon, s, n2.String())
		}
	})
}

// FuzzPipeline checks that ParsePipeline never panics and returns a
// pipeline or an *ir.Error with a position, and that applying a pipeline
// that parses to a rule gives a rule or an *ir.Error, never a panic. The
// seed corpus is in testdata/fuzz/FuzzPipeline.
func FuzzPipeline(f *testing.F) {
	for _, name := range []string{"custom_edr.yml", "crowdstrike_fdr.yml"} {
		if src, err := os.ReadFile(filepath.Join("..", "examples", "pipelines", name)); err == nil {
			f.Add(src)
		}
	}
	rule, err := os.ReadFile(filepath.Join("..", "testdata", "proc_creation_win_mofcomp_execution.yml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := ParsePipeline("p.yml", src)
		if err != nil {
			var e *ir.Error
			if !errors.As(err, &e) || !e.Pos.IsValid() || e.Pos.File != "p.yml" {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		r, err := ParseRule("r.yml", rule, WithPipelines(p))
		if err != nil {
			var e *ir.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *ir.Error: %v", err, err)
			}
			return
		}
		if r.Expr == nil {
			t.Fatal("rule without an expression")
		}
	})
}

// FuzzParseFile checks that ParseFile and Resolve never panic on a file
// of any documents (rules and correlations), that every error is an
// *ir.Error with a position in the file, and that each resolved
// reference points at a rule or a correlation of the right list. The
// seed corpus is testdata/corr and testdata/fuzz/FuzzParseFile.
func FuzzParseFile(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corr", "*.yml"))
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := ParseFile("f.yml", src)
		check := func(err error) {
			var e *ir.Error
			if !errors.As(err, &e) || !e.Pos.IsValid() || e.Pos.File != "f.yml" {
				t.Fatalf("error without a position: %v", err)
			}
		}
		if err != nil {
			check(err)
			return
		}
		corrs, errs := Resolve(file.Rules, file.Correlations)
		for _, err := range errs {
			check(err)
		}
		for _, c := range corrs {
			if len(c.Cond) == 0 || c.Timespan <= 0 || c.Type == ir.CorrInvalid || c.Need() > MaxGroupEvents {
				t.Fatalf("correlation without condition, timespan or type, or needing over MaxGroupEvents: %s", c.Dump())
			}
			for _, r := range c.Rules {
				if r.IsCorr && (r.Target < 0 || r.Target >= len(corrs)) || !r.IsCorr && (r.Target < 0 || r.Target >= len(file.Rules)) {
					t.Fatalf("reference %q to %d out of range", r.Ref, r.Target)
				}
				if len(r.GroupBy) != len(c.GroupBy) || len(r.Field) != len(c.Field) {
					t.Fatalf("reference %q without its fields", r.Ref)
				}
			}
		}
	})
}
