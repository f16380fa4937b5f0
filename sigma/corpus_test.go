package sigma

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// The shared rule corpora, when present: SigmaHQ's rules folder, and the
// SigmaHQ rules that come with recorded events (a rule.yml per folder).
const (
	corpusDir     = "../../shared/corpus/sigmahq/rules"
	regressionDir = "../../shared/corpus/sigma-regression"
)

// TestCorpus parses every rule of the SigmaHQ corpus, logs how many load
// and why the others fail, and checks that every failure is an *ir.Error
// with a position.
func TestCorpus(t *testing.T) {
	t.Run("sigmahq", func(t *testing.T) { parseCorpus(t, corpusDir) })
	t.Run("regression", func(t *testing.T) { parseCorpus(t, regressionDir) })
}

// parseCorpus parses every .yml file under dir, or skips when dir is
// absent.
func parseCorpus(t *testing.T, dir string) {
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no rule corpus at %s: %v", dir, err)
	}
	ok, failed := 0, map[string]int{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yml") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		r, err := ParseRule(path, src)
		if err == nil {
			ok++
			if r.Expr == nil {
				t.Errorf("%s: nil expression", path)
			}
			return nil
		}
		var e *ir.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %T is not an *ir.Error: %v", path, err, err)
			return nil
		}
		if !e.Pos.IsValid() || e.Pos.File != path {
			t.Errorf("%s: error without a position: %v", path, err)
		}
		failed[reason(e.Msg)]++
		if testing.Verbose() {
			t.Logf("%v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := ok
	reasons := make([]string, 0, len(failed))
	for r, c := range failed {
		reasons = append(reasons, r)
		n += c
	}
	sort.Slice(reasons, func(i, j int) bool {
		if failed[reasons[i]] != failed[reasons[j]] {
			return failed[reasons[i]] > failed[reasons[j]]
		}
		return reasons[i] < reasons[j]
	})
	t.Logf("%d rules: %d ok, %d failed", n, ok, n-ok)
	for _, r := range reasons {
		t.Logf("%6d  %s", failed[r], r)
	}
}

// reason returns the kind of an error message: without the search and
// field it names, and with quoted names of modifiers kept.
func reason(msg string) string {
	if strings.HasPrefix(msg, "search ") {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	if strings.HasPrefix(msg, "field ") {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	if i := strings.Index(msg, " on field "); i >= 0 {
		msg = msg[:i]
	}
	if i := strings.Index(msg, " (expected"); i >= 0 {
		msg = msg[:i]
	}
	return msg
}
