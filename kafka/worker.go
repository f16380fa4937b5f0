package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/state"
)

// worker runs the rules over one partition's records, in offset order,
// on its own goroutine: it matches each event, steps the partition's
// engine, produces the alerts, and checkpoints and commits every
// CommitInterval. Its commit never passes an offset whose alerts, or
// those of earlier events, are not all acknowledged.
type worker struct {
	c    *Consumer
	part int32
	in   chan kgo.FetchTopicPartition
	quit chan bool     // the stop request: commit or not
	done chan struct{} // closed when run returns
	err  error         // the last checkpoint's, set before done is closed

	rd   *normalize.Reader
	eng  *state.Engine
	inp  state.Input
	hits []int
	emit func(*state.Alert) // w.emitAlert, made once

	cur  *kgo.Record   // the event being processed
	rec  *match.Record // its record, valid while it is processed
	desc []byte        // its Describe fields; nil before they are asked for

	next      int64  // the offset after the last record processed; -1 before any
	epoch     int32  // the leader epoch of that record
	committed int64  // the offset last committed; -1 before any
	slot      int    // the slot of the last checkpoint's chunks; -1 when it had none
	live      [2]int // per slot, how many chunk keys may have a live record
	hwm       atomic.Int64
	nextSeen  atomic.Int64 // next, for lag from other goroutines

	inflight sync.WaitGroup // alerts produced and not yet acknowledged
	perr     atomic.Pointer[error]
}

// newWorker returns the worker of partition part, with no state.
func newWorker(c *Consumer, part int32) *worker {
	rs := c.cfg.Program.Ruleset()
	w := &worker{c: c, part: part, in: make(chan kgo.FetchTopicPartition, queueFetches),
		quit: make(chan bool, 1), done: make(chan struct{}),
		rd: normalize.NewReaderWith(rs, c.cfg.Format, c.cfg.Paths), eng: c.cfg.Program.NewEngine(), next: -1, committed: -1, slot: -1}
	w.emit = w.emitAlert
	return w
}

// restore gives the worker the state of checkpoint cp: the snapshots of
// its chunks merge into one engine.
func (w *worker) restore(cp *restorable) error {
	var dropped []string
	for _, b := range cp.Parts {
		d, err := w.eng.Restore(b)
		if err != nil {
			w.eng = w.c.cfg.Program.NewEngine()
			return err
		}
		if dropped == nil {
			dropped = d // every chunk names the same rules
		}
	}
	if len(dropped) > 0 {
		w.c.cfg.Logf("partition %d: the state of rules %v, which are not loaded, was dropped", w.part, dropped)
	}
	w.slot, w.live = cp.Slot, cp.Live
	// Committed stays unknown: the first checkpoint commits Next, which
	// the group's offset may lag (a member died between writing the
	// state and committing).
	w.next, w.epoch = cp.Next, -1 // the leader epoch at Next is unknown
	w.nextSeen.Store(cp.Next)
	return nil
}

// run processes what the poll loop hands over until stopped, and
// checkpoints every CommitInterval.
func (w *worker) run() {
	defer close(w.done)
	tick := time.NewTicker(w.c.cfg.CommitInterval)
	defer tick.Stop()
	for {
		select {
		case f := <-w.in:
			w.process(f)
		case <-tick.C:
			if err := w.checkpoint(); err != nil {
				w.c.fail(err) // the run stops; this partition commits no more
				return
			}
		case commit := <-w.quit:
			if !commit {
				return // lost: another member redoes the work from our last commit
			}
			for len(w.in) > 0 { // nothing is sent any more: the poll loop waits for this stop
				w.process(<-w.in)
			}
			if w.err = w.checkpoint(); w.err != nil {
				w.c.fail(w.err)
			}
			return
		}
	}
}

// stop asks the worker to stop, waits for it and returns the error of
// its last checkpoint.
func (w *worker) stop(commit bool) error {
	select {
	case w.quit <- commit:
	default:
	}
	<-w.done
	return w.err
}

// process runs the rules over one fetch of the partition's records.
func (w *worker) process(f kgo.FetchTopicPartition) {
	w.hwm.Store(f.HighWatermark)
	p := w.c.cfg.Program
	rs := p.Ruleset()
	w.c.events.Add(int64(len(f.Records))) // one shared counter: once a fetch
	for _, r := range f.Records {
		w.next, w.epoch = r.Offset+1, r.LeaderEpoch
		rec, err := w.rd.Read(r.Value)
		if err != nil {
			w.c.bad.Add(1)
			if w.c.cfg.Bad != nil {
				w.c.cfg.Bad(&BadRecord{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Err: err})
			}
			continue
		}
		w.hits = p.Split(rec, rs.MatchRecord(rec, w.hits[:0]), &w.inp)
		w.cur, w.rec, w.desc = r, rec, nil
		for _, i := range w.hits {
			rule := rs.Rule(i)
			w.produce(alertKey(rule.ID, r.Topic, r.Partition, r.Offset, nil), alertValue(rule, w.describe(), r.Topic, r.Partition, r.Offset, nil))
		}
		w.eng.Step(r.Offset+1, &w.inp, w.emit)
	}
	w.nextSeen.Store(w.next)
}

// emitAlert produces an alert of a stateful rule, completed by the event
// being processed (w.cur).
func (w *worker) emitAlert(a *state.Alert) {
	p := w.c.cfg.Program
	rule, off := p.Rule(a.Rule), a.Event-1 // ordinals are offsets + 1
	w.produce(alertKey(rule.ID, w.cur.Topic, w.cur.Partition, off, a.Keys), alertValue(rule, w.describe(), w.cur.Topic, w.cur.Partition, off, a.Fields))
}

// describe returns Config.Describe's fields of the event being processed,
// computed once per event, when it has alerts.
func (w *worker) describe() []byte {
	if w.desc == nil && w.c.cfg.Describe != nil {
		if w.desc = w.c.cfg.Describe(w.rec); w.desc == nil {
			w.desc = []byte{}
		}
	}
	return w.desc
}

// produce sends one alert to the alerts topic, into the partition of the
// event's number, and counts it when acknowledged.
func (w *worker) produce(key, value []byte) {
	w.inflight.Add(1)
	rec := &kgo.Record{Topic: w.c.cfg.Alerts, Partition: w.part, Key: key, Value: value}
	w.c.cl.Produce(w.c.deliver, rec, func(_ *kgo.Record, err error) {
		if err != nil {
			err = fmt.Errorf("kafka: producing an alert of partition %d to %s: %w", w.part, w.c.cfg.Alerts, err)
			w.perr.CompareAndSwap(nil, &err)
		} else {
			w.c.hits.Add(1)
		}
		w.inflight.Done()
	})
}

// checkpoint makes the partition's progress durable when it moved: it
// waits for the acks of every alert produced so far, writes the state
// (when there are stateful rules) and commits the offset after the last
// record processed. An alert that could not be produced is an error that
// stops the member with nothing more committed; a commit that fails is
// reported and tried again at the next checkpoint.
func (w *worker) checkpoint() error {
	if w.next < 0 || w.next == w.committed {
		return nil
	}
	w.inflight.Wait()
	if err := w.perr.Load(); err != nil {
		return *err
	}
	cfg := &w.c.cfg
	if cfg.Program.Len() > 0 {
		if err := w.writeState(); err != nil {
			return fmt.Errorf("kafka: writing the state of partition %d to %s: %w", w.part, cfg.StateTopic, err)
		}
		w.c.snapshots.Add(1)
	}
	var cerr error
	w.c.cl.CommitOffsetsSync(w.c.deliver, map[string]map[int32]kgo.EpochOffset{cfg.Topic: {w.part: {Epoch: w.epoch, Offset: w.next}}},
		func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
			if err != nil {
				cerr = err
				return
			}
			for _, t := range resp.Topics {
				for _, p := range t.Partitions {
					if err := kerr.ErrorForCode(p.ErrorCode); err != nil {
						cerr = err
					}
				}
			}
		})
	if cerr != nil {
		if !errors.Is(cerr, context.Canceled) {
			cfg.Logf("partition %d: committing offset %d: %v; retried at the next checkpoint", w.part, w.next, cerr)
		}
		return nil
	}
	w.committed = w.next
	w.c.commits.Add(1)
	return nil
}

// writeState writes the partition's checkpoint at w.next to the state
// topic: its chunk records when the snapshot is over StateChunkBytes, in
// the slot that the last checkpoint does not use, then the manifest, then
// tombstones for the chunk records no longer needed. Only the manifest
// makes a checkpoint: one interrupted before it leaves the last whole.
// A tombstone that fails is reported, and tried again at the next
// checkpoint.
func (w *worker) writeState() error {
	cfg := &w.c.cfg
	parts, err := splitState(w.eng, w.eng.Snapshot(nil), cfg.StateChunkBytes)
	if err != nil {
		return err
	}
	man := &checkpoint{Group: cfg.Group, Topic: cfg.Topic, Partition: w.part, Next: w.next, Chunk: manifestChunk}
	var recs []*kgo.Record
	slot := -1
	if len(parts) == 1 {
		man.Snapshot = parts[0]
	} else {
		slot = 1
		if w.slot == 1 {
			slot = 0
		}
		man.Slot, man.Chunks = slot, len(parts)
		w.live[slot] = max(w.live[slot], len(parts))
		for i, b := range parts {
			ch := &checkpoint{Group: cfg.Group, Topic: cfg.Topic, Partition: w.part, Next: w.next, Slot: slot, Chunks: len(parts), Chunk: i, Snapshot: b}
			recs = append(recs, w.stateRecord(ch.key(), ch.encode()))
		}
		// The chunks first, acknowledged: the manifest must not name a
		// chunk that is not there.
		if err := w.c.stc.ProduceSync(w.c.deliver, recs...).FirstErr(); err != nil {
			return err
		}
	}
	if err := w.c.stc.ProduceSync(w.c.deliver, w.stateRecord(man.key(), man.encode())).FirstErr(); err != nil {
		return err
	}
	w.slot = slot
	recs = recs[:0]
	for s, n := range w.live {
		keep := 0
		if s == slot {
			keep = len(parts)
		}
		for i := keep; i < n; i++ {
			recs = append(recs, w.stateRecord(chunkKey(cfg.Group, cfg.Topic, w.part, s, i), nil))
		}
	}
	if len(recs) > 0 {
		if err := w.c.stc.ProduceSync(w.c.deliver, recs...).FirstErr(); err != nil {
			cfg.Logf("partition %d: deleting %d state chunks no longer needed: %v; retried at the next checkpoint", w.part, len(recs), err)
			return nil
		}
		for s := range w.live {
			if s != slot {
				w.live[s] = 0
			} else {
				w.live[s] = len(parts)
			}
		}
	}
	return nil
}

// stateRecord returns a record of the partition's state, a tombstone when
// value is nil.
func (w *worker) stateRecord(key, value []byte) *kgo.Record {
	return &kgo.Record{Topic: w.c.cfg.StateTopic, Partition: w.part, Key: key, Value: value}
}

// lag returns how many records of the partition are past the last one
// processed, at the last fetch's high watermark.
func (w *worker) lag() int64 {
	n, h := w.nextSeen.Load(), w.hwm.Load()
	if n < 0 || h < n {
		return 0
	}
	return h - n
}
