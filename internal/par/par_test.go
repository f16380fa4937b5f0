package par

import (
	"sync/atomic"
	"testing"
)

// TestFor checks that every index runs exactly once, for counts below
// and above MinJobs.
func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, MinJobs - 1, MinJobs, 1000} {
		seen := make([]atomic.Int32, n)
		For(n, func(i int) { seen[i].Add(1) })
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Fatalf("n=%d: job %d ran %d times, want 1", n, i, got)
			}
		}
	}
}

// TestForPanic checks that a job's panic reaches the caller.
func TestForPanic(t *testing.T) {
	defer func() {
		if p := recover(); p != "job 500" {
			t.Fatalf("recovered %v, want the job's panic", p)
		}
	}()
	For(1000, func(i int) {
		if i == 500 {
			panic("job 500")
		}
	})
	t.Fatal("For returned normally")
}
