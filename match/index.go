package match

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/par"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// The rule index (see the package documentation): gates are computed
// in gate.go, probes built here, and each event probed in probe.go with
// the per-Match memory of scratch.go. A gate is a necessary condition: an
// event that does not pass a rule's gate cannot match the rule.

// maxKeyLen bounds a substring key, and so the automaton's depth: any
// part of a needed text is needed too, and gateKeys keeps the last
// maxKeyLen bytes (see tail's use there).
const maxKeyLen = 16

// maxAnchoredLen bounds a prefix or suffix key, and so a trie's depth. A
// walk stops where no key continues, so long keys cost a trie little,
// and "c:\windows\system32	asks" cut to 16 bytes would be found in
// every System32 path.
const maxAnchoredLen = 64

// maxClauses bounds the clauses of a gate.
const maxClauses = 3

// A gate's clauses are a bit each of a uint8 (keyClause.bit,
// ruleState.held): this does not compile with maxClauses above 8.
var _ [8 - maxClauses]struct{}

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
// with every value of the event (keywords): the text keys (matcher.Texts:
// exact texts, prefix and suffix tries, an automaton of substrings), a
// hash set of numbers, and presence keys. A key of a field is
// probed at each of the field's paths: the value the field's tests read,
// that of its first path present, is among them, so a key is found
// whenever the test could pass (and sometimes when another path holds it).
type ixProbe struct {
	id      int32          // the probe's number, for scratch.last
	ids     []int32        // its keys, sorted
	name    string         // the path, for String
	texts   *matcher.Texts // text keys, or nil
	numbers map[float64][]int32
	present []int32 // presence keys
	// raw, for keywords: every text key as a substring, to scan an
	// event's JSON text with rather than each of its values; nil when a
	// key is a number or empty.
	raw *matcher.Automaton
	// apart: raw finds each key within one value of a filled record's
	// text (apartKeys), so that its scans may skip clean values; keys
	// are raw's then (plainBytes).
	apart bool
	keys  []string
	// numTexts: a text key could be found in the text of a Go number
	// (numberText), so that such a number is probed as a text too.
	numTexts bool
}

// numberChars are the bytes of the text of a Go number, folded
// (plan.Value.AppendText: digits, a sign and a point, +Inf, -Inf, NaN).
const numberChars = "0123456789+-.infa"

// numberText reports whether key could be found in a number's text: all
// its bytes are among numberChars.
func numberText(key string) bool {
	for i := 0; i < len(key); i++ {
		if strings.IndexByte(numberChars, key[i]) < 0 {
			return false
		}
	}
	return true
}

// index is a ruleset's rule index.
type index struct {
	probes   [2][]*ixProbe // per phase (first clauses' keys, the others), per slot, or nil
	anyProbe [2]*ixProbe   // per phase: keywords, or nil
	keys     []ixKey
	names    []string    // per key: the field's name
	fires    []keyClause // per key, the clauses it satisfies: fires[fireAt[id]:fireAt[id+1]]
	fireAt   []int32
	// later[laterAt[r]:laterAt[r+1]]: the phase 1 probes that rule r's
	// later clauses have keys in (laterProbes).
	later, laterAt []int32
	rules          int         // rules, with a gate or not
	always         []uint64    // bitset of the rules without a gate
	gates          [][][]int32 // per rule: its clauses' keys (nil: no gate)
	checks         []check     // per rule: checks[checkAt[r]:checkAt[r+1]] (checks.go)
	checkAt        []int32
	kills          []kill // per rule: kills[killAt[r]:killAt[r+1]] (kills.go)
	killAt         []int32
	states         int   // automaton states, all probes
	nprobes        int32 // probes made (newProbe)
}

// keyClause is a clause that a key satisfies, in its place: its rule, its
// bit in the rule's held clauses (scratch.rules), how many clauses the
// rule has, whether it is the rule's first, and, for a first clause,
// whether a later one has keyword keys. The run of a key's keyClauses is
// all that scratch.Fire reads of the index, 8 bytes each, in one stretch
// of memory.
type keyClause struct {
	rule     int32
	bit      uint8 // 1 << the clause's place in its rule's gate (maxClauses <= 8)
	need     uint8
	first    bool
	anyLater bool
}

// newIndex builds the index of plans, whose nodes (allNodes) are nodes.
func newIndex(plans, nodes []*plan.Node, st *slotTable) *index {
	ixr := newIndexer(plans, nodes)
	ix := &index{always: make([]uint64, (len(plans)+63)/64), gates: make([][][]int32, len(plans)), rules: len(plans)}
	gates := make([][]clause, len(plans))
	par.For(len(plans), func(r int) {
		if g := ixr.gate(plans[r]); g.ok {
			gates[r] = g.clauses[:min(len(g.clauses), maxClauses)]
			for i := 1; i < len(gates[r]); i++ {
				if ixr.heavy(gates[r][i]) {
					gates[r] = gates[r][:i]
				}
			}
		}
	})
	keywords := 0 // rules with a keyword clause
	for _, g := range gates {
		if slices.ContainsFunc(g, ixr.keyword) {
			keywords++
		}
	}
	if keywords < minKeywordRules && !ixr.probesAnyValue(gates) {
		for r, g := range gates {
			gates[r] = slices.DeleteFunc(slices.Clone(g), ixr.keyword)
		}
	}
	for r, g := range gates { // keyword clauses last; g may be a memoized gate's
		gates[r] = slices.Clone(g)
		slices.SortStableFunc(gates[r], func(a, b clause) int { return cmpBool(ixr.anyValued(a), ixr.anyValued(b)) })
	}
	ids := make([]int32, len(ixr.keys)) // the indexer's key number -> ix's, plus 1
	var clauses [][]int32               // per key: the clauses it satisfies
	var owner []keyClause               // per clause: its rule and place
	for r, g := range gates {
		if len(g) == 0 {
			ix.always[r/64] |= 1 << (r % 64)
			continue
		}
		anyLater := slices.ContainsFunc(g[1:], ixr.anyValued)
		for i, c := range g {
			cid := int32(len(owner))
			owner = append(owner, keyClause{rule: int32(r), bit: 1 << i, need: uint8(len(g)), first: i == 0, anyLater: i == 0 && anyLater})
			var keys []int32
			for _, k := range c.keys {
				id := ids[k] - 1
				if id < 0 {
					id = int32(len(ix.keys))
					ids[k] = id + 1
					ix.keys = append(ix.keys, ixr.keys[k])
					ix.names = append(ix.names, ixr.names[ixr.keys[k].field])
					clauses = append(clauses, nil)
				}
				if cs := clauses[id]; len(cs) == 0 || cs[len(cs)-1] != cid {
					clauses[id] = append(cs, cid)
					keys = append(keys, id)
				}
			}
			ix.gates[r] = append(ix.gates[r], keys)
		}
	}
	primary := ix.primarySlots(ixr, st, clauses, owner)
	kills := killTests(plans, st, primary)
	known := ix.keyIDs()
	for _, kt := range kills { // a kill's keys are probed, with no clause
		for _, k := range kt.keys {
			if _, ok := known[k]; !ok {
				known[k] = int32(len(ix.keys))
				ix.keys = append(ix.keys, k)
				ix.names = append(ix.names, ixr.names[k.field])
				clauses = append(clauses, nil)
			}
		}
	}
	clauses = ix.groupKeys(clauses)
	ix.fireAt = make([]int32, 0, len(clauses)+1)
	for _, cs := range clauses {
		ix.fireAt = append(ix.fireAt, int32(len(ix.fires)))
		for _, c := range cs {
			ix.fires = append(ix.fires, owner[c])
		}
	}
	ix.fireAt = append(ix.fireAt, int32(len(ix.fires)))
	ix.buildProbes(ixr, st, primary)
	byKey := ix.keyIDs()
	ix.buildChecks(ixr, plans, st, byKey)
	ix.deferImplied(ixr, plans, byKey)
	ix.buildKills(kills, st, byKey)
	return ix
}

// groupKeys numbers the keys again by field, then kind and text, and
// returns clauses (per key, the clauses it satisfies) in the new order;
// the gates take the new numbers. Numbered as the rules first used them,
// the keys a probe fires (an image path's folders, name and extension)
// were scattered over the tables scratch.Fire reads by key (the epoch it
// fired in, where its clauses are, the clauses), a cache line each; by
// field, they share lines. A key's number means nothing else: the probes
// are built from the keys after this, and Gate lists a clause's keys in
// their place in it, not by number.
func (ix *index) groupKeys(clauses [][]int32) [][]int32 {
	order := make([]int32, len(ix.keys)) // new number -> old
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		ka, kb := &ix.keys[a], &ix.keys[b]
		return cmp.Or(strings.Compare(ka.field, kb.field), cmp.Compare(ka.kind, kb.kind), strings.Compare(ka.text, kb.text), cmp.Compare(ka.num, kb.num))
	})
	renumber := make([]int32, len(order)) // old number -> new
	keys, names, byKey := make([]ixKey, len(order)), make([]string, len(order)), make([][]int32, len(order))
	for n, o := range order {
		renumber[o] = int32(n)
		keys[n], names[n], byKey[n] = ix.keys[o], ix.names[o], clauses[o]
	}
	ix.keys, ix.names = keys, names
	for _, g := range ix.gates {
		for _, c := range g {
			for i, id := range c {
				c[i] = renumber[id]
			}
		}
	}
	return byKey
}

// minKeywordRules is the fewest rules with keyword clauses for which the
// index probes every value of every event (unless it does anyway, for a
// clause that mixes keyword and field keys). With fewer, the rules lose
// those clauses (and, left with none, are evaluated for every event,
// where their cheaper tests, such as a log source's, are tried first).
const minKeywordRules = 16

// primarySlots reports, per slot and for the keywords after them (the
// last), whether a first clause has a key at its path, so that
// buildProbes probes it in phase 0 with all its keys; clauses are the
// clauses each key satisfies, owner the clauses' places. The keys added
// after it (a kill's) satisfy no clause: they do not change it.
func (ix *index) primarySlots(ixr *indexer, st *slotTable, clauses [][]int32, owner []keyClause) []bool {
	primary := make([]bool, st.slots()+1)
	for id, cs := range clauses {
		if !slices.ContainsFunc(cs, func(c int32) bool { return owner[c].first }) {
			continue
		}
		k := ix.keys[id]
		if k.field == anyKey {
			primary[st.slots()] = true
		}
		for _, p := range ixr.paths[k.field] {
			primary[st.slotOf(p)] = true
		}
	}
	return primary
}

// buildProbes puts each key in the probe of each path of its field. A
// path where some rule's first clause has a key (primary, primarySlots)
// is probed in phase 0, with all its keys; the others in phase 1. Paths
// with the same keys (a field's alternative paths often have) share one
// probe.
func (ix *index) buildProbes(ixr *indexer, st *slotTable, primary []bool) {
	bySlot := make([][]int32, st.slots()+1) // the last: keywords
	for id, k := range ix.keys {
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
		}
	}
	// The probes to build, in order (their ids), and which slot gets
	// which; they are built in parallel (par.For), each from its keys.
	type job struct {
		name string
		ids  []int32
		any  bool // the keyword probe, with the raw automaton
		pr   *ixProbe
	}
	var jobs []*job
	var slotJob [2][]*job
	slotJob[0], slotJob[1] = make([]*job, st.slots()), make([]*job, st.slots())
	var anyJob [2]*job
	shared := map[string]*job{}
	for s, ids := range bySlot {
		if len(ids) == 0 {
			continue
		}
		ph := 1
		if primary[s] {
			ph = 0
		}
		if s == st.slots() {
			anyJob[ph] = &job{name: "(any value)", ids: ids, any: true}
			jobs = append(jobs, anyJob[ph])
			continue
		}
		sig := fmt.Sprint(ids)
		if shared[sig] == nil {
			shared[sig] = &job{name: st.paths[s].String(), ids: ids}
			jobs = append(jobs, shared[sig])
		}
		slotJob[ph][s] = shared[sig]
	}
	for ph, slots := range slotJob { // a slot may take a superset's probe
		var own []*job
		at := map[*job]int{}
		for _, j := range slots {
			if _, ok := at[j]; j != nil && !ok {
				at[j] = len(own)
				own = append(own, j)
			}
		}
		sets := make([][]int32, len(own))
		for i, j := range own {
			sets[i] = j.ids
		}
		to := supersets(sets)
		for s, j := range slots {
			if j != nil {
				slotJob[ph][s] = own[to[at[j]]]
			}
		}
	}
	used := map[*job]bool{}
	for _, slots := range slotJob {
		for _, j := range slots {
			used[j] = true
		}
	}
	jobs = slices.DeleteFunc(jobs, func(j *job) bool { return !j.any && !used[j] })
	// The largest first (the keyword probe, last of jobs, builds two
	// automata), so that no CPU is left alone with one at the end.
	size := func(j *job) int {
		if j.any {
			return 2 * len(j.ids)
		}
		return len(j.ids)
	}
	bySize := slices.Clone(jobs)
	slices.SortStableFunc(bySize, func(a, b *job) int { return cmp.Compare(size(b), size(a)) })
	par.For(len(bySize), func(i int) {
		j := bySize[i]
		j.pr = ix.newProbe(j.name, j.ids)
		if j.any {
			j.pr.raw = ix.rawAutomaton(j.ids)
			if keys := ix.texts(j.ids); j.pr.raw != nil && apartKeys(keys) {
				j.pr.apart, j.pr.keys = true, keys
			}
		}
	})
	for _, j := range jobs {
		j.pr.id = ix.nprobes
		ix.nprobes++
		ix.states += j.pr.states()
	}
	for ph, j := range anyJob {
		if j != nil {
			ix.anyProbe[ph] = j.pr
		}
	}
	ix.probes[0], ix.probes[1] = make([]*ixProbe, st.slots()), make([]*ixProbe, st.slots())
	eager := make([]bool, st.slots())
	for ph := range slotJob {
		for s, j := range slotJob[ph] {
			if j != nil {
				ix.probes[ph][s] = j.pr
				eager[s] = eager[s] || ph == 0 && j.pr.readsText()
			}
		}
	}
	st.decodeEagerly(eager)
	ix.laterProbes(ixr, st)
}

// laterProbes lists, for each rule, the phase 1 probes that its later
// clauses have keys in (index.later). A phase 1 probe holds no first
// clause's keys (buildProbes), so its keys can only complete a rule whose
// first clause held: scratch.Fire marks a rule's later probes wanted when
// its first clause holds, and phase 1 probes only the wanted ones. Most
// events that have some rule pending want few of them: with the SigmaHQ
// Windows rules on the .evtx corpus, 0.2 of the 4.2 phase 1 probes a
// record (Channel, Keywords, ProcessId, SubjectUserSid, ...).
func (ix *index) laterProbes(ixr *indexer, st *slotTable) {
	ix.laterAt = make([]int32, 0, len(ix.gates)+1)
	for _, g := range ix.gates {
		ix.laterAt = append(ix.laterAt, int32(len(ix.later)))
		start := len(ix.later)
		for i := 1; i < len(g); i++ {
			ix.later = ix.phaseOneProbes(ixr, st, ix.later, start, g[i])
		}
	}
	ix.laterAt = append(ix.laterAt, int32(len(ix.later)))
}

// supersets returns, for each of sets (sorted key ids, all different),
// the set whose probe its slots take: the one with the fewest keys among
// those that hold all of its keys and at most twice as many, and are not
// given another's; itself when there is none. A Windows field and its
// ECS name (CommandLine and process.command_line, Image and
// process.executable) have nearly the same keys and, in a record with an
// ECS view, the same string, which is then probed once (probeSlot's memo
// is per probe), not once per slot. The extra keys fire when the other
// slot's value holds them: more candidates, never fewer.
func supersets(sets [][]int32) []int {
	order := make([]int, len(sets)) // by size, largest first
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(sets[b]) - len(sets[a]) })
	to := make([]int, len(sets))
	holding := map[int32][]int{} // key id -> the sets kept so far holding it
	count := make([]int, len(sets))
	for _, i := range order {
		to[i] = i
		clear(count)
		for _, id := range sets[i] {
			for _, a := range holding[id] {
				count[a]++
			}
		}
		for a, n := range count {
			if n == len(sets[i]) && len(sets[a]) <= 2*len(sets[i]) && (to[i] == i || len(sets[a]) < len(sets[to[i]])) {
				to[i] = a
			}
		}
		if to[i] == i {
			for _, id := range sets[i] {
				holding[id] = append(holding[id], i)
			}
		}
	}
	return to
}

// rawAutomaton returns the automaton of keys ids as substrings: a value
// that equals a text key, starts or ends with it holds it too. It returns
// nil when a key is not a text (a number, a presence) or is empty.
func (ix *index) rawAutomaton(ids []int32) *matcher.Automaton {
	for _, id := range ids {
		if k := ix.keys[id]; k.kind == keyNumber || k.kind == keyPresent || k.text == "" {
			return nil
		}
	}
	return matcher.NewAutomaton(ix.texts(ids), ids)
}

// texts returns the texts of keys ids.
func (ix *index) texts(ids []int32) []string {
	texts := make([]string, len(ids))
	for i, id := range ids {
		texts[i] = ix.keys[id].text
	}
	return texts
}

// states returns the number of states of p's automata and tries.
func (p *ixProbe) states() int {
	n := 0
	if p.texts != nil {
		n += p.texts.States()
	}
	if p.raw != nil {
		n += p.raw.States()
	}
	return n
}

// readsText reports whether p has keys other than presence keys, which
// need the value itself.
func (p *ixProbe) readsText() bool {
	return p.texts != nil || p.numbers != nil
}

// newProbe builds the probe of keys ids; it reads ix only, and the
// caller numbers the probe (id).
func (ix *index) newProbe(name string, ids []int32) *ixProbe {
	pr := &ixProbe{name: name, ids: ids}
	var needs []matcher.Need
	var textIDs []int32
	for _, id := range ids {
		switch k := ix.keys[id]; k.kind {
		case keyNumber:
			if pr.numbers == nil {
				pr.numbers = map[float64][]int32{}
			}
			pr.numbers[k.num] = append(pr.numbers[k.num], id)
		case keyPresent:
			pr.present = append(pr.present, id)
		default:
			needs = append(needs, matcher.Need{Text: k.text, Kind: matcher.NeedKind(k.kind)})
			textIDs = append(textIDs, id)
			pr.numTexts = pr.numTexts || numberText(k.text)
		}
	}
	pr.texts = matcher.NewTexts(needs, textIDs)
	return pr
}
