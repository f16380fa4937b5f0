package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
)

// manyChunks is the evtx package's fixture file with its one chunk (three
// records, ids 1-3) repeated n times, the chunk at bad damaged.
func manyChunks(t *testing.T, n, bad int) []byte {
	data, err := os.ReadFile("../../evtx/testdata/fixture.evtx")
	if err != nil {
		t.Fatal(err)
	}
	head, chunk := data[:evtx.FileHeaderSize], data[evtx.FileHeaderSize:]
	out := bytes.Clone(head)
	for i := range n {
		start := len(out)
		out = append(out, chunk...)
		if i == bad {
			out[start+1000] ^= 0xff
		}
	}
	return out
}

// TestRunEVTX: results come in file order whatever the workers, a damaged
// chunk is one bad result in its place, and an emit error stops the run.
func TestRunEVTX(t *testing.T) {
	rules := mustLoad(t, filepath.Join("..", "..", "testdata", "proc_creation_win_mofcomp_execution.yml"))
	rs := compile.MustCompile(rules)
	const n, bad = 40, 17
	file := manyChunks(t, n, bad)
	for _, workers := range []int{1, 4} {
		r, err := evtx.NewReader(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		ordinal := 0
		st, err := RunEVTX(Config{Ruleset: rs, Workers: workers}, r, func(res *Result) error {
			ordinal++
			switch {
			case res.Ordinal != ordinal:
				t.Fatalf("workers %d: ordinal %d, want %d", workers, res.Ordinal, ordinal)
			case ordinal == 3*bad+1 && res.Bad == nil:
				t.Fatalf("workers %d: result %d not bad", workers, ordinal)
			case ordinal <= 3*bad && res.RecordID != uint64((ordinal-1)%3+1):
				t.Fatalf("workers %d: result %d record id %d", workers, ordinal, res.RecordID)
			}
			return nil
		})
		want := Stats{Events: 3*(n-1) + 1, Unmatched: 3 * (n - 1), Bad: 1}
		if err != nil || st.Events != want.Events || st.Unmatched != want.Unmatched || st.Bad != want.Bad {
			t.Errorf("workers %d: %+v, %v; want %+v", workers, st, err, want)
		}
	}
	// One worker runs on the caller's goroutine (runEVTXInline): the
	// same stops as with several.
	for _, workers := range []int{1, 2} {
		r, _ := evtx.NewReader(bytes.NewReader(file))
		stopped := errors.New("stop")
		st, err := RunEVTX(Config{Ruleset: rs, Workers: workers}, r, func(res *Result) error {
			if res.Ordinal == 10 {
				return stopped
			}
			return nil
		})
		if err != stopped || st.Events > 3*n {
			t.Errorf("workers %d: stopped run: %+v, %v", workers, st, err)
		}

		// Config.Stop (match's SIGINT) stops reading chunks: it was ignored,
		// and a signal let every .evtx file be read to its end.
		r, _ = evtx.NewReader(bytes.NewReader(file))
		stop := make(chan struct{})
		st, err = RunEVTX(Config{Ruleset: rs, Workers: workers, Stop: stop}, r, func(res *Result) error {
			if res.Ordinal == 3*10 {
				close(stop)
			}
			return nil
		})
		// At most 2*Workers+2 chunks are in flight when the stop comes.
		if most := 3 * (10 + 2*workers + 2); !errors.Is(err, ErrStopped) || st.Events%3 != 0 || st.Events > most {
			t.Errorf("workers %d: run stopped after 10 chunks: %+v, %v; want ErrStopped and at most %d events", workers, st, err, most)
		}
	}
}

// TestRunEVTXPlanEvictions: a run whose Decoders have no room for record
// plans (Config.Decoder) gives the same results as one with the default
// limits, and counts the times they dropped their plans
// (Stats.PlanEvictions, which ruleforge match reports), with one worker
// and with several.
func TestRunEVTXPlanEvictions(t *testing.T) {
	c, base := benchSetup(t)
	rs := base.Ruleset
	run := func(file []byte, cfg Config) ([]string, Stats) { t.Helper(); return runEVTXResults(t, file, cfg) }
	files, hits := 0, 0
	for _, file := range c.files {
		want, st := run(file, Config{Ruleset: rs, Workers: 1})
		if st.PlanEvictions != 0 || st.Events < 8 {
			continue // the default limits hold the corpus's plans; a file of a few records makes few plans
		}
		files, hits = files+1, hits+st.Hits
		for _, workers := range []int{1, 2} {
			for _, opt := range []evtx.Option{evtx.WithMaxPlans(0), evtx.WithMaxPlanBytes(0)} {
				got, st := run(file, Config{Ruleset: rs, Workers: workers, Decoder: []evtx.Option{opt}})
				if !slices.Equal(got, want) {
					t.Fatalf("workers %d, no room for plans: results differ:\n%q\nwant\n%q", workers, got, want)
				}
				if st.PlanEvictions == 0 {
					t.Fatalf("workers %d, no room for plans: %d events and no eviction counted", workers, st.Events)
				}
			}
		}
		if files == 5 {
			break
		}
	}
	if files == 0 || hits == 0 {
		t.Fatalf("%d corpus files of 8 records or more, %d hits: the test compared nothing", files, hits)
	}
}

// runEVTXResults runs cfg over the .evtx file and returns its results,
// one line each (ordinal, record id, hits, error), and its counts.
func runEVTXResults(t *testing.T, file []byte, cfg Config) ([]string, Stats) {
	t.Helper()
	r, err := evtx.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	st, err := RunEVTX(cfg, r, func(res *Result) error {
		got = append(got, fmt.Sprint(res.Ordinal, res.RecordID, res.Hits, res.Bad))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, st
}
