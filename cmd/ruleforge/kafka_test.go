package main

import (
	"strings"
	"testing"
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
	} {
		code, _, stderr := runCLI("", tc.args...)
		if code != exitUsage || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d, %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}
