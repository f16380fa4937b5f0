package sigma

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files with the current output.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenRules are the rules, in the module's testdata folder, whose dumps
// are kept in testdata/golden as <name>.ir.
var goldenRules = []string{
	"proc_creation_win_mofcomp_execution.yml",
}

// TestGolden compares the dump of each golden rule with its golden file.
func TestGolden(t *testing.T) {
	for _, name := range goldenRules {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("..", "testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParseRule(name, src)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Dump()
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".yml")+".ir")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("dump differs from %s (run go test -update to accept)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}
