package match

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/ir"
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

// The key kinds.
const (
	keyContains keyKind = iota // the folded value contains the text
	keyExact                   // the folded value is the text
	keyPrefix                  // the folded value starts with the text
	keySuffix                  // the folded value ends with the text
	keyNumber                  // the value is, or spells, the number
	keyPresent                 // the field has a value other than null
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
	present []int32    // presence keys
	ac      *automaton // substring keys, or nil
	pre     *anchored  // prefix keys, or nil
	suf     *anchored  // suffix keys, or nil
	// raw, for keywords: every text key as a substring, to scan an
	// event's JSON text with rather than each of its values; nil when a
	// key is a number or empty.
	raw *automaton
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

// count is how many of a rule's clauses held in an event (epoch).
type count struct {
	epoch uint32
	held  uint8
}

// clause is a set of keys, one of which must fire, with its cost.
type clause struct {
	keys []ixKey
	cost float64
}

// gate is a conjunction of clauses.
type gate struct {
	clauses []clause // cheapest first
	ok      bool     // false: no gate
}

// indexer computes gates, memoized per node (plans share nodes).
type indexer struct {
	rules int           // how many rules there are
	uses  map[ixKey]int // how many rules hold each key
	memo  map[*Node]gate
	names map[string]string  // field key -> field name
	paths map[string][]*Path // field key -> paths
}

// newIndex builds the index of plans.
func newIndex(plans []*Node, st *slotTable) *index {
	ixr := &indexer{rules: len(plans), uses: map[ixKey]int{}, memo: map[*Node]gate{}, names: map[string]string{}, paths: map[string][]*Path{}}
	for _, p := range plans {
		held := map[ixKey]bool{}
		ixr.collect(p, held, map[*Node]bool{})
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

// probesAnyValue reports whether a clause that is not a keyword clause
// has a keyword key (an or of a keyword search and a field's), so that the
// index probes every value anyway.
func probesAnyValue(gates [][]clause) bool {
	for _, g := range gates {
		for _, c := range g {
			if !keyword(c) && slices.ContainsFunc(c.keys, func(k ixKey) bool { return k.field == anyKey }) {
				return true
			}
		}
	}
	return false
}

// keyword reports whether c is a clause of keyword (any-field) keys.
func keyword(c clause) bool { return len(c.keys) > 0 && c.keys[0].field == anyKey }

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// anyValued reports whether c has a keyword key, probed against every
// value of the event.
func anyValued(c clause) bool {
	return slices.ContainsFunc(c.keys, func(k ixKey) bool { return k.field == anyKey })
}

// heavy reports whether c has a key that many rules hold.
func (ixr *indexer) heavy(c clause) bool {
	for _, k := range c.keys {
		if ixr.uses[k] > heavyKey {
			return true
		}
	}
	return false
}

// ubiquitous reports whether c has a key held by more than heavyKey rules
// and by more than a quarter of all the rules.
func (ixr *indexer) ubiquitous(c clause) bool {
	for _, k := range c.keys {
		if n := ixr.uses[k]; n > heavyKey && n > ixr.rules/4 {
			return true
		}
	}
	return false
}

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
			shared[sig] = ix.newProbe(st.paths[s].text, ids)
		}
		ix.probes[ph][s] = shared[sig]
		eager[s] = ph == 0 && shared[sig].readsText()
	}
	st.decodeEagerly(eager)
}

// rawAutomaton returns the automaton of keys ids as substrings: a value
// that equals a text key, starts or ends with it holds it too. It returns
// nil when a key is not a text (a number, a presence) or is empty.
func (ix *index) rawAutomaton(ids []int32) *automaton {
	texts := make([]string, len(ids))
	for i, id := range ids {
		k := ix.keys[id]
		if k.kind == keyNumber || k.kind == keyPresent || k.text == "" {
			return nil
		}
		texts[i] = k.text
	}
	a := newAutomaton(texts, ids)
	ix.states += a.states()
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
		pr.ac = newAutomaton(subs, subIDs)
		ix.states += pr.ac.states()
	}
	if len(pres) > 0 {
		pr.pre = newAnchored(pres, preIDs, false)
		ix.states += pr.pre.states()
	}
	if len(sufs) > 0 {
		pr.suf = newAnchored(sufs, sufIDs, true)
		ix.states += pr.suf.states()
	}
	return pr
}

// collect adds to held the keys of every test under n.
func (ixr *indexer) collect(n *Node, held map[ixKey]bool, done map[*Node]bool) {
	if done[n] {
		return
	}
	done[n] = true
	if n.Op == OpTest {
		if g := ixr.test(n.Test); g.ok {
			for _, k := range g.clauses[0].keys {
				held[k] = true
			}
		}
	}
	for _, k := range n.Kids {
		ixr.collect(k, held, done)
	}
}

// gate returns n's gate.
func (ixr *indexer) gate(n *Node) gate {
	if g, ok := ixr.memo[n]; ok {
		return g
	}
	var g gate
	switch n.Op {
	case OpFalse:
		g = gate{clauses: []clause{{}}, ok: true}
	case OpTest:
		g = ixr.test(n.Test)
		if g.ok {
			for _, k := range g.clauses[0].keys {
				g.clauses[0].cost += ixr.cost(k)
			}
		}
	case OpAnd:
		for _, k := range n.Kids {
			if kg := ixr.gate(k); kg.ok {
				g.ok = true
				g.clauses = append(g.clauses[:len(g.clauses):len(g.clauses)], kg.clauses...)
			}
		}
		// A clause of a key most rules hold goes after the others, whatever
		// its cost: every event of its kind holds it (the event_type that
		// a pipeline's add_condition gives every rule of a schema).
		sort.SliceStable(g.clauses, func(i, j int) bool {
			if ui, uj := ixr.ubiquitous(g.clauses[i]), ixr.ubiquitous(g.clauses[j]); ui != uj {
				return uj
			}
			return g.clauses[i].cost < g.clauses[j].cost
		})
		if len(g.clauses) > maxClauses {
			g.clauses = g.clauses[:maxClauses]
		}
	case OpOr:
		// (a1 ∧ a2) ∨ b = (a1 ∨ b) ∧ (a2 ∨ b): clause j is the union of
		// each operand's j-th clause (or its last, when it has fewer).
		kids := make([]gate, len(n.Kids))
		width := 0
		for i, k := range n.Kids {
			if kids[i] = ixr.gate(k); !kids[i].ok {
				width = -1
				break
			}
			width = max(width, len(kids[i].clauses))
		}
		if width < 0 {
			break
		}
		g.ok = true
		for j := range min(width, maxClauses) {
			var c clause
			for _, kg := range kids {
				kc := kg.clauses[min(j, len(kg.clauses)-1)]
				c.keys = append(c.keys[:len(c.keys):len(c.keys)], kc.keys...)
				c.cost += kc.cost
			}
			g.clauses = append(g.clauses, c)
		}
		sort.SliceStable(g.clauses, func(i, j int) bool { return g.clauses[i].cost < g.clauses[j].cost })
	}
	ixr.memo[n] = g
	return g
}

// cost estimates how often key k fires: a text of n bytes is about half
// as common as one of n-1 (up to 12 bytes), and a key many rules hold is
// common and costly to fire.
func (ixr *indexer) cost(k ixKey) float64 {
	n := min(len(k.text), 12)
	switch k.kind {
	case keyExact, keyNumber:
		n += 2
	case keyPrefix, keySuffix:
		n++
	case keyPresent:
		n = 0 // as common as a value of the field
	}
	return math.Sqrt(float64(1+ixr.uses[k])) / float64(uint(1)<<n)
}

// test returns the gate of a test: one clause with a key per comparison,
// if every comparison is a string matcher that needs a text or a number.
func (ixr *indexer) test(t *Test) gate {
	if t.Left != nil || t.Right != nil || (len(t.Paths) == 0 && !t.Any) {
		return gate{}
	}
	if t.Exists {
		if t.Any {
			return gate{}
		}
		return gate{clauses: []clause{{keys: []ixKey{{field: ixr.field(t), kind: keyPresent}}}}, ok: true}
	}
	if len(t.Strings)+len(t.Numbers) == 0 || len(t.Bools) > 0 || len(t.Bounds) > 0 {
		return gate{}
	}
	field := ixr.field(t)
	var c clause
	for _, m := range t.Strings {
		nd, ok := m.(needer)
		if !ok {
			return gate{}
		}
		needs := nd.needs()
		if len(needs) == 0 {
			return gate{}
		}
		for _, nd := range needs {
			k := ixKey{field: field, text: Fold(nd.text), kind: nd.kind}
			switch {
			case k.kind == keySuffix && len(k.text) > maxAnchoredLen:
				k.text = tail(k.text, maxAnchoredLen)
			case k.kind == keyPrefix && len(k.text) > maxAnchoredLen:
				k.text = truncate(k.text, maxAnchoredLen)
			case k.kind == keyContains && len(k.text) > maxKeyLen:
				k.text = truncate(k.text, maxKeyLen)
			}
			c.keys = append(c.keys, k)
		}
	}
	for _, n := range t.Numbers {
		if n.IsNaN() {
			continue // NaN equals nothing
		}
		f := n.Float64() // exact numbers that are equal round to the same float
		if f == 0 {
			f, n = 0, ir.Int(0) // one key for 0 and -0
		}
		c.keys = append(c.keys, ixKey{field: field, text: n.String(), kind: keyNumber, num: f})
	}
	return gate{clauses: []clause{c}, ok: true}
}

// field returns the field key of t's keys, noting its paths and name.
func (ixr *indexer) field(t *Test) string {
	field := anyKey // keywords: every value of the event
	if !t.Any {
		field = pathsKey(t.Paths)
	}
	if _, ok := ixr.names[field]; !ok {
		ixr.paths[field] = t.Paths
		ixr.names[field] = t.Name
		if t.Any {
			ixr.names[field] = "(any value)"
		}
	}
	return field
}

// anyKey is the field key of keyword tests, which read every value.
const anyKey = "\x00any"

// pathsKey identifies a field by its paths.
func pathsKey(ps []*Path) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, "\x00")
}

// probe fires the keys that the values of x's record hold, in two
// phases: the paths with keys of the rules' first clauses, then, only if
// some rule with more clauses has its first one held, the other paths.
func (ix *index) probe(x *scratch) {
	ix.probePhase(x, 0)
	if x.pending > 0 {
		ix.probePhase(x, 1)
	}
}

// probeSlot fires the presence keys of p, when v is present, and probes
// v's texts, when it has been decoded.
func (x *scratch) probeSlot(p *ixProbe, v any, present bool) {
	if !present {
		return
	}
	if s, ok := v.(string); ok {
		// A field's paths share a probe, and an event may hold one
		// string at several of them (a value Record.Add copied to the
		// ECS name of a field): the keys it fires have fired.
		last := &x.last[p.id]
		if last.epoch == x.epoch && last.s == unsafe.StringData(s) && last.n == len(s) {
			return
		}
		*last = lastString{x.epoch, unsafe.StringData(s), len(s)}
	}
	for _, id := range p.present {
		x.fire(id)
	}
	if v != nil {
		x.texts(p, v)
	}
}

// lastString is the string a probe was last probed with, in an event
// (epoch).
type lastString struct {
	epoch uint32
	s     *byte
	n     int
}

// probePhase probes the keys of one phase: at the slots the record found,
// when it knows them all, otherwise at each slot with keys.
func (ix *index) probePhase(x *scratch, ph int) {
	r, probes := x.cur, ix.probes[ph]
	if r.complete {
		for i := range r.items {
			it := &r.items[i]
			if int(it.slot) >= len(probes) {
				continue // a slot of the record's own (Ruleset.NewRecordWith)
			}
			if p := probes[it.slot]; p != nil {
				v := r.keyed(it)
				x.probeSlot(p, v, v != nil || it.lazy != 0)
			}
		}
	} else {
		for s, p := range probes {
			if p == nil {
				continue
			}
			v, ok := r.Lookup(r.st.paths[s])
			x.probeSlot(p, v, ok && v != nil)
		}
	}
	if ap := ix.anyProbe[ph]; ap != nil && (ph == 0 || x.pendingAny > 0) {
		if s := r.text(); ap.raw != nil && s != nil {
			ap.raw.scanJSON(s.data, x) // one pass over the text, not one per value
			x.anyPhase = ph
			for _, v := range r.added {
				each(v, func(v any) bool {
					// The raw scan found every key of a part of the
					// event's text or of its decoded strings: keys
					// are sought there as substrings.
					if str, ok := v.(string); ok && s.holds(str) {
						return false
					}
					return x.visitAny(v)
				})
			}
		} else {
			x.anyPhase = ph
			r.Each(x.visitAny)
		}
	}
}

// texts probes f's keys with v the way Test.value compares it: strings
// and the text of numbers and booleans against the text keys, numbers and
// strings that spell numbers against the number keys, arrays element by
// element.
func (x *scratch) texts(f *ixProbe, v any) {
	switch t := v.(type) {
	case string:
		x.text(f, t)
		if f.numbers != nil && looksNumeric(t) {
			x.spelled(f, t)
		}
	case []any:
		for _, e := range t {
			x.texts(f, e)
		}
	case []string:
		for _, e := range t {
			x.texts(f, e)
		}
	case json.Number:
		x.text(f, string(t))
		if f.numbers != nil && looksNumeric(string(t)) {
			x.spelled(f, string(t))
		}
	case float64:
		if x.number(f, t) {
			x.numText(f, strconv.AppendFloat(x.num[:0], t, 'f', -1, 64))
		}
	case float32:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendFloat(x.num[:0], float64(t), 'f', -1, 64))
		}
	case int:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], int64(t), 10))
		}
	case int64:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], t, 10))
		}
	case int32:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], int64(t), 10))
		}
	case uint32:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], int64(t), 10))
		}
	case uint64:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendUint(x.num[:0], t, 10))
		}
	case bool:
		x.text(f, strconv.FormatBool(t))
	}
}

// spelled probes f's number keys with the number s spells.
func (x *scratch) spelled(f *ixProbe, s string) {
	if n, ok := spelled(s); ok {
		for _, id := range f.numbers[n.Float64()] {
			x.fire(id)
		}
	}
}

// number probes f's number keys with n and reports whether f has text
// keys to probe with n's text too (see numText).
func (x *scratch) number(f *ixProbe, n float64) bool {
	for _, id := range f.numbers[n] {
		x.fire(id)
	}
	return f.exact != nil || f.pre != nil || f.suf != nil || f.ac != nil
}

// numText probes f's text keys with a number's text, held in b (x.num's
// storage, kept for the next number).
func (x *scratch) numText(f *ixProbe, b []byte) {
	x.num = b
	x.text(f, unsafe.String(unsafe.SliceData(b), len(b)))
}

// text folds s and probes f's text keys with it. An ASCII value is only
// folded for the exact keys, and only when one is as long: the tries and
// the automaton fold ASCII letters themselves.
func (x *scratch) text(f *ixProbe, s string) {
	folded, ascii := s, isASCII(s)
	if !ascii {
		x.buf = appendFold(x.buf[:0], s)
		folded = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
	}
	if f.exact != nil && f.lens&lenBit(len(folded)) != 0 {
		if ascii && needsFold(s) {
			x.buf = appendFold(x.buf[:0], s)
			folded = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
		}
		for _, id := range f.exact[folded] {
			x.fire(id)
		}
	}
	if f.pre != nil {
		f.pre.walk(folded, x)
	}
	if f.suf != nil {
		f.suf.walk(folded, x)
	}
	if f.ac != nil {
		f.ac.scan(folded, x)
	}
}

// lenBit is the bit of ixProbe.lens for a text n bytes long.
func lenBit(n int) uint64 { return 1 << min(n, 63) }

// truncate returns the longest prefix of s of at most n bytes that ends at
// a code point boundary (or, where there is none, n bytes).
func truncate(s string, n int) string {
	for i := n; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:n]
}

// tail returns the longest suffix of s of at most n bytes that starts at a
// code point boundary (or, where there is none, n bytes).
func tail(s string, n int) string {
	for i := len(s) - n; i < len(s); i++ {
		if utf8.RuneStart(s[i]) {
			return s[i:]
		}
	}
	return s[len(s)-n:]
}

// isASCII reports whether s is all ASCII, eight bytes at a time.
func isASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// scratch is the per-Match working memory: the memo of shared nodes, the
// candidate bitset, what fired for this event, and buffers.
type scratch struct {
	memo memo
	ix   *index
	rec  *Record // Match's record of each event
	cur  *Record // the record being matched

	visitAny func(v any) bool
	anyPhase int // the phase visitAny probes
	pending  int // rules with more clauses whose first clause held
	// pendingAny counts the rules with a later keyword clause whose first
	// clause held: only then are phase 1's keywords probed.
	pendingAny int
	cand       []uint64
	epoch      uint32   // this event's number; the arrays below hold older ones
	fired      []uint32 // per key: the epoch it last fired in
	held       []uint32 // per clause: the epoch it last held in
	counts     []count  // per rule with more clauses: how many held
	buf        []byte
	num        []byte
	last       []lastString // per probe: the string last probed
}

// newScratch returns working memory for a ruleset with slots memo slots
// and index ix (nil: unindexed), with a record of slot table st for Match.
func newScratch(slots int, ix *index, st *slotTable) *scratch {
	x := &scratch{memo: make(memo, slots), ix: ix}
	if ix != nil {
		x.rec = newRecord(st)
		x.cand = make([]uint64, len(ix.always))
		x.fired = make([]uint32, len(ix.keys))
		x.held = make([]uint32, len(ix.owner))
		x.counts = make([]count, len(ix.need))
		x.buf = make([]byte, 0, 256)
		x.num = make([]byte, 0, 32)
		x.last = make([]lastString, ix.nprobes)
		x.visitAny = func(v any) bool {
			x.texts(ix.anyProbe[x.anyPhase], v)
			return false
		}
	}
	return x
}

// begin resets x for an event: nothing fired, the rules without a gate
// are candidates.
func (x *scratch) begin() {
	x.epoch++
	if x.epoch == 0 { // wrapped: forget every old epoch
		clear(x.fired)
		clear(x.held)
		clear(x.counts)
		clear(x.last)
		x.epoch = 1
	}
	x.pending, x.pendingAny = 0, 0
	copy(x.cand, x.ix.always)
}

// fire records that key id fired: its clauses hold, and a rule whose
// clauses all hold becomes a candidate.
func (x *scratch) fire(id int32) {
	if x.fired[id] == x.epoch {
		return
	}
	x.fired[id] = x.epoch
	for _, c := range x.ix.clauses[id] {
		if x.held[c] == x.epoch {
			continue
		}
		x.held[c] = x.epoch
		o := x.ix.owner[c]
		r := o.rule
		if o.need > 1 {
			if o.first {
				x.pending++
				if o.anyLater {
					x.pendingAny++
				}
			}
			n := &x.counts[r]
			if n.epoch != x.epoch {
				n.epoch, n.held = x.epoch, 0
			}
			if n.held++; n.held < o.need {
				continue
			}
		}
		x.cand[r>>6] |= 1 << (r & 63)
	}
}
