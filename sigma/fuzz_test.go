package sigma

import (
	"errors"
	"os"
	"path/filepath"
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
