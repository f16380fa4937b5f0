package match

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/matcher/matchertest"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/internal/randtext"
	"github.com/ruleforge/ruleforge/ir"
)

// ixPaths interns the paths of the gate tests' fields, so that tests on
// one field share its paths as compiled rules do.
var ixPaths = map[string]*Path{}

// ixPath returns the interned path of text s.
func ixPath(s string) *Path {
	if p, ok := ixPaths[s]; ok {
		return p
	}
	p := NewPath(s)
	ixPaths[s] = p
	return p
}

// strTest returns a test node comparing field name with string matchers.
func strTest(name string, ms ...matcher.Matcher) *plan.Node {
	return &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: name, Paths: []*Path{ixPath(name)}, Strings: ms}}
}

// numTest returns a test node comparing field name with numbers.
func numTest(name string, ns ...float64) *plan.Node {
	return &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: name, Paths: []*Path{ixPath(name)}, Numbers: nums(ns...)}}
}

// ixOp returns a node of operator op over kids.
func ixOp(op ir.Op, kids ...*plan.Node) *plan.Node { return &plan.Node{Op: op, Kids: kids} }

// mustRuleset builds a ruleset of plans with the given options for a test.
func mustRuleset(t testing.TB, plans []*plan.Node, opts ...rulesetOption) *Ruleset {
	t.Helper()
	rs, err := newRuleset(testRules(len(plans)), plans, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// clauseOfKey returns the index of the first clause holding key, or -1.
func clauseOfKey(clauses [][]string, key string) int {
	for i, c := range clauses {
		if slices.Contains(c, key) {
			return i
		}
	}
	return -1
}

// TestGate checks the gates of hand-built plans: which rules get one, and
// keys their clauses must or must not hold. The order of clauses and keys
// follows cost estimates and is not checked, except where a case says.
func TestGate(t *testing.T) {
	suffix := matcher.NewSuffix(`\mofcomp.exe`, true)
	exact := matcher.NewExact("MOFCOMP.EXE", true)
	var b strings.Builder
	for i := range 40 {
		fmt.Fprintf(&b, "%02d,", i) // no repeats: a cut from either end shows
	}
	long, longer := b.String()[:24], b.String()
	tests := []struct {
		name    string
		plan    *plan.Node
		ok      bool
		keys    []string // each in some clause
		absent  []string // in no clause
		clauses int      // how many clauses, when not 0
		same    bool     // keys all in one clause
	}{
		{"suffix", strTest("Image", suffix), true, []string{`Image ends~ "\mofcomp.exe"`}, nil, 1, false},
		{"exact_folded", strTest("OriginalFileName", exact), true, []string{`OriginalFileName equals~ "mofcomp.exe"`}, nil, 1, false},
		{"exact_case_sensitive_folded_key", strTest("OriginalFileName", matcher.NewExact("MofComp.exe", false)), true, []string{`OriginalFileName equals~ "mofcomp.exe"`}, nil, 1, false},
		{"prefix", strTest("Image", matcher.NewPrefix(`C:\`, true)), true, []string{`Image starts~ "c:\"`}, nil, 1, false},
		{"contains", strTest("CommandLine", matcher.NewContains("X", true)), true, []string{`CommandLine contains~ "x"`}, nil, 1, false},
		{"kelvin_folds_to_k", strTest("CommandLine", matcher.NewContains("\u212aey", false)), true, []string{`CommandLine contains~ "key"`}, nil, 1, false},
		{"long_s_folds_to_s", strTest("CommandLine", matcher.NewExact("\u017fys", true)), true, []string{`CommandLine equals~ "sys"`}, nil, 1, false},
		{"several_matchers_one_clause", strTest("Image", suffix, matcher.NewExact("a.exe", true)), true,
			[]string{`Image ends~ "\mofcomp.exe"`, `Image equals~ "a.exe"`}, nil, 1, true},
		{"numbers", numTest("EventID", 1, 4688, math.Copysign(0, -1)), true,
			[]string{`EventID number 1`, `EventID number 4688`, `EventID number 0`}, nil, 1, true},
		{"nan_dropped", numTest("EventID", math.NaN(), 5), true, []string{`EventID number 5`}, []string{`EventID number NaN`}, 1, false},
		{"numbers_and_strings", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "EventID", Paths: []*Path{ixPath("EventID")}, Numbers: nums(7), Strings: []matcher.Matcher{matcher.NewExact("seven", true)}}}, true,
			[]string{`EventID number 7`, `EventID equals~ "seven"`}, nil, 1, true},
		{"and_both_clauses", ixOp(ir.OpAnd, strTest("Image", suffix), strTest("OriginalFileName", exact)), true,
			[]string{`Image ends~ "\mofcomp.exe"`, `OriginalFileName equals~ "mofcomp.exe"`}, nil, 2, false},
		{"and_exact_contains", ixOp(ir.OpAnd, strTest("OriginalFileName", exact), strTest("CommandLine", matcher.NewContains("/s", true))), true,
			[]string{`OriginalFileName equals~ "mofcomp.exe"`, `CommandLine contains~ "/s"`}, nil, 2, false},
		{"and_ungated_operand_skipped", ixOp(ir.OpAnd, strTest("Image", suffix), ixOp(ir.OpNot, strTest("User", matcher.NewExact("system", true)))), true,
			[]string{`Image ends~ "\mofcomp.exe"`}, []string{`User equals~ "system"`}, 1, false},
		{"and_keeps_the_cheapest_three", ixOp(ir.OpAnd,
			strTest("A", matcher.NewContains("ab", true)),
			strTest("B", matcher.NewExact("a-long-exact-text", true)),
			strTest("C", matcher.NewSuffix("a-long-suffix-text", true)),
			strTest("D", matcher.NewContains("a-long-substring", true))), true,
			[]string{`B equals~ "a-long-exact-text"`, `C ends~ "a-long-suffix-text"`, `D contains~ "a-long-substring"`},
			[]string{`A contains~ "ab"`}, 3, false},
		{"or_union", ixOp(ir.OpOr, strTest("Image", suffix), strTest("OriginalFileName", exact)), true,
			[]string{`Image ends~ "\mofcomp.exe"`, `OriginalFileName equals~ "mofcomp.exe"`}, nil, 1, true},
		{"or_presence_operand", ixOp(ir.OpOr, strTest("Image", suffix), &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "Flag", Paths: []*Path{ixPath("Flag")}, Bools: []bool{true}}}), true,
			[]string{`Image ends~ "\mofcomp.exe"`, `Flag exists`}, nil, 1, true},
		{"or_exists_operand", ixOp(ir.OpOr, strTest("Image", suffix), &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "User", Paths: []*Path{ixPath("User")}, Exists: true}}), true,
			[]string{`Image ends~ "\mofcomp.exe"`, `User exists`}, nil, 1, true},
		{"or_true_operand", ixOp(ir.OpOr, strTest("Image", suffix), &plan.Node{Op: ir.OpTrue}), false, nil, nil, 0, false},
		{"or_false_operand", ixOp(ir.OpOr, strTest("Image", suffix), &plan.Node{Op: ir.OpFalse}), true, []string{`Image ends~ "\mofcomp.exe"`}, nil, 1, false},
		{"not", ixOp(ir.OpNot, strTest("Image", suffix)), false, nil, nil, 0, false},
		// Negations are pushed down by De Morgan's laws: SigmaHQ's
		// "Execution Of Non-Existing File" reads Image only as
		// "not 1 of filter_*" with a filter "Image: null", and "Process
		// Deletion of Its Own Executable" only as a fieldref.
		{"not_not", ixOp(ir.OpNot, ixOp(ir.OpNot, strTest("Image", suffix))), true, []string{`Image ends~ "\mofcomp.exe"`}, nil, 1, false},
		{"not_or_of_not", ixOp(ir.OpAnd,
			ixOp(ir.OpNot, strTest("Image", matcher.NewContains(`\`, true))),
			ixOp(ir.OpNot, ixOp(ir.OpOr,
				ixOp(ir.OpNot, &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "Image", Paths: []*Path{ixPath("Image")}, Exists: true}}),
				strTest("CommandLine", matcher.NewExact("registry", true))))), true,
			[]string{`Image exists`}, []string{`Image contains~ "\"`, `CommandLine equals~ "registry"`}, 1, false},
		{"not_and_of_nots", ixOp(ir.OpNot, ixOp(ir.OpAnd,
			ixOp(ir.OpNot, strTest("Image", suffix)),
			ixOp(ir.OpNot, strTest("OriginalFileName", exact)))), true,
			[]string{`Image ends~ "\mofcomp.exe"`, `OriginalFileName equals~ "mofcomp.exe"`}, nil, 1, true},
		{"not_and_with_ungated", ixOp(ir.OpNot, ixOp(ir.OpAnd,
			ixOp(ir.OpNot, strTest("Image", suffix)),
			strTest("OriginalFileName", exact))), false, nil, nil, 0, false},
		{"not_true", ixOp(ir.OpNot, &plan.Node{Op: ir.OpTrue}), true, nil, nil, 1, false},
		{"not_false", ixOp(ir.OpNot, &plan.Node{Op: ir.OpFalse}), false, nil, nil, 0, false},
		{"true", &plan.Node{Op: ir.OpTrue}, false, nil, nil, 0, false},
		{"regex_literal", strTest("CommandLine", matchertest.MustRegex(t, `^\d+ mimikatz`, true)), true, []string{`CommandLine contains~ " mimikatz"`}, nil, 1, false},
		{"regex_alternation", strTest("CommandLine", matchertest.MustRegex(t, `(?:alpha|BETA)\s`, false)), true,
			[]string{`CommandLine contains~ "alpha"`, `CommandLine contains~ "beta"`}, nil, 1, true},
		{"regex_no_literal", strTest("CommandLine", matchertest.MustRegex(t, `[0-9]+`, true)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"regex_replacement_char", strTest("CommandLine", matchertest.MustRegex(t, "\uFFFD", true)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"glob_longest_literal", strTest("Image", matchertest.MustGlob(t, true, "?", `:\Windows\`, "*", ".EXE")), true, []string{`Image contains~ ":\windows\"`}, nil, 1, false},
		{"glob_invalid_utf8", strTest("Image", matchertest.MustGlob(t, true, "?", "\xffabc", "*")), true, []string{`Image exists`}, nil, 1, false},
		{"both_longer_end", strTest("Image", matcher.NewBoth("c:", `\evil.exe`, true)), true, []string{`Image ends~ "\evil.exe"`}, nil, 1, false},
		{"segments_middle", strTest("Image", matcher.NewSegments("c", []string{`\windows\temp\`}, "x", true)), true, []string{`Image contains~ "\windows\temp\"`}, nil, 1, false},
		{"set_members", strTest("Image", matcher.Merge([]matcher.Matcher{matcher.NewExact("a.exe", true), matcher.NewPrefix("pre", true), matcher.NewSuffix(".dll", true), matcher.NewContains("mid", true)})...), true,
			[]string{`Image equals~ "a.exe"`, `Image starts~ "pre"`, `Image ends~ ".dll"`, `Image contains~ "mid"`}, nil, 1, true},
		{"contains_long_tail", strTest("CommandLine", matcher.NewContains(long, true)), true, []string{`CommandLine contains~ "` + long[len(long)-maxKeyLen:] + `"`}, nil, 1, false},
		{"suffix_long_kept", strTest("CommandLine", matcher.NewSuffix(long, true)), true, []string{`CommandLine ends~ "` + long + `"`}, nil, 1, false},
		{"suffix_too_long_cut", strTest("CommandLine", matcher.NewSuffix(longer, true)), true,
			[]string{`CommandLine ends~ "` + longer[len(longer)-maxAnchoredLen:] + `"`}, nil, 1, false},
		{"prefix_too_long_cut", strTest("CommandLine", matcher.NewPrefix(longer, true)), true,
			[]string{`CommandLine starts~ "` + longer[:maxAnchoredLen] + `"`}, nil, 1, false},
		{"suffix_cut_at_code_point", strTest("CommandLine", matcher.NewSuffix("é"+longer[len(longer)-maxAnchoredLen+1:], true)), true,
			[]string{`CommandLine ends~ "` + longer[len(longer)-maxAnchoredLen+1:] + `"`}, nil, 1, false},
		{"contains_cut_at_code_point", strTest("CommandLine", matcher.NewContains("é"+long[len(long)-maxKeyLen+1:], true)), true,
			[]string{`CommandLine contains~ "` + long[len(long)-maxKeyLen+1:] + `"`}, nil, 1, false},
		{"contains_empty", strTest("CommandLine", matcher.NewContains("", true)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"prefix_empty", strTest("CommandLine", matcher.NewPrefix("", false)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"one_matcher_without_needs", strTest("CommandLine", matcher.NewContains("x", true), matcher.NewContains("", true)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"exact_empty", strTest("CommandLine", matcher.NewExact("", true)), true, []string{`CommandLine equals~ ""`}, nil, 1, false},
		{"exact_invalid_utf8", strTest("CommandLine", matcher.NewExact("a\xff", true)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"contains_invalid_utf8", strTest("CommandLine", matcher.NewContains("\xe2\x84", true)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"suffix_invalid_utf8", strTest("CommandLine", matcher.NewSuffix("x\xff", false)), true, []string{`CommandLine exists`}, nil, 1, false},
		{"cidr", strTest("SourceIp", mustCIDR(t, "10.0.0.0/8")), true, []string{`SourceIp exists`}, nil, 1, false},
		{"exists", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "User", Paths: []*Path{ixPath("User")}, Exists: true}}, true, []string{`User exists`}, nil, 1, false},
		{"keyword_exists", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "*", Any: true, Exists: true}}, false, nil, nil, 0, false},
		{"bools", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "Flag", Paths: []*Path{ixPath("Flag")}, Bools: []bool{true}, Strings: []matcher.Matcher{matcher.NewExact("yes", true)}}}, true, []string{`Flag exists`}, nil, 1, false},
		{"bounds", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "N", Paths: []*Path{ixPath("N")}, Bounds: []plan.Bound{{Cmp: ir.CmpGE, Num: ir.Int(3)}}, Numbers: nums(1)}}, true, []string{`N exists`}, nil, 1, false},
		{"left_term", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "len(a)", Left: &plan.Term{Fn: ir.FnLength, Args: []*plan.Term{{Fn: ir.FnField, Paths: []*Path{ixPath("a")}}}}, Numbers: nums(3)}}, false, nil, nil, 0, false},
		{"right_term", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "a", Paths: []*Path{ixPath("a")}, Right: &plan.Term{Fn: ir.FnField, Paths: []*Path{ixPath("b")}}, Cmp: ir.CmpEqual, Strings: []matcher.Matcher{matcher.NewExact("x", true)}}}, true, []string{`a exists`}, nil, 1, false},
		{"no_paths", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "nothing", Strings: []matcher.Matcher{matcher.NewExact("x", true)}}}, false, nil, nil, 0, false},
		{"keyword_alone_dropped", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "*", Any: true, Strings: []matcher.Matcher{matcher.NewContains("evil", true)}}}, false, nil, nil, 0, false},
		{"and_keyword_dropped", ixOp(ir.OpAnd, strTest("Image", suffix), &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "*", Any: true, Strings: []matcher.Matcher{matcher.NewContains("evil", true)}}}), true,
			[]string{`Image ends~ "\mofcomp.exe"`}, []string{`(any value) contains~ "evil"`}, 1, false},
		{"two_paths", &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "proc", Paths: []*Path{ixPath("process.name"), ixPath("Image")}, Strings: []matcher.Matcher{matcher.NewSuffix(".exe", true)}}}, true, []string{`proc ends~ ".exe"`}, nil, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := mustRuleset(t, []*plan.Node{tt.plan})
			clauses, ok := rs.Gate(0)
			if ok != tt.ok {
				t.Fatalf("Gate ok = %v, want %v; clauses %q\nplan:\n%s", ok, tt.ok, clauses, tt.plan)
			}
			if tt.clauses != 0 && len(clauses) != tt.clauses {
				t.Errorf("%d clauses %q, want %d", len(clauses), clauses, tt.clauses)
			}
			for _, k := range tt.keys {
				if clauseOfKey(clauses, k) < 0 {
					t.Errorf("no clause holds %s: %q", k, clauses)
				}
			}
			for _, k := range tt.absent {
				if clauseOfKey(clauses, k) >= 0 {
					t.Errorf("a clause holds %s: %q", k, clauses)
				}
			}
			if tt.same {
				for _, k := range tt.keys {
					if clauseOfKey(clauses, k) != clauseOfKey(clauses, tt.keys[0]) {
						t.Errorf("%s and %s in different clauses: %q", k, tt.keys[0], clauses)
					}
				}
			}
			st := rs.IndexStats()
			if want := map[bool]int{true: 1, false: 0}[ok]; st.Gated != want || st.Rules != 1 || !st.Indexed {
				t.Errorf("IndexStats = %+v, want 1 rule, %d gated, indexed", st, want)
			}
			plain := mustRuleset(t, []*plan.Node{tt.plan}, withIndex(false))
			if c, ok := plain.Gate(0); ok || c != nil {
				t.Errorf("unindexed Gate = %q, %v; want none", c, ok)
			}
			if st := plain.IndexStats(); st.Indexed || st.Gated != 0 || st.Rules != 1 {
				t.Errorf("unindexed IndexStats = %+v", st)
			}
		})
	}
}

// mustCIDR builds a CIDR matcher for a test.
func mustCIDR(t testing.TB, ranges ...string) *matcher.CIDR {
	t.Helper()
	m, err := matcher.NewCIDR(ranges)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGateOrClauses checks that an or of conjunctions keeps a clause per
// conjunct, each a union with the other operand: (a1 ∧ a2) ∨ b gives
// (a1 ∨ b) ∧ (a2 ∨ b).
func TestGateOrClauses(t *testing.T) {
	a1 := strTest("A", matcher.NewExact("first-text", true))
	a2 := strTest("B", matcher.NewSuffix("second-text", true))
	b := strTest("C", matcher.NewContains("third-text", true))
	rs := mustRuleset(t, []*plan.Node{ixOp(ir.OpOr, ixOp(ir.OpAnd, a1, a2), b)})
	clauses, ok := rs.Gate(0)
	if !ok || len(clauses) != 2 {
		t.Fatalf("Gate = %q, %v; want 2 clauses", clauses, ok)
	}
	ka1, ka2, kb := `A equals~ "first-text"`, `B ends~ "second-text"`, `C contains~ "third-text"`
	i1, i2 := clauseOfKey(clauses, ka1), clauseOfKey(clauses, ka2)
	if i1 < 0 || i2 < 0 || i1 == i2 {
		t.Errorf("want %s and %s in different clauses: %q", ka1, ka2, clauses)
	}
	for _, c := range clauses {
		if !slices.Contains(c, kb) || len(c) != 2 {
			t.Errorf("clause %q: want two keys, one of them %s", c, kb)
		}
	}
	for _, c := range []struct {
		ev   Map
		want bool
	}{
		{Map{"A": "FIRST-TEXT", "B": "x-second-text"}, true},
		{Map{"A": "first-text"}, false},
		{Map{"C": "the third-text here"}, true},
		{Map{"A": "first-text", "C": "third"}, false},
	} {
		if got := len(rs.Match(c.ev, nil)) == 1; got != c.want {
			t.Errorf("Match(%v) = %v, want %v", c.ev, got, c.want)
		}
	}
}

// TestGateFalse checks that a rule whose plan is false gets a gate of one
// clause with no keys, and never matches, while true matches every event.
func TestGateFalse(t *testing.T) {
	rs := mustRuleset(t, []*plan.Node{{Op: ir.OpFalse}, {Op: ir.OpTrue}, ixOp(ir.OpAnd, strTest("a", matcher.NewExact("x", true)), &plan.Node{Op: ir.OpFalse})})
	for _, i := range []int{0, 2} {
		clauses, ok := rs.Gate(i)
		if !ok || clauseOfKey(clauses, "") >= 0 || !slices.ContainsFunc(clauses, func(c []string) bool { return len(c) == 0 }) {
			t.Errorf("rule %d: Gate = %q, %v; want a clause with no keys", i, clauses, ok)
		}
	}
	if _, ok := rs.Gate(1); ok {
		t.Error("rule true has a gate")
	}
	for _, ev := range []Event{Map{}, Map{"a": "x"}, NewDoc(map[string]any{"a": "X"}), pathEvent{"a": "x"}} {
		if got := rs.Match(ev, nil); !slices.Equal(got, []int{1}) {
			t.Errorf("Match(%v) = %v, want [1]", ev, got)
		}
		r := rs.NewRecord()
		r.Reset(ev)
		if got := rs.MatchRecord(r, nil); !slices.Equal(got, []int{1}) {
			t.Errorf("MatchRecord(%v) = %v, want [1]", ev, got)
		}
	}
	if st := rs.IndexStats(); st.Rules != 3 || st.Gated != 2 {
		t.Errorf("IndexStats = %+v, want 3 rules, 2 gated", st)
	}
}

// TestGateKeywords checks keyword (any-value) clauses: dropped while few
// rules have them, kept from minKeywordRules on, and matched through
// every value of a Walker but no value of another Event.
func TestGateKeywords(t *testing.T) {
	kw := func(s string) *plan.Node {
		return &plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "*", Any: true, Strings: []matcher.Matcher{matcher.NewContains(s, true)}}}
	}
	var plans []*plan.Node
	for i := range minKeywordRules {
		plans = append(plans, kw(fmt.Sprintf("evil%02d", i)))
	}
	rs := mustRuleset(t, plans)
	for i := range plans {
		clauses, ok := rs.Gate(i)
		if k := fmt.Sprintf(`(any value) contains~ "evil%02d"`, i); !ok || clauseOfKey(clauses, k) < 0 {
			t.Errorf("rule %d: Gate = %q, %v; want %s", i, clauses, ok, k)
		}
	}
	few := mustRuleset(t, plans[:minKeywordRules-1])
	if c, ok := few.Gate(0); ok {
		t.Errorf("with %d keyword rules: Gate = %q, want none", minKeywordRules-1, c)
	}
	// A rule whose clause mixes a field's keys and keywords makes the
	// index probe every value anyway: the keyword rules keep their gates.
	mixed := mustRuleset(t, append([]*plan.Node{ixOp(ir.OpOr, strTest("Image", matcher.NewSuffix(`\a.exe`, true)), kw("other"))}, plans[:2]...))
	for i := range 3 {
		if c, ok := mixed.Gate(i); !ok || len(c) != 1 {
			t.Errorf("with a mixed clause: rule %d: Gate = %q, %v; want one clause", i, c, ok)
		}
	}
	for _, c := range []struct {
		ev   Event
		want []int
	}{
		{Map{"Image": `C:\a.exe`}, []int{0}},
		{Map{"x": "OTHER evil01"}, []int{0, 2}},
		{Map{"x": "evil00"}, []int{1}},
	} {
		if got := mixed.Match(c.ev, nil); !slices.Equal(got, c.want) {
			t.Errorf("with a mixed clause: Match(%v) = %v, want %v", c.ev, got, c.want)
		}
	}
	for _, c := range []struct {
		ev   Event
		want []int
	}{
		{Map{"a": map[string]any{"b": []any{"x", "EVIL03.exe"}}}, []int{3}},
		{NewDoc(map[string]any{"k": []any{map[string]any{"v": "evil07 evil11"}}}), []int{7, 11}},
		{NewDoc(map[string]any{"evil01": "keys are not values"}), nil},
		{pathEvent{"a": "evil01"}, nil},
	} {
		for _, s := range []*Ruleset{rs, few} {
			want := c.want
			if s == few {
				want = slices.DeleteFunc(slices.Clone(want), func(i int) bool { return i >= minKeywordRules-1 })
			}
			if got := s.Match(c.ev, nil); !slices.Equal(got, want) {
				t.Errorf("Match(%v) = %v, want %v", c.ev, got, want)
			}
		}
	}
}

// TestGateHeavyKey checks that a key many rules hold (a log source's
// channel) is kept only in a rule's first clause, and that the rules
// still match.
func TestGateHeavyKey(t *testing.T) {
	var plans []*plan.Node
	for i := range heavyKey + 10 {
		plans = append(plans, ixOp(ir.OpAnd, strTest("Channel", matcher.NewExact("Security", true)), strTest("TargetUserName", matcher.NewExact(fmt.Sprintf("user%04d", i), true))))
	}
	rs := mustRuleset(t, plans)
	heavy := `Channel equals~ "security"`
	for i := range plans {
		clauses, ok := rs.Gate(i)
		if !ok || clauseOfKey(clauses, fmt.Sprintf(`TargetUserName equals~ "user%04d"`, i)) < 0 {
			t.Fatalf("rule %d: Gate = %q, %v", i, clauses, ok)
		}
		if j := clauseOfKey(clauses, heavy); j > 0 {
			t.Errorf("rule %d: %s, held by %d rules, in clause %d of %q", i, heavy, len(plans), j, clauses)
		}
	}
	ev := Map{"Channel": "security", "TargetUserName": "USER0042"}
	if got := rs.Match(ev, nil); !slices.Equal(got, []int{42}) {
		t.Errorf("Match = %v, want [42]", got)
	}
	if got := rs.Match(Map{"Channel": "system", "TargetUserName": "user0042"}, nil); len(got) != 0 {
		t.Errorf("Match on another channel = %v, want none", got)
	}
}

// TestGateUbiquitousKey checks that a key that most rules hold (the
// event_type a pipeline's add_condition gives every rule of a schema)
// comes after a rule's own clause, even when it looks cheaper, so that an
// event holding it does not make every rule a candidate.
func TestGateUbiquitousKey(t *testing.T) {
	var plans []*plan.Node
	for i := range heavyKey + 10 {
		plans = append(plans, ixOp(ir.OpAnd, strTest("event_type", matcher.NewExact("process_start_event", true)),
			strTest("Image", matcher.NewSuffix(fmt.Sprintf(`\%d.exe`, i), true))))
	}
	rs := mustRuleset(t, plans)
	for i := range plans {
		clauses, ok := rs.Gate(i)
		if !ok || clauseOfKey(clauses, fmt.Sprintf(`Image ends~ "\%d.exe"`, i)) != 0 {
			t.Fatalf("rule %d: Gate = %q, %v; want the Image clause first", i, clauses, ok)
		}
	}
	if got := rs.Match(Map{"event_type": "process_start_event", "Image": `C:\42.exe`}, nil); !slices.Equal(got, []int{42}) {
		t.Errorf("Match = %v, want [42]", got)
	}
}

// TestGateNumbers checks number keys against every kind of number an
// event may hold, and numbers spelled in strings.
func TestGateNumbers(t *testing.T) {
	rs := mustRuleset(t, []*plan.Node{numTest("EventID", 4688), numTest("EventID", 0), ixOp(ir.OpOr, numTest("EventID", 1.5), strTest("EventID", matcher.NewExact("1.50", true)))})
	tests := []struct {
		v    any
		want []int
	}{
		{4688.0, []int{0}}, {float32(4688), []int{0}}, {4688, []int{0}}, {int64(4688), []int{0}}, {int32(4688), []int{0}},
		{uint32(4688), []int{0}}, {uint64(4688), []int{0}}, {json.Number("4688"), []int{0}}, {json.Number("4.688e3"), []int{0}},
		{"4688", []int{0}}, {"+4688.0", []int{0}}, {" 4688", nil}, {"0x1250", nil}, {int8(1), nil},
		{math.Copysign(0, -1), []int{1}}, {"-0", []int{1}}, {json.Number("0e5"), []int{1}},
		{1.5, []int{2}}, {"1.50", []int{2}}, {"1.5", []int{2}}, {json.Number("1.50"), []int{2}}, {math.NaN(), nil},
		{[]any{"x", 4688.0, []any{"1.5"}}, []int{0, 2}}, {[]string{"0", "a"}, []int{1}}, {true, nil}, {nil, nil},
	}
	for _, tt := range tests {
		for _, ev := range []Event{Map{"EventID": tt.v}, NewDoc(map[string]any{"EventID": tt.v})} {
			if got := rs.Match(ev, nil); !slices.Equal(got, tt.want) {
				t.Errorf("Match(%T %v) = %v, want %v", tt.v, tt.v, got, tt.want)
			}
		}
	}
}

// ixFields are the fields the random plans test: each a list of paths,
// one read through two alternative paths, two through arrays of objects.
var ixFields = [][]string{{"a"}, {"b"}, {"c.d"}, {"e.f.g"}, {"x", "a"}, {"c"}, {"l.m"}}

// ixNumbers are the numbers random tests compare with.
var ixNumbers = []float64{0, 1, 12, -2, 1.5, 4688, 1e21, math.NaN()}

// ixRuleNumbers are the numbers random rules compare with: ixNumbers and
// integers a float64 cannot tell apart (2^53 and 2^53+1, 2^63-1 and 2^63).
var ixRuleNumbers = append(nums(ixNumbers...), ir.Int(1<<53), ir.Int(1<<53+1), ir.Int(math.MaxInt64), ir.Uint(1<<63))

// ixNumberTexts are the texts of numbers and booleans that random string
// matchers compare with: event numbers and booleans are matched through
// their text.
var ixNumberTexts = []string{"1", "12", "1.5", "4688", "-2", "0", "1e+21", "e+21", "88", "true", "false", "TRUE", "rue"}

// ixAnchored returns a random exact, prefix, suffix or contains matcher
// for s, folding case or not.
func ixAnchored(r *rand.Rand, s string) matcher.Matcher {
	fold := r.IntN(2) == 0
	switch r.IntN(4) {
	case 0:
		return matcher.NewExact(s, fold)
	case 1:
		return matcher.NewPrefix(s, fold)
	case 2:
		return matcher.NewSuffix(s, fold)
	}
	return matcher.NewContains(s, fold)
}

// ixGen generates random plans and events for the differential tests.
type ixGen struct {
	t      *testing.T
	r      *rand.Rand
	paths  map[string]*Path
	words  []string     // texts of the matchers made so far, for values
	shared []*plan.Node // nodes given a memo slot, to reuse in other plans
	slots  int
}

// path returns the interned path of text s.
func (g *ixGen) path(s string) *Path {
	p, ok := g.paths[s]
	if !ok {
		p = NewPath(s)
		g.paths[s] = p
	}
	return p
}

// test returns a random test node.
func (g *ixGen) test() *plan.Node {
	r := g.r
	f := ixFields[r.IntN(len(ixFields))]
	t := &plan.Test{Name: strings.Join(f, "|")}
	for _, s := range f {
		t.Paths = append(t.Paths, g.path(s))
	}
	switch k := r.IntN(40); {
	case k == 0:
		t.Exists = true
	case k == 1:
		t.Bools = []bool{r.IntN(2) == 0}
	case k == 2:
		t.Bounds = []plan.Bound{{Cmp: ir.CmpGE, Num: ir.Int(2)}}
	case k == 3:
		t.Right = &plan.Term{Fn: ir.FnField, Paths: []*Path{g.path(ixFields[r.IntN(4)][0])}}
		t.Cmp, t.Fold = ir.CmpEqual, r.IntN(2) == 0
		return &plan.Node{Op: ir.OpPred, Test: t}
	case k == 4:
		t.Strings = []matcher.Matcher{mustCIDR(g.t, "10.0.0.0/8")}
	case k < 10:
		for range 1 + r.IntN(2) {
			t.Numbers = append(t.Numbers, ixRuleNumbers[r.IntN(len(ixRuleNumbers))])
		}
	}
	if !t.Exists && r.IntN(12) == 0 {
		t.Any, t.Paths, t.Name = true, nil, "*"
	}
	if len(t.Bools)+len(t.Bounds)+len(t.Strings)+len(t.Numbers) == 0 || r.IntN(4) == 0 {
		for range 1 + r.IntN(2) {
			var m matcher.Matcher
			var words []string
			switch r.IntN(8) {
			case 0: // the text of a number or a boolean
				s := ixNumberTexts[r.IntN(len(ixNumberTexts))]
				m, words = ixAnchored(r, s), []string{s}
			case 1: // past the keys' length limits
				s := randtext.String(r, matchertest.NeedPieces, 40, true) + randtext.String(r, matchertest.ValuePieces, 40, true)
				m, words = ixAnchored(r, s), []string{s, s[:len(s)/2], s[len(s)/2:]}
			default:
				m, words = matchertest.RandNeedMatcher(g.t, r)
			}
			t.Strings = append(t.Strings, m)
			g.words = append(g.words, words...)
		}
		if r.IntN(10) == 0 {
			t.Strings = append(t.Strings, matcher.NewContains("", r.IntN(2) == 0))
		}
	}
	return &plan.Node{Op: ir.OpPred, Test: t}
}

// plan returns a random plan at most depth levels deep.
func (g *ixGen) plan(depth int) *plan.Node {
	r := g.r
	if len(g.shared) > 0 && r.IntN(10) == 0 {
		return g.shared[r.IntN(len(g.shared))]
	}
	var n *plan.Node
	switch k := r.IntN(12); {
	case depth > 3 || k < 5:
		n = g.test()
	case k < 6:
		n = ixOp(ir.OpNot, g.plan(depth+1))
	case k < 9:
		n = ixOp(ir.OpAnd, g.plan(depth+1), g.plan(depth+1))
		for r.IntN(3) == 0 {
			n.Kids = append(n.Kids, g.plan(depth+1))
		}
	case k < 11:
		n = ixOp(ir.OpOr, g.plan(depth+1), g.plan(depth+1))
		for r.IntN(3) == 0 {
			n.Kids = append(n.Kids, g.plan(depth+1))
		}
	default:
		n = &plan.Node{Op: []ir.Op{ir.OpTrue, ir.OpFalse}[r.IntN(2)]}
	}
	if r.IntN(8) == 0 {
		g.slots++
		n.Slot = g.slots
		g.shared = append(g.shared, n)
	}
	return n
}

// scalar returns a random event value that is not an object: a text made
// of matcher words in random case and odd pieces, a number of some Go
// type, a boolean, null, or an array of those.
func (g *ixGen) scalar(depth int) any {
	r := g.r
	switch r.IntN(20) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return ixNumbers[r.IntN(len(ixNumbers))]
	case 3:
		return json.Number([]string{"1", "12", "1.5", "4688", "-2", "1e21", "0", "-0", "1.50", "12e0",
			"9007199254740992", "9007199254740993", "9223372036854775807", "9223372036854775808", "1e400"}[r.IntN(15)])
	case 4:
		return []any{int(1), int64(12), int32(-2), uint32(4688), uint64(1), float32(1.5), int8(1), int64(1<<53 + 1), uint64(1 << 63)}[r.IntN(9)]
	case 5:
		return []string{"1", "12", "1.5", "-0", "+12", "1e21", "4688.0", "1.5.1", "-"}[r.IntN(9)]
	case 6:
		if depth < 2 {
			var a []any
			for range r.IntN(4) {
				a = append(a, g.scalar(depth+1))
			}
			return a
		}
	case 7:
		if depth < 2 {
			return []string{g.text(), g.text()}
		}
	}
	return g.text()
}

// text returns a random text for an event value.
func (g *ixGen) text() string {
	s := matchertest.RandValue(g.r, g.words)
	if g.r.IntN(8) == 0 {
		s = strings.Repeat(s, 1+g.r.IntN(30)) // past the keys' length limits
	}
	return s
}

// object returns a random event object: the fields' paths nested, with
// arrays of objects on the way, scalars where an object is expected, and
// unrelated keys.
func (g *ixGen) object() map[string]any {
	r := g.r
	m := map[string]any{}
	put := func(path string, v any) {
		parts := strings.Split(path, ".")
		cur := m
		for i, p := range parts {
			if i == len(parts)-1 {
				cur[p] = v
				return
			}
			next, ok := cur[p].(map[string]any)
			if !ok {
				if _, taken := cur[p]; taken {
					return
				}
				next = map[string]any{}
				if r.IntN(6) == 0 { // an array of objects on the way
					other := map[string]any{}
					if r.IntN(2) == 0 {
						other[parts[i+1]] = g.scalar(1)
					}
					cur[p] = []any{next, other, "junk"}[:2+r.IntN(2)]
				} else {
					cur[p] = next
				}
			}
			cur = next
		}
	}
	for _, s := range []string{"a", "b", "c.d", "e.f.g", "x", "l.m", "z"} {
		if r.IntN(4) > 0 {
			put(s, g.scalar(0))
		}
	}
	if r.IntN(10) == 0 {
		m["c"] = g.scalar(0) // a scalar where c.d expects an object
	}
	return m
}

// dotted returns a copy of m with some nested objects flattened into
// dotted keys, at the top or below.
func (g *ixGen) dotted(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if inner, ok := v.(map[string]any); ok && g.r.IntN(2) == 0 {
			for k2, v2 := range g.dotted(inner) {
				out[k+"."+k2] = v2
			}
			continue
		}
		out[k] = v
	}
	return out
}

// event returns a random event: a Map, a nested Doc or a Doc with dotted
// keys (or, rarely, an Event of another kind).
func (g *ixGen) event() Event {
	m := g.object()
	switch g.r.IntN(7) {
	case 0, 1:
		return Map(m)
	case 2:
		return Map(g.dotted(m))
	case 3:
		return NewDoc(g.dotted(m))
	case 4:
		ev := pathEvent{}
		for _, f := range ixFields {
			for _, s := range f {
				if v, ok := NewDoc(m).Lookup(g.path(s)); ok {
					ev[s] = v
				}
			}
		}
		return ev
	}
	return NewDoc(m)
}

// TestIndexDifferential checks over random plans and events (a fixed
// seed) that the indexed ruleset, by Match and by MatchRecord with a
// reused Record, matches the same rules as the unindexed one.
func TestIndexDifferential(t *testing.T) {
	for round, size := range []int{10, 60, 300, 300} {
		g := &ixGen{t: t, r: rand.New(rand.NewPCG(uint64(round), 77)), paths: map[string]*Path{}}
		plans := make([]*plan.Node, size)
		for i := range plans {
			plans[i] = g.plan(0)
		}
		indexed := mustRuleset(t, plans)
		plain := mustRuleset(t, plans, withIndex(false))
		st := indexed.IndexStats()
		if size >= 60 && st.Gated < size/4 {
			t.Errorf("round %d: %d of %d random rules gated: the test checks little", round, st.Gated, size)
		}
		rec := indexed.NewRecord()
		matched := 0
		for e := range 3000 {
			ev := g.event()
			want := plain.Match(ev, nil)
			matched += len(want)
			got := indexed.Match(ev, nil)
			rec.Reset(ev)
			viaRecord := indexed.MatchRecord(rec, nil)
			if slices.Equal(got, want) && slices.Equal(viaRecord, want) {
				continue
			}
			for _, i := range want {
				if !slices.Contains(got, i) || !slices.Contains(viaRecord, i) {
					clauses, _ := indexed.Gate(i)
					t.Errorf("rule %d missed; gate %q\nplan:\n%s", i, clauses, plans[i])
				}
			}
			t.Fatalf("round %d event %d %#v:\nindexed Match %v\nMatchRecord   %v\nunindexed     %v", round, e, ev, got, viaRecord, want)
		}
		kw := 0
		for i := range plans {
			if c, ok := indexed.Gate(i); ok && strings.Contains(fmt.Sprint(c), "(any value)") {
				kw++
			}
		}
		if size >= 300 && kw == 0 {
			t.Errorf("round %d: no rule has a keyword clause: the test checks no keyword probe", round)
		}
		if matched < 1000 {
			t.Errorf("round %d: %d matches in all: the test checks little", round, matched)
		}
	}
}

// TestIndexEpochWrap checks that the per-event epoch and the automaton
// marks' epoch (scratch.nextMark) wrapping around forget what fired in
// the events of the first epochs: a key that fired at epoch 1 must fire
// again at the epoch 1 after the wrap, a value longer than maxCachedLen
// included (scanned with the probe's Marks, not through the probe
// cache), and when the marks' epoch wraps between two scans of one event.
// (The test reaches Match's scratch through the pool; should the pool
// drop it, the test checks less but does not fail.)
func TestIndexEpochWrap(t *testing.T) {
	plans := []*plan.Node{
		strTest("a", matcher.NewExact("key", true)),
		ixOp(ir.OpAnd, strTest("a", matcher.NewContains("ke", true)), numTest("n", 7)),
		ixOp(ir.OpOr, strTest("b", matcher.NewSuffix("z", true)), numTest("n", 8)),
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	long := strings.Repeat("x", maxCachedLen) + "KE"
	evs := []Event{Map{"a": long, "n": 7}, Map{"a": "KEY", "n": 7}, Map{"b": "xz", "n": 8}, NewDoc(map[string]any{"a": "key", "b": "z", "n": 7.0})}
	check := func(when string, evs ...Event) {
		t.Helper()
		for _, ev := range evs {
			if got, want := rs.Match(ev, nil), plain.Match(ev, nil); !slices.Equal(got, want) {
				t.Errorf("%s: Match(%v) = %v, unindexed %v", when, ev, got, want)
			}
		}
	}
	check("first epoch", evs[0]) // a new scratch: epoch 1
	x := rs.pool.Get().(*scratch)
	x.epoch = math.MaxUint32 // the next event wraps to epoch 1 again
	x.mark = math.MaxUint32  // and its marks' epoch to 1
	rs.pool.Put(x)
	check("across the wrap", evs...)
	check("after the wrap", evs...)
	x = rs.pool.Get().(*scratch)
	x.mark = math.MaxUint32 - 1 // wraps at the event's first string to cache
	rs.pool.Put(x)
	check("marks wrapping within an event", Map{"a": "xKE", "b": long, "n": 7}, evs[0])
}

// countingWalker is an event that counts the calls of Each.
type countingWalker struct {
	Map
	each *int
}

func (w countingWalker) Each(fn func(v any) bool) bool {
	*w.each++
	return w.Map.Each(fn)
}

// TestGateKeywordLast checks that a keyword clause comes after a rule's
// field clauses, even a presence clause that is costlier, and that every
// value of an event is probed only when a rule with such a clause had its
// first clause hold.
func TestGateKeywordLast(t *testing.T) {
	var plans []*plan.Node
	for i := range minKeywordRules {
		plans = append(plans, ixOp(ir.OpAnd,
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "Channel", Paths: []*Path{ixPath("Channel")}, Exists: true}},
			&plan.Node{Op: ir.OpPred, Test: &plan.Test{Name: "*", Any: true, Strings: []matcher.Matcher{matcher.NewContains(fmt.Sprintf("evil%02d", i), true)}}}))
	}
	rs := mustRuleset(t, plans)
	for i := range plans {
		c, ok := rs.Gate(i)
		if want := fmt.Sprintf(`[["Channel exists"] ["(any value) contains~ \"evil%02d\""]]`, i); !ok || fmt.Sprintf("%q", c) != want {
			t.Errorf("rule %d: Gate = %q, %v; want %s", i, c, ok, want)
		}
	}
	for _, c := range []struct {
		ev    Map
		want  []int
		walks int
	}{
		{Map{"Channel": "Security", "x": "evil03"}, []int{3}, 2}, // the probe, then rule 3's test
		{Map{"x": "evil03"}, nil, 0},
		{Map{"Channel": nil, "x": "evil03"}, nil, 0},
	} {
		walks := 0
		if got := rs.Match(countingWalker{c.ev, &walks}, nil); !slices.Equal(got, c.want) || walks != c.walks {
			t.Errorf("Match(%v) = %v after %d walks, want %v after %d", c.ev, got, walks, c.want, c.walks)
		}
	}
}

// TestNumberText checks which text keys a Go number's text could hold
// (plan.Value.AppendText), and that a probe whose only such key is one of
// them still finds it in numbers: -12 holds "-1", +Inf "inf" once folded,
// 4.5 "4.", and no number "0x" or "e" (AppendText writes no exponent).
func TestNumberText(t *testing.T) {
	for key, want := range map[string]bool{"12": true, "-1": true, "4.": true, "+inf": true, "nan": true, "": true, "0x": false, "e": false, "12 ": false} {
		if got := numberText(key); got != want {
			t.Errorf("numberText(%q) = %v, want %v", key, got, want)
		}
	}
	plans := []*plan.Node{
		strTest("a", matcher.NewContains("-1", true)),
		strTest("a", matcher.NewContains("inf", true)),
		strTest("a", matcher.NewPrefix("4.", true)),
		strTest("a", matcher.NewContains("0x", true)),
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	for _, v := range []any{-12, math.Inf(1), 4.5, int64(7), float32(-1.25)} {
		ev := Map{"a": v}
		if got, want := rs.Match(ev, nil), plain.Match(ev, nil); !slices.Equal(got, want) || len(want) == 0 && v != int64(7) {
			t.Errorf("Match(a: %v) = %v, unindexed %v", v, got, want)
		}
	}
}

// TestLaterProbes checks that phase 1 probes only what the rules whose
// first clause held want (index.later): three rules whose later clauses
// are on fields no first clause reads (phase 1 probes), over events with
// every combination of values that fire or not, walked or looked up,
// against the unindexed ruleset, and which probes each event wanted.
func TestLaterProbes(t *testing.T) {
	plans := []*plan.Node{
		ixOp(ir.OpAnd, strTest("a", matcher.NewExact("a1", true)), strTest("b", matcher.NewExact("b", true)), strTest("c", matcher.NewExact("c", true))),
		ixOp(ir.OpAnd, strTest("d", matcher.NewExact("d1", true)), strTest("e", matcher.NewExact("e", true))),
		ixOp(ir.OpAnd, strTest("a", matcher.NewExact("a2", true)), strTest("c", matcher.NewExact("c", true))),
	}
	rs := mustRuleset(t, plans)
	plain := mustRuleset(t, plans, withIndex(false))
	ix := rs.index
	probeAt := func(name string) *ixProbe { return ix.probes[1][rs.slots.slotOf(ixPath(name))] }
	for _, f := range []string{"b", "c", "e"} {
		if probeAt(f) == nil {
			t.Fatalf("field %s has no phase 1 probe: the test checks nothing", f)
		}
	}
	later := func(r int) []int32 { return ix.later[ix.laterAt[r]:ix.laterAt[r+1]] }
	if b, c, e := probeAt("b").id, probeAt("c").id, probeAt("e").id; !slices.Equal(later(0), []int32{b, c}) || !slices.Equal(later(1), []int32{e}) || !slices.Equal(later(2), []int32{c}) {
		t.Fatalf("later probes %v, %v, %v; want [%d %d], [%d], [%d]", later(0), later(1), later(2), b, c, e, c)
	}
	x := newScratch(rs.shared, rs.index, rs.slots)
	rec := rs.NewRecord()
	for _, a := range []string{"a1", "a2", "x"} {
		for _, d := range []string{"d1", "x"} {
			for _, rest := range []string{"b", "c", "e", "x"} {
				ev := Map{"a": a, "d": d, "b": rest, "c": rest, "e": rest}
				rec.Reset(ev)
				want := plain.Match(ev, nil)
				if got := rs.Match(opaqueMap{ev}, nil); !slices.Equal(got, want) { // each slot looked up (probePhase's other loop)
					t.Errorf("%v looked up: indexed %v, unindexed %v", ev, got, want)
				}
				if got := rs.matchRecord(x, rec, nil); !slices.Equal(got, want) {
					t.Errorf("%v: indexed %v, unindexed %v", ev, got, want)
				}
				wanted := func(f string) bool { return x.wanted[probeAt(f).id] == x.epoch }
				if wanted("b") != (a == "a1") || wanted("c") != (a != "x") || wanted("e") != (d == "d1") {
					t.Errorf("%v: b, c, e wanted %v %v %v", ev, wanted("b"), wanted("c"), wanted("e"))
				}
			}
		}
	}
}
