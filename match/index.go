package match

import (
	"fmt"
	"slices"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// The rule index. Before any rule is evaluated, Ruleset.Match reads each
// indexed field once, folds its value once, and probes the field's keys:
// a hash set of exact texts, a hash set of numbers, and an Aho–Corasick
// automaton of substring texts. A rule's gate is a conjunction of up to
// maxClauses clauses, each a set of keys; a clause holds when one of its
// keys fires, and the rule is a candidate when all its clauses hold. Only
// candidates and the rules without a gate are evaluated. Gates are
// necessary conditions: an event that does not pass a rule's gate cannot
// match the rule.
//
// Gates are computed over a rule's plan:
//   - a test on a field whose comparisons are all string matchers needing
//     a text (the whole value for exact, the longest literal otherwise)
//     or numbers: one clause with a key per comparison (texts folded);
//   - a presence test on a field: one clause whose key holds when the
//     field has a value other than null (at any of its paths);
//     tests with booleans, bounds, regular expressions, CIDR ranges or
//     computed operands have no gate;
//   - and: the clauses of its operands that have gates, the cheapest
//     maxClauses of them;
//   - or: if every operand has a gate, clauses that are unions of one
//     clause of each operand (the cheapest of each, the second cheapest of
//     each, …), since (a1 ∧ a2) ∨ b = (a1 ∨ b) ∧ (a2 ∨ b);
//   - not, true and keyword (any-field) tests: no gate; false: a clause
//     with no keys, which never holds.
//
// A key's cost estimates how often it fires: short texts are found in
// most values, and keys that many rules hold (a log source's channel)
// are common in events too and costly to fire. A keyword clause comes
// after a rule's other clauses, whatever its cost: it is probed against
// every value of the event, which costs more than any field, and only
// when some rule with such a later clause had its first clause hold. In
// an event that ResetJSON read, the keyword keys are all sought as
// substrings in one pass over its JSON text (escapes decoded, code points
// folded), not value by value: a value that holds a key puts it in the
// text, and a key found in the text's keys or across values only makes
// its rules candidates.

// maxKeyLen bounds a substring key, and so the automaton's depth: a
// prefix of a needed text is needed too.
const maxKeyLen = 16

// maxAnchoredLen bounds a prefix or suffix key, and so a trie's depth. A
// walk stops where no key continues, so long keys cost a trie little,
// and "c:\windows\system32	asks" cut to 16 bytes would be found in
// every System32 path.
const maxAnchoredLen = 64

// maxClauses bounds the clauses of a gate.
const maxClauses = 3

// heavyKey is the number of rules above which a key is only used in a
// rule's first clause: firing it touches every one of its rules.
const heavyKey = 64

// ixKey is one index key: a field, a folded text (or a number's text),
// and whether the value must equal it, contain it, or equal the number.
type ixKey struct {
	field string // the field's paths, joined by "\x00"
	text  string
	kind  keyKind
	num   float64 // for keyNumber: the number rounded to a float64 (a gate: the test decides exactly)
}

// keyKind is how an index key is compared with a field's value.
type keyKind uint8

// The key kinds: a text key is a matcher's need, in its place
// (matcher.NeedKind); the index adds numbers and presence.
const (
	keyContains = keyKind(matcher.NeedContains)
	keyExact    = keyKind(matcher.NeedExact)
	keyPrefix   = keyKind(matcher.NeedPrefix)
	keySuffix   = keyKind(matcher.NeedSuffix)
	keyNumber   = keySuffix + 1 // the value is, or spells, the number
	keyPresent  = keySuffix + 2 // the field has a value other than null
)

// ixProbe holds the keys probed with the value at one path (a slot), or
// with every value of the event (keywords): hash sets of exact texts and
// of numbers, and an automaton of substring texts. A key of a field is
// probed at each of the field's paths: the value the field's tests read,
// that of its first path present, is among them, so a key is found
// whenever the test could pass (and sometimes when another path holds it).
type ixProbe struct {
	id      int32              // the probe's number, for scratch.last
	name    string             // the path, for String
	exact   map[string][]int32 // folded value -> key ids
	lens    uint64             // bit n: an exact key is n bytes long (bit 63: 63 or more)
	numbers map[float64][]int32
	present []int32            // presence keys
	ac      *matcher.Automaton // substring keys, or nil
	pre     *matcher.Anchored  // prefix keys, or nil
	suf     *matcher.Anchored  // suffix keys, or nil
	// raw, for keywords: every text key as a substring, to scan an
	// event's JSON text with rather than each of its values; nil when a
	// key is a number or empty.
	raw *matcher.Automaton
}

// index is a ruleset's rule index.
type index struct {
	probes   [2][]*ixProbe // per phase (first clauses' keys, the others), per slot, or nil
	anyProbe [2]*ixProbe   // per phase: keywords, or nil
	keys     []ixKey
	names    []string    // per key: the field's name
	clauses  [][]int32   // per key: the clauses it satisfies
	owner    []clauseOf  // per clause: its rule and place
	need     []uint8     // per rule: how many clauses its gate has
	always   []uint64    // bitset of the rules without a gate
	gates    [][][]int32 // per rule: its clauses' keys (nil: no gate)
	states   int         // automaton states, all probes
	nprobes  int32       // probes made (newProbe)
}

// clauseOf places a clause: its rule, whether it is the rule's first, and
// how many clauses the rule has.
type clauseOf struct {
	rule     int32
	first    bool
	need     uint8
	anyLater bool // first, and a later clause of the rule has keyword keys
}

// newIndex builds the index of plans.
func newIndex(plans []*plan.Node, st *slotTable) *index {
	ixr := &indexer{rules: len(plans), uses: map[ixKey]int{}, memo: map[*plan.Node]gate{}, names: map[string]string{}, paths: map[string][]*Path{}}
	for _, p := range plans {
		held := map[ixKey]bool{}
		ixr.collect(p, held, map[*plan.Node]bool{})
		for k := range held {
			ixr.uses[k]++
		}
	}
	ix := &index{always: make([]uint64, (len(plans)+63)/64), gates: make([][][]int32, len(plans)), need: make([]uint8, len(plans))}
	gates := make([][]clause, len(plans))
	keywords := 0 // rules with a keyword clause
	for r, p := range plans {
		if g := ixr.gate(p); g.ok {
			gates[r] = g.clauses[:min(len(g.clauses), maxClauses)]
			for i := 1; i < len(gates[r]); i++ {
				if ixr.heavy(gates[r][i]) {
					gates[r] = gates[r][:i]
				}
			}
			if slices.ContainsFunc(gates[r], keyword) {
				keywords++
			}
		}
	}
	if keywords < minKeywordRules && !probesAnyValue(gates) {
		for r, g := range gates {
			gates[r] = slices.DeleteFunc(slices.Clone(g), keyword)
		}
	}
	for r, g := range gates { // keyword clauses last; g may be a memoized gate's
		gates[r] = slices.Clone(g)
		slices.SortStableFunc(gates[r], func(a, b clause) int { return cmpBool(anyValued(a), anyValued(b)) })
	}
	ids := map[ixKey]int32{}
	for r, g := range gates {
		if len(g) == 0 {
			ix.always[r/64] |= 1 << (r % 64)
			continue
		}
		anyLater := slices.ContainsFunc(g[1:], anyValued)
		for i, c := range g {
			cid := int32(len(ix.owner))
			ix.owner = append(ix.owner, clauseOf{rule: int32(r), first: i == 0, need: uint8(len(g)), anyLater: i == 0 && anyLater})
			ix.need[r]++
			var keys []int32
			for _, k := range c.keys {
				id, ok := ids[k]
				if !ok {
					id = int32(len(ix.keys))
					ids[k] = id
					ix.keys = append(ix.keys, k)
					ix.names = append(ix.names, ixr.names[k.field])
					ix.clauses = append(ix.clauses, nil)
				}
				if cs := ix.clauses[id]; len(cs) == 0 || cs[len(cs)-1] != cid {
					ix.clauses[id] = append(cs, cid)
					keys = append(keys, id)
				}
			}
			ix.gates[r] = append(ix.gates[r], keys)
		}
	}
	ix.buildProbes(ixr, st)
	return ix
}

// minKeywordRules is the fewest rules with keyword clauses for which the
// index probes every value of every event (unless it does anyway, for a
// clause that mixes keyword and field keys). With fewer, the rules lose
// those clauses (and, left with none, are evaluated for every event,
// where their cheaper tests, such as a log source's, are tried first).
const minKeywordRules = 16

// buildProbes puts each key in the probe of each path of its field. A
// path where some rule's first clause has a key is probed in phase 0,
// with all its keys; the others in phase 1. Paths with the same keys (a
// field's alternative paths often have) share one probe.
func (ix *index) buildProbes(ixr *indexer, st *slotTable) {
	bySlot := make([][]int32, st.slots()+1) // the last: keywords
	primary := make([]bool, len(bySlot))
	for id, k := range ix.keys {
		first := slices.ContainsFunc(ix.clauses[id], func(c int32) bool { return ix.owner[c].first })
		var slots []int32
		if k.field == anyKey {
			slots = append(slots, int32(st.slots()))
		}
		for _, p := range ixr.paths[k.field] {
			slots = append(slots, st.slotOf(p))
		}
		for _, s := range slots {
			if n := len(bySlot[s]); n == 0 || bySlot[s][n-1] != int32(id) {
				bySlot[s] = append(bySlot[s], int32(id))
			}
			primary[s] = primary[s] || first
		}
	}
	ix.probes[0], ix.probes[1] = make([]*ixProbe, st.slots()), make([]*ixProbe, st.slots())
	eager := make([]bool, st.slots())
	shared := map[string]*ixProbe{}
	for s, ids := range bySlot {
		if len(ids) == 0 {
			continue
		}
		ph := 1
		if primary[s] {
			ph = 0
		}
		if s == st.slots() {
			ix.anyProbe[ph] = ix.newProbe("(any value)", ids)
			ix.anyProbe[ph].raw = ix.rawAutomaton(ids)
			continue
		}
		sig := fmt.Sprint(ids)
		if shared[sig] == nil {
			shared[sig] = ix.newProbe(st.paths[s].String(), ids)
		}
		ix.probes[ph][s] = shared[sig]
		eager[s] = ph == 0 && shared[sig].readsText()
	}
	st.decodeEagerly(eager)
}

// rawAutomaton returns the automaton of keys ids as substrings: a value
// that equals a text key, starts or ends with it holds it too. It returns
// nil when a key is not a text (a number, a presence) or is empty.
func (ix *index) rawAutomaton(ids []int32) *matcher.Automaton {
	texts := make([]string, len(ids))
	for i, id := range ids {
		k := ix.keys[id]
		if k.kind == keyNumber || k.kind == keyPresent || k.text == "" {
			return nil
		}
		texts[i] = k.text
	}
	a := matcher.NewAutomaton(texts, ids)
	ix.states += a.States()
	return a
}

// readsText reports whether p has keys other than presence keys, which
// need the value itself.
func (p *ixProbe) readsText() bool {
	return p.exact != nil || p.numbers != nil || p.ac != nil || p.pre != nil || p.suf != nil
}

// newProbe builds the probe of keys ids.
func (ix *index) newProbe(name string, ids []int32) *ixProbe {
	pr := &ixProbe{id: ix.nprobes, name: name}
	ix.nprobes++
	var subs, pres, sufs []string
	var subIDs, preIDs, sufIDs []int32
	for _, id := range ids {
		switch k := ix.keys[id]; k.kind {
		case keyExact:
			if pr.exact == nil {
				pr.exact = map[string][]int32{}
			}
			pr.exact[k.text] = append(pr.exact[k.text], id)
			pr.lens |= lenBit(len(k.text))
		case keyNumber:
			if pr.numbers == nil {
				pr.numbers = map[float64][]int32{}
			}
			pr.numbers[k.num] = append(pr.numbers[k.num], id)
		case keyPrefix:
			pres, preIDs = append(pres, k.text), append(preIDs, id)
		case keySuffix:
			sufs, sufIDs = append(sufs, k.text), append(sufIDs, id)
		case keyPresent:
			pr.present = append(pr.present, id)
		default:
			subs = append(subs, k.text)
			subIDs = append(subIDs, id)
		}
	}
	if len(subs) > 0 {
		pr.ac = matcher.NewAutomaton(subs, subIDs)
		ix.states += pr.ac.States()
	}
	if len(pres) > 0 {
		pr.pre = matcher.NewAnchored(pres, preIDs, false)
		ix.states += pr.pre.States()
	}
	if len(sufs) > 0 {
		pr.suf = matcher.NewAnchored(sufs, sufIDs, true)
		ix.states += pr.suf.States()
	}
	return pr
}
