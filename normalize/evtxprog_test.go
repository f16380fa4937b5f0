package normalize_test

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// progFiles returns the .evtx files of evtx's fixtures, twice (their
// shapes come back), and, unless short, of the shared corpus (with the
// race detector, one in eight).
func progFiles(t testing.TB) [][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "evtx", "testdata", "*.evtx"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("evtx fixtures: %v, %d files", err, len(paths))
	}
	paths = append(paths, paths...)
	if dir := filepath.Join(shared, "corpus", "evtx"); !testing.Short() && exists(dir) {
		n := 0
		err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(path, ".evtx") {
				if n++; !raceEnabled || n%8 == 1 {
					paths = append(paths, path)
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var files [][]byte
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	return files
}

// eachDecoded calls fn with each record of files, read by dec, which is
// kept from file to file as RunEVTX keeps its Decoders, so that shapes
// come back across files.
func eachDecoded(t testing.TB, dec *evtx.Decoder, files [][]byte, fn func(file int, er *evtx.Record)) {
	t.Helper()
	for i, data := range files {
		r, err := evtx.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for {
			c, err := r.NextChunk()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := dec.Reset(c); err != nil {
				t.Fatal(err)
			}
			for {
				er, err := dec.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				fn(i, er)
			}
			c.Release()
		}
	}
}

// sameFill checks that got, filled by a fill program (ran) or as a walk
// of its shape's first record or of a shape the filler gives up on, holds
// what want, filled by a walk, holds (sameRecords: the value at every
// path, the objects, the values for keywords, the rules that match and
// their reasons), and when ran, every value for Each and keywords in the
// same order (a record the filler gives up on and decodes visits its
// map's values in the map's order).
func sameFill(t *testing.T, rs *match.Ruleset, where string, got, want *match.Record, paths []*match.Path, ran bool) {
	t.Helper()
	sameRecords(t, rs, where+` (by the program; "through JSON": by the walk)`, got, want, paths)
	if g, w := eachValue(got), eachValue(want); ran && !slices.Equal(g, w) {
		t.Fatalf("%s: Each visits\n%q\nby the program, by the walk\n%q", where, g, w)
	}
}

// eachValue returns the values Each visits, in order.
func eachValue(ev match.Walker) []string {
	var out []string
	ev.Each(func(v any) bool {
		out = append(out, fmt.Sprintf("%T %v", v, v))
		return false
	})
	return out
}

// fillBoth reads every record of files with one Decoder into prog's
// record and walk's, which checks against it (sameFill), and returns
// how many records plans read.
func fillBoth(t *testing.T, c progCase, name string, prog, walk *normalize.Reader, files [][]byte) (planned int) {
	t.Helper()
	eachDecoded(t, evtx.NewDecoder(), files, func(file int, er *evtx.Record) {
		where := fmt.Sprintf("%s: file %d, record %d", name, file, er.ID)
		if er.Shape() != 0 {
			planned++
		}
		_, _, before, _ := normalize.FillProgramStats(prog)
		got, err := prog.ReadEVTX(er)
		if err != nil {
			t.Fatal(where, err)
		}
		_, _, after, _ := normalize.FillProgramStats(prog)
		want, err := walk.ReadEVTX(er)
		if err != nil {
			t.Fatal(where, err)
		}
		sameFill(t, c.rs, where, got, want, c.paths, after > before)
	})
	return planned
}

// progCase is a ruleset, the paths whose values TestFillPrograms
// compares, the formats it reads in, and the program limits (0: the
// default).
type progCase struct {
	name                string
	rs                  *match.Ruleset
	paths               []*match.Path
	formats             []normalize.Format
	programs, ops, memo int
	files               int  // the first files of progFiles only, when not 0
	walks               bool // the filler gives up on some shapes (Auto, WinEvent)
}

// newProgCase returns the progCase of rs.
func newProgCase(name string, rs *match.Ruleset, formats ...normalize.Format) progCase {
	paths := normalize.ReaderPaths()
	for _, p := range rs.Paths() {
		paths = append(paths, match.NewPath(p))
	}
	return progCase{name: name, rs: rs, paths: paths, formats: formats}
}

// TestFillPrograms reads every record of the fixtures and, unless short,
// of the shared corpus, with one Decoder (shapes come back from file to
// file), straight into records (ReadEVTX) twice: by a Reader with fill
// programs and by one that walks every record, and checks that the two
// records hold the same (sameFill). The rules: the seed rules with a
// keyword search, in every format (Auto alone with the race detector,
// which also leaves out what follows the next rule); a rule reading
// Event.UserData whole,
// whose records with a UserData object the filler gives up on and
// decodes: their shapes keep programs that walk; and unless short, all
// SigmaHQ Windows rules (Auto, the pipeline's format), and the seed
// rules with room for 2 programs or 50 operations (programs are evicted,
// counted, and records fill the same) or 1 KB of memos (they keep no
// more). Most planned records must be filled by programs.
func TestFillPrograms(t *testing.T) {
	files := progFiles(t)
	seed := seedRules(t, true)
	userData := loadRules(t, filepath.Join("testdata", "userdata.yml"), filepath.Join("testdata", "keywords.yml"))
	all, whole := formats, []normalize.Format{normalize.Auto, normalize.WinEvent}
	if raceEnabled {
		all, whole = all[:1], whole[:1] // one goroutine has no race: the formats once, without the detector
	}
	cases := []progCase{newProgCase("seed rules", seed, all...), newProgCase("UserData read whole", userData, whole...)}
	cases[1].walks = true
	if !testing.Short() && !raceEnabled {
		if dir := filepath.Join(shared, "corpus", "sigmahq", "rules", "windows"); exists(dir) {
			cases = append(cases, newProgCase("SigmaHQ Windows rules", loadCorpus(t, dir), normalize.Auto))
		}
		// The fixtures alone need one program: too few to pass a limit.
		for _, lim := range [][3]int{{2, 1 << 20, 1 << 20}, {4096, 50, 1 << 20}, {4096, 1 << 20, 1 << 10}} {
			if !exists(filepath.Join(shared, "corpus", "evtx")) {
				break
			}
			c := newProgCase(fmt.Sprintf("seed rules, limits %v", lim), seed, normalize.Auto)
			c.programs, c.ops, c.memo, c.files = lim[0], lim[1], lim[2], 100
			cases = append(cases, c)
		}
	}
	for _, c := range cases {
		files := files
		if c.files > 0 {
			files = files[:min(len(files), c.files)]
		}
		for _, f := range c.formats {
			name := fmt.Sprintf("%s, %v", c.name, f)
			prog, walk := normalize.NewReader(c.rs, f), normalize.NewReader(c.rs, f)
			if c.programs > 0 {
				normalize.FillProgramLimits(prog, c.programs, c.ops, c.memo)
			}
			normalize.FillProgramLimits(walk, -1, 0, 0)
			planned := fillBoth(t, c, name, prog, walk, files)
			progs, walks, runs, evictions := normalize.FillProgramStats(prog)
			if st, want := prog.Stats(), (normalize.ReaderStats{FillPrograms: progs, Filled: runs, FillEvictions: evictions}); st != want {
				t.Errorf("%s: Stats %+v, want %+v", name, st, want)
			}
			if memo, held := normalize.FillProgramMemo(prog); c.memo > 0 && memo > c.memo || memo == 0 && runs > 0 && evictions == 0 || memo != held {
				t.Errorf("%s: %d bytes of memos counted, %d held; want some (none after an eviction), at most %d, counted exactly", name, memo, held, c.memo)
			}
			t.Logf("%s: %d records of %d files read by plans, %d filled by programs; %d programs kept (%d walk), %d evictions", name, planned, len(files), runs, progs, walks, evictions)
			switch {
			case !c.walks && c.programs == 0 && runs < planned*8/10:
				t.Errorf("%s: %d of %d planned records filled by programs, want most", name, runs, planned)
			case c.walks && walks == 0 && (f == normalize.Auto || f == normalize.WinEvent):
				t.Errorf("%s: no program walks its records: the records with a UserData object are decoded", name)
			case (c.programs > 0 && c.programs < 4096 || c.ops > 0 && c.ops < 1<<20) != (evictions > 0):
				t.Errorf("%s: %d evictions", name, evictions)
			case c.programs > 0 && progs > c.programs:
				t.Errorf("%s: %d programs kept, want at most %d", name, progs, c.programs)
			}
			if _, _, runs, _ := normalize.FillProgramStats(walk); runs != 0 {
				t.Errorf("%s: a Reader without programs filled %d records by programs", name, runs)
			}
		}
	}
}

// BenchmarkFillPrograms reads the fixtures and the shared corpus with one
// Decoder into the records of all SigmaHQ Windows rules (the seed rules
// without the corpus) with a Reader that fills by programs and one that
// walks every record, and decodes them alone, in turn in each pass (ABC,
// CBA): cpu-ns/prog-record and cpu-ns/walk-record are ReadEVTX's CPU time
// per record beyond decoding, and cpu-prog/walk their ratio.
func BenchmarkFillPrograms(b *testing.B) {
	files := progFiles(b)
	rs := seedRules(b, true)
	if dir := filepath.Join(shared, "corpus", "sigmahq", "rules", "windows"); exists(dir) {
		rs = loadCorpus(b, dir)
	}
	prog, walk := normalize.NewReader(rs, normalize.Auto), normalize.NewReader(rs, normalize.Auto)
	normalize.FillProgramLimits(walk, -1, 0, 0)
	dec := evtx.NewDecoder()
	pass := func(rd *normalize.Reader) (time.Duration, int) {
		start, n := cputime.Used(), 0
		eachDecoded(b, dec, files, func(_ int, er *evtx.Record) {
			n++
			if rd == nil {
				return
			}
			if _, err := rd.ReadEVTX(er); err != nil {
				b.Fatal(err)
			}
		})
		return cputime.Used() - start, n
	}
	pass(prog) // the plans and programs are made
	readers := []*normalize.Reader{prog, walk, nil}
	var cpu [3]time.Duration
	records := 0
	for i := 0; b.Loop(); i++ {
		n := 0
		for k := range readers {
			if i%2 == 1 {
				k = len(readers) - 1 - k
			}
			d, m := pass(readers[k])
			cpu[k], n = cpu[k]+d, m
		}
		records += n
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(records) }
	b.ReportMetric(per(cpu[0]-cpu[2]), "cpu-ns/prog-record")
	b.ReportMetric(per(cpu[1]-cpu[2]), "cpu-ns/walk-record")
	b.ReportMetric(per(cpu[0]-cpu[2])/per(cpu[1]-cpu[2]), "cpu-prog/walk")
}
