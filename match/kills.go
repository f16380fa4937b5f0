package match

import (
	"slices"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// A kill decides a candidate false before it is evaluated: an operand
// "not T" of the rule's top and, where T (a test, or an operand of an or
// under the not) holds in the event, makes the rule false, and the
// probes can show that T holds. Three SigmaHQ rules whose only gate is
// "Image exists" (their log source route has none) were evaluated for
// each of the corpus's 4,627 records with an image and matched none:
// "Execution Of Non-Existing File" (not Image contains "\"), "Execution
// of Suspicious File Type Extension" (not Image ends with ".exe", ...),
// "Potential Defense Evasion Via Raw Disk Access By Uncommon Tools" (not
// Image starts with "C:\Windows\System32\", ...). With kills, the
// SigmaHQ Windows rules evaluate 0.68 candidates a record of the corpus,
// not 1.58: most filters of "selection and not filter" rules are tests
// of texts. A test's keys that no gate holds are added to the index,
// with no clause (newIndex), so that they are probed.
//
// A gate's keys are necessary, not sufficient: a key fires where any of
// the field's paths holds it, and a test reads the first present one; a
// key may be a long text's end, a glob's longest literal, the fold of a
// case-sensitive text. A kill is made only where a fired key shows that
// T holds (wholeTest): T compares strings only, each matcher matches
// exactly the values whose fold holds its need in its place
// (matcher.Whole), and every key is its need whole (not cut to
// maxKeyLen or maxAnchoredLen). Then, in an event:
//   - one of T's keys fired at a path whose probe holds it: one of its
//     field's paths, probed in phase 0 (each has a first clause's key,
//     buildProbes), so always, or a path of another field that took
//     their probe (a superset, supersets), and there are at most
//     maxKillSlots of those (buildKills);
//   - the value T reads is the one that fired it: every path of the
//     field that has a value holds the same string (an .evtx record's
//     Image and its ECS view's process.executable), read as T reads it
//     (Record.lookupSlot), and so does each other path whose probe holds
//     T's keys, or it has no value;
//   - the string is ASCII, whose fold is its lower case for the probes
//     and the matchers alike (past ASCII, a kill would rely on their
//     folding every code point alike, which the index does not need).
// Where a condition fails the candidate is evaluated, as before; a kill
// changes no result, and no explanation (Explain evaluates the plan).

// kill is one of a rule's kills: T's keys, the slots of T's paths in
// order, and the other slots whose probes hold T's keys.
type kill struct {
	keys  []int32
	slots []int32
	other []int32
}

// maxKillSlots bounds the slots outside a kill's field whose probes hold
// its keys (kill.other), each read where the kill's keys fired.
const maxKillSlots = 8

// killTest is a test that may kill rule r, found before the index has
// its keys (their numbers come after groupKeys).
type killTest struct {
	rule int
	test *plan.Test
	keys []ixKey
}

// killTests returns the tests that may kill each rule (see kill): the
// whole tests under a not operand of its top and, directly or in an or,
// whose paths are all primary (probed in phase 0).
func killTests(plans []*plan.Node, st *slotTable, primary []bool) []killTest {
	var out []killTest
	var under func(r int, n *plan.Node)
	under = func(r int, n *plan.Node) {
		switch n.Op {
		case ir.OpOr:
			for _, k := range n.Kids {
				under(r, k)
			}
		case ir.OpPred:
			keys, ok := wholeTest(n.Test)
			if ok && !slices.ContainsFunc(n.Test.Paths, func(p *Path) bool { s := st.slotOf(p); return s < 0 || !primary[s] }) {
				out = append(out, killTest{rule: r, test: n.Test, keys: keys})
			}
		}
	}
	for r, root := range plans {
		if root.Op != ir.OpAnd {
			continue
		}
		for _, k := range root.Kids {
			if k.Op == ir.OpNot {
				under(r, k.Kids[0])
			}
		}
	}
	return out
}

// wholeTest returns t's keys (gateKeys) and whether a string value that
// fires one of them, folded as ASCII, passes t: t compares strings only,
// with whole matchers (matcher.Whole), and no key is cut short.
func wholeTest(t *plan.Test) ([]ixKey, bool) {
	if t.Any || t.Exists || t.Left != nil || t.Right != nil || len(t.Strings) == 0 || len(t.Numbers)+len(t.Bools)+len(t.Bounds) > 0 {
		return nil, false
	}
	for _, m := range t.Strings {
		if !matcher.Whole(m) {
			return nil, false
		}
	}
	// A cut key is shorter than the limit where the cut falls inside a
	// code point (tail, truncate): its length does not tell.
	tk := gateKeys(t)
	if !tk.ok || tk.cut {
		return nil, false
	}
	for _, k := range tk.keys {
		switch k.kind {
		case keyExact, keyContains, keyPrefix, keySuffix:
		default:
			return nil, false
		}
	}
	return tk.keys, true
}

// buildKills numbers the keys of tests, after the probes are built, and
// keeps each as a kill of its rule with the slots outside its test's
// paths whose probes hold its keys, unless there are more than
// maxKillSlots.
func (ix *index) buildKills(tests []killTest, st *slotTable, ids map[ixKey]int32) {
	want := map[int32]bool{}
	made := make([]kill, len(tests))
	for i, kt := range tests {
		for _, k := range kt.keys {
			made[i].keys = append(made[i].keys, ids[k])
			want[ids[k]] = true
		}
		slices.Sort(made[i].keys)
		made[i].keys = slices.Compact(made[i].keys)
		for _, p := range kt.test.Paths {
			made[i].slots = append(made[i].slots, st.slotOf(p))
		}
	}
	at := map[int32][]int32{} // key -> the slots whose probes hold it
	for _, probes := range ix.probes {
		for s, pr := range probes {
			if pr == nil {
				continue
			}
			for _, id := range pr.ids {
				if want[id] {
					at[id] = append(at[id], int32(s))
				}
			}
		}
	}
	per := make([][]kill, ix.rules)
	for i, kt := range tests {
		k := made[i]
		for _, id := range k.keys {
			for _, s := range at[id] {
				if !slices.Contains(k.slots, s) && !slices.Contains(k.other, s) {
					k.other = append(k.other, s)
				}
			}
		}
		if len(k.other) <= maxKillSlots {
			per[kt.rule] = append(per[kt.rule], k)
		}
	}
	ix.killAt = make([]int32, 0, ix.rules+1)
	for _, ks := range per {
		ix.killAt = append(ix.killAt, int32(len(ix.kills)))
		ix.kills = append(ix.kills, ks...)
	}
	ix.killAt = append(ix.killAt, int32(len(ix.kills)))
}

// killed reports whether kill k shows its test holds in x's event (see
// kill).
func (x *scratch) killed(k *kill) bool {
	if !x.firedAny(k.keys) {
		return false
	}
	s, found, same := x.sameString(k.slots, "", false)
	if !found || !same {
		return false
	}
	if _, _, same = x.sameString(k.other, s, true); !same {
		return false
	}
	return matcher.IsASCII(s)
}

// sameString returns the string the first of slots with a value holds
// in x's record (s, when found is set already), whether one holds a
// value, and whether each of the others that do holds that string, as a
// test reads them (Record.lookupSlot).
func (x *scratch) sameString(slots []int32, s string, found bool) (string, bool, bool) {
	r := x.cur
	for _, slot := range slots {
		v, ok := r.lookupSlot(slot, r.st.paths[slot])
		if !ok || v == nil {
			continue // the test reads the next path
		}
		str, isStr := v.(string)
		if !isStr || found && str != s {
			return s, found, false
		}
		s, found = str, true
	}
	return s, found, true
}
