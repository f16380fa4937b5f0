package evtx

import (
	"io"
	"os"

	"github.com/ruleforge/ruleforge/internal/cputime"
	"testing"
)

func BenchmarkTmpAppendValues(b *testing.B) {
	var chunks [][]byte
	for _, path := range corpusFiles(b)[:200] {
		data, _ := os.ReadFile(path)
		chunks = append(chunks, fileChunks(b, data)...)
	}
	for _, withValues := range []bool{false, true} {
		b.Run(map[bool]string{false: "next", true: "values"}[withValues], func(b *testing.B) {
			dec := NewDecoder()
			var vs []Value
			n := 0
			start := cputime.Used()
			for b.Loop() {
				for _, c := range chunks {
					if dec.Reset(&Chunk{data: c}) != nil {
						continue
					}
					for {
						r, err := dec.Next()
						if err == io.EOF {
							break
						}
						if err != nil || r.Shape() == 0 {
							continue
						}
						n++
						if withValues {
							vs = r.AppendValues(vs[:0])
						}
					}
				}
			}
			b.ReportMetric(float64((cputime.Used()-start).Nanoseconds())/float64(n), "cpu-ns/planned")
		})
	}
}
