// Package cputime reads the CPU time the process has used, for
// benchmarks that report CPU time per unit of work: on a machine shared
// with other loads, wall time says how busy the machine was, CPU time
// what the work cost.
package cputime

import (
	"syscall"
	"time"
)

// Used returns the CPU time the process has used so far, user and
// system, every goroutine's and the garbage collector's; 0 where the
// system does not say.
func Used() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
