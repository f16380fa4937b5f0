package main

import (
	"fmt"
	"io"

	"github.com/ruleforge/ruleforge/internal/pipeline"
)

// reportFillEvictions writes the line that says how many times the run's
// normalize.Readers dropped their .evtx fill programs, full
// (pipeline.Stats.FillEvictions), when they did: an eviction changes no
// result but is never silent. No line when there were none.
func reportFillEvictions(w io.Writer, total pipeline.Stats) {
	if total.FillEvictions > 0 {
		fmt.Fprintf(w, "ruleforge: .evtx fill programs dropped %d times, full (normalize.ReaderStats.FillEvictions): the same results, read more slowly\n",
			total.FillEvictions)
	}
}
