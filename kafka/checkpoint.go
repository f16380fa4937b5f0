package kafka

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"strconv"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ruleforge/ruleforge/state"
)

// checkpointVersion is the version of the state records this package
// writes. Version 1 records (one record, the whole snapshot) are read as
// a manifest holding its snapshot, so a partition keeps its state across
// the upgrade; a record of another version is ignored (the partition's
// state is then rebuilt from its committed offset on).
const checkpointVersion = 2

// manifestChunk is the Chunk of a manifest record.
const manifestChunk = -1

// checkpoint is one state record. A partition's checkpoint is its engine
// state after the events before Next, written before Next is committed:
// a manifest record, which holds the snapshot itself when it fits in one
// chunk (Chunks == 0), or else names the Chunks chunk records, written
// before it, that hold the snapshot split by key. The chunks of a
// checkpoint go to one of two slots, the other than the one of the
// checkpoint before, so a checkpoint interrupted while its chunks are
// written leaves the previous one whole (its manifest is not written).
type checkpoint struct {
	Group     string
	Topic     string
	Partition int32
	Next      int64  // the offset of the first event the state has not seen
	Slot      int    // 0 or 1: the slot of the checkpoint's chunks
	Chunks    int    // how many chunk records the checkpoint has; 0: the manifest holds the snapshot
	Chunk     int    // this record's chunk index, or manifestChunk
	Snapshot  []byte // state.Engine.Snapshot, or the part of the chunk's keys
}

// stateKey is the key of a partition's manifest in the compacted state
// topic: one live record per group, topic and partition.
func stateKey(group, topic string, partition int32) []byte {
	return []byte(group + "/" + topic + "/" + strconv.Itoa(int(partition)))
}

// chunkKey is the key of a partition's chunk i in slot: compaction keeps
// the newest record of each, and a checkpoint of fewer chunks deletes
// the others with tombstones.
func chunkKey(group, topic string, partition int32, slot, i int) []byte {
	return fmt.Appendf(stateKey(group, topic, partition), "/%d/%d", slot, i)
}

// key returns the record key of c.
func (c *checkpoint) key() []byte {
	if c.Chunk == manifestChunk {
		return stateKey(c.Group, c.Topic, c.Partition)
	}
	return chunkKey(c.Group, c.Topic, c.Partition, c.Slot, c.Chunk)
}

// encode returns the record value of c.
func (c *checkpoint) encode() []byte {
	var e state.Encoder
	e.Uint(checkpointVersion)
	e.String(c.Group)
	e.String(c.Topic)
	e.Int(int64(c.Partition))
	e.Int(c.Next)
	e.Uint(uint64(c.Slot))
	e.Uint(uint64(c.Chunks))
	e.Int(int64(c.Chunk))
	e.String(string(c.Snapshot))
	return e.Bytes()
}

// decodeCheckpoint reads a record value that encode wrote (or version 1
// wrote: a manifest with its snapshot).
func decodeCheckpoint(b []byte) (*checkpoint, error) {
	d := state.NewDecoder(b)
	v := d.Uint()
	if d.Err() == nil && v != checkpointVersion && v != 1 {
		return nil, fmt.Errorf("state record of version %d, want %d", v, checkpointVersion)
	}
	c := &checkpoint{Group: d.String(), Topic: d.String(), Partition: int32(d.Int()), Next: d.Int(), Chunk: manifestChunk}
	if v == checkpointVersion {
		c.Slot, c.Chunks, c.Chunk = int(d.Uint()), int(d.Uint()), int(d.Int())
	}
	c.Snapshot = []byte(d.String())
	if err := d.Done(); err != nil {
		return nil, err
	}
	if c.Slot > 1 || c.Chunks > MaxStateChunks || c.Chunk < manifestChunk || c.Chunk >= c.Chunks ||
		(c.Chunks > 0 && c.Chunk == manifestChunk && len(c.Snapshot) > 0) {
		return nil, fmt.Errorf("state record of slot %d, chunk %d of %d: out of range", c.Slot, c.Chunk, c.Chunks)
	}
	return c, nil
}

// chunkOf returns the chunk, of n, of state key k. It is not
// state.Partition: events partitioned with that, by the same key, would
// put all of a partition's keys in a few of the chunks. The seed is the
// process's: only the chunks of one checkpoint must agree.
func chunkOf(k state.Key, n int) int {
	return int(maphash.String(chunkSeed, string(k)) % uint64(n))
}

// chunkSeed is chunkOf's hash seed.
var chunkSeed = maphash.MakeSeed()

// splitState returns eng's state, all its snapshot, as parts of at most
// limit bytes each: all itself when it fits, else the snapshots of n
// chunks of the keys (chunkOf). Each chunk repeats the snapshot's header
// (the clock, the rules' IDs); n is twice what the keys need in chunks
// of limit bytes with their header, and twice that, up to splitTries
// times, while a chunk is over limit (hashing spreads keys unevenly when
// a chunk holds few). A key whose own state is over limit cannot be
// split: that is an error, as is more than MaxStateChunks chunks.
func splitState(eng *state.Engine, all []byte, limit int) ([][]byte, error) {
	if len(all) <= limit {
		return [][]byte{all}, nil
	}
	head := len(eng.Snapshot(func(state.Key) bool { return false }))
	if head < limit {
		n := 2 * ((len(all)-head)/(limit-head) + 1)
		for range splitTries {
			if n > MaxStateChunks {
				break
			}
			if parts := splitIn(eng, n, limit); parts != nil {
				return parts, nil
			}
			n *= 2
		}
	}
	return nil, fmt.Errorf("a state of %d bytes does not split into at most %d chunks of at most %d bytes (a key's state is too large)", len(all), MaxStateChunks, limit)
}

// splitTries is how many chunk counts splitState tries, each twice the
// last: a chunk of a few keys, when a key's state is a good part of the
// limit, may be over it at the first (a state of 6.5 KB in chunks of
// 1 KiB was seen to be at the third), while a key over the limit costs
// passes over the whole state for each.
const splitTries = 6

// splitIn returns the snapshots of eng's keys in n chunks (chunkOf), or
// nil when one is over limit.
func splitIn(eng *state.Engine, n, limit int) [][]byte {
	parts := make([][]byte, n)
	for i := range n {
		if parts[i] = eng.Snapshot(func(k state.Key) bool { return chunkOf(k, n) == i }); len(parts[i]) > limit {
			return nil
		}
	}
	return parts
}

// restorable is a partition's newest complete checkpoint, as read from
// the state topic, and which chunk records of the partition are live.
type restorable struct {
	Next  int64
	Slot  int      // the checkpoint's chunks' slot; -1 when the manifest holds the snapshot
	Parts [][]byte // the snapshot, or the chunks' snapshots
	Live  [2]int   // per slot, one more than the highest chunk index with a live record
}

// stateLog is what a state topic says of some partitions: the newest
// record of each key (what compaction keeps), read in log order.
type stateLog struct {
	group, topic string
	want         map[int32]bool
	recs         map[string]*checkpoint
}

// add reads one state record; it returns the error of a value that does
// not decode, which removes the key's older record as compaction would.
func (l *stateLog) add(key, value []byte) error {
	if value == nil {
		delete(l.recs, string(key)) // a tombstone
		return nil
	}
	cp, err := decodeCheckpoint(value)
	if err != nil {
		delete(l.recs, string(key))
		return err
	}
	if cp.Group != l.group || cp.Topic != l.topic || !l.want[cp.Partition] || string(key) != string(cp.key()) {
		return nil
	}
	l.recs[string(key)] = cp
	return nil
}

// newest returns the checkpoint of each partition whose manifest's
// chunks are all there, of that manifest; logf reports a manifest whose
// chunks are not.
func (l *stateLog) newest(logf func(string, ...any)) map[int32]*restorable {
	got := make(map[int32]*restorable)
	for _, cp := range l.recs {
		if cp.Chunk != manifestChunk {
			continue
		}
		r := &restorable{Next: cp.Next, Slot: -1}
		if cp.Chunks == 0 {
			r.Parts = [][]byte{cp.Snapshot}
		} else {
			r.Slot = cp.Slot
			for i := range cp.Chunks {
				ch := l.recs[string(chunkKey(l.group, l.topic, cp.Partition, cp.Slot, i))]
				if ch == nil || ch.Next != cp.Next || ch.Chunks != cp.Chunks {
					logf("partition %d: state checkpoint at offset %d: chunk %d of %d is missing (or of another checkpoint); ignored", cp.Partition, cp.Next, i, cp.Chunks)
					r = nil
					break
				}
				r.Parts = append(r.Parts, ch.Snapshot)
			}
			if r == nil {
				continue
			}
		}
		got[cp.Partition] = r
	}
	for _, cp := range l.recs {
		if r := got[cp.Partition]; r != nil && cp.Chunk != manifestChunk {
			r.Live[cp.Slot] = max(r.Live[cp.Slot], cp.Chunk+1)
		}
	}
	return got
}

// loadCheckpoints reads the state topic's partitions that hold the
// checkpoints of parts, to their end, and returns the newest complete
// checkpoint of each part that has one: its newest manifest, when every
// chunk it names is there. A member that lost a partition and wrote on
// races its new owner; the newest record of each key is what compaction
// keeps, so it is the one read.
func (c *Consumer) loadCheckpoints(ctx context.Context, parts []int32) (map[int32]*restorable, error) {
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
	log := &stateLog{group: c.cfg.Group, topic: c.cfg.Topic, want: make(map[int32]bool, len(parts)), recs: make(map[string]*checkpoint)}
	read := make(map[int32]kgo.Offset)
	end := make(map[int32]int64)
	for _, p := range parts {
		log.want[p] = true
		sp := p % n
		if o, ok := ends.Lookup(c.cfg.StateTopic, sp); ok && o.Offset > 0 {
			read[sp] = kgo.NewOffset().AtStart()
			end[sp] = o.Offset
		}
	}
	if len(read) == 0 {
		return map[int32]*restorable{}, nil
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
			if len(r.Key) == 0 {
				return // not ours
			}
			if err := log.add(r.Key, r.Value); err != nil {
				c.cfg.Logf("state topic %s partition %d offset %d: %v; ignored", r.Topic, r.Partition, r.Offset, err)
			}
		})
	}
	return log.newest(c.cfg.Logf), nil
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
