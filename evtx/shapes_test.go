package evtx

import (
	"bytes"
	"encoding/binary"
	"math"
	"strings"
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
	shapeRecords(c, body, inner, vals...)
	return c.bytes()
}

// shapeRecords appends shapeChunk's records to c.
func shapeRecords(c *chunkBuilder, body func(t *xw), inner []map[int]bool, vals ...[]tval) {
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
}

// held writes, in a template, <name>%sub</name>, value sub of type typ.
func (w *xw) held(name string, sub int, typ byte) {
	w.open(name, true, false)
	w.closeStart()
	w.subst(sub, typ, true)
	w.end()
}

// heldAttr writes, in a template, <name attr="%attrSub">%sub</name>,
// value attrSub a string and value sub of type typ.
func (w *xw) heldAttr(name, attr string, attrSub, sub int, typ byte) {
	w.open(name, true, true)
	w.attr(attr)
	w.subst(attrSub, typeString, true)
	w.closeStart()
	w.subst(sub, typ, true)
	w.end()
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
			t.held(string(rune('A'+i)), i, ty)
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
	str := func(s string) tval { return tval{typeString, u16s(s)} }
	arrays := func(items string) []tval {
		return []tval{{typeString | typeArray, u16s(items)}, {typeString | typeArray, u16s(items)}, str("c")}
	}
	tests := []struct {
		name   string
		chunk  []byte
		noPlan bool // no record is read by a plan
	}{
		// A plan made from a record whose real is not finite (null)
		// must not make the reals of later records null.
		{"NaN then finite", shapeChunk(dataBody(typeReal64), nil,
			[]tval{real64(1.5)}, []tval{real64(math.NaN())}, []tval{real64(2.5)}, []tval{real64(math.Inf(1))}), false},
		{"Inf then finite", shapeChunk(dataBody(typeReal32), nil,
			[]tval{real32(float32(math.Inf(-1)))}, []tval{real32(float32(math.Inf(-1)))}, []tval{real32(3)}), false},
		{"NaN items", shapeChunk(dataBody(typeReal64|typeArray), nil,
			[]tval{{typeReal64 | typeArray, append(le64(math.Float64bits(math.NaN())), le64(1)...)}},
			[]tval{{typeReal64 | typeArray, append(le64(math.Float64bits(math.NaN())), le64(1)...)}},
			[]tval{{typeReal64 | typeArray, append(le64(math.Float64bits(2)), le64(1)...)}}), false},
		// Which of two binary XML values is empty is part of the shape:
		// the nested instance goes where its value is used.
		{"nested instance moves", shapeChunk(elemBody(typeBinXML, typeBinXML),
			[]map[int]bool{{0: true}, {0: true}, {1: true}, {1: true}},
			[]tval{binXML, empty}, []tval{binXML, empty}, []tval{empty, binXML}, []tval{empty, binXML}), false},
		// Items in number and emptiness, empty attributes, nulls: the
		// records of each differ from the one their plan was made from.
		{"array lengths", shapeChunk(func(t *xw) {
			t.open("Event", true, false)
			t.closeStart()
			t.held("D", 0, typeString|typeArray)
			t.open("EventData", true, false)
			t.closeStart()
			t.held("Data", 1, typeString|typeArray)
			t.held("Data", 2, typeString)
			t.end()
			t.end()
		}, nil, arrays("a\x00b\x00"), arrays("a\x00b\x00"), arrays("a\x00"), arrays("a\x00"), arrays("a\x00\x00c\x00"),
			arrays("a\x00\x00c\x00"), arrays(""), arrays(""), arrays("a\x00b\x00c\x00"), arrays("a\x00b\x00c\x00")), false},
		{"empty attribute", shapeChunk(func(t *xw) {
			t.open("Event", true, false)
			t.closeStart()
			t.heldAttr("E", "A", 0, 1, typeString)
			t.end()
		}, nil, []tval{str(""), str("x")}, []tval{str(""), str("y")}, []tval{str("a"), str("")}, []tval{str("a"), str("")},
			[]tval{str(""), str("z")}, []tval{{typeNull, nil}, {typeNull, nil}}, []tval{{typeNull, nil}, {typeNull, nil}}, []tval{str("b"), str("w")}), false},
		// A Data element named by a value: its key is the record's.
		{"Data named by a value", shapeChunk(func(t *xw) {
			t.open("EventData", true, false)
			t.closeStart()
			t.heldAttr("Data", "Name", 0, 1, typeString)
			t.end()
		}, nil, []tval{str("x"), str("1")}, []tval{str("y"), str("2")}, []tval{str("z"), str("3")}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
			compareChunks(t, plan, tree, [][]byte{tt.chunk}, 2, allSkips...)
			if s := plan.Stats(); (s.Planned == 0) != tt.noPlan {
				t.Errorf("%+v: records read by plans, want them %v", s, !tt.noPlan)
			}
		})
	}
}

// nameLinkBody writes a template whose second element's name is read,
// by a reference into the definition, from bytes that overlap the link
// of the first element's name to the chunk's next name (libyal, "Name":
// next-name offset, hash, character count, the characters): link 0 names
// it "", link 0x00410001 names it "A".
func nameLinkBody(link uint32) func(t *xw) {
	return func(t *xw) {
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
	}
}

// backrefBody writes <Event><Aa/><Bb/><X/></Event> where X is a
// reference to the name of element 1 or 2, defined before it.
func backrefBody(to int) func(t *xw) {
	return func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		var at [2]int
		for i, name := range []string{"Aa", "Bb"} {
			at[i] = t.pos() + 1 + 2 + 4 + 4 // token, dependency, size, reference
			t.open(name, true, false)
			t.closeEmpty()
		}
		t.u8(tokOpenStart)
		t.u16(0xffff)
		t.u32(0)
		t.u32(uint32(at[to-1]))
		t.closeEmpty()
		t.end()
	}
}

// outsideNameChunk is a chunk of a record without a template, <name/>,
// then three records of a template <Event><name/></Event> whose inner
// element refers to the first record's name.
func outsideNameChunk(name string) []byte {
	c := &chunkBuilder{first: 1}
	var at int
	c.record(func(w *xw) {
		w.fragment()
		at = w.pos() + 1 + 4 + 4 // token, size, reference
		w.open(name, false, false)
		w.closeEmpty()
		w.eof()
	})
	shapeRecords(c, func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		t.u8(tokOpenStart)
		t.u16(0xffff)
		t.u32(0)
		t.u32(uint32(at))
		t.closeEmpty()
		t.end()
	}, nil, nil, nil, nil)
	return c.bytes()
}

// TestKnownTemplates reads pairs of chunks whose templates have one GUID
// (the builder's, zero) and size but differ: in a name read by a
// reference into the definition that overlaps a name's link, in a
// constant, in which value an element holds, in a name defined in place, in
// which earlier name a reference is to, in a name outside the
// definition; and templates of one shape but for an element that is an
// attribute. A template compiled from one chunk is not taken for the
// other's, nor do their records share plans.
func TestKnownTemplates(t *testing.T) {
	str := func(s string) tval { return tval{typeString, u16s(s)} }
	xy := [][]tval{{str("x"), str("y")}, {str("x"), str("y")}, {str("x"), str("y")}}
	text := func(s string) func(t *xw) {
		return func(t *xw) {
			t.open("Event", true, false)
			t.closeStart()
			t.open("A", true, false)
			t.closeStart()
			t.text(s)
			t.end()
			t.end()
		}
	}
	swapped := func(a, b int) func(t *xw) {
		return func(t *xw) {
			t.open("Event", true, false)
			t.closeStart()
			t.held("A", a, typeString)
			t.held("B", b, typeString)
			t.end()
		}
	}
	named := func(name string) func(t *xw) {
		return func(t *xw) {
			t.open("Event", true, false)
			t.closeStart()
			t.held(name, 0, typeString)
			t.end()
		}
	}
	attr := func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		t.open("E", true, true)
		t.attr("X")
		t.text("v")
		t.closeEmpty()
		t.end()
	}
	elem := func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		t.open("E", true, false)
		t.closeStart()
		t.open("X", true, false)
		t.closeStart()
		t.text("v")
		t.end()
		t.end()
		t.end()
	}
	tests := []struct {
		name string
		a, b []byte
	}{
		{"name over a link", shapeChunk(nameLinkBody(0), nil, nil, nil, nil), shapeChunk(nameLinkBody(0x00410001), nil, nil, nil, nil)},
		{"constant", shapeChunk(text("aaa"), nil, nil, nil, nil), shapeChunk(text("bbb"), nil, nil, nil, nil)},
		{"value used", shapeChunk(swapped(0, 1), nil, xy...), shapeChunk(swapped(1, 1), nil, xy...)},
		{"name", shapeChunk(named("Aa"), nil, xy...), shapeChunk(named("Bb"), nil, xy...)},
		{"reference to another name", shapeChunk(backrefBody(1), nil, nil, nil, nil), shapeChunk(backrefBody(2), nil, nil, nil, nil)},
		{"name outside", outsideNameChunk("Aa"), outsideNameChunk("Bb")},
		{"attribute or element", shapeChunk(attr, nil, nil, nil, nil), shapeChunk(elem, nil, nil, nil, nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
			compareChunks(t, plan, tree, [][]byte{tt.a, tt.b}, 2)
			if s := plan.Stats(); s.Planned == 0 {
				t.Errorf("%+v: no record read by a plan", s)
			}
		})
	}
}

// TestPlanDamage damages one byte of a record that a plan reads (zeroed,
// all ones, one bit flipped, one to three added), at every offset of the
// record, and cuts the chunk short at every 7th byte, and requires the same
// records and the same errors with plans as with trees: the plan path
// takes nothing on trust that the tree path checks.
func TestPlanDamage(t *testing.T) {
	damageRecord(t, plannedChunk(1, 6), 3) // the fourth record: three of its shape before it
}

// damageRecord is TestPlanDamage on record k of chunk.
func damageRecord(t *testing.T, chunk []byte, k int) {
	file := buildFile(0, chunk)
	start := FileHeaderSize + ChunkHeaderSize
	for range k {
		start += int(binary.LittleEndian.Uint32(file[start+4:]))
	}
	size := int(binary.LittleEndian.Uint32(file[start+4:]))
	planned, errs := 0, 0
	for at := start; at < start+size; at++ {
		for _, damage := range []func(byte) byte{
			func(byte) byte { return 0 }, func(byte) byte { return 0xff },
			func(c byte) byte { return c ^ 1 }, func(c byte) byte { return c + 1 },
			// In a last value's size: past the record's end by one or two bytes.
			func(c byte) byte { return c + 2 }, func(c byte) byte { return c + 3 },
		} {
			f := rechunk(bytes.Clone(file), 0, func(c []byte) {
				o := at - FileHeaderSize
				c[o] = damage(c[o])
			})
			plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
			compareChunks(t, plan, tree, [][]byte{f[FileHeaderSize:]}, 2)
			planned += plan.Stats().Planned
			errs += plan.Stats().Tree
		}
	}
	t.Logf("%d bytes damaged 4 ways: %d records read by plans, %d into trees", size, planned, errs)
	// A file that ends inside the chunk, at every 7th byte of its
	// records: the records before the cut, then the same error.
	chunk = file[FileHeaderSize:]
	free := int(binary.LittleEndian.Uint32(chunk[48:]))
	for cut := ChunkHeaderSize; cut <= free; cut += 7 {
		compareChunks(t, NewDecoder(), NewDecoder(WithoutPlans()), [][]byte{chunk[:cut]}, 2)
	}
}

// TestPlanUses: a plan does not read a record whose values, used many
// times by its template or once per item of an array in an element's
// content, expand past WithMaxValueBytes, though the records it was made
// from did not; the tree path says so, as without plans.
func TestPlanUses(t *testing.T) {
	str := func(s string) tval { return tval{typeString, u16s(s)} }
	long := str(strings.Repeat("x", 1000))
	many := func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		for range 50 {
			t.held("A", 0, typeString)
		}
		t.end()
	}
	items := func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		t.heldAttr("D", "X", 1, 0, typeString|typeArray)
		t.end()
	}
	abcd := tval{typeString | typeArray, u16s("a\x00b\x00c\x00d\x00")}
	for _, chunk := range [][]byte{
		shapeChunk(many, nil, []tval{str("ab")}, []tval{str("ab")}, []tval{long}, []tval{str("ab")}),
		shapeChunk(items, nil, []tval{abcd, str("s")}, []tval{abcd, str("s")}, []tval{abcd, long}, []tval{abcd, str("s")}),
	} {
		opt := WithMaxValueBytes(5000)
		plan, tree := NewDecoder(opt), NewDecoder(opt, WithoutPlans())
		compareChunks(t, plan, tree, [][]byte{chunk}, 2)
		if s := plan.Stats(); s.Planned == 0 {
			t.Errorf("%+v: no record read by a plan", s)
		}
	}
}

// BenchmarkPlanItems reads chunks of two records of one shape, an array
// of 7,000 items in an attribute, each chunk by a new Decoder, which
// makes a plan of the second record (plans), or not (trees); each record
// is written as JSON. Making a plan looks each value up once: it costs
// about what writing the record does, not 7,000 times more.
func BenchmarkPlanItems(b *testing.B) {
	arr := tval{typeString | typeArray, u16s(strings.Repeat("a\x00", 7000))}
	chunk := shapeChunk(func(t *xw) {
		t.open("Event", true, false)
		t.closeStart()
		t.open("D", true, true)
		t.attr("X")
		t.subst(0, typeString|typeArray, true)
		t.closeEmpty()
		t.end()
	}, nil, []tval{arr}, []tval{arr})
	for _, way := range []struct {
		name string
		opts []Option
	}{{"plans", nil}, {"trees", []Option{WithoutPlans()}}} {
		b.Run(way.name, func(b *testing.B) {
			b.ReportAllocs()
			var line []byte
			for b.Loop() {
				d := NewDecoder(way.opts...)
				if err := d.Reset(&Chunk{data: chunk}); err != nil {
					b.Fatal(err)
				}
				for {
					rec, err := d.Next()
					if err != nil {
						break
					}
					line = rec.AppendJSON(line[:0])
				}
			}
		})
	}
}

// TestTextTypeValue: a substitution value of type 0x7f, no EVTX type but
// the Decoder's own mark of text already in UTF-8, is an error, not
// bytes handed out as text (Value.Text would not be valid UTF-8).
func TestTextTypeValue(t *testing.T) {
	d := NewDecoder()
	if err := d.Reset(&Chunk{data: shapeChunk(dataBody(typeString), nil, []tval{{typeText, []byte{'a', 0xff}}})}); err != nil {
		t.Fatal(err)
	}
	_, err := d.Next()
	const want = "chunk 0, record 1 (offset 0x200): binary XML at chunk offset 0x2d9: substitution value 0: value of type 0x7f, no EVTX type"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestPlanEvictAlways reads with no room for plans (every one dropped as
// soon as another entry is kept, in the middle of a record's shape or
// plan): records read the same, and each drop is counted.
func TestPlanEvictAlways(t *testing.T) {
	for _, opt := range []Option{WithMaxPlans(0), WithMaxPlanBytes(0)} {
		plan, tree := NewDecoder(opt), NewDecoder(WithoutPlans())
		chunks := [][]byte{fixtureChunk(1), plannedChunk(1, 6), oddChunk()}
		compareChunks(t, plan, tree, append(chunks, testdataChunks(t)...), 3, allSkips...)
		if s := plan.Stats(); s.Evictions < s.Tree {
			t.Errorf("%+v: want an eviction for each record read into a tree at least", s)
		}
	}
}

// TestFileChunksWhole: the chunks that TestPlans, FuzzPlan's seeds and
// the eviction tests read are the file's bytes, past the records' end
// too (a Reader of a *bytes.Reader leaves those unread until needed).
func TestFileChunksWhole(t *testing.T) {
	file := buildFile(0, plannedChunk(1, 6), fixtureChunk(7))
	for i, c := range fileChunks(t, file) {
		if want := file[FileHeaderSize+i*ChunkSize:][:ChunkSize]; !bytes.Equal(c, want) {
			t.Errorf("chunk %d differs from the file's", i)
		}
	}
}
