package normalize_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge/normalize"
)

// TestFillReals reads evtx's testdata/reals.evtx, records of one shape
// whose real is finite (a number) or not (null, evtx.KindNull) and whose
// string has escapes or not, from record to record, by fill programs and
// by walks, in every format, with rules reading both values, with and
// without a keyword search: a program must give a null where the walk
// does, not the box its memo made for the number before it.
func TestFillReals(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "reals.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	reals := filepath.Join("testdata", "reals.yml")
	for _, kw := range []bool{false, true} {
		paths := []string{reals}
		if kw {
			paths = append(paths, filepath.Join("testdata", "keywords.yml"))
		}
		c := newProgCase(fmt.Sprintf("keywords %v", kw), loadRules(t, paths...))
		for _, f := range formats {
			prog, walk := normalize.NewReader(c.rs, f), normalize.NewReader(c.rs, f)
			normalize.FillProgramLimits(walk, -1, 0, 0)
			planned := fillBoth(t, c, fmt.Sprintf("%s, %v", c.name, f), prog, walk, [][]byte{data, data})
			if _, _, runs, _ := normalize.FillProgramStats(prog); runs != planned-1 || planned < 2*15-3 {
				t.Errorf("%s, %v: %d of %d records read by plans filled by programs, want all but the first, of most records", c.name, f, runs, planned)
			}
		}
	}
}
