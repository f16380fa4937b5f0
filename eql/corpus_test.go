package eql

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// corpusDir holds Elastic's detection rules, when they are checked out
// beside the module.
const corpusDir = "../../shared/corpus/elastic/rules"

// TestCorpus parses and compiles every TOML rule of the Elastic corpus and
// logs how many compile and, for the rest, why not. It fails on a panic (it
// calls parseTOML, which does not recover), on an error that is not an
// *ir.Error at a position inside its file, on a rule that parses but does
// not compile, and on any error: every query, sequences and samples
// included, must compile.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("no corpus at %s: %v", corpusDir, err)
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".toml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	unsupported := map[string]int{}
	other := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r, err := parseTOML(file, src, newConfig(nil))
		if err == nil {
			if _, err := state.Compile([]*ir.Rule{r}); err != nil {
				t.Errorf("%s: compile: %v", file, err)
				continue
			}
			ok++
			continue
		}
		var e *ir.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v is a %T, want *ir.Error", file, err, err)
			continue
		}
		checkError(t, string(src), err)
		if reason, found := strings.CutPrefix(e.Msg, "unsupported: "); found {
			unsupported[reason]++
			t.Errorf("%v", err)
			continue
		}
		other++
		t.Errorf("%v", err)
	}
	t.Logf("%d files: %d compiled, %d unsupported, %d other errors", len(files), ok, len(files)-ok-other, other)
	reasons := make([]string, 0, len(unsupported))
	for r := range unsupported {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if a, b := unsupported[reasons[i]], unsupported[reasons[j]]; a != b {
			return a > b
		}
		return reasons[i] < reasons[j]
	})
	for _, r := range reasons {
		t.Logf("%5d unsupported: %s", unsupported[r], r)
	}
}
