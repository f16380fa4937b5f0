package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
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
	oneDump     string   // the dumps back to back in one file, in that order
	records     int
	prog        *state.Program
	// opt is cli's options, made once, as runMatch makes them once a
	// process: a hunt made per pass told the pipeline new hit field
	// paths each time, so each pass made a normalize.Reader and its
	// .evtx fill programs again, about 1 us a record that runMatch does
	// not spend.
	opt *matchOptions
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
	c.oneDump = filepath.Join(dir, "all.json")
	all, err := os.Create(c.oneDump)
	if err != nil {
		return nil, err
	}
	for _, dump := range c.dumps {
		if err == nil {
			var data []byte
			if data, err = os.ReadFile(dump); err == nil {
				_, err = all.Write(data)
			}
		}
	}
	if cerr := all.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
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

// halves name BenchmarkMatchCLI's measures in its CPU profiles (pprof
// label "half": go tool pprof -tagfocus half=cli).
var halves = []string{"cli", "files", "memory", "onefile"}

// BenchmarkMatchCLI measures what "ruleforge match -workers 1 -rules
// …/sigmahq/rules/windows" adds per record to the pipeline, the rules'
// loading aside: the corpus's 558 .evtx files, and their dumps, matched
// a file at a time by matchInput as runMatch does (files opened and
// read, hit lines written to a buffer that is thrown away, the hunt
// hooks: the fields of matched events, the stateful program); the same
// files opened and run through pipeline.RunEVTX (by ReadAt, as
// evtxSource reads a regular file) and pipeline.Run with the ruleset
// alone (files); and the files' bytes, held in memory, run so
// (BenchmarkMatchEVTXFiles' runs). Each op runs the three in turn and
// back (ABCCBA), so that a load that changes during the op weighs on
// each alike. cpu-cli/pipeline is the CLI's CPU time per record over the
// runs in memory; cpu-cli/files over the runs of the files, which pay
// the system's reads too (on the .evtx corpus, the pread of the chunks
// in use: the unused chunks, holes in the corpus's sparse files and past
// a clean file header's chunk count, are not read).
// The dumps are also matched by the CLI as one file, all of them back to
// back (onefile: the same records, in the same order, one run), between
// the others (ABCDDCBA): cpu-ns/file is what the CLI spends per file
// beyond that (opening, stat-ing and reading it, a run's set-up and end).
func BenchmarkMatchCLI(b *testing.B) {
	c, err := loadCLICorpus(b.TempDir())
	if err != nil || c == nil {
		b.Skipf("no .evtx corpus (%v)", err)
	}
	for _, kind := range []string{"evtx", "dump"} {
		b.Run(kind, func(b *testing.B) {
			names, data := c.files(b, kind)
			var cpu [4]time.Duration // the CLI's, the files', in memory, the CLI's on one file
			order := []int{0, 1, 2, 2, 1, 0}
			if kind == "dump" {
				order = []int{0, 1, 2, 3, 3, 2, 1, 0}
			}
			for b.Loop() {
				for _, k := range order {
					start := cputime.Used()
					var n int
					pprof.Do(context.Background(), pprof.Labels("half", halves[k]), func(context.Context) {
						switch k {
						case 0:
							n = c.cli(b, names)
						case 1:
							n = c.pipeline(b, len(names), kind == "evtx", func(i int) (io.Reader, func()) {
								f, err := os.Open(names[i])
								if err != nil {
									b.Fatal(err)
								}
								return f, func() { f.Close() }
							})
						case 2:
							n = c.pipeline(b, len(names), kind == "evtx", func(i int) (io.Reader, func()) { return bytes.NewReader(data[i]), func() {} })
						case 3:
							n = c.cli(b, []string{c.oneDump})
						}
					})
					if n != c.records {
						b.Fatalf("%d records, want %d", n, c.records)
					}
					cpu[k] += cputime.Used() - start
				}
			}
			per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(2*b.N*c.records) }
			b.ReportMetric(per(cpu[0]), "cpu-ns/cli-record")
			b.ReportMetric(per(cpu[1]), "cpu-ns/files-record")
			b.ReportMetric(per(cpu[2]), "cpu-ns/pipeline-record")
			b.ReportMetric(per(cpu[0])/per(cpu[2]), "cpu-cli/pipeline")
			b.ReportMetric(per(cpu[0])/per(cpu[1]), "cpu-cli/files")
			if kind == "dump" {
				b.ReportMetric(per(cpu[3]), "cpu-ns/onefile-record")
				b.ReportMetric(float64((cpu[0]-cpu[3]).Nanoseconds())/float64(2*b.N*len(names)), "cpu-ns/file")
			}
		})
	}
}

// cli matches the files named as runMatch does, with -output hits, and
// returns the events read.
func (c *cliCorpus) cli(b *testing.B, names []string) int {
	if c.opt == nil {
		fs := flag.NewFlagSet("match", flag.ContinueOnError)
		c.opt = &matchOptions{workers: 1, maxEvent: stream.MaxValue, output: "hits", format: normalize.Auto, hunt: huntFlags(fs)}
		if err := c.opt.hunt.check(c.opt.output, false); err != nil {
			b.Fatal(err)
		}
	}
	opt := *c.opt
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

// pipeline matches n inputs that open gives (and a function that closes
// each) with the ruleset alone, a run per input, and returns the events
// read. An .evtx input that is an *os.File is read by ReadAt.
func (c *cliCorpus) pipeline(b *testing.B, n int, fromEVTX bool, open func(i int) (io.Reader, func())) int {
	cfg := pipeline.Config{Ruleset: c.prog.Ruleset(), Workers: 1}
	none := func(*pipeline.Result) error { return nil }
	events := 0
	for i := range n {
		in, closeFn := open(i)
		var st pipeline.Stats
		var err error
		if fromEVTX {
			if f, ok := in.(*os.File); ok {
				in = io.NewSectionReader(f, 0, math.MaxInt64)
			}
			r, rerr := evtx.NewReader(in)
			if rerr != nil {
				b.Fatal(rerr)
			}
			st, err = pipeline.RunEVTX(cfg, r, none)
		} else {
			st, err = pipeline.Run(cfg, in, none)
		}
		closeFn()
		if err != nil || st.Bad > 0 {
			b.Fatal(st, err)
		}
		events += st.Events
	}
	return events
}
