package state

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	seq "github.com/ruleforge/ruleforge/internal/sequence"
)

// event is one test event: its time, join key ("" when missing) and the
// stages it hits (len(Stages) for until).
type event struct {
	time   int64
	key    string
	stages []int
}

// refSeq is a sequence in the reference: the ordinals and times per
// stage.
type refSeq struct {
	ords, times []int64
	last        int64 // ordinal of its last event
}

// reference runs sp over evs the way Elasticsearch's batch execution
// does, literally, with the whole stream known: per key and stage a list
// of sequences in ordinal order, from which a hit takes the newest before
// it and drops the rest (OrdinalGroup.trimBefore), maxspan and until
// checked as SequenceMatcher.match does, and the missing events checked
// afterwards by searching the stream (TumblingWindow
// prepareQueryForMissingEvents, doCheckMissingEvents). A sequence whose
// trailing window is still open when the stream ends is not reported; one
// is reported at the first event past its window. It returns one line per
// result: "event: ordinals".
func reference(sp *seq.Spec, evs []event) []string {
	l := newLayout(sp)
	n := len(sp.Stages)
	groups := map[string][][]*refSeq{}
	untils := map[string][]int64{}
	var done []*refSeq
	var out []string
	for o, ev := range evs {
		ord := int64(o + 1)
		if ev.key == "" {
			continue
		}
		g := groups[ev.key]
		if g == nil {
			g = make([][]*refSeq, n)
			groups[ev.key] = g
		}
		for s := n - 1; s >= 0; s-- {
			if sp.Stages[s].Missing || !slices.Contains(ev.stages, s) {
				continue
			}
			if s == l.firstPos {
				q := &refSeq{ords: make([]int64, n), times: make([]int64, n), last: ord}
				q.ords[s], q.times[s] = ord, ev.time
				if s == l.lastPos {
					done = append(done, q)
				} else {
					g[s] = append(g[s], q)
				}
				continue
			}
			prev := l.prevPos[s]
			k := -1
			for i, q := range g[prev] {
				if q.last < ord {
					k = i
				}
			}
			if k < 0 {
				continue
			}
			q := g[prev][k]
			g[prev] = g[prev][k+1:]
			if sp.MaxSpan > 0 && ev.time-q.times[l.firstPos] > sp.MaxSpan {
				continue
			}
			if u := untils[ev.key]; len(u) > 0 && u[len(u)-1] >= q.last {
				continue
			}
			q.ords[s], q.times[s], q.last = ord, ev.time, ord
			if s == l.lastPos {
				done = append(done, q)
			} else {
				g[s] = append(g[s], q)
			}
		}
		if slices.Contains(ev.stages, n) && sp.Until != nil {
			untils[ev.key] = append(untils[ev.key], ord)
			for s := range g {
				g[s] = slices.DeleteFunc(g[s], func(q *refSeq) bool { return q.last <= ord })
			}
		}
	}
	for _, q := range done {
		if at := refMissing(sp, l, evs, q); at > 0 {
			out = append(out, fmt.Sprintf("%d: %v", at, q.ords))
		}
	}
	slices.Sort(out)
	return out
}

// refMissing checks q's missing events against the whole stream and
// returns the ordinal of the event at which it is reported, 0 for none.
func refMissing(sp *seq.Spec, l layout, evs []event, q *refSeq) int64 {
	key := evs[q.ords[l.firstPos]-1].key
	start, last := q.times[l.firstPos], q.times[l.lastPos]
	const none = -1 << 62
	lead, trail := int64(none), int64(none)
	for i, st := range sp.Stages {
		if !st.Missing {
			continue
		}
		for _, ev := range evs {
			if ev.key != key || !slices.Contains(ev.stages, i) {
				continue
			}
			switch {
			case l.prevPos[i] < 0:
				if ev.time < start && (lead == none || ev.time > lead) {
					lead = ev.time
				}
			case l.nextPos[i] < 0:
				if ev.time > last && (trail == none || ev.time < trail) {
					trail = ev.time
				}
			default:
				if ev.time > q.times[l.prevPos[i]] && ev.time < q.times[l.nextPos[i]] {
					return 0
				}
			}
		}
	}
	bigger := func(from, to int64) bool { return from == none || to == none || to-from > sp.MaxSpan }
	ok := trail == none && lead == none ||
		lead == none && l.leading ||
		trail == none && l.trailing ||
		l.leading && l.trailing && bigger(lead, trail) ||
		l.leading && !l.trailing && bigger(lead, last) ||
		!l.leading && l.trailing && bigger(start, trail)
	if !ok {
		return 0
	}
	if !l.trailing || l.leading && lead == none {
		return q.last
	}
	from := start
	if l.leading {
		from = lead
	}
	if from+sp.MaxSpan < last {
		return q.last
	}
	for o, ev := range evs {
		if ev.time > from+sp.MaxSpan {
			return int64(o + 1)
		}
	}
	return 0
}

// run runs the machine over evs, advancing it as Engine does, and
// returns one line per result, as reference does. Before event restart
// (1-based; 0: never) the machine's state is encoded and decoded into a
// new machine, which goes on.
func run(sp *seq.Spec, evs []event, restart int) []string {
	lim := Limits{MaxKeys: 1 << 20, MaxPending: 1 << 10, MaxBytes: 1 << 40}
	m := newSequenceMachine(sp, lim, &Budget{Max: 1 << 40})
	var out []string
	emit := func(a *Alert) {
		seq := a.Fields[0].Value.([]any)
		ords := make([]int64, len(seq))
		for i, o := range seq {
			if o != nil {
				ords[i] = o.(int64)
			}
		}
		out = append(out, fmt.Sprintf("%d: %v", a.Event, ords))
	}
	for o, ev := range evs {
		if o+1 == restart {
			var enc Encoder
			m.Encode(&enc, nil)
			m = newSequenceMachine(sp, lim, &Budget{Max: 1 << 40})
			if err := m.Decode(NewDecoder(enc.Bytes())); err != nil {
				panic(err)
			}
		}
		e := Event{Ordinal: int64(o + 1), Time: ev.time}
		for m.Deadline() < ev.time {
			m.Advance(e, emit)
		}
		key := Missing
		if ev.key != "" {
			key = String(ev.key)
		}
		var hits []Hit
		for _, s := range ev.stages {
			hits = append(hits, Hit{Stage: s, Keys: []Value{key}})
		}
		m.Step(e, hits, emit)
	}
	slices.Sort(out)
	return out
}

// randomSpec returns a random sequence of 2 to 4 stages.
func randomSpec(r *rand.Rand) *seq.Spec {
	sp := &seq.Spec{}
	n := 2 + r.IntN(3)
	positive := false
	for i := range n {
		missing := r.IntN(3) == 0 && (positive || i < n-1)
		positive = positive || !missing
		sp.Stages = append(sp.Stages, seq.Stage{Missing: missing, Optional: []bool{false}})
	}
	if !positive {
		sp.Stages[n-1].Missing = false
	}
	for _, st := range sp.Stages {
		if st.Missing || r.IntN(2) == 0 {
			sp.MaxSpan = int64(1 + r.IntN(6))
		}
	}
	if r.IntN(3) == 0 {
		sp.Until = &seq.Stage{Optional: []bool{false}}
	}
	return sp
}

// randomEvents returns n events in time order over keys a to c.
func randomEvents(r *rand.Rand, sp *seq.Spec, n int) []event {
	var evs []event
	t := int64(0)
	for range n {
		t += int64(r.IntN(3))
		ev := event{time: t, key: string(rune('a' + r.IntN(3)))}
		if r.IntN(10) == 0 {
			ev.key = ""
		}
		for s := range sp.Stages {
			if r.IntN(3) == 0 {
				ev.stages = append(ev.stages, s)
			}
		}
		if sp.Until != nil && r.IntN(8) == 0 {
			ev.stages = append(ev.stages, len(sp.Stages))
		}
		evs = append(evs, ev)
	}
	return evs
}

// TestDifferential runs the streaming machine and the batch reference on
// random sequences and streams.
func TestDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		sp := randomSpec(r)
		evs := randomEvents(r, sp, 5+r.IntN(40))
		got, want := run(sp, evs, 0), reference(sp, evs)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: spec %+v until %v\nevents %v\nmachine   %q\nreference %q", i, sp.Stages, sp.Until != nil, evs, got, want)
		}
		// A snapshot restored mid-stream changes nothing.
		if restarted := run(sp, evs, 1+r.IntN(len(evs))); !slices.Equal(restarted, got) {
			t.Fatalf("case %d: restored from a snapshot: %q, want %q", i, restarted, got)
		}
	}
}

// FuzzDifferential runs the machine and the reference on the sequence
// and stream that a seed gives.
func FuzzDifferential(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(42), uint64(7))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		r := rand.New(rand.NewPCG(a, b))
		sp := randomSpec(r)
		evs := randomEvents(r, sp, 5+r.IntN(60))
		if got, want := run(sp, evs, 1+r.IntN(len(evs))), reference(sp, evs); !slices.Equal(got, want) {
			t.Fatalf("spec %+v until %v\nevents %v\nmachine   %q\nreference %q", sp.Stages, sp.Until != nil, evs, got, want)
		}
	})
}

// sampleReference finds samples over all the events of each key since
// its last sample, with no bound on the candidates kept.
func sampleReference(sp *seq.Spec, evs []event) []string {
	n := len(sp.Stages)
	cands := map[string][][]int64{}
	var out []string
	for o, ev := range evs {
		if ev.key == "" || len(ev.stages) == 0 {
			continue
		}
		c := cands[ev.key]
		if c == nil {
			c = make([][]int64, n)
			cands[ev.key] = c
		}
		for _, s := range ev.stages {
			c[s] = append(c[s], int64(o+1))
		}
		if ords := assign(c); ords != nil {
			out = append(out, fmt.Sprintf("%d: %v", o+1, ords))
			delete(cands, ev.key)
		}
	}
	slices.Sort(out)
	return out
}

// TestSampleDifferential runs the machine's samples, which keep a few
// candidates per stage, against sampleReference on random streams.
func TestSampleDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		sp := &seq.Spec{Sample: true}
		for range 2 + r.IntN(3) {
			sp.Stages = append(sp.Stages, seq.Stage{Optional: []bool{false}})
		}
		evs := randomEvents(r, sp, 5+r.IntN(40))
		got, want := run(sp, evs, 1+r.IntN(len(evs))), sampleReference(sp, evs)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: %d stages\nevents %v\nmachine   %q\nreference %q", i, len(sp.Stages), evs, got, want)
		}
	}
}
