package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Consumer is one member of a consumer group that runs rules over the
// events topic: one worker goroutine per assigned partition, alerts
// produced to the alerts topic, state checkpointed to the state topic.
type Consumer struct {
	cfg Config
	cl  *kgo.Client // the group member: events, alerts, commits
	stc *kgo.Client // the state records' producer: batches up to MaxStateBytes

	mu      sync.Mutex
	workers map[int32]*worker       // the partitions held
	fail    context.CancelCauseFunc // stops the run with the first error
	// deliver is the context of the alerts, state records and commits:
	// not the run's, so that a stopping member still delivers them, but
	// canceled StopTimeout after the run ended.
	deliver context.Context

	events, hits, bad, commits, snapshots, restored atomic.Int64
}

// Stats are a Consumer's counts since it started.
type Stats struct {
	Events     int64 // records read as events (bad ones included)
	Hits       int64 // alerts produced and acknowledged
	Bad        int64 // records that were not a readable event
	Commits    int64 // offset commits of a partition
	Snapshots  int64 // checkpoints written (a manifest record, and its chunk records when in chunks)
	Restored   int64 // partitions whose state was restored on assignment
	Partitions int   // partitions held now
	Lag        int64 // records behind the high watermarks of the partitions held
}

// BadRecord is a record that is not a readable event: it is reported,
// counted and committed like any other.
type BadRecord struct {
	Topic     string
	Partition int32
	Offset    int64
	Err       error
}

// Error says where the record is and what is wrong with it.
func (b *BadRecord) Error() string {
	return fmt.Sprintf("topic %s partition %d offset %d: %v", b.Topic, b.Partition, b.Offset, b.Err)
}

// New returns a Consumer of cfg. It connects to the cluster, checks that
// the events topic exists and creates the alerts and state topics when
// missing; it joins the group when Run starts.
func New(ctx context.Context, cfg Config) (*Consumer, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	adm, err := kgo.NewClient(cfg.Opts...)
	if err != nil {
		return nil, fmt.Errorf("kafka: %w", err)
	}
	_, err = ensureTopics(ctx, adm, &cfg)
	adm.Close()
	if err != nil {
		return nil, err
	}
	return &Consumer{cfg: cfg, workers: make(map[int32]*worker)}, nil
}

// Run joins the group and runs until ctx is done or an error stops it
// (once: a Consumer is one member, for one run):
// then it stops fetching, finishes the records it fetched, waits for
// their alerts' acks, checkpoints and commits every partition it holds,
// and leaves the group, all within StopTimeout (Config.StopTimeout):
// past it, it gives up what is not delivered (an error) or, its work
// committed, returns without waiting longer to leave the group (logged:
// a member dropped from the group that is rejoining when stopped would
// wait for the coordinator up to the rebalance timeout, a minute by
// default). It returns nil when ctx ended the run.
func (c *Consumer) Run(ctx context.Context) error {
	opts := append(append([]kgo.Opt(nil), c.cfg.Opts...),
		kgo.ConsumerGroup(c.cfg.Group),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.AdjustFetchOffsetsFn(c.assigned),
		kgo.OnPartitionsRevoked(func(_ context.Context, _ *kgo.Client, m map[string][]int32) { c.stop(m[c.cfg.Topic], true) }),
		kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, m map[string][]int32) { c.stop(m[c.cfg.Topic], false) }),
		eventPartition,
		// The alerts' batches keep kgo's limit, which fits a topic of
		// Kafka's default max.message.bytes (1 MiB); the state records,
		// up to MaxStateBytes, go through their own client (see stc).
	)
	if c.cfg.SessionTimeout > 0 {
		// Kafka's heartbeat default (3 s) is a third of its session
		// timeout's (45 s): keep that ratio.
		opts = append(opts, kgo.SessionTimeout(c.cfg.SessionTimeout), kgo.HeartbeatInterval(min(3*time.Second, c.cfg.SessionTimeout/3)))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("kafka: %w", err)
	}
	stc, err := kgo.NewClient(append(append([]kgo.Opt(nil), c.cfg.Opts...), eventPartition, kgo.ProducerBatchMaxBytes(MaxStateBytes))...)
	if err != nil {
		cl.Close()
		return fmt.Errorf("kafka: %w", err)
	}
	defer stc.Close()
	run, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	deliver, giveUp := context.WithCancel(context.WithoutCancel(ctx))
	defer giveUp()
	c.cl, c.stc, c.fail, c.deliver = cl, stc, fail, deliver
	cl.AddConsumeTopics(c.cfg.Topic) // joins the group: the callbacks may run from now on
	c.poll(run)
	err = context.Cause(run)
	if ctx.Err() != nil && err == context.Cause(ctx) {
		err = nil // the caller's end of the run
	}
	stopBy := time.Now().Add(c.cfg.StopTimeout)
	late := time.AfterFunc(c.cfg.StopTimeout, giveUp)
	serr := c.stop(c.held(), err == nil) // on an error, no commit: another member redoes the work
	switch {
	case !late.Stop() && err == nil:
		err = fmt.Errorf("kafka: stopping: alerts, state or commits not delivered within %v; the last work is not committed", c.cfg.StopTimeout)
	case err == nil:
		err = serr // the last checkpoint's: an alert or state record the broker refused
	}
	giveUp() // Close then gives up on the broker at once
	c.close(cl, time.Until(stopBy))
	return err
}

// close closes cl, leaving the group, waiting at most d (at least a
// second). kgo's Close waits for a JoinGroup in flight, which the
// coordinator answers only when every member has rejoined or the
// rebalance timeout (a minute by default) has passed: a member that was
// dropped from the group (a missed session timeout) and is rejoining
// when it is stopped would wait that long. Its work is committed or given
// up by then, so it does not wait: the group gives its partitions away
// after the session timeout, and kgo's goroutines end when the join does.
func (c *Consumer) close(cl *kgo.Client, d time.Duration) {
	closed := make(chan struct{})
	go func() { cl.Close(); close(closed) }()
	t := time.NewTimer(max(d, time.Second))
	defer t.Stop()
	select {
	case <-closed:
	case <-t.C:
		c.cfg.Logf("leaving group %s: no answer within the stop timeout; stopping without (the group reassigns the partitions after the session timeout)", c.cfg.Group)
	}
}

// eventPartition is the partitioner of the alerts and state records:
// each goes to the partition of its event's number (modulo the topic's
// partition count), which the record's Partition holds.
var eventPartition = kgo.RecordPartitioner(kgo.BasicConsistentPartitioner(func(string) func(*kgo.Record, int) int {
	return func(r *kgo.Record, n int) int { return int(r.Partition) % n }
}))

// poll hands the fetched records to the partitions' workers until ctx is
// done (the caller's, or a failure's: see fail).
func (c *Consumer) poll(ctx context.Context) {
	for {
		fs := c.cl.PollRecords(ctx, MaxPoll)
		if ctx.Err() != nil || fs.IsClientClosed() {
			c.cl.AllowRebalance()
			return
		}
		fs.EachError(func(t string, p int32, err error) {
			if !errors.Is(err, context.Canceled) {
				c.cfg.Logf("fetching topic %s partition %d: %v", t, p, err)
			}
		})
		fs.EachPartition(func(f kgo.FetchTopicPartition) {
			if len(f.Records) == 0 || ctx.Err() != nil {
				return
			}
			c.mu.Lock()
			w := c.workers[f.Partition]
			c.mu.Unlock()
			if w == nil {
				c.fail(fmt.Errorf("kafka: records of partition %d, which is not assigned", f.Partition))
				return
			}
			select {
			case w.in <- f:
			case <-w.done: // it failed, and so the run
			}
		})
		c.cl.AllowRebalance()
	}
}

// assigned starts a worker for each partition of the events topic that
// the group gave this member, with the state its last checkpoint holds,
// and moves the partition's start to that checkpoint (kgo calls it after
// fetching the committed offsets of newly assigned partitions).
func (c *Consumer) assigned(ctx context.Context, offsets map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
	parts := make([]int32, 0, len(offsets[c.cfg.Topic]))
	for p := range offsets[c.cfg.Topic] {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	var cps map[int32]*restorable
	if c.cfg.Program.Len() > 0 && len(parts) > 0 {
		var err error
		if cps, err = c.loadCheckpoints(ctx, parts); err != nil {
			// kgo fetches the partitions again in the next session.
			if ctx.Err() == nil {
				c.cfg.Logf("restoring the state of partitions %v: %v", parts, err)
			}
			return nil, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range parts {
		w := newWorker(c, p)
		if cp := cps[p]; cp != nil {
			if err := w.restore(cp); err != nil {
				c.cfg.Logf("partition %d: state checkpoint at offset %d: %v; starting with no state from the committed offset", p, cp.Next, err)
			} else {
				offsets[c.cfg.Topic][p] = kgo.NewOffset().At(cp.Next).WithEpoch(-1)
				c.restored.Add(1)
			}
		}
		if old := c.workers[p]; old != nil {
			c.mu.Unlock()
			old.stop(false)
			c.mu.Lock()
		}
		c.workers[p] = w
		go w.run()
	}
	return offsets, nil
}

// held returns the partitions this member works on.
func (c *Consumer) held() []int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ps []int32
	for p := range c.workers {
		ps = append(ps, p)
	}
	return ps
}

// stop stops the workers of parts: each finishes the records it was
// handed and, when commit is set, waits for its alerts' acks, checkpoints
// and commits; otherwise (the partitions were lost) it drops its work.
// It returns the errors of the workers' last checkpoints.
func (c *Consumer) stop(parts []int32, commit bool) error {
	var ws []*worker
	c.mu.Lock()
	for _, p := range parts {
		if w := c.workers[p]; w != nil {
			ws = append(ws, w)
			delete(c.workers, p)
		}
	}
	c.mu.Unlock()
	errs := make([]error, len(ws))
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Go(func() { errs[i] = w.stop(commit) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Stats returns the consumer's counts; it is safe to call at any time,
// from any goroutine.
func (c *Consumer) Stats() Stats {
	s := Stats{Events: c.events.Load(), Hits: c.hits.Load(), Bad: c.bad.Load(), Commits: c.commits.Load(),
		Snapshots: c.snapshots.Load(), Restored: c.restored.Load()}
	c.mu.Lock()
	defer c.mu.Unlock()
	s.Partitions = len(c.workers)
	for _, w := range c.workers {
		s.Lag += w.lag()
	}
	return s
}
