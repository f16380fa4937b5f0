package match

import (
	"strings"
	"testing"
)

// TestResetJSONCompactNested checks ResetJSON against ParseJSON where
// the record's items are compacted while a member's object is scanned
// (repeated keys in it drop more than minCompact values) after dead
// items that lie before the member's first item (repeated keys before
// it, too few to compact): the member's items move, and a repetition of
// the member must drop them where they are now.
func TestResetJSONCompactNested(t *testing.T) {
	rep := func(m string, n int) string { return strings.Repeat(m+",", n) }
	keys := []string{"a", "a.b", "a.c", "a.d", "x", "n", "y"}
	for _, before := range []int{0, 5, 20, 30, 32, 33, 50} {
		for _, inner := range []int{5, 32, 33, 40, 65, 100} {
			// Alternate repeated keys: a repetition of the last item's key
			// drops it at once rather than leaving it dead.
			e := `{"y":"0",` + rep(`"x":"1","n":2`, before) + `"a":{` + rep(`"b":"2","c":1`, inner) + `"b":"3","c":1},"y":"4","a":{"d":"5"}}`
			rs, paths := jsonRuleset(t, keys, false)
			r := rs.NewRecord()
			checkResetJSON(t, rs, r, paths, []byte(e))
			checkItems(t, r, e)
			lazy := lazyRuleset(t, keys)
			r = lazy.NewRecord()
			checkResetJSON(t, lazy, r, paths, []byte(e))
			checkItems(t, r, e)
		}
	}
}

// TestResetJSONSpacedCommas checks that ResetJSON reads itself, and as
// ParseJSON does, objects and arrays whose commas are followed by white
// space, in the members it records and in those it skips (the fast paths
// for a ',' right after a value must skip the space after it too).
func TestResetJSONSpacedCommas(t *testing.T) {
	rs, paths := jsonRuleset(t, jsonPaths, false)
	r := rs.NewRecord()
	for _, e := range []string{
		`{"x":"1", "y":2 , "other":{"p":1, "q":[1, 2 ,3], "r":{"s":"t",	"u":null}}, "zz":[{"a":1}, {"b":2}],` + "\n" + `"s":"3"}`,
		`{"a":{"b":{"c":"1", "d":2}}, "x":"3"}`,
	} {
		if !checkResetJSON(t, rs, r, paths, []byte(e)) {
			t.Errorf("ResetJSON(%s) left the event to ParseJSON", e)
		}
	}
}

// checkItems checks that each slot of r, which read event e, holds one
// live item at most, the one r.pos points at: the rule index probes
// every live item (probePhase), so a value a repeated key replaced and
// left live would be probed too.
func checkItems(t *testing.T, r *Record, e string) {
	t.Helper()
	for k, it := range r.items {
		if it.slot >= 0 && int(r.pos[it.slot]) != k+1 {
			t.Fatalf("ResetJSON(%.80s…): item %d of slot %s is live, but the slot's value is item %d", e, k, r.st.paths[it.slot], r.pos[it.slot]-1)
		}
	}
}
