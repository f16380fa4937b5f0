package kafka

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// TestAlertValue checks the JSON of alerts, single-event and stateful,
// byte for byte: a match hit line (input, event, rule fields), then the
// stateful rule's fields, then topic, partition and offset.
func TestAlertValue(t *testing.T) {
	risk := 47
	rule := &ir.Rule{Meta: ir.Meta{ID: "r1", Title: "T <1>", Severity: "high"}, Lang: ir.LangSigma, RiskScore: &risk}
	rule.Source.File = "rules/r1.yml"
	for _, tc := range []struct {
		rule   *ir.Rule
		desc   string
		fields []state.Field
		want   string
	}{
		{rule, "", nil, `{"input":"ev","event":8,"rule_id":"r1","title":"T \u003c1\u003e","language":"sigma","severity":"high","risk_score":47,"rule_file":"rules/r1.yml","topic":"ev","partition":3,"offset":7}`},
		{&ir.Rule{Meta: ir.Meta{ID: "s", Title: "S"}, Lang: ir.LangEQL}, `"computer":"h1"`, []state.Field{{Name: "sequence", Value: []int64{2, 8}}, {Name: "join", Value: []any{"h1"}}},
			`{"input":"ev","event":8,"rule_id":"s","title":"S","language":"eql","severity":"","computer":"h1","sequence":[2,8],"join":["h1"],"topic":"ev","partition":3,"offset":7}`},
		{&ir.Rule{Meta: ir.Meta{ID: "s", Title: "S"}, Lang: ir.LangEQL}, "", []state.Field{{Name: "bad", Value: func() {}}},
			`{"input":"ev","event":8,"rule_id":"s","title":"S","language":"eql","severity":"","bad":null,"topic":"ev","partition":3,"offset":7}`},
	} {
		if got := string(alertValue(tc.rule, []byte(tc.desc), "ev", 3, 7, tc.fields)); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// TestAlertKey checks that alert keys are fixed (the same hit, the same
// key, in every process and version: a change here makes a rerun's
// alerts look new downstream) and differ when any part differs, however
// the parts are split.
func TestAlertKey(t *testing.T) {
	// The first 16 bytes of SHA-256 of the parts, each after its length,
	// computed apart with Python's hashlib.
	if got, want := string(alertKey("r1", "ev", 3, 7, nil)), "df20458c00e9978396708bc2f5b56a0c"; got != want {
		t.Errorf("alertKey = %s, want %s", got, want)
	}
	keys := map[string]string{}
	for name, k := range map[string][]byte{
		"base":      alertKey("r1", "ev", 3, 7, nil),
		"rule":      alertKey("r2", "ev", 3, 7, nil),
		"topic":     alertKey("r1", "ew", 3, 7, nil),
		"partition": alertKey("r1", "ev", 4, 7, nil),
		"offset":    alertKey("r1", "ev", 3, 8, nil),
		"keys":      alertKey("r1", "ev", 3, 7, []state.Value{state.String("h1")}),
		"split":     alertKey("r1e", "v", 3, 7, nil),
		"join":      alertKey("r1", "ev", 3, 7, []state.Value{state.String("h"), state.String("1")}),
	} {
		if other, ok := keys[string(k)]; ok {
			t.Errorf("%s and %s have one key %s", name, other, k)
		}
		keys[string(k)] = name
	}
}

// TestCheckpoint checks that state records (manifests and chunks, and
// version 1's one record) read back as written and that damaged ones are
// errors, never panics.
func TestCheckpoint(t *testing.T) {
	for _, cp := range []checkpoint{
		{Group: "g", Topic: "ev", Partition: 5, Next: 1 << 40, Chunk: manifestChunk, Snapshot: []byte("\x01snap")},
		{Group: "g", Topic: "ev", Partition: 5, Next: 7, Slot: 1, Chunks: 3, Chunk: manifestChunk},
		{Group: "g", Topic: "ev", Partition: 5, Next: 7, Slot: 1, Chunks: 3, Chunk: 2, Snapshot: []byte("\x01part")},
	} {
		b := cp.encode()
		got, err := decodeCheckpoint(b)
		if err != nil || got.Group != cp.Group || got.Topic != cp.Topic || got.Partition != cp.Partition || got.Next != cp.Next ||
			got.Slot != cp.Slot || got.Chunks != cp.Chunks || got.Chunk != cp.Chunk || !bytes.Equal(got.Snapshot, cp.Snapshot) {
			t.Fatalf("decode(encode(%+v)) = %+v, %v", cp, got, err)
		}
		for i := range b {
			if _, err := decodeCheckpoint(b[:i]); err == nil {
				t.Errorf("a record cut at %d of %d bytes decodes", i, len(b))
			}
		}
		if _, err := decodeCheckpoint(append([]byte{3}, b[1:]...)); err == nil || err.Error() != "state record of version 3, want 2" {
			t.Errorf("another version: %v", err)
		}
		if _, err := decodeCheckpoint(append(b, 0)); err == nil {
			t.Error("a record with a byte left over decodes")
		}
	}
	for _, bad := range []checkpoint{
		{Slot: 2, Chunks: 3, Chunk: 0},
		{Chunks: 3, Chunk: 3},
		{Chunks: 0, Chunk: 0},
		{Chunks: 3, Chunk: manifestChunk, Snapshot: []byte("x")},
		{Chunks: MaxStateChunks + 1, Chunk: 0},
	} {
		if _, err := decodeCheckpoint(bad.encode()); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	// Version 1: group, topic, partition, next, snapshot.
	var e state.Encoder
	e.Uint(1)
	e.String("g")
	e.String("ev")
	e.Int(5)
	e.Int(9)
	e.String("\x01old")
	got, err := decodeCheckpoint(e.Bytes())
	if err != nil || got.Next != 9 || got.Chunk != manifestChunk || got.Chunks != 0 || string(got.Snapshot) != "\x01old" {
		t.Errorf("version 1: %+v, %v", got, err)
	}
}

// TestConfig checks Config's errors and defaults.
func TestConfig(t *testing.T) {
	p, err := state.Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "kafka: no rules (Config.Program)"},
		{Config{Program: p}, "kafka: no events topic (Config.Topic)"},
		{Config{Program: p, Topic: "e"}, "kafka: no consumer group (Config.Group)"},
		{Config{Program: p, Topic: "e", Group: "g"}, "kafka: no alerts topic (Config.Alerts)"},
		{Config{Program: p, Topic: "e", Group: "g", Alerts: "e"}, "kafka: the events, alerts and state topics must differ"},
		{Config{Program: p, Topic: "e", Group: "g", Alerts: "a", StateTopic: "a"}, "kafka: the events, alerts and state topics must differ"},
		{Config{Program: p, Topic: "e", Group: "g", Alerts: "a", StateChunkBytes: StateChunk + 1}, "kafka: a state chunk of 8388609 bytes is over the limit of 8388608 (Config.StateChunkBytes)"},
	} {
		if err := tc.cfg.check(); err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %s", tc.cfg, err, tc.want)
		}
	}
	cfg := Config{Program: p, Topic: "e", Group: "g", Alerts: "a"}
	if err := cfg.check(); err != nil || cfg.StateTopic != "a-state" || cfg.CommitInterval != CommitInterval || cfg.StateChunkBytes != StateChunk {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
}
