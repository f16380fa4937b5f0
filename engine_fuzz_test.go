package ruleforge_test

import (
	"bytes"
	"slices"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge"
)

// seedEngine compiles the three seed rules once for the fuzz target.
var seedEngine = sync.OnceValues(func() (*ruleforge.Engine, error) {
	rules, errs := ruleforge.Load("testdata/mofcomp_activity.eql", "testdata/execution_mofcomp.toml", "testdata/proc_creation_win_mofcomp_execution.yml")
	if len(errs) > 0 {
		return nil, errs
	}
	return ruleforge.Compile(rules)
})

// FuzzEngine feeds any bytes to Match and Stream: neither may panic, and
// where Match reads the bytes as one event, Stream reads one event with
// the same hits (one path, whatever the entry point).
func FuzzEngine(f *testing.F) {
	f.Add([]byte(`{"process":{"name":"mofcomp.exe","args":["mofcomp.exe","x.mof"]},"event":{"category":"process","type":"start"},"host":{"os":{"type":"windows"}}}`))
	f.Add([]byte(`{"Event":{"System":{"Provider":{"Name":"Microsoft-Windows-Sysmon"},"EventID":1},"EventData":{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe"}}}`))
	f.Add([]byte(`{"EventID":1,"Image":"C:\\x\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe"}`))
	f.Add([]byte("[{\"a\":1},\n {\"b\":2}]\n{\"c\":"))
	eng, err := seedEngine()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		hits, matchErr := eng.Match(data, nil)
		var results []ruleforge.Result
		st, err := eng.Stream(bytes.NewReader(data), func(res *ruleforge.Result) error {
			results = append(results, *res)
			return nil
		})
		if err != nil {
			t.Fatalf("Stream: %v", err)
		}
		if st.Events != len(results) || st.Bad+st.Matched+st.Unmatched != st.Events {
			t.Fatalf("stats %+v for %d results", st, len(results))
		}
		if matchErr != nil || len(results) != 1 || results[0].Err != nil || bytes.ContainsAny(data, "\n\r") {
			return
		}
		var a, b []string
		for _, h := range hits {
			a = append(a, h.Rule.ID)
		}
		for _, h := range results[0].Hits {
			b = append(b, h.Rule.ID)
		}
		if !slices.Equal(a, b) {
			t.Fatalf("Match hits %v, Stream %v", a, b)
		}
	})
}
