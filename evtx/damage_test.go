package evtx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"slices"
	"strings"
	"testing"
)

// twoChunks is a file of two fixture chunks (records 1-3 and 4-6).
func twoChunks() []byte { return buildFile(0, fixtureChunk(1), fixtureChunk(4)) }

// TestDamage reads damaged files: every record that can be read is, in
// order, and each damaged chunk or record is one *Error naming it.
func TestDamage(t *testing.T) {
	whole := twoChunks()
	chunk1 := FileHeaderSize + ChunkSize
	rec := func(c, i int) int { // where record i of chunk c starts in the file
		off := FileHeaderSize + c*ChunkSize + ChunkHeaderSize
		for range i {
			off += int(binary.LittleEndian.Uint32(whole[off+4:]))
		}
		return off
	}
	tests := []struct {
		name   string
		damage func(b []byte) []byte
		ids    []uint64 // the records read
		errs   []string // the errors, in order
	}{
		{"intact", func(b []byte) []byte { return b }, []uint64{1, 2, 3, 4, 5, 6}, nil},
		{"bad records checksum", func(b []byte) []byte { b[rec(0, 1)+40] ^= 1; return b },
			[]uint64{4, 5, 6}, []string{"chunk 0 (offset 0x1000): records checksum"}},
		{"bad header checksum", func(b []byte) []byte { b[chunk1+20] ^= 1; return b },
			[]uint64{1, 2, 3}, []string{"chunk 1 (offset 0x11000): header checksum"}},
		{"bad chunk signature", func(b []byte) []byte { b[chunk1] = 'X'; return b },
			[]uint64{1, 2, 3}, []string{`chunk 1 (offset 0x11000): signature "XlfChnk\x00", want "ElfChnk\x00"`}},
		{"truncated between records", func(b []byte) []byte { return b[:rec(1, 2)] },
			[]uint64{1, 2, 3, 4, 5}, []string{"chunk 1 (offset 0x11a50): truncated: the file ends inside a record header"}},
		{"record cut in half", func(b []byte) []byte { return b[:rec(1, 1)+100] },
			[]uint64{1, 2, 3, 4}, []string{"chunk 1, record 5 (offset 0x118f6): truncated: the file ends inside the record (100 of 346 bytes)"}},
		{"truncated after the records", func(b []byte) []byte { return b[:rec(1, 3)+10] },
			[]uint64{1, 2, 3, 4, 5, 6}, nil},
		{"truncated in a chunk header", func(b []byte) []byte { return b[:chunk1+100] },
			[]uint64{1, 2, 3}, []string{"chunk 1 (offset 0x11000): truncated: the file ends 100 bytes into the chunk"}},
		{"template outside the chunk", func(b []byte) []byte {
			return rechunk(b, 1, func(c []byte) {
				// record 5 uses record 4's template: point it past the chunk
				off := rec(1, 1) - FileHeaderSize - ChunkSize + recordHeader + 4 + 6 // fragment header; token, byte, id
				binary.LittleEndian.PutUint32(c[off:], 70000)
			})
		}, []uint64{1, 2, 3, 4, 6}, []string{"chunk 1, record 5 (offset 0x118f6): binary XML at chunk offset 0x91c: template at offset 0x11170 outside the chunk"}},
		{"record size too large", func(b []byte) []byte {
			return rechunk(b, 0, func(c []byte) {
				binary.LittleEndian.PutUint32(c[rec(0, 1)-FileHeaderSize+4:], 60000)
			})
		}, []uint64{1, 4, 5, 6}, []string{"chunk 0, record 2 (offset 0x18f6): record size 60000 runs outside the chunk's records"}},
	}
	for _, tt := range tests {
		// Each damaged file is read by a loop over Next and by All, which
		// must give the same records and errors, from a *bytes.Reader
		// (lazy chunks, ReadAt), from a plain io.Reader (whole chunks)
		// and from memory (NewReaderBytes: chunks not copied).
		for _, way := range []string{"Next", "All", "Next/plain", "Next/bytes"} {
			t.Run(tt.name+"/"+way, func(t *testing.T) {
				file := tt.damage(bytes.Clone(whole))
				var src io.Reader = bytes.NewReader(file)
				if way == "Next/plain" {
					src = plainReader{src}
				}
				r, err := NewReader(src)
				if way == "Next/bytes" {
					r, err = NewReaderBytes(file)
				}
				if err != nil {
					t.Fatal(err)
				}
				records := r.All()
				if way != "All" {
					records = func(yield func(*Record, error) bool) {
						for {
							rec, err := r.Next()
							if err == io.EOF || !yield(rec, err) {
								return
							}
						}
					}
				}
				var ids []uint64
				var errs []string
				for rec, err := range records {
					var e *Error
					if errors.As(err, &e) {
						errs = append(errs, err.Error())
						continue
					}
					if err != nil {
						t.Fatal(err)
					}
					rec.AppendJSON(nil)
					ids = append(ids, rec.ID)
				}
				if !slices.Equal(ids, tt.ids) {
					t.Errorf("records %v, want %v", ids, tt.ids)
				}
				if len(errs) != len(tt.errs) {
					t.Fatalf("errors %q, want %q", errs, tt.errs)
				}
				for i := range errs {
					if !strings.HasPrefix(errs[i], tt.errs[i]) {
						t.Errorf("error %q, want it to start %q", errs[i], tt.errs[i])
					}
				}
			})
		}
	}
}

// rechunk changes chunk c of file with edit (offsets in the chunk) and
// sets its checksums again, so that only the edit is damage.
func rechunk(file []byte, c int, edit func(chunk []byte)) []byte {
	chunk := file[FileHeaderSize+c*ChunkSize : FileHeaderSize+(c+1)*ChunkSize]
	edit(chunk)
	le := binary.LittleEndian
	le.PutUint32(chunk[52:], crc32.ChecksumIEEE(chunk[ChunkHeaderSize:le.Uint32(chunk[48:])]))
	le.PutUint32(chunk[124:], crc32.Update(crc32.ChecksumIEEE(chunk[:120]), crc32.IEEETable, chunk[128:ChunkHeaderSize]))
	return file
}

// TestDirty reads a file whose dirty header counts one chunk of two, with
// an unused (all zero) chunk between them: every record is read.
func TestDirty(t *testing.T) {
	file := buildFile(1, fixtureChunk(1), make([]byte, ChunkSize), fixtureChunk(4))
	binary.LittleEndian.PutUint16(file[42:], 1) // the stale chunk count
	binary.LittleEndian.PutUint32(file[124:], crc32.ChecksumIEEE(file[:120]))
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Header(); !h.Dirty() || h.Full() || !h.ChecksumOK || h.Chunks != 1 || h.MajorVersion != 3 || h.MinorVersion != 2 {
		t.Errorf("header %+v: want dirty, not full, checksum ok, 1 chunk, version 3.2", h)
	}
	got, bad := readAll(t, file)
	if len(got) != 6 || len(bad) != 0 {
		t.Errorf("%d records, errors %v; want 6 records, no errors", len(got), bad)
	}
}

// TestNotEVTX: input without the signature is refused at once.
func TestNotEVTX(t *testing.T) {
	for _, in := range []string{"", "{\"a\":1}", "ElfFil"} {
		if _, err := NewReader(strings.NewReader(in)); err != ErrNotEVTX {
			t.Errorf("%q: %v, want ErrNotEVTX", in, err)
		}
		if _, err := NewReaderBytes([]byte(in)); err != ErrNotEVTX {
			t.Errorf("%q from memory: %v, want ErrNotEVTX", in, err)
		}
	}
	if _, err := NewReader(strings.NewReader("ElfFile\x00short")); err == nil || err.Error() != "file header: truncated at 13 of 4096 bytes" {
		t.Errorf("short header: %v", err)
	}
	if _, err := NewReaderBytes([]byte("ElfFile\x00short")); err == nil || err.Error() != "file header: truncated at 13 of 4096 bytes" {
		t.Errorf("short header from memory: %v", err)
	}
	// A read that fails before the signature is that failure, not input
	// without the signature (a pipe read by ReadAt fails with ESPIPE).
	failed := errors.New("read failed")
	if _, err := NewReader(io.MultiReader(strings.NewReader("Elf"), iotestErr{failed})); !errors.Is(err, failed) {
		t.Errorf("failed read: %v, want it wrapped", err)
	}
}

// iotestErr is a reader whose reads fail with its error.
type iotestErr struct{ err error }

func (r iotestErr) Read([]byte) (int, error) { return 0, r.err }

// TestExpansionBounded reads a record whose template uses a binary XML
// value 2,000 times, three levels deep (8e9 substitutions): it fails at
// once, and the next record is read.
func TestExpansionBounded(t *testing.T) {
	const uses = 2000
	c := &chunkBuilder{first: 1}
	c.record(func(w *xw) {
		w.fragment()
		body := usesValue(uses)
		// The outermost instance defines the template; each value is an
		// instance of it whose value is the next level, the last one null.
		var level func(w *xw, depth int, def func(*xw), at int)
		level = func(w *xw, depth int, def func(*xw), at int) {
			var val []byte
			if depth < 3 {
				probe := &xw{base: 0}
				level(probe, depth+1, nil, at)
				val = probe.b
			}
			vals := []tval{{typeNull, nil}}
			if val != nil {
				// the nested value's offsets do not depend on where it
				// lands: it refers to the template by offset only
				vals = []tval{{typeBinXML, val}}
			}
			w.instance(at, def, vals)
		}
		at := w.pos() + 6 // where instance writes the definition offset
		level(w, 1, body, at+4)
		w.eof()
	})
	c.record(noTemplate)
	got, bad := readAll(t, buildFile(0, c.bytes()))
	if len(got) != 1 || len(bad) != 1 || !strings.Contains(bad[0].Msg, "to go through") {
		t.Errorf("%d records, errors %v; want 1 record and a record too large to expand", len(got), bad)
	}
}

// TestLimits: each limit, set lower than the fixture's records need,
// fails them with an error that names it.
func TestLimits(t *testing.T) {
	tests := []struct {
		opt  Option
		want string
	}{
		{WithMaxDepth(2), "nested deeper than 2"},
		{WithMaxNodes(10), "more than 10 nodes"},
		{WithMaxValueBytes(100), "more than 100 bytes of values"},
	}
	for _, tt := range tests {
		r, err := NewReader(bytes.NewReader(buildFile(0, fixtureChunk(1))), tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		var errs []string
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				errs = append(errs, err.Error())
			}
		}
		if len(errs) != 3 || !strings.HasSuffix(errs[0], tt.want) {
			t.Errorf("%s: errors %q, want 3 ending %q", tt.want, errs, tt.want)
		}
	}
}

// usesValue writes the body of a template <E> whose content is value 0,
// a binary XML value, uses times.
func usesValue(uses int) func(*xw) {
	return func(tw *xw) {
		tw.fragment()
		tw.open("E", true, false)
		tw.closeStart()
		for range uses {
			tw.subst(0, typeBinXML, true)
		}
		tw.end()
		tw.eof()
	}
}

// TestEmptyValueWorkBounded reads a record whose template uses, 4,000
// times, a binary XML value of 8,000 fragment headers: no node comes of
// it, but each use parses the value again (32 million tokens). The bytes
// of binary XML values parsed count towards the record's steps, so it
// fails at once, and the next record is read.
func TestEmptyValueWorkBounded(t *testing.T) {
	const uses, headers = 4000, 8000
	c := &chunkBuilder{first: 1}
	c.record(func(w *xw) {
		w.fragment()
		val := bytes.Repeat([]byte{tokFragmentHeader, 1, 1, 0}, headers)
		w.instance(0, usesValue(uses), []tval{{typeBinXML, val}})
		w.eof()
	})
	c.record(noTemplate)
	got, bad := readAll(t, buildFile(0, c.bytes()))
	if len(got) != 1 || len(bad) != 1 || !strings.Contains(bad[0].Msg, "to go through") {
		t.Errorf("%d records, errors %v; want 1 record and a record too large to expand", len(got), bad)
	}
}
