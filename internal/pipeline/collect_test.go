package pipeline

import (
	"errors"
	"slices"
	"testing"
)

// TestCollectorOrder hands a collector pieces in various orders, each
// piece a run of results, and checks that emit sees every result once,
// in sequence order, numbered 1, 2, … across pieces, that each piece is
// done once, right after its results, and that an emit error stops the
// emitting and closes stop but not the counting; and that no piece is
// left pending once emitted.
func TestCollectorOrder(t *testing.T) {
	tests := []struct {
		name   string
		order  []int // the pieces' sequence numbers, as they finish
		failAt int   // the ordinal whose emit fails, or 0
	}{
		{"in order", []int{0, 1, 2, 3}, 0},
		{"reversed", []int{3, 2, 1, 0}, 0},
		{"mixed", []int{1, 0, 3, 4, 2}, 0},
		{"one", []int{0}, 0},
		{"error in order", []int{0, 1, 2}, 3},
		{"error out of order", []int{2, 0, 1}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Piece k holds k+1 results, tagged with k in Bytes.
			pieces := make([][]Result, len(tt.order))
			for k := range pieces {
				pieces[k] = make([]Result, k+1)
				for i := range pieces[k] {
					pieces[k][i].Bytes = k
				}
			}
			var emitted, done []int // the pieces of the results emitted; the pieces done
			var ordinals []int
			stop := make(chan struct{})
			c := newCollector[int](func(res *Result) error {
				emitted = append(emitted, res.Bytes)
				ordinals = append(ordinals, res.Ordinal)
				if res.Ordinal == tt.failAt {
					return errors.New("full")
				}
				return nil
			}, stop)
			for _, k := range tt.order {
				c.add(k, k, func(k int) []Result { return pieces[k] }, func(k int) {
					if len(emitted) > 0 && c.err == nil && emitted[len(emitted)-1] != k {
						t.Errorf("piece %d done after a result of piece %d", k, emitted[len(emitted)-1])
					}
					done = append(done, k)
				})
			}
			var want, wantDone, wantOrd []int
			total := 0
			for k := range pieces {
				wantDone = append(wantDone, k)
				for range k + 1 {
					total++
					if tt.failAt == 0 || total <= tt.failAt {
						want = append(want, k)
						wantOrd = append(wantOrd, total)
					}
				}
			}
			if !slices.Equal(emitted, want) || !slices.Equal(ordinals, wantOrd) || !slices.Equal(done, wantDone) {
				t.Errorf("emitted pieces %v ordinals %v done %v, want %v %v %v", emitted, ordinals, done, want, wantOrd, wantDone)
			}
			if len(c.pending) != 0 { // bounded: an emitted piece is not kept
				t.Errorf("%d pieces still pending after all were emitted", len(c.pending))
			}
			st, err := c.result(nil)
			if st.Events != total || st.Unmatched != total {
				t.Errorf("counts %+v, want %d events", st, total)
			}
			select {
			case <-stop:
				if tt.failAt == 0 || err == nil {
					t.Errorf("stop closed, err %v, with no emit error", err)
				}
			default:
				if tt.failAt != 0 {
					t.Errorf("stop open after emit failed")
				}
			}
		})
	}
}
