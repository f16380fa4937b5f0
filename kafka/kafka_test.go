package kafka

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ruleforge/ruleforge/match"
)

// TestOneMember runs one member over both phases of the script: every
// alert, committed to the end, the bad records reported and counted.
func TestOneMember(t *testing.T) {
	kf, seeds := newKfake(t)
	p := testProgram(t)
	const hosts = 30
	produce(t, seeds, script(hosts, 1))
	produce(t, seeds, script(hosts, 2))
	m := start(t, seeds, p)
	waitCommitted(t, seeds, 20*time.Second)
	st := m.c.Stats()
	m.stop(t)
	checkAlerts(t, seeds, hosts)
	if st.Bad != 12 || len(m.bad) != 12 || st.Events != hosts*8+12 || st.Hits != 3*hosts || st.Lag != 0 {
		t.Errorf("stats %+v, bad %q", st, m.bad)
	}
	// The topics it created: the events' partition count; the state
	// topic compacted, taking snapshots up to MaxStateBytes.
	for topic, want := range map[string]map[string]string{
		alerts:            {},
		alerts + "-state": {"cleanup.policy": "compact", "max.message.bytes": "16777216", "segment.ms": "600000"},
	} {
		info := kf.TopicInfo(topic)
		if info == nil || len(kf.PartitionInfos(topic)) != partitions {
			t.Errorf("topic %s: %+v", topic, info)
			continue
		}
		for k, v := range want {
			if got := info.Configs[k]; got == nil || *got != v {
				t.Errorf("topic %s: %s = %v, want %s", topic, k, got, v)
			}
		}
	}
}

// TestFailover runs phase 1 on one member, which commits and stops;
// another member, started afterwards, gets phase 2 and must complete
// every host's sequence and correlation from the state the first one
// checkpointed (no event of phase 1 is read again: all are committed).
func TestFailover(t *testing.T) {
	failover(t, newCluster(t))
}

// failover is TestFailover on the cluster of seeds.
func failover(t *testing.T, seeds []string) {
	failoverWith(t, seeds, 20, nil)
}

// failoverWith is failover with hosts hosts and edit, when set, changing
// both members' Config.
func failoverWith(t *testing.T, seeds []string, hosts int, edit func(*Config)) {
	t.Helper()
	p := testProgram(t)
	produce(t, seeds, script(hosts, 1))
	a := startWith(t, seeds, p, testCommitInterval, edit)
	waitCommitted(t, seeds, 20*time.Second)
	a.stop(t)
	if st := a.c.Stats(); st.Snapshots == 0 || st.Hits != int64(hosts) {
		t.Errorf("first member: %+v", st)
	}
	b := startWith(t, seeds, p, testCommitInterval, edit)
	produce(t, seeds, script(hosts, 2))
	waitCommitted(t, seeds, 20*time.Second)
	st := b.c.Stats()
	b.stop(t)
	if st.Events != int64(hosts*3) || st.Hits != int64(2*hosts) || st.Restored == 0 {
		t.Errorf("second member read %d events, produced %d alerts, restored %d partitions; want %d, %d, > 0", st.Events, st.Hits, st.Restored, hosts*3, 2*hosts)
	}
	checkAlerts(t, seeds, hosts)
}

// TestMembers runs two and three members in one group: the first reads
// phase 1 alone; the first third of phase 2 comes and the others join at
// once (a rebalance: the partitions they take are revoked from the first
// while it works on them, and move with their state); the second third
// comes, the first member leaves (another rebalance) and the rest comes.
// Every host's sequence and correlation straddle the rebalances; every
// alert is there.
func TestMembers(t *testing.T) {
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			kf, seeds := newKfake(t)
			p := testProgram(t)
			const hosts = 40
			ms := []*member{start(t, seeds, p)}
			produce(t, seeds, script(hosts, 1))
			waitCommitted(t, seeds, 20*time.Second)
			phase2 := script(hosts, 2)
			third := len(phase2) / 3
			produce(t, seeds, phase2[:third])
			for range n - 1 {
				ms = append(ms, start(t, seeds, p))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if _, err := kf.WaitGroupStable(ctx, group, n); err != nil {
				t.Fatal(err)
			}
			produce(t, seeds, phase2[third:2*third])
			ms[0].stop(t)
			produce(t, seeds, phase2[2*third:])
			waitCommitted(t, seeds, 30*time.Second)
			var total Stats
			for _, m := range ms {
				st := m.c.Stats()
				m.stop(t)
				total.Events += st.Events
				total.Bad += st.Bad
				total.Restored += st.Restored
				if m != ms[0] && st.Events == 0 {
					t.Errorf("a member read no event: %+v", st)
				}
			}
			if total.Events < hosts*8+16 || total.Bad < 16 || total.Restored == 0 {
				t.Errorf("members read %d events, %d bad, restored %d partitions; want at least %d, 16, 1", total.Events, total.Bad, total.Restored, hosts*8+16)
			}
			checkAlerts(t, seeds, hosts)
		})
	}
}

// TestProduceFailure makes the broker reject every produce request to the
// alerts topic (INVALID_RECORD, which kgo does not retry): the member
// stops with the error and has committed no partition past its first
// event with an alert. Once the broker accepts again, a new member
// produces every alert from there.
func TestProduceFailure(t *testing.T) {
	kf, seeds := newKfake(t)
	p := testProgram(t)
	const hosts = 30
	produce(t, seeds, script(hosts, 1))
	produce(t, seeds, script(hosts, 2))
	var failing atomic.Bool
	failing.Store(true)
	kf.ControlKey(int16(kmsg.Produce), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		req := kreq.(*kmsg.ProduceRequest)
		if !failing.Load() || !producesTo(kf, req, alerts) {
			return nil, nil, false
		}
		kf.KeepControl()
		return rejectProduce(req), nil, true
	})
	m := start(t, seeds, p)
	if err := m.failed(t); err == nil || !strings.Contains(err.Error(), "producing an alert of partition") {
		t.Errorf("Run: %v", err)
	}
	// The first event with an alert in each partition: every host's
	// step 5 comes before its steps 6 and 7.
	first := map[int32]int64{}
	for _, r := range readAll(t, seeds, events) {
		if bytes.Contains(r.Value, []byte(`"step":5,`)) {
			if o, ok := first[r.Partition]; !ok || r.Offset < o {
				first[r.Partition] = r.Offset
			}
		}
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	com, _ := kadm.NewClient(cl).FetchOffsets(context.Background(), group)
	com.Each(func(o kadm.OffsetResponse) {
		if o.At > first[o.Partition] {
			t.Errorf("partition %d committed to %d, past its first alert's event at %d", o.Partition, o.At, first[o.Partition])
		}
	})
	failing.Store(false)
	start(t, seeds, p)
	waitCommitted(t, seeds, 20*time.Second)
	checkAlerts(t, seeds, hosts)
}

// failed waits for the member to stop on its own, with an error, and
// returns that error (not reported at cleanup: it is expected).
func (m *member) failed(t *testing.T) error {
	t.Helper()
	select {
	case <-m.done:
	case <-time.After(20 * time.Second):
		t.Fatal("the member did not stop")
	}
	m.cancel()
	m.cancel = nil
	return m.err
}

// rejectProduce returns the response that rejects every batch of req
// with INVALID_RECORD.
func rejectProduce(req *kmsg.ProduceRequest) *kmsg.ProduceResponse {
	resp := req.ResponseKind().(*kmsg.ProduceResponse)
	for _, rt := range req.Topics {
		st := kmsg.NewProduceResponseTopic()
		st.Topic, st.TopicID = rt.Topic, rt.TopicID
		for _, rp := range rt.Partitions {
			sp := kmsg.NewProduceResponseTopicPartition()
			sp.Partition, sp.ErrorCode = rp.Partition, kerr.InvalidRecord.Code
			st.Partitions = append(st.Partitions, sp)
		}
		resp.Topics = append(resp.Topics, st)
	}
	return resp
}

// producesTo reports whether req produces to topic, by name or by ID.
func producesTo(kf *kfake.Cluster, req *kmsg.ProduceRequest, topic string) bool {
	info := kf.TopicInfo(topic)
	for _, rt := range req.Topics {
		if rt.Topic == topic || (info != nil && rt.TopicID == info.TopicID) {
			return true
		}
	}
	return false
}

// TestIdleCommit checks the bound with the default CommitInterval:
// a member whose input went idle has committed everything it processed
// within 5 s.
func TestIdleCommit(t *testing.T) {
	seeds := newCluster(t)
	m := startEvery(t, seeds, testProgram(t), 0)
	produce(t, seeds, script(10, 1))
	start := time.Now()
	waitCommitted(t, seeds, 5*time.Second)
	t.Logf("committed %v after the last event was produced", time.Since(start))
	m.stop(t)
}

// TestBadStateRecord writes state records that do not decode, and one
// that decodes but holds a corrupt snapshot, for every partition: the
// member reports them, starts those partitions without state from their
// committed offset (none: the start), and finds every alert.
func TestBadStateRecord(t *testing.T) {
	seeds := newCluster(t)
	p := testProgram(t)
	const hosts = 20
	m := start(t, seeds, p) // creates the topics
	m.stop(t)
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for part := range int32(partitions) {
		key := stateKey(group, events, part)
		bad := checkpoint{Group: group, Topic: events, Partition: part, Next: 3, Chunk: manifestChunk, Snapshot: []byte("\x01garbage")}
		recs := []*kgo.Record{
			{Topic: alerts + "-state", Partition: part, Key: key, Value: []byte("not a checkpoint")},
			{Topic: alerts + "-state", Partition: part, Key: key, Value: bad.encode()},
		}
		if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	produce(t, seeds, script(hosts, 1))
	produce(t, seeds, script(hosts, 2))
	m = start(t, seeds, p)
	waitCommitted(t, seeds, 20*time.Second)
	m.stop(t)
	checkAlerts(t, seeds, hosts)
	logs := strings.Join(m.logs, "\n")
	if strings.Count(logs, ": state record of version 110, want 2; ignored") != partitions || // "n", of "not a checkpoint"
		strings.Count(logs, ": state snapshot is corrupt: not a ruleforge state snapshot; starting with no state from the committed offset") != partitions {
		t.Errorf("logs:\n%s", logs)
	}
}

// TestAlertBatches produces alerts of 600 KB (Describe's fields), batched
// by the user's linger, to an alerts topic of the broker's default
// max.message.bytes (1 MiB, which kfake enforces as Kafka does: a larger
// batch is rejected with MESSAGE_TOO_LARGE): the alerts' batches must fit
// the topic, not the state topic's MaxStateBytes, or the member stops at
// the first burst of alerts.
func TestAlertBatches(t *testing.T) {
	seeds := newCluster(t)
	const hosts = 24 // two evil.exe hits a partition
	produce(t, seeds, script(hosts, 1))
	pad := make([]byte, 450<<10) // random: kgo compresses batches
	rand.NewChaCha8([32]byte{}).Read(pad)
	big := []byte(`"pad":"` + base64.StdEncoding.EncodeToString(pad) + `"`)
	m := startWith(t, seeds, testProgram(t), testCommitInterval, func(c *Config) {
		c.Opts = append(c.Opts, kgo.ProducerLinger(500*time.Millisecond))
		c.Describe = func(*match.Record) []byte { return big }
	})
	waitCommitted(t, seeds, 20*time.Second)
	m.stop(t)
	if st := m.c.Stats(); st.Hits < hosts {
		t.Errorf("stats %+v", st)
	}
	if n := len(readAll(t, seeds, alerts)); n < hosts {
		t.Errorf("%d alerts, want %d", n, hosts)
	}
}

// TestStopUnreachable stops a member whose broker went away with work
// not committed (a long CommitInterval): Run gives up after StopTimeout
// and returns an error saying the last work is not committed (the CLI
// then exits 1, not 0), rather than waiting for the broker forever.
func TestStopUnreachable(t *testing.T) {
	kf, seeds := newKfake(t)
	produce(t, seeds, script(10, 1))
	m := startWith(t, seeds, testProgram(t), time.Hour, func(c *Config) { c.StopTimeout = time.Second })
	for deadline := time.Now().Add(20 * time.Second); m.c.Stats().Hits < 10; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v", m.c.Stats())
		}
	}
	kf.Close()
	start := time.Now()
	m.cancel()
	m.cancel = nil // stopped here
	select {
	case <-m.done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run still running 20 s after it was asked to stop, with StopTimeout 1 s")
	}
	t.Logf("Run returned %v after it was asked to stop: %v", time.Since(start), m.err)
	if m.err == nil || !strings.Contains(m.err.Error(), "not delivered within 1s") {
		t.Errorf("Run: %v, want the StopTimeout's error", m.err)
	}
	if st := m.c.Stats(); st.Commits != 0 {
		t.Errorf("stats %+v: commits", st)
	}
}

// TestExistingTopics creates the alerts and state topics beforehand
// (3 partitions, not the events' 12) and refuses every CreateTopics
// request as a broker does for a principal without the CREATE
// permission, even for an existing topic (Kafka checks the permission
// first: KafkaApis.handleCreateTopicsRequest): the member uses the
// topics as they are, and every alert is produced.
func TestExistingTopics(t *testing.T) {
	kf, seeds := newKfake(t)
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := kadm.NewClient(cl).CreateTopics(context.Background(), 3, -1, nil, alerts, alerts+"-state"); err != nil {
		t.Fatal(err)
	}
	kf.ControlKey(int16(kmsg.CreateTopics), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		kf.KeepControl()
		req := kreq.(*kmsg.CreateTopicsRequest)
		resp := req.ResponseKind().(*kmsg.CreateTopicsResponse)
		for _, rt := range req.Topics {
			st := kmsg.NewCreateTopicsResponseTopic()
			st.Topic, st.ErrorCode = rt.Topic, kerr.TopicAuthorizationFailed.Code
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
	failover(t, seeds) // the state restored through the 3-partition state topic
}
