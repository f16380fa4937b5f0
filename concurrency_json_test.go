package ruleforge_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
)

// TestConcurrentMatchJSONResume shares the SigmaHQ Windows ruleset among
// goroutines that each read the regression events as JSON lines with a
// record of their own (Record.ResetJSON), in an order of their own that
// interleaves the cases' files, so that each record's keyword scan
// resumes from its own last line (matcher.Resume): lines alike, and the
// same lines with Mimikatz keywords added at their end and (thrice, the
// last with another end) at their start, each
// must match the rules that Match finds in the line parsed (run it with
// -race).
func TestConcurrentMatchJSONResume(t *testing.T) {
	rs, err := compile.Compile(corpusRules(t, "sigmahq/rules/windows"))
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	for _, raw := range regressionJSON(t) {
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil || b.Len() < 2 {
			t.Fatal(err)
		}
		line := b.Bytes()
		start := slices.Concat([]byte(`{"Zk":"sekurlsa\u003a\u003a","Z":`), line)
		lines = append(lines, line, line,
			slices.Concat(line[:len(line)-1], []byte(`,"Zk":"privilege::debug \ud83d\ude00"}`)),
			slices.Concat(start, []byte(`}`)), slices.Concat(start, []byte(`}`)), slices.Concat(start, []byte(`,"Y":1}`)), line)
	}
	if raceEnabled {
		lines = lines[:len(lines)/8]
	}
	want := make([][]int, len(lines))
	for i, l := range lines {
		ev, err := match.ParseJSON(l)
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		want[i] = rs.Match(ev, nil)
	}
	inOrders(t, rs, len(lines), func() func(rec *match.Record, k int) string {
		return func(rec *match.Record, k int) string { // goroutine 0's lines in order: each shares its start with the last
			if err := rec.ResetJSON(lines[k]); err != nil {
				return err.Error()
			}
			if got := rs.MatchRecord(rec, nil); !slices.Equal(got, want[k]) {
				return fmt.Sprintf("MatchRecord %v, Match of the line parsed %v", got, want[k])
			}
			return ""
		}
	})
}
