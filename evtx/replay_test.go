package evtx

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// valuesTrace writes down rec's AppendValues: each value's kind, Text
// and AppendJSON, which compareChunks compares between a Decoder with
// plans and one without (a tree's values are what Walk hands out).
func valuesTrace(rec *Record) string {
	var b strings.Builder
	b.WriteString("values:")
	for _, v := range rec.AppendValues(nil) {
		fmt.Fprintf(&b, " %v:%q:%s", v.Kind(), v.Text(), v.AppendJSON(nil))
	}
	return b.String()
}

// keyTracer writes down the Visitor calls of a record without its values.
type keyTracer struct{ b strings.Builder }

func (t *keyTracer) Object(key string) bool { fmt.Fprintf(&t.b, "{%q", key); return true }
func (t *keyTracer) Array(key string)       { fmt.Fprintf(&t.b, "[%q", key) }
func (t *keyTracer) End()                   { t.b.WriteString("}") }
func (t *keyTracer) Value(key string, v Value) {
	fmt.Fprintf(&t.b, " %q", key)
}

// shapesOf reads chunks with dec and adds each planned record's Visitor
// calls (keys, no values) to calls by its Shape, failing t where a Shape
// comes back with other calls or with another number of values, or a
// value at one place of a Shape with the Raw bytes of an earlier one
// renders otherwise (Value.Raw); it returns how many records had a
// Shape.
func shapesOf(t *testing.T, dec *Decoder, chunks [][]byte, calls map[uint64]string) int {
	t.Helper()
	rendered := map[string]string{} // by Shape, place and Raw: the value's kind, Text and JSON
	n := 0
	for ci, data := range chunks {
		if dec.Reset(&Chunk{Index: ci, data: data}) != nil {
			continue
		}
		for {
			rec, err := dec.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				continue
			}
			shape := rec.Shape()
			if shape == 0 {
				continue
			}
			n++
			var kt keyTracer
			rec.Walk(&kt)
			vs := rec.AppendValues(nil)
			got := fmt.Sprintf("%s %d values", kt.b.String(), len(vs))
			for i, v := range vs {
				at, js := fmt.Sprintf("%d %d %x", shape, i, v.Raw()), fmt.Sprintf("%v %q %s", v.Kind(), v.Text(), v.AppendJSON(nil))
				if want, ok := rendered[at]; ok && js != want {
					t.Fatalf("chunk %d, record %d: Shape %d, value %d: %s, an earlier record's of the same Raw %s", ci, rec.ID, shape, i, js, want)
				}
				rendered[at] = js
			}
			if want, ok := calls[shape]; ok && got != want {
				t.Fatalf("chunk %d, record %d: Shape %d: calls\n%s\nwant, as an earlier record of the Shape\n%s", ci, rec.ID, shape, got, want)
			}
			calls[shape] = got
		}
	}
	return n
}

// TestShapes: records of one Shape hand a Visitor the same calls with the
// same keys and as many values, values of one place and Raw render alike, and a Shape is never another plan's, not
// another Decoder's and not after evictions (each Decoder's Shapes come
// back with the calls of the first record that had them).
func TestShapes(t *testing.T) {
	calls := map[uint64]string{}
	chunks := [][]byte{plannedChunk(1, 6), fixtureChunk(20), plannedChunk(40, 3), oddChunk(), inlineChunk(len(inlineRecs))}
	chunks = append(chunks, testdataChunks(t)...)
	files := corpusFiles(t)
	for _, path := range files[:min(len(files), 60)] {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, fileChunks(t, data)...)
	}
	shapes := map[*Decoder]int{}
	for _, dec := range []*Decoder{NewDecoder(), NewDecoder(), NewDecoder(WithMaxPlans(2)), NewDecoder(WithMaxPlanBytes(8 << 10))} {
		before := len(calls)
		if n := shapesOf(t, dec, append(chunks, chunks...), calls); n == 0 {
			t.Fatalf("%+v: no record read by a plan", dec.Stats())
		}
		shapes[dec] = len(calls) - before
		if s := dec.Stats(); s.Evictions > 0 && shapes[dec] <= s.Plans {
			t.Errorf("%+v: %d Shapes: want new Shapes for the plans made again after evictions", s, shapes[dec])
		}
	}
	if plan := NewDecoder(WithoutPlans()); shapesOf(t, plan, chunks, calls) != 0 {
		t.Errorf("a Decoder without plans read records with a Shape")
	}
}
