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
// and a check with a key probed in phase 1 (late) is read only when each
// of the phase 1 probes its keys are probed at ran in the event (phase 1
// probes only what the rules whose first clause held want, see
// index.laterProbes).

// maxChecks bounds the clauses of the gate from which a rule's checks
// come (its own clauses among them).
const maxChecks = 8

// check is one of a rule's checks: keys of which one must have fired.
type check struct {
	keys []int32
	late []int32 // the phase 1 probes at its keys' paths
}

// buildChecks computes every rule's checks, after the probes are built,
// from the gates of up to maxChecks clauses of plans; ids numbers the
// index's keys (keyIDs).
func (ix *index) buildChecks(ixr *indexer, plans []*plan.Node, st *slotTable, ids map[ixKey]int32) {
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
			per[r] = append(per[r], check{keys: keys, late: ix.phaseOneProbes(ixr, st, nil, 0, keys)})
		}
	})
	ix.checkAt = make([]int32, 0, len(plans)+1)
	for _, cs := range per {
		ix.checkAt = append(ix.checkAt, int32(len(ix.checks)))
		ix.checks = append(ix.checks, cs...)
	}
	ix.checkAt = append(ix.checkAt, int32(len(ix.checks)))
}

// keyIDs returns the index's number of each of its keys.
func (ix *index) keyIDs() map[ixKey]int32 {
	ids := make(map[ixKey]int32, len(ix.keys))
	for id, k := range ix.keys {
		ids[k] = int32(id)
	}
	return ids
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

// phaseOneProbes appends to probes the phase 1 probes at the paths of
// keys' fields that probes[start:] does not hold yet. Every path of a key
// some gate holds has a probe (buildProbes), in phase 0 or in phase 1.
func (ix *index) phaseOneProbes(ixr *indexer, st *slotTable, probes []int32, start int, keys []int32) []int32 {
	for _, id := range keys {
		for _, p := range ixr.paths[ix.keys[id].field] {
			if pr := ix.probes[1][st.slotOf(p)]; pr != nil && !slices.Contains(probes[start:], pr.id) {
				probes = append(probes, pr.id)
			}
		}
	}
	return probes
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

// passes reports whether candidate r's checks hold in x's event and no
// kill of it shows it false (kills.go).
func (ix *index) passes(x *scratch, r int) bool {
	for _, c := range ix.checks[ix.checkAt[r]:ix.checkAt[r+1]] {
		if !x.probedAll(c.late) {
			continue // a key may hold where it was not probed
		}
		if !x.firedAny(c.keys) {
			return false
		}
	}
	for i := ix.killAt[r]; i < ix.killAt[r+1]; i++ {
		if x.killed(&ix.kills[i]) {
			return false
		}
	}
	return true
}

// probedAll reports whether each of the phase 1 probes ran in x's event:
// a rule whose first clause held wanted it (which makes phase 1 run).
func (x *scratch) probedAll(probes []int32) bool {
	for _, p := range probes {
		if x.wanted[p] != x.epoch {
			return false
		}
	}
	return true
}

// firedAny reports whether one of keys fired in x's event.
func (x *scratch) firedAny(keys []int32) bool {
	for _, id := range keys {
		if x.keys[id].epoch == x.epoch {
			return true
		}
	}
	return false
}
