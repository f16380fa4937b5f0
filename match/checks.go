package match

import (
	"slices"

	"github.com/ruleforge/ruleforge/internal/par"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// A gate keeps maxClauses clauses and drops a later clause with a heavy
// key (heavyKey), since every clause a key satisfies costs each firing of
// the key. A rule's checks are more clauses of its gate, up to maxChecks,
// that are not fired but read after the probes, for the candidates only:
// a check holds when one of its keys fired in the event (scratch.fired),
// and a candidate with a check that does not hold is false without being
// evaluated. The keys of a check cost nothing while they fire, so heavy
// keys are welcome there: "Image endswith \cmd.exe", held by many rules,
// could not be the second clause of "Suspicious Copy From or To System
// Directory", evaluated for 1,605 of the corpus's 18,270 records with a
// command line holding "c:\windows\" and false in all.
//
// A check is as necessary as a gate's clause (a test that passes fires
// one of its keys, see gateKeys) provided its keys were probed in the
// event: it is made only of keys that some gate holds (the others are not
// probed), never of keyword keys (probed in phase 1 for some rules only),
// and a check with a key probed in phase 1 (late) is read only when that
// phase ran (scratch.pending > 0, see index.probe).

// maxChecks bounds the clauses of the gate from which a rule's checks
// come (its own clauses among them).
const maxChecks = 8

// check is one of a rule's checks: keys of which one must have fired.
type check struct {
	keys []int32
	late bool // a key is probed in phase 1 only
}

// buildChecks computes every rule's checks, after the probes are built,
// from the gates of up to maxChecks clauses of plans.
func (ix *index) buildChecks(ixr *indexer, plans []*plan.Node, st *slotTable) {
	ids := make(map[ixKey]int32, len(ix.keys))
	for id, k := range ix.keys {
		ids[k] = int32(id)
	}
	wide := ixr.wider(maxChecks)
	per := make([][]check, len(plans))
	par.For(len(plans), func(r int) {
		if ix.gates[r] == nil {
			return // no gate: nothing is known of the rule's keys
		}
		g := wide.gate(plans[r])
		kept := slices.Clone(ix.gates[r])
		for _, c := range g.clauses {
			keys, ok := ix.checkKeys(ixr, ids, c)
			if !ok || slices.ContainsFunc(kept, func(k []int32) bool { return subset(k, keys) }) {
				continue
			}
			kept = append(kept, keys)
			per[r] = append(per[r], check{keys: keys, late: slices.ContainsFunc(keys, func(id int32) bool { return ix.late(ixr, st, id) })})
		}
	})
	ix.checkAt = make([]int32, 0, len(plans)+1)
	for _, cs := range per {
		ix.checkAt = append(ix.checkAt, int32(len(ix.checks)))
		ix.checks = append(ix.checks, cs...)
	}
	ix.checkAt = append(ix.checkAt, int32(len(ix.checks)))
}

// checkKeys returns the index's numbers of c's keys, sorted, and whether
// c can be a check: none is a keyword key and the index probes them all.
func (ix *index) checkKeys(ixr *indexer, ids map[ixKey]int32, c clause) ([]int32, bool) {
	keys := make([]int32, 0, len(c.keys))
	for _, k := range c.keys {
		id, ok := ids[ixr.keys[k]]
		if !ok || ixr.isAny(k) {
			return nil, false
		}
		keys = append(keys, id)
	}
	slices.Sort(keys)
	return slices.Compact(keys), true
}

// late reports whether key id is probed in phase 1 at one of its field's
// paths.
func (ix *index) late(ixr *indexer, st *slotTable, id int32) bool {
	for _, p := range ixr.paths[ix.keys[id].field] {
		if s := st.slotOf(p); s < 0 || ix.probes[0][s] == nil {
			return true
		}
	}
	return false
}

// subset reports whether every key of a (any order) is in b (sorted).
func subset(a, b []int32) bool {
	for _, id := range a {
		if _, ok := slices.BinarySearch(b, id); !ok {
			return false
		}
	}
	return true
}

// passes reports whether candidate r's checks hold in x's event.
func (ix *index) passes(x *scratch, r int) bool {
	for _, c := range ix.checks[ix.checkAt[r]:ix.checkAt[r+1]] {
		if c.late && x.pending == 0 {
			continue // phase 1 was not probed
		}
		if !x.firedAny(c.keys) {
			return false
		}
	}
	return true
}

// firedAny reports whether one of keys fired in x's event.
func (x *scratch) firedAny(keys []int32) bool {
	for _, id := range keys {
		if x.fired[id] == x.epoch {
			return true
		}
	}
	return false
}
