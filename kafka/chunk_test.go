package kafka

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ruleforge/ruleforge/state"
)

// chunkHosts and chunkBytes make each partition's state after phase 1
// of the script (50 hosts a partition) several chunks of at most
// chunkBytes: the test of a state larger than one record, in small.
const (
	chunkHosts = 600
	chunkBytes = 2 << 10
)

// smallChunks sets a member's StateChunkBytes to chunkBytes.
func smallChunks(c *Config) { c.StateChunkBytes = chunkBytes }

// readStateLog reads the state topic as a member of the tests' group
// would, for every partition: what compaction would keep of it.
func readStateLog(t *testing.T, seeds []string) (*stateLog, []*checkpoint) {
	t.Helper()
	l := &stateLog{group: group, topic: events, want: map[int32]bool{}, recs: map[string]*checkpoint{}}
	for p := range int32(partitions) {
		l.want[p] = true
	}
	var all []*checkpoint
	for _, r := range readAll(t, seeds, alerts+"-state") {
		if err := l.add(r.Key, r.Value); err != nil {
			t.Fatalf("state record at %d/%d: %v", r.Partition, r.Offset, err)
		}
		if r.Value != nil {
			cp, _ := decodeCheckpoint(r.Value)
			all = append(all, cp)
		}
	}
	return l, all
}

// checkLive checks that the live chunk records of the state log are
// those of each partition's manifest and no others: a checkpoint deletes
// the chunks it does not need.
func checkLive(t *testing.T, l *stateLog) {
	t.Helper()
	for key, cp := range l.recs {
		if cp.Chunk == manifestChunk {
			continue
		}
		m := l.recs[string(stateKey(group, events, cp.Partition))]
		if m == nil || m.Chunks == 0 || m.Slot != cp.Slot || m.Next != cp.Next {
			t.Errorf("live chunk record %s (offset %d, chunk %d of %d) is not of the partition's checkpoint %+v", key, cp.Next, cp.Chunk, cp.Chunks, m)
		}
	}
}

// TestStateChunks runs TestFailover's two members with partitions whose
// state is larger than a state record (StateChunkBytes, small): each
// checkpoint is written as several chunk records and a manifest, the
// second member restores the first's chunks and completes every host's
// sequence and correlation, and no chunk record outlives its checkpoint.
func TestStateChunks(t *testing.T) {
	seeds := newCluster(t)
	failoverWith(t, seeds, chunkHosts, smallChunks)
	l, all := readStateLog(t, seeds)
	chunked := map[int32]int{}
	for _, cp := range all {
		if cp.Chunk == manifestChunk && cp.Chunks > 1 {
			chunked[cp.Partition] = max(chunked[cp.Partition], cp.Chunks)
		}
		if len(cp.Snapshot) > chunkBytes {
			t.Errorf("a state record of partition %d, chunk %d of %d, holds %d snapshot bytes, over %d", cp.Partition, cp.Chunk, cp.Chunks, len(cp.Snapshot), chunkBytes)
		}
	}
	if len(chunked) != partitions {
		t.Errorf("checkpoints in chunks by partition: %v; want all %d", chunked, partitions)
	}
	t.Logf("most chunks of a checkpoint, by partition: %v", chunked)
	checkLive(t, l)
}

// TestPartialChunks writes, after a member's last checkpoint of
// each partition (in chunks), part of a newer checkpoint, as a member
// that died while writing its chunks leaves it: chunk 0 of 3, in the
// other slot, with no manifest (its snapshot would not even restore).
// The next member restores the complete checkpoint, finds every alert,
// and its own first checkpoints delete the partial chunks.
func TestPartialChunks(t *testing.T) {
	seeds := newCluster(t)
	p := testProgram(t)
	produce(t, seeds, script(chunkHosts, 1))
	a := startWith(t, seeds, p, testCommitInterval, smallChunks)
	waitCommitted(t, seeds, 20*time.Second)
	a.stop(t)
	l, _ := readStateLog(t, seeds)
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for part := range int32(partitions) {
		m := l.recs[string(stateKey(group, events, part))]
		if m == nil || m.Chunks < 2 {
			t.Fatalf("partition %d: checkpoint %+v; want one in chunks", part, m)
		}
		partial := checkpoint{Group: group, Topic: events, Partition: part, Next: m.Next + 1000, Slot: 1 - m.Slot, Chunks: 3, Chunk: 0, Snapshot: []byte("\x01garbage")}
		rec := &kgo.Record{Topic: alerts + "-state", Partition: part, Key: partial.key(), Value: partial.encode()}
		if err := cl.ProduceSync(context.Background(), rec).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	b := startWith(t, seeds, p, testCommitInterval, smallChunks)
	produce(t, seeds, script(chunkHosts, 2))
	waitCommitted(t, seeds, 20*time.Second)
	b.stop(t)
	if st := b.c.Stats(); st.Restored != partitions || st.Events != 3*chunkHosts {
		t.Errorf("second member: %+v; want %d partitions restored, %d events read", st, partitions, 3*chunkHosts)
	}
	if logs := strings.Join(b.logs, "\n"); strings.Contains(logs, "corrupt") {
		t.Errorf("logs:\n%s", logs)
	}
	checkAlerts(t, seeds, chunkHosts)
	l, _ = readStateLog(t, seeds)
	checkLive(t, l)
}

// TestStateLog checks which checkpoint the state records of a partition
// give, record by record as compaction keeps them: the newest manifest,
// when every chunk it names is there with its offset.
func TestStateLog(t *testing.T) {
	man := func(next int64, slot, n int, snap string) checkpoint {
		return checkpoint{Group: group, Topic: events, Partition: 1, Next: next, Slot: slot, Chunks: n, Chunk: manifestChunk, Snapshot: []byte(snap)}
	}
	chunk := func(next int64, slot, i, n int) checkpoint {
		return checkpoint{Group: group, Topic: events, Partition: 1, Next: next, Slot: slot, Chunks: n, Chunk: i, Snapshot: fmt.Appendf(nil, "%d.%d", next, i)}
	}
	tomb := func(slot, i int) checkpoint { return checkpoint{Partition: -1, Slot: slot, Chunk: i} }
	for _, tc := range []struct {
		name  string
		recs  []checkpoint
		want  string // the restored parts, or "" for none
		live  [2]int
		warns int
	}{
		{"inline", []checkpoint{man(5, 0, 0, "s5")}, "s5", [2]int{}, 0},
		{"chunks", []checkpoint{chunk(5, 1, 0, 2), chunk(5, 1, 1, 2), man(5, 1, 2, "")}, "5.0 5.1", [2]int{0, 2}, 0},
		{"interrupted", []checkpoint{chunk(5, 1, 0, 2), chunk(5, 1, 1, 2), man(5, 1, 2, ""), chunk(9, 0, 0, 3)}, "5.0 5.1", [2]int{1, 2}, 0},
		{"next in chunks after inline", []checkpoint{man(5, 0, 0, "s5"), chunk(9, 1, 0, 2), chunk(9, 1, 1, 2), man(9, 1, 2, "")}, "9.0 9.1", [2]int{0, 2}, 0},
		{"smaller, tombstones", []checkpoint{
			chunk(5, 1, 0, 3), chunk(5, 1, 1, 3), chunk(5, 1, 2, 3), man(5, 1, 3, ""),
			chunk(9, 0, 0, 2), chunk(9, 0, 1, 2), man(9, 0, 2, ""), tomb(1, 0), tomb(1, 1), tomb(1, 2)}, "9.0 9.1", [2]int{2, 0}, 0},
		{"tombstones lost", []checkpoint{
			chunk(5, 1, 0, 3), chunk(5, 1, 1, 3), chunk(5, 1, 2, 3), man(5, 1, 3, ""),
			chunk(9, 0, 0, 2), chunk(9, 0, 1, 2), man(9, 0, 2, "")}, "9.0 9.1", [2]int{2, 3}, 0},
		{"a chunk overwritten", []checkpoint{chunk(5, 1, 0, 2), chunk(5, 1, 1, 2), man(5, 1, 2, ""), chunk(9, 1, 1, 2)}, "", [2]int{}, 1},
		{"a chunk missing", []checkpoint{chunk(5, 1, 0, 2), man(5, 1, 2, "")}, "", [2]int{}, 1},
		{"a chunk deleted", []checkpoint{chunk(5, 1, 0, 2), chunk(5, 1, 1, 2), man(5, 1, 2, ""), tomb(1, 1)}, "", [2]int{}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &stateLog{group: group, topic: events, want: map[int32]bool{1: true}, recs: map[string]*checkpoint{}}
			for _, cp := range tc.recs {
				if cp.Partition < 0 {
					l.add(chunkKey(group, events, 1, cp.Slot, cp.Chunk), nil)
					continue
				}
				if err := l.add(cp.key(), cp.encode()); err != nil {
					t.Fatal(err)
				}
			}
			var warns []string
			got := l.newest(func(f string, args ...any) { warns = append(warns, fmt.Sprintf(f, args...)) })[1]
			var parts []string
			if got != nil {
				for _, b := range got.Parts {
					parts = append(parts, string(b))
				}
			}
			if s := strings.Join(parts, " "); s != tc.want || len(warns) != tc.warns || (got != nil && got.Live != tc.live) {
				t.Errorf("restored %q, live %+v, warnings %q; want %q, %v, %d", s, got, warns, tc.want, tc.live, tc.warns)
			}
		})
	}
}

// TestCheckpointInterrupted interrupts a member's checkpoint between its
// chunks and its manifest: the broker rejects the manifests (every
// record of the state topic whose key is a partition's manifest key),
// after the member has read part of phase 2 (the failed logons of step
// 6, so the state is still in chunks) and written its chunks. The member
// stops with nothing committed; the next one restores the checkpoints
// of the member before, whose chunks the interrupted one did not touch
// (it wrote to the other slot), and finds every alert.
func TestCheckpointInterrupted(t *testing.T) {
	kf, seeds := newKfake(t)
	p := testProgram(t)
	produce(t, seeds, script(chunkHosts, 1))
	a := startWith(t, seeds, p, testCommitInterval, smallChunks)
	waitCommitted(t, seeds, 20*time.Second)
	a.stop(t)

	var failing atomic.Bool
	failing.Store(true)
	var rejected atomic.Int64
	kf.ControlKey(int16(kmsg.Produce), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		req := kreq.(*kmsg.ProduceRequest)
		kf.KeepControl()
		if !failing.Load() || !producesTo(kf, req, alerts+"-state") || !hasManifest(t, req) {
			return nil, nil, false
		}
		rejected.Add(1)
		return rejectProduce(req), nil, true
	})
	var step6, rest []event
	for _, e := range script(chunkHosts, 2) {
		if e.step == 6 {
			step6 = append(step6, e)
		} else {
			rest = append(rest, e)
		}
	}
	b := startWith(t, seeds, p, testCommitInterval, func(c *Config) {
		smallChunks(c)
		c.Opts = append(c.Opts, kgo.ProducerBatchCompression(kgo.NoCompression())) // for hasManifest
	})
	produce(t, seeds, step6)
	if err := b.failed(t); err == nil || !strings.Contains(err.Error(), "writing the state of partition") || rejected.Load() == 0 {
		t.Fatalf("Run: %v, %d produce requests rejected", err, rejected.Load())
	}
	l, _ := readStateLog(t, seeds)
	partial := 0
	for _, cp := range l.recs {
		if m := l.recs[string(stateKey(group, events, cp.Partition))]; cp.Chunk != manifestChunk && cp.Next != m.Next {
			partial++
		}
	}
	if partial == 0 {
		t.Fatal("the interrupted member wrote no chunk")
	}
	t.Logf("%d chunk records of interrupted checkpoints", partial)

	failing.Store(false)
	c := startWith(t, seeds, p, testCommitInterval, smallChunks)
	produce(t, seeds, rest)
	waitCommitted(t, seeds, 20*time.Second)
	c.stop(t)
	if st := c.c.Stats(); st.Restored != partitions {
		t.Errorf("third member: %+v; want %d partitions restored", st, partitions)
	}
	if logs := strings.Join(c.logs, "\n"); strings.Contains(logs, "missing") || strings.Contains(logs, "corrupt") {
		t.Errorf("logs:\n%s", logs)
	}
	checkAlerts(t, seeds, chunkHosts)
	l, _ = readStateLog(t, seeds)
	checkLive(t, l)
}

// hasManifest reports whether req, uncompressed, produces a record whose
// key is a partition's manifest key.
func hasManifest(t *testing.T, req *kmsg.ProduceRequest) bool {
	for _, rt := range req.Topics {
		for _, rp := range rt.Partitions {
			var batch kmsg.RecordBatch
			if err := batch.ReadFrom(rp.Records); err != nil || batch.Attributes&7 != 0 {
				t.Errorf("a batch of the state topic that does not decode (compression %d): %v", batch.Attributes&7, err)
				return false
			}
			for b := batch.Records; len(b) > 0; {
				n, k := binary.Varint(b)
				if k <= 0 || int(n)+k > len(b) {
					t.Error("a record of the state topic that does not decode")
					return false
				}
				var r kmsg.Record
				if err := r.ReadFrom(b[:k+int(n)]); err != nil {
					t.Error(err)
					return false
				}
				if strings.Count(string(r.Key), "/") == 2 {
					return true
				}
				b = b[k+int(n):]
			}
		}
	}
	return false
}

// TestSplitState splits an engine's state (phase 1 of 600 hosts, some
// 80 KB) into chunks of at most limit bytes, restores them into an empty
// engine and compares: the same keys, the same snapshot size. A limit
// that fits the whole state gives it whole; one under a key's own state
// is an error.
func TestSplitState(t *testing.T) {
	p := testProgram(t)
	eng := phase1(t, p, chunkHosts)
	all := eng.Snapshot(nil)
	for _, limit := range []int{len(all), 16 << 10, 4 << 10, 2 << 10} {
		parts, err := splitState(eng, all, limit)
		if err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
		back := p.NewEngine()
		for _, b := range parts {
			if len(b) > limit {
				t.Errorf("limit %d: a chunk of %d bytes", limit, len(b))
			}
			if _, err := back.Restore(b); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := back.Stats().Total.Keys, eng.Stats().Total.Keys; got != want || len(back.Snapshot(nil)) != len(all) {
			t.Errorf("limit %d: %d chunks restore %d keys, %d snapshot bytes; want %d, %d", limit, len(parts), got, len(back.Snapshot(nil)), want, len(all))
		}
		if limit == len(all) && len(parts) != 1 {
			t.Errorf("a state that fits is split in %d", len(parts))
		}
		t.Logf("%d bytes in chunks of at most %d: %d chunks", len(all), limit, len(parts))
	}
	if _, err := splitState(eng, all, 50); err == nil || !strings.Contains(err.Error(), "a key's state is too large") {
		t.Errorf("a limit under a key's state: %v", err)
	}
}

// longKeys returns the test rules' engine after n cmd.exe events of as
// many hosts whose names are 1 KiB long, in one second: n sequences
// pending, each some 1 KiB of state.
func longKeys(t testing.TB, p *state.Program, n int) *state.Engine {
	rs := p.Ruleset()
	eng := p.NewEngine()
	rec := rs.NewRecord()
	var in state.Input
	pad := strings.Repeat("x", 1<<10)
	for i := range n {
		ev := fmt.Sprintf(`{"@timestamp":"2026-01-01T10:00:00Z","host":{"name":"%s%d"},"event":{"category":"process"},"process":{"name":"cmd.exe"}}`, pad, i)
		if err := rec.ResetJSON([]byte(ev)); err != nil {
			t.Fatal(err)
		}
		p.Split(rec, rs.MatchRecord(rec, nil), &in)
		eng.Step(int64(i+1), &in, func(*state.Alert) {})
	}
	return eng
}

// TestStateOverRecord checkpoints a partition whose state is over
// MaxStateBytes, the most a state record may hold (20,000 pending
// sequences of hosts with 1 KiB names, some 20 MiB), with the default
// StateChunk, to a state topic that New created (so of max.message.bytes
// MaxStateBytes, which kfake enforces), reads it back and restores it:
// the same keys, the same snapshot size. A smaller checkpoint after it
// deletes its chunks.
func TestStateOverRecord(t *testing.T) {
	seeds := newCluster(t)
	p := testProgram(t)
	eng := longKeys(t, p, 20000)
	all := eng.Snapshot(nil)
	if len(all) <= MaxStateBytes {
		t.Fatalf("a state of %d bytes", len(all))
	}
	ctx := context.Background()
	c, err := New(ctx, Config{Program: p, Topic: events, Group: group, Alerts: alerts, Opts: []kgo.Opt{kgo.SeedBrokers(seeds...)}, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	// The clients that Run makes.
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	stc, err := kgo.NewClient(kgo.SeedBrokers(seeds...), eventPartition, kgo.ProducerBatchMaxBytes(MaxStateBytes))
	if err != nil {
		t.Fatal(err)
	}
	defer stc.Close()
	c.cl, c.stc, c.deliver = cl, stc, ctx

	w := newWorker(c, 3)
	w.eng, w.next = eng, 1234
	if err := w.writeState(); err != nil {
		t.Fatal(err)
	}
	cps, err := c.loadCheckpoints(ctx, []int32{3})
	if err != nil {
		t.Fatal(err)
	}
	cp := cps[3]
	if cp == nil || cp.Next != 1234 || len(cp.Parts) < 3 {
		t.Fatalf("checkpoint read back: %+v", cp)
	}
	back := newWorker(c, 3)
	if err := back.restore(cp); err != nil {
		t.Fatal(err)
	}
	if got, want := back.eng.Stats().Total.Keys, eng.Stats().Total.Keys; got != want || len(back.eng.Snapshot(nil)) != len(all) {
		t.Errorf("restored %d keys, %d snapshot bytes; want %d, %d", got, len(back.eng.Snapshot(nil)), want, len(all))
	}
	t.Logf("a state of %d bytes in %d chunks", len(all), len(cp.Parts))

	w.eng, w.next = p.NewEngine(), 2000
	if err := w.writeState(); err != nil {
		t.Fatal(err)
	}
	l, _ := readStateLog(t, seeds)
	checkLive(t, l)
	if m := l.recs[string(stateKey(group, events, 3))]; m == nil || m.Next != 2000 || m.Chunks != 0 || len(l.recs) != 1 {
		t.Errorf("after a small checkpoint: %d live records, manifest %+v", len(l.recs), m)
	}
}

// BenchmarkSplitState measures what a checkpoint in chunks costs against
// one snapshot of the same state (TestStateOverRecord's, some 22 MB):
// each chunk is a pass over the state that encodes its keys only.
func BenchmarkSplitState(b *testing.B) {
	p := testProgram(b)
	eng := longKeys(b, p, 20000)
	b.Run("snapshot", func(b *testing.B) {
		for b.Loop() {
			eng.Snapshot(nil)
		}
	})
	b.Run("split", func(b *testing.B) {
		for b.Loop() {
			if _, err := splitState(eng, eng.Snapshot(nil), StateChunk); err != nil {
				b.Fatal(err)
			}
		}
	})
}
