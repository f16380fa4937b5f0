// Package evtxtest reads .evtx files for the tests of the packages that
// fill records from them (normalize, match, internal/pipeline,
// cmd/ruleforge), which each walked every record of a file with the same
// loop.
package evtxtest

import (
	"bytes"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
)

// EachRecord calls fn with each record of the .evtx file data, failing tb
// on a file or record that cannot be read.
func EachRecord(tb testing.TB, data []byte, fn func(er *evtx.Record)) {
	tb.Helper()
	r, err := evtx.NewReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	for er, err := range r.All() {
		if err != nil {
			tb.Fatal(err)
		}
		fn(er)
	}
}
