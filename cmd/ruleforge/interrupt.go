package main

import (
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// writeError is a failed write of match's output (a full disk, a closed
// stdout): the run stops and exits 1, since what it claims to have found
// was not all written.
type writeError struct{ err error }

// Error says that writing the output failed.
func (e *writeError) Error() string { return "writing output: " + e.err.Error() }

// Unwrap returns the write's error.
func (e *writeError) Unwrap() error { return e.err }

// interrupt is the first SIGINT or SIGTERM a run receives: match then
// stops reading, writes what it found and its summary, and exits 128 plus
// the signal's number, as shells report a process a signal ended. A
// second signal ends the process at once, as usual.
type interrupt struct {
	stop chan struct{}
	once sync.Once
	sig  os.Signal // set before stop is closed
}

// catchSignals is set by main: match then turns SIGINT and SIGTERM into
// an interrupt (notifySignals). It is false when run is called directly
// (the tests that run the CLI in-process). The other commands leave the
// signals alone, so that they end check, explain or dump at once as
// usual: nothing would stop at an interrupt.
var catchSignals bool

// notifySignals starts turning SIGINT and SIGTERM into an interrupt.
func notifySignals() *interrupt {
	it := &interrupt{stop: make(chan struct{})}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-ch
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		it.once.Do(func() { it.sig = sig; close(it.stop) })
	}()
	return it
}

// done returns the channel closed by the first signal, or nil (never
// closed) without signal handling.
func (it *interrupt) done() <-chan struct{} {
	if it == nil {
		return nil
	}
	return it.stop
}

// signal returns the signal received, or nil.
func (it *interrupt) signal() os.Signal {
	if it == nil {
		return nil
	}
	select {
	case <-it.stop:
		return it.sig
	default:
		return nil
	}
}

// exitSignal is the exit status for a run a signal stopped: 128 plus its
// number (130 for SIGINT, 143 for SIGTERM).
func exitSignal(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitBad
}

// quote returns a file name as it can be printed on a line of its own:
// as it is, or Go-quoted when it holds a newline or another character
// that could forge or garble a line of the report.
func quote(name string) string {
	if q := strconv.Quote(name); q[1:len(q)-1] != name {
		return q
	}
	return name
}

// quoteList joins quoted names with ", ".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
