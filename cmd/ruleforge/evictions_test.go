package main

import (
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/pipeline"
)

// TestReportFillEvictions: the runs' fill evictions are summed (add) and
// reported on a line of their own when there are any, and no line is
// written when there are none (the output of a run without them is
// unchanged).
func TestReportFillEvictions(t *testing.T) {
	for _, c := range []struct {
		a, b int
		want string
	}{
		{0, 0, ""},
		{2, 0, "ruleforge: .evtx fill programs dropped 2 times, full (normalize.ReaderStats.FillEvictions): the same results, read more slowly\n"},
		{2, 3, "ruleforge: .evtx fill programs dropped 5 times, full (normalize.ReaderStats.FillEvictions): the same results, read more slowly\n"},
	} {
		var b strings.Builder
		reportFillEvictions(&b, add(pipeline.Stats{FillEvictions: c.a}, pipeline.Stats{FillEvictions: c.b}))
		if b.String() != c.want {
			t.Errorf("%d + %d evictions: %q, want %q", c.a, c.b, b.String(), c.want)
		}
	}
}
