// Package par runs independent jobs on every CPU: loading parses rule
// files, and compiling lowers rules, this way (issue 15, point 7: start
// in under a second with thousands of rules).
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// MinJobs is the fewest jobs For spreads over goroutines; fewer run on
// the caller's goroutine, where starting goroutines would cost more than
// it saves.
const MinJobs = 8

// For calls fn(i) for every i in [0, n), on up to GOMAXPROCS goroutines
// that take the next i in turn, and returns when all calls have. Each
// call must touch only its own i's data. A panic in fn is raised again
// on the caller's goroutine once the others have stopped, as if fn had
// run there.
func For(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if n < MinJobs || workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		once  sync.Once
		fault any
	)
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					once.Do(func() { fault = p })
					next.Store(int64(n)) // the others stop at their next job
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	if fault != nil {
		panic(fault)
	}
}
