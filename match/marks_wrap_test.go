package match

import (
	"math"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// TestMarksWrapStale checks the automaton marks' epochs across a wrap of
// their count within an event, and again 2^32 marks later: the event's
// mark, taken before the wrap, must not mark states after it with an
// epoch that a later event gets again, or that event's long strings
// report nothing at those states (a rule missed about every 2^32 strings
// to cache, minutes of a stream).
func TestMarksWrapStale(t *testing.T) {
	rs := mustRuleset(t, []*plan.Node{strTest("a", matcher.NewContains("ke", true))})
	long := strings.Repeat("x", maxCachedLen) + "KE" // too long to cache: scanned with the event's mark
	x := rs.pool.Get().(*scratch)
	defer rs.pool.Put(x)
	rec := rs.NewRecord()
	for _, c := range []struct {
		when string
		ev   Map
	}{
		// The event's mark is the last before the wrap; its short
		// string wraps the count, and then the long string is scanned.
		{"the event that wraps", Map{"a": []any{"short", long}}},
		// The same mark again, 2^32 marks later with no wrap between.
		{"the same mark a cycle later", Map{"a": long}},
	} {
		x.mark = math.MaxUint32 - 1
		rec.Reset(c.ev)
		if got := rs.matchRecord(x, rec, nil); len(got) != 1 {
			t.Errorf("%s: MatchRecord = %v, want [0]", c.when, got)
		}
	}
}
