package match

import (
	"math/bits"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// keyState is what a scratch holds of a key: the event (epoch) it last
// fired in, and where its clauses start in the index's fires
// (index.fireAt's, copied here so that Fire finds both in one cache
// line).
type keyState struct {
	epoch uint32
	at    uint32
}

// ruleState is which of a rule's clauses held (a bit each, keyClause.bit)
// in an event (epoch), for the rules with more than one.
type ruleState struct {
	epoch uint32
	held  uint8
}

// scratch is the per-Match working memory: the memo of shared nodes, the
// candidate bitset, what fired for this event, and buffers.
type scratch struct {
	memo *plan.Memo
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
	epoch      uint32      // this event's number; the arrays below hold older ones
	keys       []keyState  // per key, and one past the last for its end in fires
	rules      []ruleState // per rule: its clauses that held
	wanted     []uint32    // per probe: the epoch a rule whose first clause held wanted it in (index.later); a late check reads it too
	buf        []byte
	num        []byte
	last       []lastString    // per probe: the string last probed
	marks      []matcher.Marks // per probe: its automaton's reported states (epochs of nextMark)
	mark       uint32          // the last epoch nextMark gave
	eventMark  uint32          // the marks' epoch of this event
	cache      *probeCache
}

// newScratch returns working memory for a ruleset with slots memo slots
// and index ix (nil: unindexed), with a record of slot table st for Match.
func newScratch(slots int, ix *index, st *slotTable) *scratch {
	x := &scratch{memo: plan.NewMemo(slots), ix: ix}
	if ix != nil {
		x.rec = newRecord(st)
		x.cand = make([]uint64, len(ix.always))
		x.keys = make([]keyState, len(ix.fireAt))
		for id, at := range ix.fireAt {
			x.keys[id].at = uint32(at)
		}
		x.rules = make([]ruleState, ix.rules)
		x.wanted = make([]uint32, ix.nprobes)
		x.buf = make([]byte, 0, 256)
		x.num = make([]byte, 0, 32)
		x.last = make([]lastString, ix.nprobes)
		x.marks = make([]matcher.Marks, ix.nprobes)
		x.cache = newProbeCache(x)
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
		for i := range x.keys {
			x.keys[i].epoch = 0
		}
		clear(x.rules)
		clear(x.wanted)
		clear(x.last)
		x.epoch = 1
	}
	x.eventMark = x.nextMark()
	x.pending, x.pendingAny = 0, 0
	copy(x.cand, x.ix.always)
}

// Fire records that key id fired: its clauses hold, and a rule whose
// clauses all hold becomes a candidate.
func (x *scratch) Fire(id int32) {
	k := &x.keys[id]
	if k.epoch == x.epoch {
		return
	}
	k.epoch = x.epoch
	for _, o := range x.ix.fires[k.at:x.keys[id+1].at] {
		r := o.rule
		if o.need == 1 { // the rule's only clause: a candidate, however often
			x.cand[r>>6] |= 1 << (r & 63)
			continue
		}
		n := &x.rules[r]
		if n.epoch != x.epoch {
			n.epoch, n.held = x.epoch, 0
		}
		if n.held&o.bit != 0 {
			continue
		}
		n.held |= o.bit
		if o.first {
			x.pending++
			if o.anyLater {
				x.pendingAny++
			}
			for _, p := range x.ix.later[x.ix.laterAt[r]:x.ix.laterAt[r+1]] {
				x.wanted[p] = x.epoch
			}
		}
		if bits.OnesCount8(n.held) == int(o.need) {
			x.cand[r>>6] |= 1 << (r & 63)
		}
	}
}

// nextMark returns a new epoch for the probes' automaton marks: one per
// event, for the strings too long to cache, and one per scan of a string
// to cache. When the count wraps around, every mark is forgotten.
func (x *scratch) nextMark() uint32 {
	x.mark++
	if x.mark == 0 {
		for i := range x.marks {
			x.marks[i].Reset()
		}
		// The event's mark, taken before the wrap, would mark states
		// with an epoch the new count hands out again: it is renewed.
		x.eventMark, x.mark = 1, 2
	}
	return x.mark
}
