package evtx

import (
	"math"
	"testing"
)

// shapeChunk is a chunk of records that are each one instance of the
// template whose body body writes (defined in the first record, referred
// to by the others), with the values of vals[i] for record i. A value of
// typeBinXML whose raw is nil and whose index is in inner is an instance
// of <Rule Name="%1">%2</Rule> (ruleInstance, defined in the value), set
// where the value lands in the chunk.
func shapeChunk(body func(t *xw), inner []map[int]bool, vals ...[]tval) []byte {
	c := &chunkBuilder{first: 1}
	var defAt int
	for r, v := range vals {
		c.record(func(w *xw) {
			var def func(*xw)
			if defAt == 0 {
				def = func(t *xw) { t.fragment(); body(t); t.eof() }
			}
			w.fragment()
			v := append([]tval(nil), v...)
			for i := range v {
				if r < len(inner) && inner[r][i] {
					v[i].raw, _ = ruleInstance(0, 0) // its size, not where it lands
				}
			}
			// Write the instance once to learn where its values land,
			// then for real.
			probe := &xw{base: w.pos()}
			probe.instance(defAt, def, v)
			at := probe.pos()
			for i := range v {
				at -= len(v[i].raw)
			}
			for i := range v {
				if r < len(inner) && inner[r][i] {
					v[i].raw, _ = ruleInstance(at, 0)
				}
				at += len(v[i].raw)
			}
			defAt = w.instance(defAt, def, v)
			w.eof()
		})
	}
	return c.bytes()
}

// dataBody writes <Event><EventData> with one <Data Name="Vi">%i</Data>
// of type typ[i] each </EventData></Event>.
func dataBody(typ ...byte) func(t *xw) {
	return func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		t.open("EventData", true, false)
		t.closeStart()
		for i, ty := range typ {
			t.open("Data", true, true)
			t.attr("Name")
			t.text(string(rune('A' + i)))
			t.closeStart()
			t.subst(i, ty, true)
			t.end()
		}
		t.end()
		t.end()
	}
}

// elemBody writes <Event><A>%0</A><B>%1</B>…</Event>, value i of type
// typ[i].
func elemBody(typ ...byte) func(t *xw) {
	return func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		for i, ty := range typ {
			t.open(string(rune('A'+i)), true, false)
			t.closeStart()
			t.subst(i, ty, true)
			t.end()
		}
		t.end()
	}
}

// TestPlanShapes reads records of one template whose values differ in
// what a shape must tell apart (or need not): each chunk's records read
// by plans must read as their trees, whichever record a plan is made
// from.
func TestPlanShapes(t *testing.T) {
	real64 := func(f float64) tval { return tval{typeReal64, le64(math.Float64bits(f))} }
	real32 := func(f float32) tval { return tval{typeReal32, le32(math.Float32bits(f))} }
	binXML := tval{typeBinXML, nil}
	empty := tval{typeBinXML, []byte{}}
	tests := []struct {
		name  string
		chunk []byte
	}{
		// A plan made from a record whose real is not finite (null)
		// must not make the reals of later records null.
		{"NaN then finite", shapeChunk(dataBody(typeReal64), nil,
			[]tval{real64(1.5)}, []tval{real64(math.NaN())}, []tval{real64(2.5)}, []tval{real64(math.Inf(1))})},
		{"Inf then finite", shapeChunk(dataBody(typeReal32), nil,
			[]tval{real32(float32(math.Inf(-1)))}, []tval{real32(float32(math.Inf(-1)))}, []tval{real32(3)})},
		{"NaN items", shapeChunk(dataBody(typeReal64|typeArray), nil,
			[]tval{{typeReal64 | typeArray, append(le64(math.Float64bits(math.NaN())), le64(1)...)}},
			[]tval{{typeReal64 | typeArray, append(le64(math.Float64bits(math.NaN())), le64(1)...)}},
			[]tval{{typeReal64 | typeArray, append(le64(math.Float64bits(2)), le64(1)...)}})},
		// Which of two binary XML values is empty is part of the shape:
		// the nested instance goes where its value is used.
		{"nested instance moves", shapeChunk(elemBody(typeBinXML, typeBinXML),
			[]map[int]bool{{0: true}, {0: true}, {1: true}, {1: true}},
			[]tval{binXML, empty}, []tval{binXML, empty}, []tval{empty, binXML}, []tval{empty, binXML})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
			compareChunks(t, plan, tree, [][]byte{tt.chunk}, 2, allSkips...)
			if s := plan.Stats(); s.Planned == 0 {
				t.Errorf("%+v: no record read by a plan", s)
			}
		})
	}
}

// nameLinkChunk is a chunk of two records of a template whose second
// element's name is read, by a reference into the definition, from bytes
// that overlap the link of the first element's name to the chunk's next
// name (libyal, "Name": next-name offset, hash, character count, the
// characters): link 0 names it "", link 0x00410001 names it "A". Only
// the link differs between the two chunks' definitions.
func nameLinkChunk(link uint32) []byte {
	return shapeChunk(func(t *xw) {
		t.u8(tokOpenStart)
		t.u16(0xffff)
		t.u32(0)
		at := t.pos() + 4 // "Event" is defined here
		t.u32(uint32(at))
		t.u32(link)
		t.u16(0)
		t.u16(5)
		t.utf16("Event")
		t.u16(0)
		t.closeStart()
		t.u8(tokOpenStart)
		t.u16(0xffff)
		t.u32(0)
		t.u32(uint32(at - 6)) // its count is the link's low half
		t.closeEmpty()
		t.end()
	}, nil, nil, nil)
}

// TestKnownTemplateNames: a template compiled from an earlier chunk's
// definition is not taken for a definition whose names read differently.
func TestKnownTemplateNames(t *testing.T) {
	plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
	compareChunks(t, plan, tree, [][]byte{nameLinkChunk(0), nameLinkChunk(0x00410001)}, 2)
}
