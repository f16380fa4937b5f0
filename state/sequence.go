package state

import (
	"slices"

	seq "github.com/ruleforge/ruleforge/internal/sequence"
	"github.com/ruleforge/ruleforge/ir"
)

// sequenceMachine runs an EQL sequence or sample, its seq.Spec, as a
// Machine: per join key, at most one pending sequence per stage (the most
// recent wins), the sequences that wait for a trailing missing event's
// window to pass, the times of leading missing events, and a sample's
// events.
type sequenceMachine struct {
	sp   *seq.Spec
	l    layout
	s    *Store[keyState]
	keys []Key  // scratch: the keys of the hits of one event
	kb   keyBuf // scratch: the keys of one hit
}

// keyState is the state of one join key.
type keyState struct {
	pend   []*partial // per stage: the pending sequence whose last event is that stage's
	trail  []*partial // complete but for a trailing missing event
	lead   leadTimes  // leading missing events
	sample [][]int64  // a sample's candidate events per stage
}

// partial is a sequence in progress.
type partial struct {
	start, last int64   // the times of its first and last events
	ords        []int64 // per stage, the event's ordinal (0: none)
	middle      int64   // the first middle missing event after last, NoTime when none
	lead        int64   // the newest leading missing event before start, NoTime when none
	discarded   bool    // a middle missing event came between two of its events
	deadline    int64   // waiting for the trailing window: when it closes
}

// leadTimes are the newest time of a leading missing event for a key and
// the newest before it, so that the newest strictly before any time at
// or after them is known.
type leadTimes struct {
	last, prev int64 // NoTime when none
}

// before returns the newest leading missing event time strictly before t.
func (lt leadTimes) before(t int64) int64 {
	switch {
	case lt.last != NoTime && lt.last < t:
		return lt.last
	case lt.prev != NoTime && lt.prev < t:
		return lt.prev
	}
	return NoTime
}

// add records a leading missing event at t.
func (lt *leadTimes) add(t int64) {
	if lt.last == NoTime || t > lt.last {
		lt.prev, lt.last = lt.last, t
	}
}

// Sequence is what an EQL sequence's or sample's ir.Rule.State
// implements (package eql): the query as the sequence machine of this
// package runs it. The front end describes the query; the runtime runs
// it, so package eql does not import this package, nor the compiled
// rules and the matchers that it imports. Spec's type is internal, so
// only this module implements Sequence; a stateful rule of one's own
// implements Rule, with a Machine of its own.
type Sequence interface {
	ir.Stateful
	// Spec returns the stages, missing events, optional keys and maxspan.
	// It and what it holds must not change.
	Spec() *seq.Spec
}

// newMachine returns an empty machine for the stateful rule st, which is
// a Rule or a Sequence, or nil when it is neither.
func newMachine(st ir.Stateful, lim Limits, budget *Budget) Machine {
	switch r := st.(type) {
	case Rule:
		return r.NewMachine(lim, budget)
	case Sequence:
		return newSequenceMachine(r.Spec(), lim, budget)
	}
	return nil
}

// runnable reports whether newMachine makes a machine for st.
func runnable(st ir.Stateful) bool {
	switch st.(type) {
	case Rule, Sequence:
		return true
	}
	return false
}

// newSequenceMachine returns an empty machine for sp.
func newSequenceMachine(sp *seq.Spec, lim Limits, budget *Budget) *sequenceMachine {
	return &sequenceMachine{sp: sp, l: newLayout(sp), s: NewStore[keyState](lim, budget)}
}

// Step feeds one event's stage hits.
func (m *sequenceMachine) Step(ev Event, hits []Hit, emit func(*Alert)) {
	if m.sp.Sample {
		m.sample(ev, hits, emit)
		return
	}
	n := len(m.sp.Stages)
	// Missing events first (their windows are strict, so the order within
	// one event does not matter), then the positive stages from the last,
	// so that one event never fills two consecutive stages, then until.
	for _, h := range hits {
		if h.Stage < n && m.sp.Stages[h.Stage].Missing {
			m.forKeys(h, func(kb []byte) { m.missing(ev, h.Stage, kb, emit) })
		}
	}
	for i := len(hits) - 1; i >= 0; i-- {
		if h := hits[i]; h.Stage < n && !m.sp.Stages[h.Stage].Missing {
			m.forKeys(h, func(kb []byte) { m.positive(ev, h.Stage, kb, emit) })
		}
	}
	for _, h := range hits {
		if h.Stage == n {
			m.forKeys(h, func(kb []byte) { m.until(kb) })
		}
	}
}

// forKeys calls fn with the bytes of each join key of h (AppendKey),
// valid during the call.
func (m *sequenceMachine) forKeys(h Hit, fn func(kb []byte)) {
	st := m.sp.Until
	if h.Stage < len(m.sp.Stages) {
		st = &m.sp.Stages[h.Stage]
	}
	m.s.Count(int64(m.kb.keys(st, h.Keys)), 0)
	m.kb.each(fn)
}

// find returns the key of bytes kb and its state, or nil when it has
// none; no Key is made.
func (m *sequenceMachine) find(kb []byte) (Key, *keyState) { return m.s.Lookup(kb) }

// touch returns the key of bytes kb and its state, made when it has none,
// marked most recently updated.
func (m *sequenceMachine) touch(kb []byte) (Key, *keyState) {
	k, ks := m.s.Lookup(kb)
	if ks != nil {
		m.s.Put(k)
		return k, ks
	}
	k = Key(kb)
	ks = m.s.Put(k)
	ks.pend = make([]*partial, len(m.sp.Stages))
	ks.lead = leadTimes{last: NoTime, prev: NoTime}
	return k, ks
}

// missing handles a hit on missing-event stage i.
func (m *sequenceMachine) missing(ev Event, i int, kb []byte, emit func(*Alert)) {
	switch {
	case m.l.middle[i]:
		// Elasticsearch discards a sequence with a missing stage's event
		// strictly between the events of the positive stages around it
		// (TumblingWindow.prepareQueryForMissingEvents: gt, lt).
		_, ks := m.find(kb)
		if ks == nil {
			return
		}
		if p := ks.pend[m.l.prevPos[i]]; p != nil && ev.Time > p.last && p.middle == NoTime {
			p.middle = ev.Time
		}
	case m.l.nextPos[i] < 0: // trailing
		k, ks := m.find(kb)
		if ks == nil {
			return
		}
		kept := ks.trail[:0]
		for _, p := range ks.trail {
			if ev.Time <= p.last {
				kept = append(kept, p)
				continue
			}
			// The first trailing event: the sequence completes only if it
			// lies beyond the window (doCheckMissingEvents).
			if ev.Time > p.deadline {
				m.complete(ev, k, p, emit)
			}
		}
		ks.trail = kept
		m.settle(k, ks)
	default: // leading
		k, ks := m.touch(kb)
		ks.lead.add(ev.Time)
		m.settle(k, ks)
	}
}

// positive handles a hit on positive stage i.
func (m *sequenceMachine) positive(ev Event, i int, kb []byte, emit func(*Alert)) {
	var p *partial
	if i == m.l.firstPos {
		k, ks := m.touch(kb)
		p = &partial{start: ev.Time, last: ev.Time, ords: make([]int64, len(m.sp.Stages)), middle: NoTime, lead: ks.lead.before(ev.Time)}
		p.ords[i] = ev.Ordinal
		if i == m.l.lastPos {
			m.tryComplete(ev, k, ks, p, emit)
		} else {
			park(ks, i, p)
		}
		m.settle(k, ks)
		return
	}
	k, ks := m.find(kb)
	if ks == nil {
		return
	}
	prev := m.l.prevPos[i]
	if p = ks.pend[prev]; p == nil || ev.Time < p.last {
		// None, or only one after ev in event time: an event out of order
		// extends no sequence that ends after it, since the next stage
		// takes a sequence strictly before it (OrdinalGroup.trimBefore).
		return
	}
	ks.pend[prev] = nil // taken, matched or not (SequenceMatcher.match)
	m.s.Put(k)
	if m.sp.MaxSpan > 0 && ev.Time-p.start > m.sp.MaxSpan {
		m.settle(k, ks)
		return
	}
	if p.middle != NoTime && p.middle < ev.Time {
		p.discarded = true
	}
	p.middle = NoTime
	p.ords[i], p.last = ev.Ordinal, ev.Time
	if i == m.l.lastPos {
		m.tryComplete(ev, k, ks, p, emit)
	} else {
		park(ks, i, p)
	}
	m.settle(k, ks)
}

// park makes p the pending sequence of stage i, unless the one there ends
// later in event time. The next stage takes the newest sequence before
// its event (OrdinalGroup.trimBefore), which for an event after both is
// the one that ends later: the most recent wins in event time, and the
// two differ from input order only when an event came out of order.
func park(ks *keyState, i int, p *partial) {
	if q := ks.pend[i]; q == nil || q.last <= p.last {
		ks.pend[i] = p
	}
}

// tryComplete reports p, whose positive stages are all matched, now or
// once its trailing window has passed, unless missing events rule it out
// (TumblingWindow.doCheckMissingEvents).
func (m *sequenceMachine) tryComplete(ev Event, k Key, ks *keyState, p *partial, emit func(*Alert)) {
	if p.discarded {
		return
	}
	span := m.sp.MaxSpan
	if !m.l.trailing {
		if m.l.leading && p.lead != NoTime && p.last-p.lead <= span {
			return
		}
		m.complete(ev, k, p, emit)
		return
	}
	from := p.start
	if m.l.leading {
		if p.lead == NoTime {
			m.complete(ev, k, p, emit)
			return
		}
		from = p.lead
	}
	p.deadline = from + span
	if p.deadline < p.last {
		m.complete(ev, k, p, emit)
		return
	}
	if len(ks.trail) >= m.s.Limits().MaxPending {
		ks.trail = append(ks.trail[:0], ks.trail[1:]...)
		m.s.Count(1, 0)
	}
	ks.trail = append(ks.trail, p)
}

// complete reports p, completed by ev.
func (m *sequenceMachine) complete(ev Event, k Key, p *partial, emit func(*Alert)) {
	m.s.Count(0, 1)
	emit(&Alert{Event: ev.Ordinal, Time: ev.Time, Keys: k.Values(), Fields: alertFields(p.ords, k)})
}

// until drops k's pending sequences (KeyToSequences.until).
func (m *sequenceMachine) until(kb []byte) {
	k, ks := m.find(kb)
	if ks == nil {
		return
	}
	clear(ks.pend)
	m.settle(k, ks)
}

// sample adds the event to k's sample candidates: for each stage it
// hits, the stage's first events, as many as there are stages (enough to
// find a sample whenever one exists: a stage with that many can take its
// event last). When every stage can have an event of its own, the sample
// is reported, each stage with its earliest event that leaves one for the
// stages after it, and the key starts anew.
func (m *sequenceMachine) sample(ev Event, hits []Hit, emit func(*Alert)) {
	n := len(m.sp.Stages)
	m.keys = m.keys[:0]
	for _, h := range hits {
		m.forKeys(h, func(kb []byte) {
			k, ks := m.touch(kb)
			if ks.sample == nil {
				ks.sample = make([][]int64, n)
			}
			if !slices.Contains(m.keys, k) {
				m.keys = append(m.keys, k)
			}
			if c := ks.sample[h.Stage]; len(c) < n && (len(c) == 0 || c[len(c)-1] != ev.Ordinal) {
				ks.sample[h.Stage] = append(c, ev.Ordinal)
			}
		})
	}
	for _, k := range m.keys {
		ks := m.s.Get(k)
		if ks == nil {
			continue // evicted by a later key of this event
		}
		if ords := assign(ks.sample); ords != nil {
			m.complete(ev, k, &partial{ords: ords}, emit)
			m.s.Delete(k)
			continue
		}
		m.settle(k, ks)
	}
}

// assign returns one distinct event per stage from cands, stage by stage
// the earliest that leaves the later stages theirs, or nil when there is
// none.
func assign(cands [][]int64) []int64 {
	ords := make([]int64, len(cands))
	var try func(i int) bool
	try = func(i int) bool {
		if i == len(cands) {
			return true
		}
		for _, o := range cands[i] {
			if !slices.Contains(ords[:i], o) {
				ords[i] = o
				if try(i + 1) {
					return true
				}
			}
		}
		return false
	}
	if !try(0) {
		return nil
	}
	return ords
}

// settle sizes k's state and sets its deadline, or drops it when empty.
func (m *sequenceMachine) settle(k Key, ks *keyState) {
	d, live := m.deadline(ks)
	if !live {
		m.s.Delete(k)
		return
	}
	m.s.Resize(k, m.size(ks))
	m.s.SetDeadline(k, d)
}

// deadline returns when k's state next changes by time alone, and
// whether it holds anything.
func (m *sequenceMachine) deadline(ks *keyState) (int64, bool) {
	d, live := int64(Never), ks.sample != nil
	span := m.sp.MaxSpan
	for _, p := range ks.pend {
		if p != nil {
			live = true
			if span > 0 {
				d = min(d, p.start+span)
			}
		}
	}
	for _, p := range ks.trail {
		live = true
		d = min(d, p.deadline)
	}
	if ks.lead.last != NoTime {
		live = true
		d = min(d, ks.lead.last+span)
	}
	return d, live
}

// size estimates the bytes of k's
func (m *sequenceMachine) size(ks *keyState) int {
	n := 8 * (len(ks.pend) + len(ks.trail) + 4)
	for _, c := range ks.sample {
		n += 24 + 8*len(c)
	}
	per := 64 + 8*len(m.sp.Stages)
	for _, p := range ks.pend {
		if p != nil {
			n += per
		}
	}
	return n + per*len(ks.trail)
}

// Advance expires state and reports the sequences whose trailing window
// passed at ev.
func (m *sequenceMachine) Advance(ev Event, emit func(*Alert)) {
	span := m.sp.MaxSpan
	m.s.Expire(ev.Time, func(k Key, ks *keyState) (int64, bool) {
		for i, p := range ks.pend {
			if p != nil && span > 0 && p.start+span < ev.Time {
				ks.pend[i] = nil
			}
		}
		kept := ks.trail[:0]
		for _, p := range ks.trail {
			if p.deadline < ev.Time {
				m.complete(ev, k, p, emit)
			} else {
				kept = append(kept, p)
			}
		}
		ks.trail = kept
		if ks.lead.last != NoTime && ks.lead.last+span < ev.Time {
			ks.lead = leadTimes{last: NoTime, prev: NoTime}
		}
		d, live := m.deadline(ks)
		if live {
			m.s.Resize(k, m.size(ks))
		}
		return d, live
	})
}

// Deadline returns the earliest time at which state changes by time.
func (m *sequenceMachine) Deadline() int64 { return m.s.Deadline() }

// Stats returns the machine's counts.
func (m *sequenceMachine) Stats() Stats { return m.s.Stats() }
