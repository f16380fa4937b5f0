package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/internal/stream"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/state"
)

// cliCorpus is the shared corpus's .evtx files and their evtx-JSON dumps
// (what ruleforge dump writes, a file per .evtx file, under a temporary
// folder), with the SigmaHQ Windows rules loaded as "ruleforge match
// -rules …/windows" loads them.
type cliCorpus struct {
	evtx, dumps []string // the files' names, in walk order
	records     int
	prog        *state.Program
}

// loadCLICorpus loads the corpus, writing the dumps under dir, or
// returns nil when there is none.
func loadCLICorpus(dir string) (*cliCorpus, error) {
	shared := filepath.Join("..", "..", "..", "shared", "corpus")
	c := &cliCorpus{}
	var err error
	files.Walk(filepath.Join(shared, "evtx"), func(p string) bool { return strings.HasSuffix(p, ".evtx") },
		func(p string) { c.evtx = append(c.evtx, p) }, func(e error) { err = e })
	if err != nil || len(c.evtx) == 0 {
		return nil, err
	}
	for i, name := range c.evtx {
		dump := filepath.Join(dir, fmt.Sprintf("%04d.json", i))
		f, err := os.Create(dump)
		if err != nil {
			return nil, err
		}
		out := bufio.NewWriter(f)
		n, _, err := dumpFile(name, out, io.Discard)
		if err == nil {
			err = out.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
		c.dumps = append(c.dumps, dump)
		c.records += n
	}
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	h := huntFlags(fs)
	loader := loaderFlags(fs)
	if err := fs.Parse(nil); err != nil {
		return nil, err
	}
	if err := h.check("hits", false); err != nil {
		return nil, err
	}
	ld, _ := loader(io.Discard)
	c.prog, _, _, err = h.sel.loadRules(ld, []string{filepath.Join(shared, "sigmahq", "rules", "windows")}, io.Discard)
	return c, err
}

// BenchmarkMatchCLI measures what "ruleforge match -workers 1 -rules
// …/sigmahq/rules/windows" adds per record to the pipeline, the rules'
// loading aside: the corpus's 558 .evtx files, and their dumps, matched
// a file at a time by matchInput as runMatch does (files opened and
// read, hit lines written to a buffer that is thrown away, the hunt
// hooks: the fields of matched events, the stateful program), against
// the same files' bytes, held in memory, run through pipeline.RunEVTX
// and pipeline.Run with the ruleset alone (BenchmarkMatchEVTXFiles'
// runs), in turn in the same loop. cpu-cli/pipeline is the ratio of the
// CPU times per record.
func BenchmarkMatchCLI(b *testing.B) {
	c, err := loadCLICorpus(b.TempDir())
	if err != nil || c == nil {
		b.Skipf("no .evtx corpus (%v)", err)
	}
	for _, kind := range []string{"evtx", "dump"} {
		b.Run(kind, func(b *testing.B) {
			names := c.evtx
			if kind == "dump" {
				names = c.dumps
			}
			data := make([][]byte, len(names))
			for i, name := range names {
				if data[i], err = os.ReadFile(name); err != nil {
					b.Fatal(err)
				}
			}
			var cpu [2]time.Duration
			for b.Loop() {
				start := cputime.Used()
				if n := c.cli(b, names); n != c.records {
					b.Fatalf("%d records, want %d", n, c.records)
				}
				mid := cputime.Used()
				if n := c.pipeline(b, data, kind == "evtx"); n != c.records {
					b.Fatalf("%d records, want %d", n, c.records)
				}
				cpu[0] += mid - start
				cpu[1] += cputime.Used() - mid
			}
			per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(b.N*c.records) }
			b.ReportMetric(per(cpu[0]), "cpu-ns/cli-record")
			b.ReportMetric(per(cpu[1]), "cpu-ns/pipeline-record")
			b.ReportMetric(per(cpu[0])/per(cpu[1]), "cpu-cli/pipeline")
		})
	}
}

// cli matches the files named as runMatch does, with -output hits, and
// returns the events read.
func (c *cliCorpus) cli(b *testing.B, names []string) int {
	fs := flag.NewFlagSet("match", flag.ContinueOnError)
	opt := matchOptions{workers: 1, maxEvent: stream.MaxValue, output: "hits", format: normalize.Auto, hunt: huntFlags(fs)}
	if err := opt.hunt.check(opt.output, false); err != nil {
		b.Fatal(err)
	}
	out := bufio.NewWriterSize(io.Discard, 1<<16)
	perRule := make([]int, c.prog.Ruleset().Len()+c.prog.Len())
	var total pipeline.Stats
	var engines stateStats
	for _, name := range names {
		st, err := matchInput(c.prog, opt, name, nil, out, io.Discard, perRule, total, &engines)
		if err != nil || st.Bad > 0 {
			b.Fatal(name, st, err)
		}
		total = add(total, st)
	}
	return total.Events
}

// pipeline matches data, the files' bytes, with the ruleset alone, a run
// per file, and returns the events read.
func (c *cliCorpus) pipeline(b *testing.B, data [][]byte, fromEVTX bool) int {
	cfg := pipeline.Config{Ruleset: c.prog.Ruleset(), Workers: 1}
	none := func(*pipeline.Result) error { return nil }
	n := 0
	for _, d := range data {
		var st pipeline.Stats
		var err error
		if fromEVTX {
			r, rerr := evtx.NewReader(bytes.NewReader(d))
			if rerr != nil {
				b.Fatal(rerr)
			}
			st, err = pipeline.RunEVTX(cfg, r, none)
		} else {
			st, err = pipeline.Run(cfg, bytes.NewReader(d), none)
		}
		if err != nil || st.Bad > 0 {
			b.Fatal(st, err)
		}
		n += st.Events
	}
	return n
}
