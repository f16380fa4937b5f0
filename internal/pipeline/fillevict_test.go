package pipeline

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
)

// TestRunEVTXFillEvictions: a run whose Reader has room for one fill
// program (internal/hooks.ReaderFillLimits) gives the results of one with
// the default limits and counts, in Stats.FillEvictions (which ruleforge
// match reports), the times the Reader dropped its programs during the
// run, not before it: Readers are pooled across runs. The Reader with
// tiny limits goes into the pool of the run's ruleset and paths (paths of
// this test alone); sync.Pool may drop it (the race detector drops some
// on purpose), so a run it took no part in is tried again.
func TestRunEVTXFillEvictions(t *testing.T) {
	c, err := loadEVTXCorpus()
	if err != nil || len(c.files) == 0 {
		t.Skipf("no .evtx corpus (%v): the fixtures have one planned shape a file", err)
	}
	rs := compile.MustCompile(mustLoad(t, filepath.Join("..", "..", "testdata", "proc_creation_win_mofcomp_execution.yml")))
	run := func(data []byte, cfg Config) ([]string, Stats) { t.Helper(); return runEVTXResults(t, data, cfg) }
	evicted := 0
	files := 0
	for file, data := range c.files {
		want, st := run(data, Config{Ruleset: rs, Workers: 1})
		if st.FillEvictions != 0 {
			t.Fatalf("file %d, default limits: %d fill evictions", file, st.FillEvictions)
		}
		for _, workers := range []int{1, 2} {
			cfg := Config{Ruleset: rs, Workers: workers, Paths: []*match.Path{match.NewPath("fill_evictions_test")}}
			for try := 0; try < 20; try++ {
				rd, pool := getReader(cfg)
				hooks.ReaderFillLimits(rd, 1, 1<<20)
				pool.Put(rd)
				got1, st1 := run(data, cfg)
				s1 := rd.Stats()
				got2, st2 := run(data, cfg) // rd went back to the pool
				s2 := rd.Stats()
				if !slices.Equal(got1, want) || !slices.Equal(got2, want) {
					t.Fatalf("file %d, workers %d, room for one fill program: results differ:\n%q\n%q\nwant\n%q", file, workers, got1, got2, want)
				}
				if s1.FillEvictions == 0 || s2.Filled == s1.Filled {
					continue // the pool dropped rd, or no record of the file is filled by a program
				}
				if st1.FillEvictions != s1.FillEvictions || st2.FillEvictions != s2.FillEvictions-s1.FillEvictions {
					t.Fatalf("file %d, workers %d: Stats.FillEvictions %d then %d, want %d then %d (the Reader's, during each run)",
						file, workers, st1.FillEvictions, st2.FillEvictions, s1.FillEvictions, s2.FillEvictions-s1.FillEvictions)
				}
				evicted += st2.FillEvictions
				files++
				break
			}
		}
		if files >= 10 {
			break
		}
	}
	if evicted == 0 {
		t.Fatal("no fill eviction in any run: the test compared nothing")
	}
}
