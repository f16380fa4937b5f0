package pipeline

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/match"
)

// corpus is the shared corpus folder, relative to this package.
const corpus = "../../../shared/corpus"

// evtxCorpus holds the corpus's .evtx files and their records as evtx-JSON
// (what ruleforge dump writes), each file's as one NDJSON text.
type evtxCorpus struct {
	files, dumps [][]byte
	records      int
}

var loadEVTXCorpus = sync.OnceValues(func() (*evtxCorpus, error) {
	c := &evtxCorpus{}
	err := filepath.WalkDir(filepath.Join(corpus, "evtx"), func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".evtx") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		r, err := evtx.NewReader(bytes.NewReader(data))
		if err != nil {
			return err
		}
		var dump []byte
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			dump = append(rec.AppendJSON(dump), '\n')
			c.records++
		}
		c.files, c.dumps = append(c.files, data), append(c.dumps, dump)
		return nil
	})
	return c, err
})

// windowsRuleset compiles the SigmaHQ Windows rules.
var windowsRuleset = sync.OnceValues(func() (*match.Ruleset, error) { return compileCorpus("sigmahq", "rules", "windows") })

// compileCorpus compiles the rules of a folder of the shared corpus.
func compileCorpus(dir ...string) (*match.Ruleset, error) {
	rules, _ := ruleforge.Load(filepath.Join(append([]string{corpus}, dir...)...))
	return compile.Compile(rules)
}

// benchEVTX runs the SigmaHQ Windows rules over every record of the .evtx
// corpus on one worker, from the .evtx files or from their JSON dumps; one
// op is the whole corpus.
func benchEVTX(b *testing.B, fromEVTX bool) {
	c, err := loadEVTXCorpus()
	if err != nil || len(c.files) == 0 {
		b.Skipf("no .evtx corpus (%v)", err)
	}
	rs, err := windowsRuleset()
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{Ruleset: rs, Workers: 1}
	none := func(*Result) error { return nil }
	var size int64
	for i := range c.files {
		if fromEVTX {
			size += int64(len(c.files[i]))
		} else {
			size += int64(len(c.dumps[i]))
		}
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for i := range c.files {
			var st Stats
			if fromEVTX {
				r, _ := evtx.NewReader(bytes.NewReader(c.files[i]))
				st, err = RunEVTX(cfg, r, none)
			} else {
				st, err = Run(cfg, bytes.NewReader(c.dumps[i]), none)
			}
			if err != nil || st.Bad > 0 {
				b.Fatal(st, err)
			}
			n += st.Events
		}
		if n != c.records {
			b.Fatalf("%d events, want %d", n, c.records)
		}
	}
	b.ReportMetric(float64(b.N*c.records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkMatchEVTX matches the .evtx corpus read from its .evtx files.
func BenchmarkMatchEVTX(b *testing.B) { benchEVTX(b, true) }

// BenchmarkMatchEVTXDump matches the same records read from their JSON
// dumps.
func BenchmarkMatchEVTXDump(b *testing.B) { benchEVTX(b, false) }
