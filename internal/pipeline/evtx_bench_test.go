package pipeline

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
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
	rules, _ := loadRules(filepath.Join(append([]string{corpus}, dir...)...))
	return compile.Compile(rules)
}

// benchSetup loads the .evtx corpus and returns it with a configuration
// of the SigmaHQ Windows rules on one worker, or skips tb.
func benchSetup(tb testing.TB) (*evtxCorpus, Config) {
	tb.Helper()
	c, err := loadEVTXCorpus()
	if err != nil || len(c.files) == 0 {
		tb.Skipf("no .evtx corpus (%v)", err)
	}
	rs, err := windowsRuleset()
	if err != nil {
		tb.Fatal(err)
	}
	return c, Config{Ruleset: rs, Workers: 1}
}

// match matches the corpus once, from the .evtx files or from their
// dumps.
func (c *evtxCorpus) match(b *testing.B, cfg Config, fromEVTX bool) {
	none := func(*Result) error { return nil }
	n := 0
	for i := range c.files {
		var st Stats
		var err error
		if fromEVTX {
			r, _ := evtx.NewReaderBytes(c.files[i])
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

// BenchmarkMatchEVTXVsDump matches the corpus from its .evtx files and
// from their dumps in turn, one worker each, and reports the time per
// record of each and their ratio: on a loaded machine, the two share the
// same load.
func BenchmarkMatchEVTXVsDump(b *testing.B) {
	c, cfg := benchSetup(b)
	var spent, cpu [2]time.Duration
	for b.Loop() {
		for k, fromEVTX := range []bool{true, false} {
			start, startCPU := time.Now(), cputime.Used()
			c.match(b, cfg, fromEVTX)
			spent[k] += time.Since(start)
			cpu[k] += cputime.Used() - startCPU
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*c.records) }
	b.ReportMetric(per(spent[0]), "ns/evtx-record")
	b.ReportMetric(per(spent[1]), "ns/dump-record")
	b.ReportMetric(per(cpu[0]), "cpu-ns/evtx-record")
	b.ReportMetric(per(cpu[1]), "cpu-ns/dump-record")
	b.ReportMetric(per(cpu[0])/per(cpu[1]), "cpu-evtx/dump")
}

// read reads the corpus once into records of rd without matching them,
// from the .evtx files (with dec, kept from file to file as RunEVTX
// keeps its Decoders) or from their dumps (a line at a time), and
// returns the records read; with rs, each record read is matched too.
func (c *evtxCorpus) read(b *testing.B, rd *normalize.Reader, dec *evtx.Decoder, fromEVTX bool, rs *match.Ruleset) int {
	n := 0
	var hits []int
	for i := range c.files {
		if !fromEVTX {
			for line := range bytes.Lines(c.dumps[i]) {
				nr, err := rd.Read(line)
				if err != nil {
					b.Fatal(err)
				}
				if rs != nil {
					hits = rs.MatchRecord(nr, hits[:0])
				}
				n++
			}
			continue
		}
		r, _ := evtx.NewReaderBytes(c.files[i])
		for {
			ch, err := r.NextChunk()
			if err == io.EOF {
				break
			}
			if err != nil || dec.Reset(ch) != nil {
				b.Fatal(err)
			}
			for {
				rec, err := dec.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				nr, err := rd.ReadEVTX(rec)
				if err != nil {
					b.Fatal(err)
				}
				if rs != nil {
					hits = rs.MatchRecord(nr, hits[:0])
				}
				n++
			}
			ch.Release()
		}
	}
	return n
}

// BenchmarkReadEVTXVsDump is BenchmarkMatchEVTXVsDump's reading half:
// the corpus's records read into the records of the SigmaHQ Windows
// rules (ECS view included) from the .evtx files and from their dumps,
// without matching, in turn on one goroutine; and from the .evtx files
// with every record read into its tree (evtx.WithoutPlans), the
// baseline of the Decoder's plans (cpu-evtx/tree).
func BenchmarkReadEVTXVsDump(b *testing.B) {
	c, cfg := benchSetup(b)
	rd := normalize.NewReader(cfg.Ruleset, normalize.Auto)
	decs := []*evtx.Decoder{evtx.NewDecoder(), nil, evtx.NewDecoder(evtx.WithoutPlans())}
	var cpu [3]time.Duration
	for b.Loop() {
		for k, dec := range decs {
			start := cputime.Used()
			if n := c.read(b, rd, dec, dec != nil, nil); n != c.records {
				b.Fatalf("%d records, want %d", n, c.records)
			}
			cpu[k] += cputime.Used() - start
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*c.records) }
	b.ReportMetric(per(cpu[0]), "cpu-ns/evtx-record")
	b.ReportMetric(per(cpu[1]), "cpu-ns/dump-record")
	b.ReportMetric(per(cpu[2]), "cpu-ns/tree-record")
	b.ReportMetric(per(cpu[0])/per(cpu[1]), "cpu-evtx/dump")
	b.ReportMetric(per(cpu[0])/per(cpu[2]), "cpu-evtx/tree")
}

// BenchmarkMatchEVTXFiles measures what a run per file costs when a
// folder holds many small .evtx files (the corpus: 558 files of about 33
// records each): the corpus matched by RunEVTX a file at a time, one
// worker, against the same records decoded, read and matched in one
// loop with one Decoder and one Reader, as if it were one file with no
// pipeline. cpu-run/loop is the ratio (1 would mean a run costs
// nothing) and cpu-ns/overhead-record the difference per record; the
// allocations are both halves'. Each op runs the pipeline, the loop,
// the loop again and the pipeline again (ABBA), so that a load that
// rises or falls during the op weighs on both halves alike: with one
// pass of each, the second half of the op ran on caches the first had
// warmed (or the other way round) and the ratio moved by a few percent
// from run to run.
func BenchmarkMatchEVTXFiles(b *testing.B) { benchFiles(b, true) }

// BenchmarkMatchDumpFiles is BenchmarkMatchEVTXFiles for JSON: the
// corpus's evtx-JSON dumps matched by Run a file at a time (558 runs of
// about 33 records, one worker), against the same lines read and matched
// in one loop with one Reader.
func BenchmarkMatchDumpFiles(b *testing.B) { benchFiles(b, false) }

// benchFiles is BenchmarkMatchEVTXFiles from the .evtx files or from
// their dumps.
func benchFiles(b *testing.B, fromEVTX bool) {
	c, cfg := benchSetup(b)
	rd := normalize.NewReader(cfg.Ruleset, normalize.Auto)
	var dec *evtx.Decoder
	if fromEVTX {
		dec = evtx.NewDecoder()
	}
	var cpu [2]time.Duration // the runs', the loops'
	b.ReportAllocs()
	for b.Loop() {
		for _, k := range []int{0, 1, 1, 0} {
			start := cputime.Used()
			if k == 0 {
				c.match(b, cfg, fromEVTX)
			} else if n := c.read(b, rd, dec, fromEVTX, cfg.Ruleset); n != c.records {
				b.Fatalf("%d records, want %d", n, c.records)
			}
			cpu[k] += cputime.Used() - start
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(2*b.N*c.records) }
	b.ReportMetric(per(cpu[0]), "cpu-ns/run-record")
	b.ReportMetric(per(cpu[1]), "cpu-ns/loop-record")
	b.ReportMetric(per(cpu[0])-per(cpu[1]), "cpu-ns/overhead-record")
	b.ReportMetric(per(cpu[0])/per(cpu[1]), "cpu-run/loop")
}
