package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge/internal/stream"
)

// maxEventFlag registers match's -max-event into n: the largest event
// (or element of a JSON array) read, stream.MaxValue unless told.
func maxEventFlag(fs *flag.FlagSet, n *int) {
	fs.IntVar(n, "max-event", stream.MaxValue, "the largest event (or JSON array element) in bytes; a larger one is reported and skipped")
}

// checkMaxEvent reports a -max-event value that is not a positive size on
// stderr and reports whether it is valid.
func checkMaxEvent(n int, stderr io.Writer) bool {
	if n <= 0 {
		fmt.Fprintf(stderr, "ruleforge match: -max-event %d: want a positive number of bytes\n", n)
		return false
	}
	return true
}
