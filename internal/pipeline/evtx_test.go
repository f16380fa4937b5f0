package pipeline

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
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
