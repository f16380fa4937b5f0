package kafka

import (
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/state"
)

// The defaults and bounds of a Consumer; each is a named constant that a
// Config field changes.
const (
	// CommitInterval is how often, at most, a partition's progress waits
	// in memory: every interval a partition that processed records since
	// its last commit waits for its alerts' acks, checkpoints its state
	// and commits. An idle partition thus commits within an interval.
	CommitInterval = 2 * time.Second
	// MaxStateBytes is the largest state record (one partition's
	// snapshot): the batch limit of the client that writes them (the
	// alerts' keep kgo's default, which fits Kafka's default
	// max.message.bytes) and the state topic's max.message.bytes when
	// this package creates it. A snapshot over StateChunk is written as
	// several records (see StateChunk).
	MaxStateBytes = 16 << 20
	// StateChunk is the most snapshot bytes one state record holds: a
	// partition's snapshot over it is split by key into chunks of at most
	// that many bytes, each a record, and a manifest record written after
	// them names them, so a partition's state may outgrow a record (up to
	// the engine's own bound, state.MaxBytes). Half of MaxStateBytes, so
	// that a chunk and its header fit a record with room to spare.
	StateChunk = MaxStateBytes / 2
	// MaxStateChunks is the most chunk records of one checkpoint: a state
	// that does not split into as many chunks of StateChunk bytes (a key
	// whose own state is larger) fails the checkpoint, and the member
	// stops without committing.
	MaxStateChunks = 4096
	// StateSegment is the state topic's segment.ms when this package
	// creates it: how long state records wait before compaction may drop
	// the older ones of a partition. A member assigned a partition reads
	// what is not compacted yet.
	StateSegment = 10 * time.Minute
	// StopTimeout is how long, at most, a member that was asked to stop
	// waits for its last alerts' acks, state records and commits (a
	// broker that became unreachable would keep it forever): then it
	// gives up, commits nothing more, and Run returns an error.
	StopTimeout = 30 * time.Second
	// MaxPoll is the most records one poll hands to the partitions.
	MaxPoll = 10000
	// queueFetches is how many polled batches wait for one partition's
	// worker before the poll loop waits for it (backpressure).
	queueFetches = 4
)

// Config configures a Consumer.
type Config struct {
	// Program is the compiled rules (state.Compile): single-event rules
	// and stateful ones (EQL sequences, Sigma correlations).
	Program *state.Program
	// Format is the events' format; Auto (the zero value) detects each.
	Format normalize.Format
	// Topic is the topic of the events: one JSON object per record value.
	Topic string
	// Group is the consumer group the members of one deployment share.
	Group string
	// Alerts is the topic alerts are produced to, created when missing
	// with Topic's partition count.
	Alerts string
	// StateTopic is the compacted topic of the partitions' state
	// snapshots; "" means Alerts + "-state". Created when missing.
	StateTopic string
	// CommitInterval is the longest a partition's progress stays
	// uncommitted; 0 means CommitInterval.
	CommitInterval time.Duration
	// StateChunkBytes is the most snapshot bytes of one state record
	// (see StateChunk); 0 means StateChunk. At most StateChunk: the state
	// topic's records must fit its max.message.bytes.
	StateChunkBytes int
	// StopTimeout bounds the end of a run (see StopTimeout); 0 means
	// StopTimeout.
	StopTimeout time.Duration
	// SessionTimeout is how long the group waits for a silent member
	// before it gives its partitions to others; 0 leaves Kafka's default
	// (45 s).
	SessionTimeout time.Duration
	// Opts are the client's options: kgo.SeedBrokers, and whatever the
	// deployment needs (kgo.DialTLSConfig, kgo.SASL, kgo.ClientID...).
	// The Consumer adds the group, the topics, manual commits and its
	// rebalance callbacks; options that set those are overridden.
	Opts []kgo.Opt
	// Paths are paths that the events' records hold besides those the
	// rules read (normalize.NewReaderWith), for Describe to read.
	Paths []*match.Path
	// Describe, when set, returns JSON fields, "name":value pairs joined
	// by commas, that the alerts of an event carry after the rule's
	// fields: the CLI adds the event's time, computer, channel, event and
	// record IDs, as its match hit lines have them. It is called on the
	// partition's goroutine with the event's record, once per event with
	// alerts.
	Describe func(rec *match.Record) []byte
	// Bad, when set, is called for each record that is not a readable
	// event (on the partition's goroutine, so concurrently for several
	// partitions). The record is counted and committed like any other.
	Bad func(*BadRecord)
	// Logf, when set, receives what the consumer has to say besides bad
	// records: restored or dropped state, commit failures, fetch errors.
	// It may be called concurrently.
	Logf func(format string, args ...any)
}

// check validates c and fills in its defaults.
func (c *Config) check() error {
	switch {
	case c.Program == nil:
		return errors.New("kafka: no rules (Config.Program)")
	case c.Topic == "":
		return errors.New("kafka: no events topic (Config.Topic)")
	case c.Group == "":
		return errors.New("kafka: no consumer group (Config.Group)")
	case c.Alerts == "":
		return errors.New("kafka: no alerts topic (Config.Alerts)")
	}
	if c.StateTopic == "" {
		c.StateTopic = c.Alerts + "-state"
	}
	if c.CommitInterval <= 0 {
		c.CommitInterval = CommitInterval
	}
	if c.StateChunkBytes <= 0 {
		c.StateChunkBytes = StateChunk
	}
	if c.StateChunkBytes > StateChunk {
		return fmt.Errorf("kafka: a state chunk of %d bytes is over the limit of %d (Config.StateChunkBytes)", c.StateChunkBytes, StateChunk)
	}
	if c.StopTimeout <= 0 {
		c.StopTimeout = StopTimeout
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	if c.Topic == c.Alerts || c.Topic == c.StateTopic || c.Alerts == c.StateTopic {
		return errors.New("kafka: the events, alerts and state topics must differ")
	}
	return nil
}
