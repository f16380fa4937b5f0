package state

import (
	"container/heap"
	"fmt"
	"slices"

	"github.com/ruleforge/ruleforge/ir"
)

// Engine runs a Program's stateful rules over a stream of Inputs in
// input order, on one goroutine: one Machine per rule, the Clock, and
// the memory Budget they share. Several Engines of one Program are
// independent (one per partition of a keyed stream).
type Engine struct {
	p        *Program
	machines []Machine
	clock    Clock
	budget   Budget
	due      dueHeap        // the machines by Deadline
	hits     [][]Hit        // per rule: the hits of the event in Step
	touched  []int          // the rules with hits in Step
	emits    []func(*Alert) // per rule: its machine's emit (emitter)
	emit     func(*Alert)   // Step's emit
}

// NewEngine returns an Engine with no state.
func (p *Program) NewEngine() *Engine {
	e := &Engine{p: p, clock: NewClock(), budget: Budget{Max: p.lim.MaxBytes}, hits: make([][]Hit, len(p.stateful))}
	e.machines = make([]Machine, len(p.stateful))
	for i, r := range p.stateful {
		e.machines[i] = newMachine(r.State, p.lim, &e.budget)
	}
	e.emits = make([]func(*Alert), len(e.machines))
	for i := range e.emits {
		e.emits[i] = e.emitter(i)
	}
	e.due = dueHeap{deadline: make([]int64, len(e.machines)), pos: make([]int, len(e.machines))}
	for i := range e.machines {
		e.due.deadline[i] = Never
		e.due.pos[i] = len(e.due.order)
		e.due.order = append(e.due.order, i)
	}
	return e
}

// Step feeds the event at ordinal with its Input (Program.Split) to the
// machines, in input order, and calls emit for each alert of a rule whose
// alerts are output (Program.AlertVisible; the others only feed the rules
// chained to them), valid during the call only. An event whose time is older than the
// newest seen is counted and used with its own time; one without a time
// is counted and takes the newest time (Clock.Observe). Time passing
// first lets the machines whose deadline it passed Advance.
func (e *Engine) Step(ordinal int64, in *Input, emit func(*Alert)) {
	e.emit = emit
	t := e.clock.Observe(in.Time)
	if t == NoTime {
		t = 0
	}
	ev := Event{Ordinal: ordinal, Time: t}
	if now := e.clock.Now; now != NoTime {
		ev.Now = now
		for len(e.due.order) > 0 && e.due.deadline[e.due.order[0]] < now {
			i := e.due.order[0]
			e.machines[i].Advance(Event{Ordinal: ordinal, Time: now, Now: now}, e.emits[i])
			e.update(i)
		}
	}
	for _, h := range in.hits {
		r := int(h.rule)
		if len(e.hits[r]) == 0 {
			e.touched = append(e.touched, r)
		}
		e.hits[r] = append(e.hits[r], Hit{Stage: int(h.stage), Keys: in.vals[h.lo:h.hi]})
	}
	if len(e.touched) > 0 {
		e.run(ev)
	}
}

// run steps the machines with hits in e.hits, rules fed by others' alerts
// after those.
func (e *Engine) run(ev Event) {
	for len(e.touched) > 0 {
		// Take the touched rule that comes first in chain order.
		best := 0
		for k, r := range e.touched {
			if e.rank(r) < e.rank(e.touched[best]) {
				best = k
			}
		}
		r := e.touched[best]
		e.touched = slices.Delete(e.touched, best, best+1)
		hits := e.hits[r]
		slices.SortStableFunc(hits, func(a, b Hit) int { return a.Stage - b.Stage })
		e.machines[r].Step(ev, hits, e.emits[r])
		clear(hits)
		e.hits[r] = hits[:0]
		e.update(r)
	}
}

// rank returns the place of stateful rule r in chain order.
func (e *Engine) rank(r int) int { return e.p.rank[r] }

// emitter returns the emit function of machine r: it sets the alert's
// rule, passes it to Step's emit when r's alerts are output, and feeds
// the stages its alerts feed.
func (e *Engine) emitter(r int) func(*Alert) {
	visible := e.p.AlertVisible(r)
	return func(a *Alert) {
		a.Rule = r
		if visible {
			e.emit(a)
		}
		for _, st := range e.p.chained[r] {
			if len(e.hits[st.rule]) == 0 {
				e.touched = append(e.touched, st.rule)
			}
			e.hits[st.rule] = append(e.hits[st.rule], Hit{Stage: st.stage, Keys: slices.Clone(a.Keys)})
		}
	}
}

// update puts machine i in its place by its new deadline.
func (e *Engine) update(i int) {
	e.due.deadline[i] = e.machines[i].Deadline()
	heap.Fix(&e.due, e.due.pos[i])
}

// EngineStats are an Engine's counts: its clock and each rule's Stats.
type EngineStats struct {
	Clock Clock
	Rules []Stats // per stateful rule, as Program.Rule numbers them
	Total Stats   // the sum of Rules
}

// Stats returns the engine's counts.
func (e *Engine) Stats() EngineStats {
	st := EngineStats{Clock: e.clock, Rules: make([]Stats, len(e.machines))}
	for i, m := range e.machines {
		st.Rules[i] = m.Stats()
		st.Total = st.Total.Add(st.Rules[i])
	}
	return st
}

// snapshotMagic starts every snapshot; SnapshotVersion follows it.
const snapshotMagic = "ruleforge-state\n"

// SnapshotVersion is the version of the snapshot format Snapshot writes.
// Restore reads this version only: a snapshot of another is an error
// (state is then rebuilt from the events that follow).
const SnapshotVersion = 1

// Snapshot returns the engine's state, versioned: the clock, then for
// each rule its ID, its kind and its machine's state for the keys keep
// accepts (all with a nil keep; split by key with Partition). Restore
// reads it back.
func (e *Engine) Snapshot(keep func(Key) bool) []byte {
	var enc Encoder
	enc.buf = append(enc.buf, snapshotMagic...)
	enc.Uint(SnapshotVersion)
	enc.Int(e.clock.Now)
	enc.Int(e.clock.OutOfOrder)
	enc.Int(e.clock.Untimed)
	enc.Uint(uint64(len(e.machines)))
	for i, m := range e.machines {
		r := e.p.stateful[i]
		enc.String(snapshotID(r))
		enc.String(r.State.Kind())
		var part Encoder
		m.Encode(&part, keep)
		enc.String(string(part.Bytes()))
	}
	return enc.Bytes()
}

// Restore adds the state in b, written by Snapshot, to the engine's: the
// clock moves to the newer of the two, and each rule's state is given to
// the machine of the rule with the same ID and kind (restoring the
// snapshots of several partitions merges them). It returns the IDs of the
// snapshot's rules that the program lacks, whose state is dropped; an
// error for a snapshot that is corrupt or of another version, which
// leaves the engine as it was: a truncated partition snapshot must not
// spoil the partitions already merged. For that the snapshot is first
// decoded into an empty engine, so a Restore costs two decodings.
func (e *Engine) Restore(b []byte) (dropped []string, err error) {
	if _, err := e.p.NewEngine().restore(b); err != nil {
		return nil, err
	}
	return e.restore(b)
}

// restore adds the state in b to the engine's, as Restore does, and
// leaves it partly added when b is bad.
func (e *Engine) restore(b []byte) (dropped []string, err error) {
	if len(b) < len(snapshotMagic) || string(b[:len(snapshotMagic)]) != snapshotMagic {
		return nil, fmt.Errorf("%w: not a ruleforge state snapshot", ErrCorrupt)
	}
	d := NewDecoder(b[len(snapshotMagic):])
	if v := d.Uint(); d.Err() == nil && v != SnapshotVersion {
		return nil, fmt.Errorf("state snapshot version %d, want %d", v, SnapshotVersion)
	}
	now, ooo, untimed := d.Int(), d.Int(), d.Int()
	n := d.Len()
	if d.Err() != nil {
		return nil, d.Err()
	}
	if now > e.clock.Now {
		e.clock.Now = now
	}
	e.clock.OutOfOrder += ooo
	e.clock.Untimed += untimed
	for range n {
		id, kind, part := d.String(), d.String(), d.String()
		if d.Err() != nil {
			return dropped, d.Err()
		}
		i := -1
		for j, r := range e.p.stateful {
			if snapshotID(r) == id && r.State.Kind() == kind {
				i = j
				break
			}
		}
		if i < 0 {
			dropped = append(dropped, id)
			continue
		}
		if err := e.machines[i].Decode(NewDecoder([]byte(part))); err != nil {
			return dropped, fmt.Errorf("rule %q: %w", id, err)
		}
		e.update(i)
	}
	return dropped, d.Done()
}

// snapshotID names a rule in snapshots: its ID and its title, since a
// Sigma correlation's id is optional (several without one would share
// their state otherwise).
func snapshotID(r *ir.Rule) string {
	if r.Title == "" || r.Title == r.ID {
		return r.ID
	}
	return r.ID + "\x00" + r.Title
}

// dueHeap orders machines by deadline (container/heap).
type dueHeap struct {
	order    []int   // machine indices, a heap by deadline
	deadline []int64 // per machine
	pos      []int   // per machine: its index in order
}

// Len is the number of machines.
func (h *dueHeap) Len() int { return len(h.order) }

// Less orders by deadline.
func (h *dueHeap) Less(i, j int) bool { return h.deadline[h.order[i]] < h.deadline[h.order[j]] }

// Swap swaps two machines.
func (h *dueHeap) Swap(i, j int) {
	h.order[i], h.order[j] = h.order[j], h.order[i]
	h.pos[h.order[i]], h.pos[h.order[j]] = i, j
}

// Push is never called: the heap holds every machine from the start.
func (h *dueHeap) Push(any) {}

// Pop is never called.
func (h *dueHeap) Pop() any { return nil }
