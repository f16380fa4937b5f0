// Package state runs stateful rules (EQL sequences and samples, Sigma
// correlations) over a stream of events: keyed, bounded, observable
// state in event time, with versioned snapshots that can be split and
// merged by key.
//
// # How stateful rules run
//
// A stateful rule is an ir.Rule whose State implements Rule or Sequence:
// its stages (ir.Stage) are single-event conditions, or references to
// other rules, and the Machine that consumes their hits is made by the
// Rule's NewMachine (Sigma correlations, package correlate) or, for a
// Sequence (EQL sequences and samples, described by package eql), by this
// package's sequence machine. Compile
// compiles every single-event rule and every stage into one indexed
// match.Ruleset, so a stage costs what any rule costs; stage rules are
// hidden from ordinary output (Program.Visible), and so are the rules
// that stages refer to, unless a stage asks for them (ir.Stage.Generate).
// The ruleset also reads each stage's key fields and the event time
// (compile.Reads), so a worker finds them in its one pass over the event.
//
//	worker (parallel)                        collector (input order)
//	rec := reader.Read(raw)                  engine.Step(ordinal, &in, emit)
//	hits = rs.MatchRecord(rec, hits)           Clock.Observe(in.Time)
//	hits = prog.Split(rec, hits, &in)          machines past their deadline: Advance
//	  (time, stage hits with key values)       each machine with hits: Step
//	output hits (visible rules only)           alerts → emit, and to the rules they feed
//
// Split runs in the workers, in parallel; it reads the program only. An
// Engine runs in one goroutine in input order (the pipeline's ordered
// result callback): per event it costs nothing beyond a comparison with
// the earliest deadline unless the event hit a stage.
//
// One ordered stage, not one per key: measured on 2 loaded cores
// (go test ./eql -bench SequenceHeavy, CPU time per event), a stream whose
// every event hits a sequence stage costs the workers about 0.6 µs per
// event (decoding, matching, Split) and the engine about 0.6 µs, so one
// collector keeps up with the workers of a small machine; with Elastic's
// 1,011 rules an event costs the workers over 10 µs and the engine a few
// percent of that. Past that, split the stream by key (Partition) and run
// one Engine per partition.
//
// # Writing a machine
//
// A Machine keeps its state in Stores (NewStore): a value per Key (the
// join or group key values, MakeKey), bounded by Limits, charged to the
// Engine's Budget with Store.Resize, expired by event time with
// Store.SetDeadline and Store.Expire, encoded with EncodeStore and
// DecodeStore. Hit.Keys are the values of the stage's ir.Stage.Keys,
// read from the event that hit, as Values: type-tagged, comparable
// strings (Of; numbers compare as numbers, strings exactly; Missing,
// Null; an array's elements with Value.Elems). A hit whose key marked
// ir.Stage.Required is missing or null is dropped by Split, in the
// workers, and never reaches the machine. An Alert names the event
// that completed it and carries Fields for the output line, in order:
// EQL sequences add "sequence" (the ordinals, in stage order) and
// "join"; correlations add "group", "correlation" and "events". The
// Engine feeds a stateful rule's alerts to the stages that refer to it,
// as hits with the alert's Keys, in the same Step (chains; cycles are a
// compile error).
//
// # Event time
//
// Event time is TimeField, @timestamp: ECS's, and for Windows event
// records their Event.System.TimeCreated's SystemTime, which package
// normalize's ECS view puts there. ParseTime reads RFC 3339 texts and
// epoch milliseconds. Events must come in time order, as Elasticsearch
// sorts them before it runs a sequence. The Clock keeps the newest time
// seen (the watermark): an event older than it is counted (OutOfOrder)
// and used with its own time, so a window measured from it is its own;
// expiry runs on the watermark and never goes back. An event without a
// time is counted (Untimed) and takes the watermark's time.
//
// # Limits
//
// Every limit is a named constant with an Option; reaching one evicts
// state, counted in Stats, never silently:
//
//	limit       default    option          evicts
//	MaxKeys     1,048,576  WithMaxKeys     the rule's least recently updated key
//	MaxPending  1,024      WithMaxPending  the key's oldest item (the machine's);
//	                                       a Sigma correlation's key holds at
//	                                       least what its condition needs
//	MaxValues   1,024      WithMaxValues   value_count: the key's distinct value
//	                                       seen longest ago (idem)
//	MaxBytes    1 GiB      WithMaxBytes    the growing rule's least recently
//	                                       updated keys, until within
//
// Memory is an estimate: each key's state as its machine sizes it, plus
// the key and a fixed overhead per key.
//
// # Snapshots and partitions
//
// Engine.Snapshot writes the state, versioned (SnapshotVersion), per rule
// by ID and kind, optionally only the keys a filter keeps; Engine.Restore
// adds a snapshot to an engine, so the snapshots of several partitions
// merge. Partition maps a key to one of n partitions with a hash that is
// the same in every process: a stream partitioned by the rules' join key
// (a Kafka topic keyed by host) can run one Engine per partition, each
// checkpointed with its Snapshot and restored where the partition moves.
// A rule whose ID the program lacks is reported by Restore and its state
// dropped; a snapshot of another version is an error.
package state
