package kafka

import (
	"testing"

	"github.com/ruleforge/ruleforge/state"
)

// FuzzCheckpoint reads state records as they come from the state topic,
// which anyone with write access can fill: decoding and restoring them
// must give an error or a state, never a panic, and a record that
// decodes is one the state log takes. The seeds include a checkpoint of
// the test rules' engine with pending sequences and correlations, and a
// chunk record (testdata/fuzz/FuzzCheckpoint).
func FuzzCheckpoint(f *testing.F) {
	p := testProgram(f)
	f.Add(seedCheckpoint(f, p))
	chunk := checkpoint{Group: group, Topic: events, Partition: 1, Next: 17, Slot: 1, Chunks: 2, Chunk: 1, Snapshot: p.NewEngine().Snapshot(nil)}
	f.Add(chunk.encode())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		cp, err := decodeCheckpoint(b)
		if err != nil {
			return
		}
		l := &stateLog{group: cp.Group, topic: cp.Topic, want: map[int32]bool{cp.Partition: true}, recs: map[string]*checkpoint{}}
		if err := l.add(cp.key(), b); err != nil {
			t.Fatal(err)
		}
		l.newest(func(string, ...any) {})
		eng := p.NewEngine()
		if _, err := eng.Restore(cp.Snapshot); err == nil {
			eng.Snapshot(nil)
		}
	})
}

// seedCheckpoint returns the state record of the test rules' engine
// after phase 1 of the script for three hosts.
func seedCheckpoint(t testing.TB, p *state.Program) []byte {
	eng := phase1(t, p, 3)
	cp := checkpoint{Group: group, Topic: events, Partition: 1, Next: 17, Chunk: manifestChunk, Snapshot: eng.Snapshot(nil)}
	return cp.encode()
}

// phase1 returns the test rules' engine after phase 1 of the script for
// hosts hosts, with pending sequences and correlations.
func phase1(t testing.TB, p *state.Program, hosts int) *state.Engine {
	rs := p.Ruleset()
	eng := p.NewEngine()
	var in state.Input
	for i, e := range script(hosts, 1) {
		rec, err := rs.NewRecord(), error(nil)
		if err = rec.ResetJSON([]byte(e.value)); err != nil {
			continue
		}
		p.Split(rec, rs.MatchRecord(rec, nil), &in)
		eng.Step(int64(i+1), &in, func(*state.Alert) {})
	}
	if eng.Stats().Total.Keys == 0 {
		t.Fatal("no pending state")
	}
	return eng
}
