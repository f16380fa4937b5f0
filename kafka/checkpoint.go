package kafka

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ruleforge/ruleforge/state"
)

// checkpointVersion is the version of the state records this package
// writes; a record of another version is ignored (the partition's state
// is then rebuilt from its committed offset on).
const checkpointVersion = 1

// checkpoint is one state record: a partition's engine state after the
// events before Next, written before Next is committed.
type checkpoint struct {
	Group     string
	Topic     string
	Partition int32
	Next      int64  // the offset of the first event the state has not seen
	Snapshot  []byte // state.Engine.Snapshot
}

// stateKey is the key of a partition's state records in the compacted
// state topic: one live record per group, topic and partition.
func stateKey(group, topic string, partition int32) []byte {
	return []byte(group + "/" + topic + "/" + strconv.Itoa(int(partition)))
}

// encode returns the record value of c.
func (c *checkpoint) encode() []byte {
	var e state.Encoder
	e.Uint(checkpointVersion)
	e.String(c.Group)
	e.String(c.Topic)
	e.Int(int64(c.Partition))
	e.Int(c.Next)
	e.String(string(c.Snapshot))
	return e.Bytes()
}

// decodeCheckpoint reads a record value that encode wrote.
func decodeCheckpoint(b []byte) (*checkpoint, error) {
	d := state.NewDecoder(b)
	if v := d.Uint(); d.Err() == nil && v != checkpointVersion {
		return nil, fmt.Errorf("state record of version %d, want %d", v, checkpointVersion)
	}
	c := &checkpoint{Group: d.String(), Topic: d.String(), Partition: int32(d.Int()), Next: d.Int()}
	c.Snapshot = []byte(d.String())
	if err := d.Done(); err != nil {
		return nil, err
	}
	return c, nil
}

// loadCheckpoints reads the state topic's partitions that hold the
// checkpoints of parts, to their end, and returns the newest checkpoint
// (the furthest Next) of each part that has one. Every snapshot of a
// partition at an offset is the same state (events are processed in
// order, deterministically), so the furthest is the best, whoever wrote
// it: a member that lost the partition and wrote on is no harm.
func (c *Consumer) loadCheckpoints(ctx context.Context, parts []int32) (map[int32]*checkpoint, error) {
	adm := kadm.NewClient(c.cl)
	ends, err := adm.ListEndOffsets(ctx, c.cfg.StateTopic)
	if err != nil {
		return nil, fmt.Errorf("state topic %s: %w", c.cfg.StateTopic, err)
	}
	if err := ends.Error(); err != nil {
		return nil, fmt.Errorf("state topic %s: %w", c.cfg.StateTopic, err)
	}
	n := int32(len(ends[c.cfg.StateTopic]))
	if n == 0 {
		return nil, fmt.Errorf("state topic %s: no partitions", c.cfg.StateTopic)
	}
	want := make(map[int32]bool, len(parts))
	read := make(map[int32]kgo.Offset)
	end := make(map[int32]int64)
	for _, p := range parts {
		want[p] = true
		sp := p % n
		if o, ok := ends.Lookup(c.cfg.StateTopic, sp); ok && o.Offset > 0 {
			read[sp] = kgo.NewOffset().AtStart()
			end[sp] = o.Offset
		}
	}
	got := make(map[int32]*checkpoint)
	if len(read) == 0 {
		return got, nil
	}
	rd, err := kgo.NewClient(append(append([]kgo.Opt(nil), c.cfg.Opts...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{c.cfg.StateTopic: read}),
		kgo.FetchMaxPartitionBytes(MaxStateBytes), kgo.FetchMaxBytes(4*MaxStateBytes))...)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	for len(end) > 0 {
		fs := rd.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var ferr error
		fs.EachError(func(t string, p int32, err error) { ferr = fmt.Errorf("state topic %s partition %d: %w", t, p, err) })
		if ferr != nil {
			return nil, ferr
		}
		fs.EachRecord(func(r *kgo.Record) {
			if r.Offset+1 >= end[r.Partition] {
				delete(end, r.Partition)
			}
			if string(r.Key) == "" || r.Value == nil {
				return // a tombstone, or not ours
			}
			cp, err := decodeCheckpoint(r.Value)
			if err != nil {
				c.cfg.Logf("state topic %s partition %d offset %d: %v; ignored", r.Topic, r.Partition, r.Offset, err)
				return
			}
			if cp.Group != c.cfg.Group || cp.Topic != c.cfg.Topic || !want[cp.Partition] {
				return
			}
			if old := got[cp.Partition]; old == nil || cp.Next >= old.Next {
				got[cp.Partition] = cp
			}
		})
	}
	return got, nil
}

// ensureTopics creates the alerts and state topics when missing, with the
// events topic's partition count (the state topic compacted), and
// returns that count. The events topic must exist.
func ensureTopics(ctx context.Context, cl *kgo.Client, cfg *Config) (int, error) {
	adm := kadm.NewClient(cl)
	// Listed first: a principal without the CREATE permission gets
	// TOPIC_AUTHORIZATION_FAILED for a topic that exists too (Kafka
	// checks the permission before existence), so only missing topics
	// are created.
	tds, err := adm.ListTopics(ctx, cfg.Topic, cfg.Alerts, cfg.StateTopic)
	if err != nil {
		return 0, fmt.Errorf("kafka: listing topic %s: %w", cfg.Topic, err)
	}
	td, ok := tds[cfg.Topic]
	if !ok || td.Err != nil {
		if ok {
			err = td.Err
		} else {
			err = errors.New("not found")
		}
		return 0, fmt.Errorf("kafka: events topic %s: %w", cfg.Topic, err)
	}
	n := int32(len(td.Partitions))
	maxBytes := strconv.Itoa(MaxStateBytes)
	for _, t := range []struct {
		name    string
		configs map[string]*string
	}{
		{cfg.Alerts, nil},
		// Compaction leaves the active segment alone: roll it every
		// StateSegment, or the state of every commit since the topic
		// was made would be read at each assignment.
		{cfg.StateTopic, map[string]*string{"cleanup.policy": kadm.StringPtr("compact"), "max.message.bytes": &maxBytes,
			"segment.ms": kadm.StringPtr(strconv.FormatInt(StateSegment.Milliseconds(), 10))}},
	} {
		if td, ok := tds[t.name]; ok && td.Err == nil {
			continue // used as it is
		}
		resp, err := adm.CreateTopic(ctx, n, -1, t.configs, t.name)
		if err == nil {
			err = resp.Err
		}
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return 0, fmt.Errorf("kafka: creating topic %s: %w", t.name, err)
		}
	}
	return int(n), nil
}
