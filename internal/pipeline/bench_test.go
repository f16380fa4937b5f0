package pipeline

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
)

// benchInput is 64 MB of ECS process events, nine in ten benign, and how
// many there are.
var benchInput = sync.OnceValues(func() ([]byte, int) {
	var in bytes.Buffer
	n := 0
	for in.Len() < 64<<20 {
		name := "svchost.exe"
		if n%10 == 9 {
			name = "mofcomp.exe"
		}
		fmt.Fprintf(&in, `{"@timestamp":"2026-11-25T00:00:00.%03dZ","event":{"category":["process"],"type":["start"],"kind":"event"},`+
			`"host":{"os":{"type":"windows"},"name":"ws-%d"},"process":{"pid":%d,"name":"%s","executable":"C:\\Windows\\System32\\%s",`+
			`"command_line":"C:\\Windows\\System32\\%s C:\\Users\\Public\\evil.mof","args":["C:\\Windows\\System32\\%s","C:\\Users\\Public\\evil.mof"],`+
			`"pe":{"original_file_name":"%s"},"parent":{"name":"cmd.exe","pid":%d}},"user":{"name":"user%d","id":"S-1-5-21-1-2-3-1001"}}`+"\n",
			n%1000, n%100, 1000+n%9000, name, name, name, name, name, 500+n%500, n%50)
		n++
	}
	return in.Bytes(), n
})

// benchRuleset compiles the seed rules BenchmarkRun matches.
func benchRuleset(b *testing.B) *match.Ruleset {
	var rules []string
	for _, name := range []string{"mofcomp_activity.eql", "proc_creation_win_mofcomp_execution.yml"} {
		rules = append(rules, filepath.Join("..", "..", "testdata", name))
	}
	return compile.MustCompile(mustLoad(b, rules...))
}

// BenchmarkRun streams benchInput, held in memory, through Run with the
// seed rules, one worker per CPU (go test -bench Run -cpu 1,2 compares
// them); one op is one pass over the input, ns/event the time per event.
func BenchmarkRun(b *testing.B) {
	in, n := benchInput()
	benchRun(b, in, n)
}

// benchRun streams in, n events, through Run with the seed rules, one
// worker per CPU, once per op.
func benchRun(b *testing.B, in []byte, n int) {
	rs := benchRuleset(b)
	runtime.GC()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		st, err := Run(Config{Ruleset: rs, Workers: runtime.GOMAXPROCS(0)}, bytes.NewReader(in), func(*Result) error { return nil })
		if err != nil || st.Events != n {
			b.Fatal(st, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/event")
}

// BenchmarkRunArray is BenchmarkRun over benchInput written as one JSON
// array, each element on a line of its own, indented: one stream reader
// frames it all (no line opens with "{"), checking before each element
// that it has arrived whole (source.ready).
func BenchmarkRunArray(b *testing.B) {
	lines, n := benchInput()
	in := append([]byte("[\n  "), bytes.ReplaceAll(bytes.TrimSuffix(lines, []byte("\n")), []byte("\n"), []byte(",\n  "))...)
	in = append(in, "\n]\n"...)
	benchRun(b, in, n)
}

// BenchmarkWork is BenchmarkRun's work without the pipeline: each CPU reads
// and matches the events of benchInput, already split, with a worker of
// its own (go test -bench Work -cpu 1,2); one op is one event.
func BenchmarkWork(b *testing.B) {
	rs := benchRuleset(b)
	in, _ := benchInput()
	events := bytes.Split(bytes.TrimSpace(in), []byte("\n"))
	var start atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := newWorker(Config{Ruleset: rs})
		var res Result
		i := len(events) / 2 * int(start.Add(1)) // each CPU its own part
		for pb.Next() {
			res.Hits = res.Hits[:0]
			w.event(&res, events[i%len(events)], 1)
			i++
		}
	})
}
