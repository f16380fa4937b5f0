package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/internal/pipeline"
)

// BenchmarkHuntFields measures what the fields of matched events cost:
// the SigmaHQ Windows rules over the SigmaHQ regression events (Windows
// records, most of which some rule matches), on one worker, without the
// hunt hooks (plain), with them (fields), and with -explain.
func BenchmarkHuntFields(b *testing.B) {
	shared := filepath.Join("..", "..", "..", "shared", "corpus")
	prog, _, _ := loadRules(ruleforge.Loader{}, []string{filepath.Join(shared, "sigmahq", "rules", "windows")}, os.Stderr)
	files, _ := filepath.Glob(filepath.Join(shared, "sigma-regression", "*", "events.json"))
	rs := prog.Ruleset()
	if len(files) == 0 || rs.Len() == 0 {
		b.Skip("the shared corpus is absent")
	}
	var input bytes.Buffer
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		input.Write(data)
		input.WriteByte('\n')
	}
	for _, mode := range []string{"plain", "fields", "explain"} {
		b.Run(mode, func(b *testing.B) {
			cfg := pipeline.Config{Ruleset: rs, Program: prog, Workers: 1}
			if mode != "plain" {
				h := &hunt{fields: newFieldReader(true), sel: &selection{}, explain: mode == "explain"}
				h.configure(&cfg)
			}
			b.ReportAllocs()
			b.SetBytes(int64(input.Len()))
			var st pipeline.Stats
			for b.Loop() {
				st, _ = pipeline.Run(cfg, bytes.NewReader(input.Bytes()), func(*pipeline.Result) error { return nil })
			}
			b.ReportMetric(float64(st.Events)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(st.Matched)/float64(st.Events), "matched/event")
		})
	}
}
