// Package kafka runs rules as a Kafka consumer group: each member reads
// JSON events from a topic, produces one record per hit to an alerts
// topic, and keeps the state of stateful rules (EQL sequences, Sigma
// correlations) per partition, checkpointed to a compacted topic, so that
// the members share the partitions, come and go, and a member that dies
// loses neither alerts nor state.
//
//	events topic ──► poll loop ──► one worker per partition (in parallel)
//	                                 read, match, Split, Engine.Step (offset order)
//	                                 alerts ──► alerts topic (partition of the event)
//	                                 every CommitInterval: wait for the alerts' acks,
//	                                 state snapshot ──► state topic, then commit
//
// # Guarantees
//
// At least once: a partition's offset is committed only after every
// alert of its events up to there is acknowledged by the broker (the
// produce acks, with kgo's defaults: all in-sync replicas, idempotent),
// so a member killed at any moment loses no alert; the member that takes
// its partitions redoes the work after the last commit, and produces the
// same alerts again with the same keys. An alert's key is a hash of its
// rule's ID, the event's topic, partition and offset (for a stateful
// rule, of the event that completed it) and the join key values: the same
// hit always has the same key, so duplicates can be dropped downstream
// (a compacted alerts topic drops them itself).
//
// State that survives: before each commit, a partition with stateful
// rules writes a checkpoint of its engine (state.Engine.Snapshot) with
// the offset it was taken at to the state topic: a manifest record keyed
// by group, topic and partition, which holds the snapshot itself when it
// fits in StateChunk bytes (Config.StateChunkBytes). A larger one is split
// by key into chunk records of at most that size, keyed by partition,
// slot and chunk index, written and acknowledged before the manifest that
// names them (their count and offset); a checkpoint's chunks go to the
// other slot (of two) than the last one's, so a checkpoint interrupted
// before its manifest leaves the last whole, and once its manifest is
// acknowledged the chunk records it does not use are deleted (tombstones,
// which compaction honours). A member assigned a partition reads its
// newest manifest, restores the state of every chunk it names
// (state.Engine.Restore merges them) and starts at that
// checkpoint's offset (which is the committed one, or past it when the
// member died between writing the state and committing: the alerts before
// it were acknowledged already). State is per partition, so the events a
// rule joins must share one: the producer must partition the events topic
// by the field the rules join on (the host, as Winlogbeat's or Vector's
// Kafka output does with the host name as the record key).
//
// Rebalances: the consumer blocks rebalances while it hands polled
// records over (kgo.BlockRebalanceOnPoll); a revoked partition's worker
// finishes what it was handed, checkpoints and commits before the
// partition moves; a lost one (the member was thrown out of the group)
// drops its work uncommitted. Events of a partition are processed in
// offset order; partitions in parallel.
//
// # Limits
//
// A state record is at most MaxStateBytes, which the state topic is
// created to accept; a partition's state is at most MaxStateChunks chunks
// of StateChunk bytes (the engine's own bound, state.MaxBytes, is less),
// and a single key's state must fit one chunk, or the checkpoint fails
// and the member stops without committing. A manifest whose chunks are
// not all there (written by a member that lost the partition and wrote
// on, racing its new owner) is reported and ignored. A state record of another version, or one that
// does not decode, is reported and ignored: the partition then starts
// without state at its committed offset. Events must be in time order
// within a partition for the stateful rules (see package state).
package kafka
