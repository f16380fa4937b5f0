package kafka

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/state"
)

// The topics and group of the tests.
const (
	events     = "events"
	alerts     = "alerts"
	group      = "detect"
	partitions = 12
)

// newCluster starts an in-process Kafka cluster (kfake, on 127.0.0.1)
// with the events topic, stopped when the test ends, and returns its
// addresses.
func newCluster(t testing.TB) []string {
	_, seeds := newKfake(t)
	return seeds
}

// newKfake is newCluster, returning the cluster too.
func newKfake(t testing.TB) (*kfake.Cluster, []string) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, events),
		kfake.GroupMinSessionTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, c.ListenAddrs()
}

// testProgram compiles the rules of testdata/rules: a single-event EQL
// rule (evil.exe), an EQL sequence by host.name and a Sigma event_count
// correlation by host.name.
func testProgram(t testing.TB) *state.Program {
	t.Helper()
	rules, errs := ruleforge.Load("testdata/rules")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p, err := state.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// event is one test event: its host (the record key, by which the
// producer partitions) and its value.
type event struct {
	host  string
	step  int // its step in the host's script (see script)
	value string
}

// script returns the events of phase 1 or 2 for hosts h0…h(n-1),
// interleaved in time order. Each host's script is
//
//	1 explorer.exe   2 cmd.exe   3 failed logon   4 failed logon   5 evil.exe   (phase 1)
//	6 failed logon   7 network to port 445   8 explorer.exe                     (phase 2)
//
// so that each host completes the sequence at step 7, the correlation
// (three failed logons) at step 6, and the single-event rule hits at step
// 5: a failover between the phases straddles both stateful rules.
// Phase 1 also has two bad records (not a JSON object) on every fifth host.
func script(n, phase int) []event {
	steps := map[int][]int{1: {1, 2, 3, 4, 5}, 2: {6, 7, 8}}[phase]
	var evs []event
	for k, s := range steps {
		for h := range n {
			host := fmt.Sprintf("h%d", h)
			ts := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration((s-1)*n+h) * time.Second).Format(time.RFC3339)
			var body string
			switch s {
			case 1, 8:
				body = `"event":{"category":"process"},"process":{"name":"explorer.exe"}`
			case 2:
				body = `"event":{"category":"process"},"process":{"name":"cmd.exe"}`
			case 3, 4, 6:
				body = `"event":{"category":"authentication","outcome":"failure"}`
			case 5:
				body = `"event":{"category":"process"},"process":{"name":"evil.exe"}`
			case 7:
				body = `"event":{"category":"network"},"destination":{"port":445}`
			}
			evs = append(evs, event{host, s, fmt.Sprintf(`{"@timestamp":%q,"host":{"name":%q},"step":%d,%s}`, ts, host, s, body)})
			if phase == 1 && k == 0 && h%5 == 0 {
				evs = append(evs, event{host, 0, `not json ` + host}, event{host, 0, `[1,2]`})
			}
		}
	}
	return evs
}

// produce writes evs to the events topic, keyed by host.
func produce(t testing.TB, seeds []string, evs []event) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	recs := make([]*kgo.Record, len(evs))
	for i, e := range evs {
		recs[i] = &kgo.Record{Topic: events, Key: []byte(e.host), Value: []byte(e.value)}
	}
	if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// readAll returns every record of topic, to its end offsets.
func readAll(t testing.TB, seeds []string, topic string) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumeTopics(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	left := 0
	ends.Each(func(o kadm.ListedOffset) { left += int(o.Offset) })
	var recs []*kgo.Record
	for len(recs) < left {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("read %d of %d records of %s", len(recs), left, topic)
		}
		recs = append(recs, fs.Records()...)
	}
	return recs
}

// waitCommitted waits until the group has committed every partition of
// the events topic to its end.
func waitCommitted(t testing.TB, seeds []string, within time.Duration) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx := context.Background()
	deadline := time.Now().Add(within)
	for {
		ends, err := adm.ListEndOffsets(ctx, events)
		if err != nil {
			t.Fatal(err)
		}
		com, _ := adm.FetchOffsets(ctx, group) // an error until the group exists
		behind := 0
		ends.Each(func(o kadm.ListedOffset) {
			if c, ok := com.Lookup(events, o.Partition); o.Offset > 0 && (!ok || c.At < o.Offset) {
				behind++
			}
		})
		if behind == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, %d partitions are not committed to their end", within, behind)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// member is a Consumer running in the test process.
type member struct {
	c      *Consumer
	cancel context.CancelFunc
	done   chan struct{} // closed when Run returned, err set
	err    error
	mu     sync.Mutex
	bad    []string
	logs   []string
}

// testCommitInterval is the members' CommitInterval in tests: short, for
// fast tests (TestIdleCommit runs the default).
const testCommitInterval = 100 * time.Millisecond

// start runs a member of the group with the test rules.
func start(t testing.TB, seeds []string, p *state.Program) *member {
	return startEvery(t, seeds, p, testCommitInterval)
}

// startEvery is start with a commit interval.
func startEvery(t testing.TB, seeds []string, p *state.Program, every time.Duration) *member {
	t.Helper()
	return startWith(t, seeds, p, every, nil)
}

// startWith is startEvery with edit, when set, changing the member's
// Config before New.
func startWith(t testing.TB, seeds []string, p *state.Program, every time.Duration, edit func(*Config)) *member {
	t.Helper()
	m := &member{done: make(chan struct{})}
	cfg := Config{
		Program: p, Topic: events, Group: group, Alerts: alerts,
		CommitInterval: every, SessionTimeout: 2 * time.Second,
		// A fetch waits for data up to FetchMaxWait (5 s) before it asks
		// for partitions assigned meanwhile: shorter, for fast tests.
		Opts: []kgo.Opt{kgo.SeedBrokers(seeds...), kgo.FetchMaxWait(200 * time.Millisecond)},
		Bad: func(b *BadRecord) {
			m.mu.Lock()
			m.bad = append(m.bad, b.Error())
			m.mu.Unlock()
		},
		Logf: func(f string, args ...any) {
			m.mu.Lock()
			m.logs = append(m.logs, fmt.Sprintf(f, args...))
			m.mu.Unlock()
			t.Logf(f, args...)
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.c, m.cancel = c, cancel
	go func() { m.err = c.Run(ctx); close(m.done) }()
	t.Cleanup(func() { m.stop(t) })
	return m
}

// stop ends the member's run as SIGTERM does, once.
func (m *member) stop(t testing.TB) {
	if m.cancel == nil {
		return
	}
	m.cancel()
	m.cancel = nil
	if <-m.done; m.err != nil {
		t.Errorf("Run: %v", m.err)
	}
}

// checkAlerts checks the alerts topic against the script of n hosts with
// both phases: each host's single-event hit at step 5, correlation at
// step 6 and sequence at step 7, each present at least once, nothing
// else; every copy of an alert has the same key and value, and the key is
// the alert's (rule, topic, partition, offset) hash.
func checkAlerts(t *testing.T, seeds []string, n int) {
	t.Helper()
	type pos struct {
		part int32
		off  int64
	}
	byPos := map[pos]event{}
	for _, r := range readAll(t, seeds, events) {
		var ev struct {
			Host struct{ Name string }
			Step int
		}
		json.Unmarshal(r.Value, &ev)
		byPos[pos{r.Partition, r.Offset}] = event{host: ev.Host.Name, step: ev.Step}
	}
	wantStep := map[string]int{"evil": 5, "0c2e9a1e-0000-4000-8000-000000000001": 6, "cmd_then_smb": 7}
	type hit struct {
		rule, host string
	}
	got := map[hit]int{}
	keys := map[string]string{} // key → value
	all := readAll(t, seeds, alerts)
	nparts := alertPartitions(t, seeds)
	t.Logf("%d alerts, %d of them duplicates", len(all), len(all)-3*n)
	for _, r := range all {
		var a struct {
			RuleID    string `json:"rule_id"`
			Event     int64
			Topic     string
			Partition int32
			Offset    int64
		}
		if err := json.Unmarshal(r.Value, &a); err != nil {
			t.Fatalf("alert %s: %v", r.Value, err)
		}
		ev, ok := byPos[pos{a.Partition, a.Offset}]
		switch {
		case !ok || a.Topic != events || a.Event != a.Offset+1:
			t.Errorf("alert of no event: %s", r.Value)
			continue
		case wantStep[a.RuleID] != ev.step:
			t.Errorf("unexpected alert at step %d of %s: %s", ev.step, ev.host, r.Value)
		case r.Partition != a.Partition%nparts:
			t.Errorf("alert in partition %d of %d, its event in %d", r.Partition, nparts, a.Partition)
		}
		got[hit{a.RuleID, ev.host}]++
		if v, ok := keys[string(r.Key)]; ok && v != string(r.Value) {
			t.Errorf("key %s has two values:\n%s\n%s", r.Key, v, r.Value)
		}
		keys[string(r.Key)] = string(r.Value)
		var ks []state.Value
		if a.RuleID != "evil" {
			ks = []state.Value{state.String(ev.host)}
		}
		if k := alertKey(a.RuleID, a.Topic, a.Partition, a.Offset, ks); string(k) != string(r.Key) {
			t.Errorf("key %s, want %s, of %s", r.Key, k, r.Value)
		}
	}
	for h := range n {
		for rule := range wantStep {
			if got[hit{rule, fmt.Sprintf("h%d", h)}] == 0 {
				t.Errorf("no alert of %s for h%d", rule, h)
			}
		}
	}
	if len(keys) != 3*n {
		t.Errorf("%d distinct alerts, want %d", len(keys), 3*n)
	}
}

// alertPartitions returns the partition count of the alerts topic.
func alertPartitions(t testing.TB, seeds []string) int32 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	tds, err := kadm.NewClient(cl).ListTopics(context.Background(), alerts)
	if err != nil || tds[alerts].Err != nil {
		t.Fatalf("topic %s: %v %v", alerts, err, tds[alerts].Err)
	}
	return int32(len(tds[alerts].Partitions))
}
