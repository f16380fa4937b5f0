package kafka_test

import (
	"context"
	"fmt"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/kafka"
	"github.com/ruleforge/ruleforge/state"
)

// Run a member of group "detect" over topic "events" (here on an
// in-process cluster; a deployment passes its brokers, TLS and SASL in
// Opts), and read the alert it produces for an event.
func Example() {
	cluster := kfake.MustCluster(kfake.SeedTopics(1, "events"))
	defer cluster.Close()
	opts := []kgo.Opt{kgo.SeedBrokers(cluster.ListenAddrs()...)}
	ctx, stop := context.WithCancel(context.Background())

	rule, err := eql.ParseRule("evil.eql", []byte(`process where process.name == "evil.exe"`))
	if err != nil {
		panic(err)
	}
	p, err := state.Compile([]*ir.Rule{rule})
	if err != nil {
		panic(err)
	}
	member, err := kafka.New(ctx, kafka.Config{Program: p, Topic: "events", Group: "detect", Alerts: "alerts", Opts: opts})
	if err != nil {
		panic(err)
	}
	done := make(chan error)
	go func() { done <- member.Run(ctx) }()

	cl, err := kgo.NewClient(append(opts, kgo.ConsumeTopics("alerts"))...)
	if err != nil {
		panic(err)
	}
	defer cl.Close()
	event := `{"event":{"category":"process"},"process":{"name":"evil.exe"},"host":{"name":"h1"}}`
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "events", Key: []byte("h1"), Value: []byte(event)}).FirstErr(); err != nil {
		panic(err)
	}
	alert := cl.PollFetches(ctx).Records()[0]
	fmt.Printf("key %s\n%s\n", alert.Key, alert.Value)

	stop() // as SIGTERM: finish, commit, leave the group
	fmt.Println("run:", <-done, "events:", member.Stats().Events)
	// Output:
	// key d2dae6ca3556bf3b5e761888cad6b9e5
	// {"input":"events","event":1,"rule_id":"evil","title":"evil","language":"eql","severity":"","rule_file":"evil.eql","topic":"events","partition":0,"offset":0}
	// run: <nil> events: 1
}
