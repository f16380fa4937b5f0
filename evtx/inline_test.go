package evtx

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
)

// inlineRec is what varies between the records inlineRecord writes:
// the Name attributes of two Data elements (keys), values (an empty
// one writes an empty value token), a Data element whose text is two
// value tokens, and the Provider element: its Name of one value token
// (0), of two (1), or of one and "p" its content (2), which only where
// the start tag ends tells from 1; an empty element Inner after it, or
// in it (3), which only where the empty Provider ends tells from 0.
type inlineRec struct {
	names    [2]string
	vals     [4]string
	two      bool
	provider int
}

// inlineRecord writes a record without templates, as noTemplate does,
// with no references (which the plans leave to the tree): attributes,
// named and unnamed Data, CDATA, empty elements, a repeated key.
func inlineRecord(r inlineRec) func(w *xw) {
	return func(w *xw) {
		w.fragment()
		w.open("Event", false, true)
		w.attr("xmlns")
		w.text("ns")
		w.closeStart()
		w.open("System", false, false)
		w.closeStart()
		w.open("Provider", false, true)
		w.attr("Name")
		w.text(r.vals[0])
		switch r.provider {
		case 0:
			w.closeEmpty()
		case 1:
			w.text("p")
			w.closeEmpty()
		case 2:
			w.closeStart()
			w.text("p")
			w.end()
		case 3:
			w.closeStart()
			w.open("Inner", false, false)
			w.closeEmpty()
			w.end()
		}
		if r.provider != 3 {
			w.open("Inner", false, false)
			w.closeStart()
			w.end()
		}
		w.leaf("EventID", r.vals[1])
		w.leaf("Computer", r.vals[2])
		w.end()
		w.open("EventData", false, false)
		w.closeStart()
		for i, name := range r.names {
			w.open("Data", false, true)
			w.attr("Name")
			w.text(name)
			w.closeStart()
			if i == 0 {
				w.text(r.vals[3])
			} else {
				w.u8(tokCDATA)
				w.u16(uint16(len(utf16.Encode([]rune(r.vals[3]))) + 1))
				w.utf16(r.vals[3] + "x")
			}
			if r.two {
				w.text("more")
			}
			w.end()
		}
		w.leaf("Data", "u1")
		w.leaf("Data", r.vals[2])
		w.open("Binary", false, false)
		w.closeEmpty()
		w.end()
		w.open("UserData", false, false)
		w.closeStart()
		w.leaf("Param", "a")
		w.leaf("Param", r.vals[1])
		w.end()
		w.end()
		w.eof()
	}
}

// inlineRecs are records of a few shapes, each shape more than twice,
// values of one shape differing in length and text.
var inlineRecs = func() []inlineRec {
	ab := [2]string{"CommandLine", "Image"}
	vals := func(i int) [4]string {
		s := strings.Repeat(fmt.Sprint(i), i)
		return [4]string{"Defender" + s, "11" + s, "host" + s, `C:\x "y"` + s}
	}
	var recs []inlineRec
	for i := range 4 {
		recs = append(recs, inlineRec{names: ab, vals: vals(i + 1)})
	}
	for i := range 3 {
		recs = append(recs,
			inlineRec{names: [2]string{"Other", "Image"}, vals: vals(i + 1)},
			inlineRec{names: [2]string{"Same", "Same"}, vals: vals(i + 2)},
			inlineRec{names: [2]string{"", "Image"}, vals: vals(i + 3)},
			inlineRec{names: ab, vals: [4]string{"", "12", "", "é€😀"}},
			inlineRec{names: ab, vals: vals(i + 4), two: true},
			inlineRec{names: ab, vals: vals(i + 1), provider: 2},
			inlineRec{names: ab, vals: vals(i + 1), provider: 1},
			inlineRec{names: ab, vals: vals(i + 1), provider: 3},
		)
	}
	return append(recs, inlineRec{names: ab, vals: vals(9)})
}()

// inlineChunk is a chunk of inlineRecs[:n].
func inlineChunk(n int) []byte {
	c := &chunkBuilder{first: 1}
	for _, r := range inlineRecs[:n] {
		c.record(inlineRecord(r))
	}
	return c.bytes()
}

// TestInlinePlans reads records written without templates by plans and
// by trees, and requires the same records (Walk, JSON, AppendValues), and
// most of them read by plans: the records of one shape share one, even
// though every record defines its names again (at other offsets); a
// record of another Data Name, or another value empty, has another.
func TestInlinePlans(t *testing.T) {
	plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
	n := compareChunks(t, plan, tree, [][]byte{inlineChunk(len(inlineRecs)), fixtureChunk(1)}, 2, allSkips...)
	s := plan.Stats()
	t.Logf("%d records: %+v", n, s)
	// The first pass reads by plans the third record of each shape on
	// (9), the second every record (23) of the seven shapes that can be
	// (not those of a text of two value tokens, nor noTemplate, with
	// references; nor fixtureChunk's others).
	if want := 9 + 23; s.Planned != want {
		t.Errorf("%+v: want %d records read by plans", s, want)
	}
	shapes := map[string]uint64{}
	d := NewDecoder()
	if err := d.Reset(&Chunk{data: inlineChunk(len(inlineRecs))}); err != nil {
		t.Fatal(err)
	}
	for i, r := range inlineRecs {
		rec, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprint(r.names, r.vals[0] == "", r.two, r.provider)
		if sh := rec.Shape(); sh != 0 {
			if old, ok := shapes[key]; ok && old != sh {
				t.Errorf("record %d: shape %d, an earlier record of its shape %d", i, sh, old)
			}
			shapes[key] = sh
		}
	}
	if len(shapes) != 7 {
		t.Errorf("%d shapes with plans, want 7: %v", len(shapes), shapes)
	}
}

// TestInlineLimits reads inline records with limits at and around what
// each expands to (nodes, depth, bytes of values, as its tree counts
// them): by plans as by trees, the same records and errors, and some of
// each.
func TestInlineLimits(t *testing.T) {
	chunks := [][]byte{inlineChunk(len(inlineRecs))}
	nodes, depths, bytes := map[int]bool{}, map[int]bool{}, map[int]bool{}
	d := NewDecoder(WithoutPlans())
	if err := d.Reset(&Chunk{data: chunks[0]}); err != nil {
		t.Fatal(err)
	}
	for range inlineRecs {
		if _, err := d.Next(); err != nil {
			t.Fatal(err)
		}
		nodes[len(d.nodes)], depths[d.depth(0)], bytes[d.valueBytes] = true, true, true
	}
	var opts []Option
	for n := range nodes {
		opts = append(opts, WithMaxNodes(n-1), WithMaxNodes(n), WithMaxNodes(n+1))
	}
	for n := range depths {
		opts = append(opts, WithMaxDepth(n-1), WithMaxDepth(n), WithMaxDepth(n+1))
	}
	for n := range bytes {
		opts = append(opts, WithMaxValueBytes(n-1), WithMaxValueBytes(n), WithMaxValueBytes(n+1))
	}
	planned, failed := 0, 0
	for _, opt := range opts {
		plan, tree := NewDecoder(opt), NewDecoder(opt, WithoutPlans())
		n := compareChunks(t, plan, tree, chunks, 2)
		planned += plan.Stats().Planned
		failed += 2*len(inlineRecs) - n
	}
	t.Logf("%d limits: %d records read by plans, %d failed", len(opts), planned, failed)
	if planned == 0 || failed == 0 {
		t.Errorf("%d records read by plans, %d failed: want some of each", planned, failed)
	}
}

// depth returns how deep elements nest below tree node n.
func (d *Decoder) depth(n int32) int {
	most := 0
	for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].kind == nodeElem {
			most = max(most, 1+d.depth(c))
		}
	}
	return most
}

// TestInlineDamage damages the bytes of a record without templates read
// by a plan, as TestPlanDamage does those of a template instance.
func TestInlineDamage(t *testing.T) {
	damageRecord(t, inlineChunk(4), 3)
}
