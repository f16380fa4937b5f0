package normalize_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// viewPaths are ECS view fields that the readers of TestViewTraces read
// besides their rules' paths (NewReaderWith), so that the view adds them
// and records that differ in them have views that differ.
var viewPaths = []string{"process.executable", "process.command_line", "process.pid", "event.code", "winlog.event_id",
	"file.path", "host.name", "winlog.channel"}

// recordPos is a record of progFiles: its file and its ordinal there.
type recordPos struct{ file, ordinal int }

// tracePair finds, in files read by dec, two records A and B of one shape
// (their view read by a trace) whose ECS views differ, and a record C of
// another shape; ok is false when the files hold none.
func tracePair(t *testing.T, rs *match.Ruleset, dec *evtx.Decoder, files [][]byte, paths []*match.Path) (a, b, c recordPos, ok bool) {
	rd := normalize.NewReaderWith(rs, normalize.Auto, paths)
	normalize.FillProgramLimits(rd, -1, 0, 0)
	first := map[uint64]recordPos{}
	prints := map[uint64]string{}
	var shapeA uint64
	ordinal := map[int]int{}
	eachDecoded(t, dec, files, func(file int, er *evtx.Record) {
		ordinal[file]++
		pos := recordPos{file, ordinal[file]}
		shape := er.Shape()
		if shape == 0 || ok {
			return
		}
		rec, err := rd.ReadEVTX(er)
		if err != nil {
			t.Fatal(err)
		}
		if _, userData := rec.Lookup(match.NewPath("Event.UserData")); userData {
			return // a view that reads UserData is not traced
		}
		print := ""
		for _, p := range paths {
			v, found := rec.Lookup(p)
			print += fmt.Sprintf("%v %v;", found, v)
		}
		switch at, seen := first[shape]; {
		case shapeA != 0 && shape != shapeA:
			c, ok = pos, true
		case shapeA != 0:
		case !seen:
			first[shape], prints[shape] = pos, print
		case prints[shape] != print:
			a, b, shapeA = at, pos, shape
		}
	})
	return a, b, c, ok
}

// readAt calls fn with the record at pos, read by dec.
func readAt(t *testing.T, dec *evtx.Decoder, files [][]byte, pos recordPos, fn func(er *evtx.Record)) {
	n := 0
	eachDecoded(t, dec, files[pos.file:pos.file+1], func(_ int, er *evtx.Record) {
		if n++; n == pos.ordinal {
			fn(er)
		}
	})
}

// TestViewTraces reads two records A and B of one shape whose ECS views
// differ and a record C of another shape, in an order that makes the
// trace of the shape's view be made (traced), given, made again when a
// value the view read changed, given across a record of another shape,
// and dropped after maxViewMisses traces in a row that were never given.
// Each record is read by a Reader with fill programs and by one that
// walks it and works its view out (sameFill: values, objects, Each,
// matches and -explain's reasons), and the traces made and given are
// counted at each step. The same records are read in turn by Readers of
// another ruleset (the seed rules with a keyword search), by a Reader
// whose programs are evicted at every change of shape, and by one with
// no room for traces in its memos.
func TestViewTraces(t *testing.T) {
	files := progFiles(t)
	rs := seedRules(t, true)
	if dir := filepath.Join(shared, "corpus", "sigmahq", "rules", "windows"); !testing.Short() && exists(dir) {
		rs = loadCorpus(t, dir)
	}
	var paths []*match.Path
	for _, p := range viewPaths {
		paths = append(paths, match.NewPath(p))
	}
	dec := evtx.NewDecoder()
	a, b, c, ok := tracePair(t, rs, dec, files, paths)
	if corpus := filepath.Join(shared, "corpus", "evtx"); !ok && (testing.Short() || !exists(corpus)) {
		t.Skip("the fixtures hold no two records of one shape with views that differ")
	} else if !ok {
		t.Fatal("no two records of one shape with views that differ, and one of another shape")
	}
	t.Logf("A: file %d record %d, B: file %d record %d, C: file %d record %d", a.file, a.ordinal, b.file, b.ordinal, c.file, c.ordinal)
	compared := append(newProgCase("", rs).paths, paths...)

	// reader is a Reader with programs and its reference, a Reader that
	// walks every record.
	type reader struct {
		name       string
		rs         *match.Ruleset
		prog, walk *normalize.Reader
		paths      []*match.Path
	}
	newReader := func(name string, rs *match.Ruleset) reader {
		r := reader{name: name, rs: rs, prog: normalize.NewReaderWith(rs, normalize.Auto, paths), walk: normalize.NewReaderWith(rs, normalize.Auto, paths)}
		normalize.FillProgramLimits(r.walk, -1, 0, 0)
		r.paths = compared
		return r
	}
	main := newReader("traced", rs)
	seed := seedRules(t, true)
	others := []reader{newReader("seed rules", seed), newReader("one program", rs), newReader("no room", rs)}
	others[0].paths = append(newProgCase("", seed).paths, paths...)
	normalize.FillProgramLimits(others[1].prog, 1, 1<<20, 1<<20)
	normalize.FillProgramLimits(others[2].prog, 4096, 1<<20, 1<<8)

	// The steps, with the traces each makes and gives.
	steps := []struct {
		at            recordPos
		traced, given int
	}{
		{a, 0, 0}, // the shape's program is made
		{a, 1, 0}, // the program runs, the view is traced
		{a, 0, 1},
		{b, 1, 0}, // a value the view read changed
		{c, 0, 0},
		{b, 0, 1}, // across another shape
		{b, 0, 1},
		{a, 1, 0},
		{a, 0, 1},
		{b, 1, 0}, // traces in a row never given: the fourth is dropped
		{a, 1, 0},
		{b, 1, 0},
		{a, 0, 0},
		{a, 0, 0}, // the view is no longer traced
		{b, 0, 0},
	}
	for i, s := range steps {
		readAt(t, dec, files, s.at, func(er *evtx.Record) {
			where := fmt.Sprintf("step %d (file %d, record %d)", i, s.at.file, s.at.ordinal)
			traced, given := normalize.ViewTraceStats(main.prog)
			for _, r := range append([]reader{main}, others...) {
				got, err := r.prog.ReadEVTX(er)
				if err != nil {
					t.Fatal(where, err)
				}
				want, err := r.walk.ReadEVTX(er)
				if err != nil {
					t.Fatal(where, err)
				}
				sameFill(t, r.rs, where+", "+r.name, got, want, r.paths, false)
			}
			traced2, given2 := normalize.ViewTraceStats(main.prog)
			if traced2-traced != s.traced || given2-given != s.given {
				t.Errorf("%s: %d views traced, %d given; want %d, %d", where, traced2-traced, given2-given, s.traced, s.given)
			}
		})
	}
	if _, _, _, evictions := normalize.FillProgramStats(others[1].prog); evictions == 0 {
		t.Error("one program: no evictions")
	}
	if traced, _ := normalize.ViewTraceStats(others[2].prog); traced != 0 {
		t.Errorf("no room: %d views traced", traced)
	}
	for _, r := range append([]reader{main}, others...) {
		if counted, held := normalize.FillProgramMemo(r.prog); counted != held {
			t.Errorf("%s: %d bytes of memos counted, %d held", r.name, counted, held)
		}
	}
}
