package evtx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tracer is a Visitor that writes down every call and every value's
// kind, Text and AppendJSON; it declines the objects at key skip, so
// that a plan's skipping is compared too.
type tracer struct {
	b    strings.Builder
	skip string
}

func (t *tracer) Object(key string) bool {
	fmt.Fprintf(&t.b, "{%q", key)
	return key != t.skip || t.skip == ""
}
func (t *tracer) Array(key string) { fmt.Fprintf(&t.b, "[%q", key) }
func (t *tracer) End()             { t.b.WriteString("}") }
func (t *tracer) Value(key string, v Value) {
	fmt.Fprintf(&t.b, " %q=%v:%q:%s", key, v.Kind(), v.Text(), v.AppendJSON(nil))
}

// traces returns rec's JSON, its Walk traces, in full and declining
// the objects at each of skips, and its AppendValues.
func traces(rec *Record, skips []string) string {
	s := string(rec.AppendJSON(nil))
	for _, skip := range append([]string{""}, skips...) {
		t := &tracer{skip: skip}
		rec.Walk(t)
		s += "\n" + t.b.String()
	}
	return s + "\n" + valuesTrace(rec)
}

// compareChunks decodes chunks with plan, a Decoder with plans, and with
// tree, one without, passes times (the second time, the plans made the
// first are replayed), and fails t on any record that reads or fails
// differently (traces with skips), or that plan reads by a plan it no
// longer keeps for the record's shape (planned's memory of the last plan
// outliving an eviction). It returns how many records it compared.
func compareChunks(t testing.TB, plan, tree *Decoder, chunks [][]byte, passes int, skips ...string) int {
	t.Helper()
	n := 0
	for range passes {
		for ci, data := range chunks {
			c1, c2 := &Chunk{Index: ci, data: data}, &Chunk{Index: ci, data: data}
			e1, e2 := plan.Reset(c1), tree.Reset(c2)
			if fmt.Sprint(e1) != fmt.Sprint(e2) {
				t.Fatalf("chunk %d: Reset: plans %v, tree %v", ci, e1, e2)
			}
			if e1 != nil {
				continue
			}
			for {
				r1, err1 := plan.Next()
				r2, err2 := tree.Next()
				if fmt.Sprint(err1) != fmt.Sprint(err2) {
					t.Fatalf("chunk %d: Next: plans %v, tree %v", ci, err1, err2)
				}
				if err1 == io.EOF {
					break
				}
				if err1 != nil {
					continue
				}
				if pl := plan.cur; pl != nil && plan.plans[string(plan.sc.shape)] != pl {
					t.Fatalf("chunk %d, record %d: read by a plan its Decoder no longer keeps for the shape (evicted?)", ci, r1.ID)
				}
				if got, want := traces(r1, skips), traces(r2, skips); got != want {
					t.Fatalf("chunk %d, record %d: plans read\n%s\nthe tree\n%s", ci, r1.ID, got, want)
				}
				n++
			}
		}
	}
	return n
}

// testdataChunks returns the chunks of the .evtx files in testdata.
func testdataChunks(t testing.TB) [][]byte {
	paths, err := filepath.Glob("testdata/*.evtx")
	if err != nil || len(paths) == 0 {
		t.Fatalf("testdata/*.evtx: %v, %d files", err, len(paths))
	}
	var chunks [][]byte
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, fileChunks(t, data)...)
	}
	return chunks
}

// allSkips are the objects that traces of fixtures decline in turn.
var allSkips = []string{"EventData", "#attributes", "System", "Rule"}

// fileChunks returns the chunks of an .evtx file, each read whole.
func fileChunks(t testing.TB, file []byte) [][]byte {
	t.Helper()
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var chunks [][]byte
	for {
		c, err := r.NextChunk()
		if err == io.EOF {
			return chunks
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := c.load(ChunkSize); err != nil { // all of it: a Decoder reads the copy
			t.Fatal(err)
		}
		chunks = append(chunks, bytes.Clone(c.data))
		c.Release()
	}
}

// TestPlans reads every record of the shared corpus and of the fixtures
// by plans and by trees (WithoutPlans), and requires the same JSON and
// the same Visitor calls, values' kinds and texts, with objects declined
// or not; one Decoder of each reads every file, as RunEVTX keeps its
// Decoders from file to file. Most corpus records must be read by plans.
func TestPlans(t *testing.T) {
	plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
	chunks := [][]byte{fixtureChunk(1), plannedChunk(1, 6), fixtureChunk(20), oddChunk()}
	compareChunks(t, plan, tree, append(chunks, testdataChunks(t)...), 2, allSkips...)
	if s := plan.Stats(); s.Planned == 0 {
		t.Errorf("fixtures: %+v, want records read by plans", s)
	}
	plan, tree = NewDecoder(), NewDecoder(WithoutPlans())
	files := corpusFiles(t)
	records := 0
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		records += compareChunks(t, plan, tree, fileChunks(t, data), 1, "EventData")
	}
	s := plan.Stats()
	t.Logf("%d files, %d records: %+v", len(files), records, s)
	if s.Planned+s.Tree != records || s.Planned < records*8/10 || s.Reused < s.Compiled {
		t.Errorf("%+v: want most of %d records read by plans, most templates reused", s, records)
	}
}

// TestPlanEvictions reads with room for few plans or few bytes of them:
// they are dropped and made again, counted, and records read the same.
func TestPlanEvictions(t *testing.T) {
	tests := []struct {
		opt          Option
		plans, bytes int
	}{
		{WithMaxPlans(2), 2, MaxPlanBytes},
		{WithMaxPlanBytes(8 << 10), MaxPlans, 8 << 10},
	}
	for _, tt := range tests {
		plan, tree := NewDecoder(tt.opt), NewDecoder(WithoutPlans())
		compareChunks(t, plan, tree, [][]byte{plannedChunk(1, 6), fixtureChunk(20), plannedChunk(40, 3), oddChunk()}, 2, allSkips...)
		if s := plan.Stats(); s.Evictions == 0 || s.Plans > tt.plans || s.Bytes > tt.bytes || s.Planned == 0 {
			t.Errorf("%+v: want evictions, at most %d plans and %d bytes, and records read by plans", s, tt.plans, tt.bytes)
		}
	}
	// Shapes A A A B A with room for one plan: B's record evicts A's
	// plan, which the third record was read by, so the fifth is read
	// into a tree, not by the plan planned remembers (compareChunks).
	str := func(s string) tval { return tval{typeString, u16s(s)} }
	a, b := []tval{str("ab")}, []tval{str("")}
	plan := NewDecoder(WithMaxPlans(1))
	compareChunks(t, plan, NewDecoder(WithoutPlans()), [][]byte{shapeChunk(dataBody(typeString), nil, a, a, a, b, a)}, 1)
	if s := plan.Stats(); s.Planned != 1 || s.Evictions < 2 {
		t.Errorf("A A A B A, one plan: %+v, want the third record read by a plan, and evictions", s)
	}
}

// TestPlansTakingTurns: records taking turns among n shapes of one
// template (which of five strings are empty) read as their trees, by
// plans from the third round on, whether the last record's shape (which
// planned remembers) is the record's or not; and with room for fewer
// plans than shapes, each record by the plan its Decoder keeps for its
// shape (compareChunks), none by one that an eviction dropped.
func TestPlansTakingTurns(t *testing.T) {
	str := func(s string) tval { return tval{typeString, u16s(s)} }
	for _, n := range []int{1, 2, 3, 9, 17} {
		var vals [][]tval
		for range 4 {
			for shape := range n {
				v := make([]tval, 5)
				for i := range v {
					v[i] = str("x")
					if (shape+1)>>i&1 != 0 { // the bits of shape+1: a pattern for each shape
						v[i] = str("")
					}
				}
				vals = append(vals, v)
			}
		}
		chunk := shapeChunk(elemBody(typeString, typeString, typeString, typeString, typeString), nil, vals...)
		plan := NewDecoder()
		compareChunks(t, plan, NewDecoder(WithoutPlans()), [][]byte{chunk}, 2)
		if s := plan.Stats(); s.Planned != 2*len(vals)-2*n || s.Evictions != 0 {
			t.Errorf("%d shapes: %+v, want %d records read by plans, no eviction", n, s, 2*len(vals)-2*n)
		}
		few := NewDecoder(WithMaxPlans(n/2 + 1))
		compareChunks(t, few, NewDecoder(WithoutPlans()), [][]byte{chunk}, 2)
		if s := few.Stats(); s.Evictions == 0 {
			t.Errorf("%d shapes, room for %d plans: %+v, want evictions", n, n/2+1, s)
		}
	}
}

// TestPlanLimits: a plan does not read a record that its tree could not
// read within the Decoder's limits; the tree path says why, as before.
func TestPlanLimits(t *testing.T) {
	for _, opt := range []Option{WithMaxValueBytes(600), WithMaxNodes(40)} {
		plan, tree := NewDecoder(opt), NewDecoder(opt, WithoutPlans())
		compareChunks(t, plan, tree, [][]byte{plannedChunk(1, 2), bigChunk()}, 2)
	}
}

// plannedChunk is a chunk of n records of sysmonTemplate with no array
// value and a template instance as the binary XML value: a shape plans
// read, the same from the second record on.
func plannedChunk(first uint64, n int) []byte {
	c := &chunkBuilder{first: first}
	var defAt, ruleAt int
	for i := range n {
		c.record(func(w *xw) { defAt, ruleAt = plannedRecord(w, defAt, ruleAt, first+uint64(i), uint32(i)) })
	}
	return c.bytes()
}

// bigChunk holds a plannedRecord, then the same shape with long values.
func bigChunk() []byte {
	c := &chunkBuilder{first: 1}
	var defAt, ruleAt int
	c.record(func(w *xw) { defAt, ruleAt = plannedRecord(w, defAt, ruleAt, 1, 1) })
	c.record(func(w *xw) {
		w.fragment()
		vals := plannedValues(2, 2)
		vals[0].raw = u16s(strings.Repeat("long provider ", 40))
		probe := &xw{base: w.pos()}
		probe.instance(defAt, nil, vals)
		vals[17].raw, _ = ruleInstance(probe.pos()-len(vals[17].raw), ruleAt)
		w.instance(defAt, nil, vals)
		w.eof()
	})
	return c.bytes()
}

// plannedValues are sysmonValues with a NaN, an empty string and no
// array.
func plannedValues(id uint64, access uint32) []tval {
	vals := sysmonValues(id, access)
	vals[13].raw = le64(math.Float64bits(math.NaN()))
	vals[16] = tval{typeNull, nil}
	return vals
}

// plannedRecord writes a record of sysmonTemplate (defined inline when
// defAt is 0) whose binary XML value is an instance of ruleTemplate
// (inline when ruleAt is 0); it returns where both definitions are.
func plannedRecord(w *xw, defAt, ruleAt int, id uint64, access uint32) (int, int) {
	w.fragment()
	vals := plannedValues(id, access)
	var def func(*xw)
	if defAt == 0 {
		def = sysmonTemplate
	}
	probe := &xw{base: w.pos()}
	probe.instance(defAt, def, vals)
	vals[17].raw, ruleAt = ruleInstance(probe.pos()-len(vals[17].raw), ruleAt)
	defAt = w.instance(defAt, def, vals)
	w.eof()
	return defAt, ruleAt
}

// ruleInstance is a binary XML value at chunk offset base: an instance
// of <Rule Name="%1">%2</Rule> (defined there when ruleAt is 0).
func ruleInstance(base, ruleAt int) ([]byte, int) {
	w := &xw{base: base}
	w.fragment()
	var def func(*xw)
	if ruleAt == 0 {
		def = func(t *xw) {
			t.fragment()
			t.heldAttr("Rule", "Name", 0, 1, typeString)
			t.eof()
		}
	}
	ruleAt = w.instance(ruleAt, def, []tval{{typeString, u16s("r1")}, {typeString, u16s("value")}})
	w.eof()
	return w.b, ruleAt
}

// oddChunk holds records of three templates, two of each: one whose
// unnamed Data elements make an array (a plan replays it), one with an
// element whose text is a constant and a value, and one with a Data
// element named by a value (both read into trees).
func oddChunk() []byte {
	data := func(t *xw, name string, sub int) {
		t.open("Data", true, name != "")
		if name != "" {
			t.attr("Name")
			t.text(name)
		}
		t.closeStart()
		t.subst(sub, typeString, true)
		t.end()
	}
	templates := []func(t *xw){
		func(t *xw) { data(t, "", 0); data(t, "", 1); data(t, "Named", 2) },
		func(t *xw) {
			t.open("Msg", true, false)
			t.closeStart()
			t.text("pre ")
			t.subst(0, typeString, true)
			t.end()
		},
		func(t *xw) {
			t.open("Data", true, true)
			t.attr("Name")
			t.subst(0, typeString, true)
			t.closeStart()
			t.subst(1, typeString, true)
			t.end()
		},
	}
	vals := []tval{{typeString, u16s("a")}, {typeString, u16s("b")}, {typeString, u16s("c")}}
	c := &chunkBuilder{first: 1}
	for _, body := range templates {
		var defAt int
		for range 2 {
			c.record(func(w *xw) {
				var def func(*xw)
				if defAt == 0 {
					def = func(t *xw) {
						t.fragment()
						t.open("Event", true, false)
						t.closeStart()
						t.open("EventData", true, false)
						t.closeStart()
						body(t)
						t.end()
						t.end()
						t.eof()
					}
				}
				w.fragment()
				defAt = w.instance(defAt, def, vals)
				w.eof()
			})
		}
	}
	return c.bytes()
}

// FuzzPlan reads arbitrary chunks by plans and by trees: the same
// records, the same errors, and no panic. An input whose first byte is
// even gets its checksums set, as FuzzChunk's do.
func FuzzPlan(f *testing.F) {
	f.Add(plannedChunk(1, 3))
	f.Add(oddChunk())
	for _, c := range testdataChunks(f) {
		f.Add(c)
	}
	f.Add(fixtureChunk(1))
	f.Add(inlineChunk(len(inlineRecs)))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = fuzzedChunk(data)
		// Small limits, so that a record that expands a lot is cheap
		// to trace.
		lim := []Option{WithMaxNodes(1 << 10), WithMaxValueBytes(1 << 16)}
		compareChunks(t, NewDecoder(lim...), NewDecoder(append(lim, WithoutPlans())...), [][]byte{data}, 2, allSkips...)
	})
}
