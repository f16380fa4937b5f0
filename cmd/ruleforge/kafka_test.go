package main

import (
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kfake"
)

// TestKafkaUsage checks the kafka command's usage errors (exit 2, a
// message naming what is wrong); runs against a cluster are package
// kafka's tests (TestKill runs this command as subprocesses).
func TestKafkaUsage(t *testing.T) {
	const rules = "../../testdata/mofcomp_activity.eql"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"kafka"}, "ruleforge kafka: no -brokers, -topic, -group, -alerts, -rules given\n"},
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-rules", rules}, "ruleforge kafka: no -alerts given\n"},
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-alerts", "a", "-rules", rules, "events.json"},
			"ruleforge kafka: unexpected argument \"events.json\": events come from -topic\n"},
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-alerts", "a", "-rules", rules, "-format", "xml"},
			"ruleforge kafka: -format: "},
		// The rule selection of match: a bad value, and rules that it all
		// leaves out (before any broker is asked).
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-alerts", "a", "-rules", rules, "-min-level", "severe"},
			"ruleforge kafka: -min-level \"severe\": want informational, low, medium, high or critical\n"},
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-alerts", "a", "-rules", rules, "-status", "beta"},
			"ruleforge kafka: -status \"beta\": want all or some of stable, test, experimental, deprecated, unsupported\n"},
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-alerts", "a", "-rules", rules, "-exclude", "testdata/none.txt"},
			"ruleforge kafka: -exclude: open testdata/none.txt: no such file or directory\n"},
		{[]string{"kafka", "-brokers", "127.0.0.1:1", "-topic", "e", "-group", "g", "-alerts", "a", "-rules", rules, "-min-level", "critical"},
			"ruleforge: left out 1 rules: 1 below -min-level critical\nruleforge kafka: no rules to run in " + rules + "\n"},
	} {
		code, _, stderr := runCLI("", tc.args...)
		if code != exitUsage || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d, %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}

// TestKafkaNoTopic checks that a missing events topic is an error that
// names it (exit 1), and that an unreachable broker is one too.
func TestKafkaNoTopic(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tc := range []struct{ brokers, want string }{
		{strings.Join(c.ListenAddrs(), ","), "ruleforge kafka: events topic events: UNKNOWN_TOPIC_OR_PARTITION"},
		{"127.0.0.1:1", "ruleforge kafka: listing topic events: unable to dial"},
	} {
		code, _, stderr := runCLI("", "kafka", "-brokers", tc.brokers, "-topic", "events", "-group", "g", "-alerts", "alerts", "-rules", "../../testdata/mofcomp_activity.eql")
		if code != exitBad || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("-brokers %s: exit %d, stderr %q; want %d, %q", tc.brokers, code, stderr, exitBad, tc.want)
		}
	}
}
