package evtx

import (
	"encoding/binary"
	"hash/crc32"
	"unicode/utf16"
)

// This file builds .evtx files for tests, token by token as libyal's
// notes describe them, so that fixtures are written by hand, not copied.

// xw writes binary XML that will sit at chunk offset base.
type xw struct {
	b    []byte
	base int
}

func (w *xw) pos() int     { return w.base + len(w.b) }
func (w *xw) u8(v byte)    { w.b = append(w.b, v) }
func (w *xw) u16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }
func (w *xw) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

// utf16 writes s as UTF-16LE without a count.
func (w *xw) utf16(s string) {
	for _, c := range utf16.Encode([]rune(s)) {
		w.u16(c)
	}
}

// name writes a name reference with the name defined right after it.
func (w *xw) name(s string) {
	w.u32(uint32(w.pos() + 4))
	w.u32(0) // next name
	w.u16(0) // hash, unchecked
	w.u16(uint16(len(utf16.Encode([]rune(s)))))
	w.utf16(s)
	w.u16(0)
}

func (w *xw) fragment() { w.b = append(w.b, tokFragmentHeader, 1, 1, 0) }

// open writes an open start element token; dep says it is inside a
// template definition (with a dependency identifier); attrs that
// attributes follow.
func (w *xw) open(name string, dep, attrs bool) {
	tok := byte(tokOpenStart)
	if attrs {
		tok |= tokMore
	}
	w.u8(tok)
	if dep {
		w.u16(0xffff)
	}
	w.u32(0) // data size, unchecked
	w.name(name)
	if attrs {
		w.u32(0) // attribute list size, unchecked
	}
}

func (w *xw) attr(name string) { w.u8(tokAttribute); w.name(name) }
func (w *xw) closeStart()      { w.u8(tokCloseStart) }
func (w *xw) closeEmpty()      { w.u8(tokCloseEmpty) }
func (w *xw) end()             { w.u8(tokEnd) }
func (w *xw) eof()             { w.u8(tokEOF) }

// text writes a value token with text.
func (w *xw) text(s string) {
	w.u8(tokValue)
	w.u8(typeString)
	w.u16(uint16(len(utf16.Encode([]rune(s)))))
	w.utf16(s)
}

// subst writes a substitution of value id of type typ.
func (w *xw) subst(id int, typ byte, optional bool) {
	tok := byte(tokSubstitution)
	if optional {
		tok = tokOptionalSubst
	}
	w.u8(tok)
	w.u16(uint16(id))
	w.u8(typ)
}

// leaf writes <name>text</name> outside a template.
func (w *xw) leaf(name, text string) {
	w.open(name, false, false)
	w.closeStart()
	w.text(text)
	w.end()
}

// tval is a substitution value: its type and bytes.
type tval struct {
	typ byte
	raw []byte
}

// instance writes a template instance; def (called with a writer at the
// body's offset) writes the definition's body when inline, else the
// instance points at defAt, an earlier definition.
func (w *xw) instance(defAt int, def func(t *xw), vals []tval) int {
	w.u8(tokTemplate)
	w.u8(1)
	w.u32(7) // template identifier
	if def != nil {
		defAt = w.pos() + 4
	}
	w.u32(uint32(defAt))
	if def != nil {
		w.u32(0)                               // next template
		w.b = append(w.b, make([]byte, 16)...) // GUID
		body := &xw{base: w.pos() + 4}
		def(body)
		w.u32(uint32(len(body.b)))
		w.b = append(w.b, body.b...)
	}
	w.u32(uint32(len(vals)))
	for _, v := range vals {
		w.u16(uint16(len(v.raw)))
		w.u8(v.typ)
		w.u8(0)
	}
	for _, v := range vals {
		w.b = append(w.b, v.raw...)
	}
	return defAt
}

// chunkBuilder lays records out in a chunk.
type chunkBuilder struct {
	data  []byte // from offset 512
	first uint64 // first record id
	n     int
	last  int // offset of the last record
}

// record appends a record with id first+n whose binary XML write writes.
func (c *chunkBuilder) record(write func(w *xw)) {
	off := ChunkHeaderSize + len(c.data)
	w := &xw{base: off + recordHeader}
	write(w)
	size := recordHeader + len(w.b) + 4
	rec := append([]byte("**\x00\x00"), make([]byte, 20)...)
	binary.LittleEndian.PutUint32(rec[4:], uint32(size))
	binary.LittleEndian.PutUint64(rec[8:], c.first+uint64(c.n))
	binary.LittleEndian.PutUint64(rec[16:], 132000000000000000)
	rec = append(rec, w.b...)
	rec = binary.LittleEndian.AppendUint32(rec, uint32(size))
	c.data = append(c.data, rec...)
	c.last = off
	c.n++
}

// bytes returns the chunk, 64 KiB, with its header and checksums.
func (c *chunkBuilder) bytes() []byte {
	b := make([]byte, ChunkSize)
	copy(b, chunkMagic)
	le := binary.LittleEndian
	le.PutUint64(b[8:], c.first)
	le.PutUint64(b[16:], c.first+uint64(c.n)-1)
	le.PutUint64(b[24:], c.first)
	le.PutUint64(b[32:], c.first+uint64(c.n)-1)
	le.PutUint32(b[40:], 128)
	le.PutUint32(b[44:], uint32(c.last))
	free := ChunkHeaderSize + len(c.data)
	le.PutUint32(b[48:], uint32(free))
	copy(b[ChunkHeaderSize:], c.data)
	le.PutUint32(b[52:], crc32.ChecksumIEEE(b[ChunkHeaderSize:free]))
	le.PutUint32(b[124:], crc32.Update(crc32.ChecksumIEEE(b[:120]), crc32.IEEETable, b[128:ChunkHeaderSize]))
	return b
}

// buildFile returns an .evtx file of the chunks, with the given header
// flags.
func buildFile(flags uint32, chunks ...[]byte) []byte {
	h := make([]byte, FileHeaderSize)
	copy(h, fileMagic)
	le := binary.LittleEndian
	le.PutUint64(h[16:], uint64(len(chunks))-1)
	le.PutUint32(h[32:], 128)
	le.PutUint16(h[36:], 2)
	le.PutUint16(h[38:], 3)
	le.PutUint16(h[40:], FileHeaderSize)
	le.PutUint16(h[42:], uint16(len(chunks)))
	le.PutUint32(h[120:], flags)
	le.PutUint32(h[124:], crc32.ChecksumIEEE(h[:120]))
	for _, c := range chunks {
		h = append(h, c...)
	}
	return h
}

// withCount sets the chunk count in file's header to n, and its
// checksum.
func withCount(file []byte, n uint16) []byte {
	binary.LittleEndian.PutUint16(file[42:], n)
	binary.LittleEndian.PutUint32(file[124:], crc32.ChecksumIEEE(file[:120]))
	return file
}
