package eql

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden compares the dumps of the seed rules with
// testdata/golden/<name>.ir. Rules are named by their path from the module
// root, so that dumps do not depend on where the tests run.
func TestGolden(t *testing.T) {
	tests := []struct {
		path  string // from the module root
		parse func(string, []byte, ...Option) (*ir.Rule, error)
	}{
		{"testdata/mofcomp_activity.eql", ParseRule},
		{"testdata/execution_mofcomp.toml", ParseTOML},
	}
	for _, tt := range tests {
		src, err := os.ReadFile(filepath.Join("..", tt.path))
		if err != nil {
			t.Fatal(err)
		}
		r, err := tt.parse(tt.path, src)
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		got := r.Dump()
		base := filepath.Base(tt.path)
		golden := filepath.Join("testdata", "golden", strings.TrimSuffix(base, filepath.Ext(base))+".ir")
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s: dump differs from %s (run go test -update to accept)\n got:\n%s\nwant:\n%s", tt.path, golden, got, want)
		}
	}
}
