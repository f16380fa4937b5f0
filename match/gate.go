package match

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/par"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// A rule's gate is up to maxClauses clauses, each a set of keys of which
// one must fire, computed over the rule's plan:
//   - a test on a field whose comparisons are all string matchers needing
//     a text (the whole value for exact, the longest literal otherwise)
//     or numbers: one clause with a key per comparison (texts folded);
//   - any other test on a field (a presence test, a field compared with
//     a computed operand as Sigma's fieldref, booleans, bounds, regular
//     expressions, CIDR ranges): one clause whose key holds when the
//     field has a value other than null (at any of its paths), since the
//     test is false where the field has none; a computed left operand
//     has no gate;
//   - and: the clauses of its operands that have gates, the cheapest
//     maxClauses of them;
//   - or: if every operand has a gate, clauses that are unions of one
//     clause of each operand (the cheapest of each, the second cheapest of
//     each, …), since (a1 ∧ a2) ∨ b = (a1 ∨ b) ∧ (a2 ∨ b);
//   - not: the gate of its operand's negation, pushed down by De Morgan's
//     laws (notGate); a negated test has none;
//   - true and keyword (any-field) tests: no gate; false: a clause
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

// clause is a set of keys (numbers in indexer.keys), one of which must
// fire, with its cost.
type clause struct {
	keys []int32
	cost float64
}

// gate is a conjunction of clauses.
type gate struct {
	clauses []clause // cheapest first
	ok      bool     // false: no gate
}

// indexer computes gates: each test's once (newIndexer), then each
// rule's, memoized per node (plans share nodes).
type indexer struct {
	rules int                 // how many rules there are
	keys  []ixKey             // the tests' keys, numbered as first met
	uses  []int32             // per key: how many rules hold it
	costs []float64           // per key: its cost
	tests map[*plan.Node]gate // per test node with a gate: it, costs unset
	names map[string]string   // field key -> field name
	paths map[string][]*Path  // field key -> paths
	limit int                 // the clauses a gate keeps: maxClauses (wider: more)
	memo  *gateMemo
}

// gateMemo holds the gates an indexer computed, per node; goroutines
// share it.
type gateMemo struct {
	mu sync.Mutex
	m  map[*plan.Node]gate
}

// wider returns an indexer that computes gates of up to limit clauses
// from ixr's tests and keys, with a memo of its own (see checks.go).
func (ixr *indexer) wider(limit int) *indexer {
	w := *ixr
	w.limit, w.memo = limit, &gateMemo{m: map[*plan.Node]gate{}}
	return &w
}

// newIndexer finds the gate of every test of plans (whose nodes, in
// allNodes' order, are nodes) and how many rules hold each key. The tests' gates are made on every CPU; their keys are
// numbered, and each field named after its first test, in the order a
// walk of the plans meets them.
func newIndexer(plans, nodes []*plan.Node) *indexer {
	ixr := &indexer{rules: len(plans), limit: maxClauses, memo: &gateMemo{m: map[*plan.Node]gate{}}, names: map[string]string{}, paths: map[string][]*Path{}}
	var preds []*plan.Node
	for _, n := range nodes {
		if n.Op == ir.OpPred {
			preds = append(preds, n)
		}
	}
	found := make([]testKeys, len(preds))
	par.For(len(preds), func(i int) { found[i] = gateKeys(preds[i].Test) })
	total := 0
	for _, f := range found {
		total += len(f.keys)
	}
	ids := make(map[ixKey]int32, total)
	ixr.keys = make([]ixKey, 0, total)
	ixr.tests = make(map[*plan.Node]gate, len(preds))
	for i, n := range preds {
		f := found[i]
		if f.field == "" {
			continue
		}
		if _, ok := ixr.names[f.field]; !ok {
			ixr.paths[f.field] = n.Test.Paths
			ixr.names[f.field] = n.Test.Name
			if n.Test.Any {
				ixr.names[f.field] = "(any value)"
			}
		}
		if !f.ok {
			continue
		}
		c := clause{keys: make([]int32, len(f.keys))}
		for j, k := range f.keys {
			id, ok := ids[k]
			if !ok {
				id = int32(len(ixr.keys))
				ids[k] = id
				ixr.keys = append(ixr.keys, k)
			}
			c.keys[j] = id
		}
		ixr.tests[n] = gate{clauses: []clause{c}, ok: true}
	}
	ixr.uses = make([]int32, len(ixr.keys))
	par.For(len(plans), func(i int) {
		held := ixr.held(plans[i], nil)
		slices.Sort(held)
		for _, id := range slices.Compact(held) {
			atomic.AddInt32(&ixr.uses[id], 1)
		}
	})
	ixr.costs = make([]float64, len(ixr.keys))
	for id := range ixr.keys {
		ixr.costs[id] = ixr.cost(int32(id))
	}
	return ixr
}

// held appends to dst the keys of the first clause of every test under n
// (with repeats: n's subtrees are walked wherever they are shared, no more
// often than the plan's rule spelled them).
func (ixr *indexer) held(n *plan.Node, dst []int32) []int32 {
	if g, ok := ixr.tests[n]; ok {
		dst = append(dst, g.clauses[0].keys...)
	}
	for _, k := range n.Kids {
		dst = ixr.held(k, dst)
	}
	return dst
}

// isAny reports whether key id is a keyword key, probed against every
// value of the event.
func (ixr *indexer) isAny(id int32) bool { return ixr.keys[id].field == anyKey }

// probesAnyValue reports whether a clause that is not a keyword clause
// has a keyword key (an or of a keyword search and a field's), so that the
// index probes every value anyway.
func (ixr *indexer) probesAnyValue(gates [][]clause) bool {
	for _, g := range gates {
		for _, c := range g {
			if !ixr.keyword(c) && slices.ContainsFunc(c.keys, ixr.isAny) {
				return true
			}
		}
	}
	return false
}

// keyword reports whether c is a clause of keyword (any-field) keys.
func (ixr *indexer) keyword(c clause) bool { return len(c.keys) > 0 && ixr.isAny(c.keys[0]) }

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
func (ixr *indexer) anyValued(c clause) bool { return slices.ContainsFunc(c.keys, ixr.isAny) }

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
		if n := ixr.uses[k]; n > heavyKey && int(n) > ixr.rules/4 {
			return true
		}
	}
	return false
}

// gate returns n's gate; goroutines may call it at once.
func (ixr *indexer) gate(n *plan.Node) gate {
	ixr.memo.mu.Lock()
	g, ok := ixr.memo.m[n]
	ixr.memo.mu.Unlock()
	if ok {
		return g
	}
	switch n.Op {
	case ir.OpFalse:
		g = gate{clauses: []clause{{}}, ok: true}
	case ir.OpPred:
		if tg, ok := ixr.tests[n]; ok {
			c := clause{keys: tg.clauses[0].keys}
			for _, k := range c.keys {
				c.cost += ixr.costs[k]
			}
			g = gate{clauses: []clause{c}, ok: true}
		}
	case ir.OpAnd:
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
		if len(g.clauses) > ixr.limit {
			g.clauses = g.clauses[:ixr.limit]
		}
	case ir.OpOr:
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
		for j := range min(width, ixr.limit) {
			var c clause
			for _, kg := range kids {
				kc := kg.clauses[min(j, len(kg.clauses)-1)]
				c.keys = append(c.keys[:len(c.keys):len(c.keys)], kc.keys...)
				c.cost += kc.cost
			}
			g.clauses = append(g.clauses, c)
		}
		sort.SliceStable(g.clauses, func(i, j int) bool { return g.clauses[i].cost < g.clauses[j].cost })
	case ir.OpNot:
		g = ixr.notGate(n.Kids[0])
	}
	ixr.memo.mu.Lock()
	ixr.memo.m[n] = g
	ixr.memo.mu.Unlock()
	return g
}

// notGate returns the gate of the negation of n, by De Morgan's laws
// (plans evaluate in two-valued logic, internal/plan's Node.Eval):
// ¬¬x is x, ¬(x ∨ y) is ¬x ∧ ¬y, ¬(x ∧ y) is ¬x ∨ ¬y and ¬true is
// false; a negated test has no gate. Sigma's filters spell a field's
// presence so ("not 1 of filter_*" with a filter "Image: null"), and a
// rule whose only positive test is there has no other gate.
func (ixr *indexer) notGate(n *plan.Node) gate {
	switch n.Op {
	case ir.OpNot:
		return ixr.gate(n.Kids[0])
	case ir.OpTrue:
		return ixr.gate(&plan.Node{Op: ir.OpFalse})
	case ir.OpAnd, ir.OpOr:
		op := ir.OpAnd
		if n.Op == ir.OpAnd {
			op = ir.OpOr
		}
		neg := &plan.Node{Op: op, Kids: make([]*plan.Node, len(n.Kids))}
		for i, k := range n.Kids {
			neg.Kids[i] = &plan.Node{Op: ir.OpNot, Kids: []*plan.Node{k}}
		}
		return ixr.gate(neg)
	}
	return gate{}
}

// cost estimates how often key k fires: a text of n bytes is about half
// as common as one of n-1 (up to 12 bytes), and a key many rules hold is
// common and costly to fire.
func (ixr *indexer) cost(id int32) float64 {
	k := ixr.keys[id]
	n := min(len(k.text), 12)
	switch k.kind {
	case keyExact, keyNumber:
		n += 2
	case keyPrefix, keySuffix:
		n++
	case keyPresent:
		n = 0 // as common as a value of the field
	}
	return math.Sqrt(float64(1+ixr.uses[id])) / float64(uint(1)<<n)
}

// testKeys is what a test gives the index: the field key of its keys
// ("" when it has none), and whether it has a gate, of one clause with a
// key per comparison.
type testKeys struct {
	field string
	ok    bool
	keys  []ixKey
	cut   bool // a key is a part of its text: a long text's end or start
}

// gateKeys returns the keys of a test: one per comparison, if every
// comparison is a string matcher that needs a text or a number, else the
// field's presence.
func gateKeys(t *plan.Test) testKeys {
	if t.Left != nil || (len(t.Paths) == 0 && !t.Any) {
		return testKeys{}
	}
	// Every test on a field is false where the field has no value (plan's
	// Test.eval and Test.passing: a presence test, a field compared with
	// a computed operand as Sigma's fieldref, a regular expression, a
	// bound): its presence is the key of a test that has no better one.
	// A keyword test reads every value and has none.
	presence := func() testKeys {
		field := fieldKey(t)
		if t.Any {
			return testKeys{field: field}
		}
		return testKeys{field: field, ok: true, keys: []ixKey{{field: field, kind: keyPresent}}}
	}
	if t.Exists || t.Right != nil || len(t.Strings)+len(t.Numbers) == 0 || len(t.Bools) > 0 || len(t.Bounds) > 0 {
		return presence()
	}
	tk := testKeys{field: fieldKey(t)}
	for _, m := range t.Strings {
		nd, ok := m.(matcher.Needer)
		if !ok {
			return presence()
		}
		needs := nd.Needs()
		if len(needs) == 0 {
			return presence()
		}
		for _, nd := range needs {
			k := ixKey{field: tk.field, text: matcher.Fold(nd.Text), kind: keyKind(nd.Kind)}
			whole := k.text
			switch {
			case k.kind == keySuffix && len(k.text) > maxAnchoredLen:
				k.text = tail(k.text, maxAnchoredLen)
			case k.kind == keyPrefix && len(k.text) > maxAnchoredLen:
				k.text = truncate(k.text, maxAnchoredLen)
			case k.kind == keyContains && len(k.text) > maxKeyLen:
				// The end of a long text, where paths differ: the start
				// of ":\windows\system32\tasks\" fires on every
				// System32 image (3,710 candidates of one SigmaHQ rule in
				// the corpus's 18,270 records, none true), its end on none.
				k.text = tail(k.text, maxKeyLen)
			}
			tk.cut = tk.cut || k.text != whole
			tk.keys = append(tk.keys, k)
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
		tk.keys = append(tk.keys, ixKey{field: tk.field, text: n.String(), kind: keyNumber, num: f})
	}
	tk.ok = true
	return tk
}

// fieldKey returns the field key of t's keys: its paths, or anyKey.
func fieldKey(t *plan.Test) string {
	if t.Any {
		return anyKey // keywords: every value of the event
	}
	return pathsKey(t.Paths)
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
