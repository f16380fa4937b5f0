package match

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// TestProbeCache checks the probe cache against the unindexed ruleset on
// a stream of short values that recur (cache hits), collide in the table
// (3,000 values at two probes for 1,024 entries), hold more keys than an
// entry keeps, need folding, or are too long to cache, or come two in one
// event at one probe (a list), in events matched by one scratch.
func TestProbeCache(t *testing.T) {
	var plans []*plan.Node
	pieces := []string{"ab", "cd", "ef", "gh", "ij", "kl", "mn", "op", "qr", "st", "uv", "é"}
	for i, p := range pieces {
		plans = append(plans,
			strTest("a", matcher.NewContains(p, true)),
			strTest("a", matcher.NewContains(string([]rune(p)[:1]), true)),
			strTest("a", matcher.NewPrefix(p+pieces[(i+1)%len(pieces)], true)),
			strTest("b", matcher.NewSuffix(p, true)),
			ixOp(ir.OpAnd, strTest("a", matcher.NewExact(p+p, true)), strTest("b", matcher.NewContains(p, true))))
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	if st := rs.IndexStats(); st.Gated != len(plans) {
		t.Fatalf("%d of %d rules gated", st.Gated, len(plans))
	}
	r := rand.New(rand.NewPCG(3, 5))
	value := func() string {
		var b strings.Builder
		n := r.IntN(6)
		if r.IntN(50) == 0 {
			n = 50 // longer than maxCachedLen
		}
		for range n {
			p := pieces[r.IntN(len(pieces))]
			if r.IntN(3) == 0 {
				p = strings.ToUpper(p)
			}
			b.WriteString(p)
		}
		return b.String()
	}
	pool := make([]string, 3000) // values recur, and more than the table holds
	for i := range pool {
		pool[i] = value()
	}
	rec := rs.NewRecord()
	hits, long := 0, 0
	for e := range 20000 {
		ev := Map{"a": pool[r.IntN(len(pool))], "b": pool[r.IntN(len(pool))]}
		if r.IntN(4) == 0 {
			ev["b"] = ev["a"] // the same string at both fields
		}
		long += len(ev["a"].(string)) / (maxCachedLen + 1)
		if r.IntN(4) == 0 {
			// Strings probed at one probe in one event: the automaton
			// states the first reaches must be in the second's entry too.
			ev["b"] = []any{ev["b"], pool[r.IntN(len(pool))]}
		}
		want := plain.Match(ev, nil)
		rec.Reset(ev)
		if got := rs.MatchRecord(rec, nil); !slices.Equal(got, want) {
			t.Fatalf("event %d %v: indexed %v, unindexed %v", e, ev, got, want)
		}
		hits += len(want)
	}
	if hits < 20000 || long == 0 {
		t.Errorf("%d matches, %d long values: the test checks little", hits, long)
	}
}

// TestProbeCacheLimits checks the probe cache at its limits, against the
// unindexed ruleset: a string that fires more keys than an entry holds
// (not cached: each probe fires them all), and the count of the ring of
// keys wrapping around, which must empty every entry (else an entry made
// just before, its keys since overwritten in the ring, would pass for a
// recent one).
func TestProbeCacheLimits(t *testing.T) {
	var plans []*plan.Node
	for c := 'a'; c <= 'z'; c++ {
		plans = append(plans, strTest("a", matcher.NewContains(string(c), true)), strTest("a", matcher.NewContains(strings.Repeat(string(c), 2), true)))
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	x := newScratch(rs.shared, rs.index, rs.slots)
	rec := rs.NewRecord()
	check := func(when string, values ...string) {
		t.Helper()
		for _, v := range values {
			ev := Map{"a": v}
			rec.Reset(ev)
			if got, want := rs.matchRecord(x, rec, nil), plain.Match(ev, nil); !slices.Equal(got, want) {
				t.Errorf("%s: %q matches %v, unindexed %v", when, v, got, want)
			}
		}
	}
	var all strings.Builder // 52 bytes, 52 keys
	for c := 'a'; c <= 'z'; c++ {
		all.WriteString(strings.Repeat(string(c), 2))
	}
	if all.Len() > maxCachedLen || 2*26 <= maxCachedIDs {
		t.Fatalf("%q: the test needs a string short enough to cache with more keys than an entry holds", all.String())
	}
	check("first", "qq", all.String(), all.String(), "qq")
	x.cache.next = math.MaxUint32 - 2 // "wxyz" puts its fourth key at the ring's start, where "qq"'s first was
	check("across the ring's wrap", "wxyz", "qq", "wxyz")
	check("after the wrap", "qq", all.String(), "wxyz")
}

// TestProbeCacheNumbers checks, against the unindexed ruleset, the
// number keys a string spells, which the probe cache keeps with the
// string's text keys: strings that recur (cache hits) and spell a number
// or not, at a probe with number keys only and at one with text keys too,
// next to Go numbers and json.Numbers whose text is the same string, in
// events matched by one scratch.
func TestProbeCacheNumbers(t *testing.T) {
	plans := []*plan.Node{
		numTest("a", 4624), numTest("a", 0x3e7), numTest("a", 1.5), numTest("a", -2),
		numTest("b", 4624), strTest("b", matcher.NewContains("46", true)), strTest("b", matcher.NewExact("1.50", true)),
		ixOp(ir.OpAnd, numTest("a", 3), strTest("b", matcher.NewPrefix("4", true))),
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	values := []any{"4624", "+4624.0", " 4624", "0x3e7", "999", "1.50", "1.5", "-2", "3", "46", "x46", "", "4624e0",
		4624.0, 3, json.Number("4624"), json.Number("1.50"), -2.0, true}
	r := rand.New(rand.NewPCG(7, 8))
	x := newScratch(rs.shared, rs.index, rs.slots)
	rec := rs.NewRecord()
	hits := 0
	for e := range 5000 {
		ev := Map{"a": values[r.IntN(len(values))], "b": values[r.IntN(len(values))]}
		rec.Reset(ev)
		got, want := rs.matchRecord(x, rec, nil), plain.Match(ev, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("event %d %v: indexed %v, unindexed %v", e, ev, got, want)
		}
		hits += len(want)
	}
	if hits < 5000 {
		t.Errorf("%d matches: the test checks little", hits)
	}
}
