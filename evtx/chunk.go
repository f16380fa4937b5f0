package evtx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
)

// Sizes and signatures of the file format (libyal, "File header",
// "Chunk", "Event record").
const (
	FileHeaderSize  = 4096  // the file header block
	ChunkSize       = 65536 // every chunk
	ChunkHeaderSize = 512   // a chunk's header, common string and template tables: read first, alone, by ReadAt (Reader.NextChunk)
	recordHeader    = 24    // signature, size, identifier, written time
)

var (
	fileMagic   = []byte("ElfFile\x00")
	chunkMagic  = []byte("ElfChnk\x00")
	recordMagic = []byte("**\x00\x00")
)

// IsEVTX reports whether b starts with the signature of an .evtx file.
func IsEVTX(b []byte) bool { return bytes.HasPrefix(b, fileMagic) }

// Chunk is one chunk of an .evtx file as read, before it is decoded.
type Chunk struct {
	Index  int   // 0-based position in the file
	Offset int64 // where it starts in the file
	data   []byte
	buf    *[ChunkSize]byte // data's buffer, until Release; nil when data is part of a file in memory (NewReaderBytes)
	lazy   *lazyChunk       // data's bytes not read yet, nil when all are
}

// load reads the bytes of c that NextChunk left unread, when an offset
// at or past end needs them. Every offset the Decoder reads past the
// records' end goes through it (Decoder.name, Decoder.template).
func (c *Chunk) load(end int) error {
	l := c.lazy
	if l == nil || end <= l.from {
		return nil
	}
	if l.err == nil {
		if _, err := l.ra.ReadAt(c.data[l.from:ChunkSize-1], l.at+int64(l.from)); err != nil {
			l.err = fmt.Errorf("reading the chunk past its records: %w", err)
		} else {
			c.lazy = nil
		}
	}
	return l.err
}

// Release gives the chunk's memory back for the chunks read after it; the
// chunk, and the records decoded from it, must not be used after.
func (c *Chunk) Release() {
	putChunkBuf(c.buf)
	c.buf, c.data, c.lazy = nil, nil, nil
}

// Truncated reports whether the file ended inside the chunk.
func (c *Chunk) Truncated() bool { return len(c.data) < ChunkSize }

// Record is one event record of a chunk, read by a Decoder.
type Record struct {
	// ID is the identifier in the record's header, which evtx_dump prints
	// as "Record N". Windows writes the same number as the event's
	// System/EventRecordID, but a log re-exported from a filtered view or
	// saved again renumbers the headers from 1 and keeps EventRecordID:
	// in 17960 of the 18270 records of the shared corpus they differ. The
	// EventRecordID is in the record's XML (AppendJSON).
	ID      uint64
	Written uint64 // when it was written, a FILETIME (100 ns since 1601)
	Chunk   int    // the chunk's index in the file
	Offset  int64  // where the record starts in the file
	Size    int    // the record's size in the file, header included
	d       *Decoder
}

// Decoder reads the records of chunks. Names are cached per chunk;
// compiled templates and the plans records are read by (plan.go) are
// kept from chunk to chunk, within limits (MaxPlans, MaxPlanBytes), so
// that one Decoder for many chunks and files reads faster than one per
// chunk. A Decoder is not safe for concurrent use: make one per goroutine.
type Decoder struct {
	c          *Chunk
	b          []byte // the chunk's data, capacity = length
	pos, free  int
	trunc      bool
	names      map[uint32]nameEntry
	nameSlots  [nameSlots]nameSlot // names' cache in front of names, of this chunk: gen
	gen        uint32              // the chunk's number, counting from 1 (Reset)
	interned   map[string]string   // names by their UTF-16, across chunks
	templates  map[uint32]*template
	valBuf     []value
	nodes      []node
	keys       []string   // the keys of the objects Walk has open
	out        []byte     // the text of the values and keys Walk made, until the next record (a record walked again adds to it)
	json       jsonWriter // AppendJSON's
	tplText    []byte     // the text of the chunk's templates, until Reset
	tplNodes   []node     // the nodes of the chunk's templates, until Reset
	recText    []byte     // the text of the record, until the next
	rec        Record
	templated  bool // the record used a template
	valueBytes int  // the bytes of values the record expanded to
	steps      int  // template nodes and values gone through (stepsPerNode)
	lim        limits
	done       bool
	// Plans (plan.go): by shape, kept across chunks; the template
	// identities they are made of; the shape of the record being read
	// and its plan, nil when it was read into a tree.
	plans  map[string]*plan
	tplIDs map[string]tplInfo
	nextID uint32
	keyBuf []byte
	sc     scan
	cur    *plan
	// planned's memory of the last records: the templates of their
	// instances by place (the first few), until Reset, and the last
	// shape that had a plan, with the evictions it was found after.
	lastTpls  [lastTpls]tplAt
	lastShape []byte
	lastPlan  *plan
	lastEvict int
	stats     PlanStats
	// The templates compiled from earlier chunks (tplcache.go), and the
	// name references of the one being compiled.
	knowns map[templateKey]*knownTemplate // nil: compiled once
	refs   []nameAt
	cmpBuf []byte            // known's copy of a definition
	owned  map[string]string // the plans' keys and constants
	// planBytes counts the bytes of plans, template identities and
	// compiled templates kept (MaxPlanBytes).
	planBytes int
}

// maxInterned is the most names a Decoder keeps from one chunk to the
// next: every chunk defines its names again, and logs use a few hundred.
const maxInterned = 4096

// nameEntry is a cached name and the size of its definition.
type nameEntry struct {
	s    string
	size int
}

// nameSlots is the size of the direct-mapped cache of names in front of
// the map: a record looks up a name for each element and attribute
// (each name in the records written without templates, each time), and
// a map look-up costs several times a slot's.
const nameSlots = 256

// nameSlot is a name of the chunk numbered gen, at offset off.
type nameSlot struct {
	off, gen uint32
	nameEntry
}

// NewDecoder returns a Decoder with the limits of opts.
func NewDecoder(opts ...Option) *Decoder {
	return &Decoder{names: map[uint32]nameEntry{}, interned: map[string]string{}, templates: map[uint32]*template{},
		plans: map[string]*plan{}, tplIDs: map[string]tplInfo{}, knowns: map[templateKey]*knownTemplate{}, owned: map[string]string{}, lim: newLimits(opts)}
}

// Reset starts decoding c: it checks the chunk's header and checksums
// (CRC32 of header bytes 0-120 and 128-512, and of the records) and
// returns an *Error for a chunk that cannot be read; a truncated chunk is
// read up to its last complete record, with no records checksum.
func (d *Decoder) Reset(c *Chunk) error {
	d.c, d.done, d.pos = c, true, 0
	clear(d.names)
	if d.gen++; d.gen == 0 { // wrapped: no slot may hold a name of this number
		d.nameSlots, d.gen = [nameSlots]nameSlot{}, 1
	}
	clear(d.templates)
	d.lastTpls = [lastTpls]tplAt{}
	d.tplText = d.tplText[:0]
	d.tplNodes = d.tplNodes[:0]
	b := c.data[:len(c.data):len(c.data)]
	d.b = b
	if len(b) < ChunkHeaderSize {
		return d.errorf(0, "truncated: the file ends %d bytes into the chunk, before its %d-byte header ends", len(b), ChunkHeaderSize)
	}
	if !bytes.HasPrefix(b, chunkMagic) {
		return d.errorf(0, "signature %q, want %q", b[:8], chunkMagic)
	}
	le := binary.LittleEndian
	sum := crc32.Update(crc32.ChecksumIEEE(b[:120]), crc32.IEEETable, b[128:ChunkHeaderSize])
	if want := le.Uint32(b[124:]); sum != want {
		return d.errorf(0, "header checksum 0x%08x, the header holds 0x%08x", sum, want)
	}
	d.free = int(le.Uint32(b[48:]))
	if d.free < ChunkHeaderSize || d.free > ChunkSize {
		return d.errorf(0, "free space offset %d outside the chunk's records (%d to %d)", d.free, ChunkHeaderSize, ChunkSize)
	}
	d.trunc = len(b) < ChunkSize
	if !d.trunc {
		if sum, want := crc32.ChecksumIEEE(b[ChunkHeaderSize:d.free]), le.Uint32(b[52:]); sum != want {
			return d.errorf(0, "records checksum 0x%08x, the header holds 0x%08x", sum, want)
		}
	}
	d.pos, d.done = ChunkHeaderSize, false
	return nil
}

// errorf returns an *Error about the current chunk and record id (0 for
// none).
func (d *Decoder) errorf(id uint64, format string, args ...any) *Error {
	return &Error{Chunk: d.c.Index, Offset: d.c.Offset + int64(d.pos), RecordID: id, Msg: fmt.Sprintf(format, args...)}
}

// Next decodes the chunk's next record. It returns io.EOF after the last;
// an *Error for a record that cannot be read, after which Next goes on
// with the next record when the record's size was sound, and returns
// io.EOF otherwise.
func (d *Decoder) Next() (*Record, error) {
	if d.done || d.pos >= d.free {
		d.done = true
		return nil, io.EOF
	}
	b, le := d.b, binary.LittleEndian
	if d.pos+recordHeader+4 > len(b) {
		d.done = true
		return nil, d.errorf(0, "truncated: the file ends inside a record header")
	}
	if !bytes.HasPrefix(b[d.pos:], recordMagic) {
		d.done = true
		return nil, d.errorf(0, "record signature % x, want % x", b[d.pos:d.pos+4], recordMagic)
	}
	size := int(le.Uint32(b[d.pos+4:]))
	id := le.Uint64(b[d.pos+8:])
	switch {
	case d.pos+size > len(b) && d.trunc:
		d.done = true
		return nil, d.errorf(id, "truncated: the file ends inside the record (%d of %d bytes)", len(b)-d.pos, size)
	case size < recordHeader+4 || d.pos+size > d.free:
		d.done = true
		return nil, d.errorf(id, "record size %d runs outside the chunk's records", size)
	case int(le.Uint32(b[d.pos+size-4:])) != size:
		d.done = true
		return nil, d.errorf(id, "record size %d, its copy at the record's end %d", size, le.Uint32(b[d.pos+size-4:]))
	}
	d.rec = Record{ID: id, Written: le.Uint64(b[d.pos+16:]), Chunk: d.c.Index, Offset: d.c.Offset + int64(d.pos), Size: size, d: d}
	start := d.pos
	d.pos += size
	d.recText, d.out = d.recText[:0], d.out[:0]
	d.cur = nil
	build := false
	if !d.lim.noPlans {
		var pl *plan
		if pl, build = d.planned(start+recordHeader, start+size-4, size); pl != nil {
			d.cur, d.templated = pl, !d.sc.inline
			d.stats.Planned++
			return &d.rec, nil
		}
	}
	d.nodes = append(d.nodes[:0], node{kind: nodeDoc, first: -1, last: -1, next: -1})
	d.valBuf = d.valBuf[:0]
	d.templated, d.valueBytes, d.steps = false, 0, 0
	p := parser{d: d, b: b, pos: start + recordHeader, end: start + size - 4, out: &d.nodes}
	if err := p.stream(0); err != nil {
		d.pos, start = start, d.pos // the error's offset is the record's
		e := d.errorf(id, "%v", err)
		d.pos = start
		return nil, e
	}
	d.stats.Tree++
	if build {
		d.makePlan()
	}
	return &d.rec, nil
}

// name returns the name defined at off in the chunk and the size of its
// definition: next-name offset, hash, character count, the characters
// and a NUL (libyal, "Name").
func (d *Decoder) name(off uint32) (string, int, error) {
	slot := &d.nameSlots[off/2%nameSlots]
	if slot.gen == d.gen && slot.off == off {
		return slot.s, slot.size, nil
	}
	if e, ok := d.names[off]; ok {
		*slot = nameSlot{off, d.gen, e}
		return e.s, e.size, nil
	}
	o := int(off)
	if o < ChunkHeaderSize || o+8 > len(d.b) {
		return "", 0, fmt.Errorf("name at offset 0x%x outside the chunk", off)
	}
	if err := d.c.load(o + 8); err != nil {
		return "", 0, err
	}
	n := int(binary.LittleEndian.Uint16(d.b[o+6:]))
	size := 8 + 2*n + 2
	if o+size > len(d.b) {
		return "", 0, fmt.Errorf("name at offset 0x%x of %d characters runs past the chunk", off, n)
	}
	if err := d.c.load(o + size); err != nil {
		return "", 0, err
	}
	raw := d.b[o+8 : o+8+2*n]
	s, ok := d.interned[string(raw)]
	if !ok {
		s = utf16String(raw)
		if len(d.interned) < maxInterned {
			d.interned[string(raw)] = s
		}
	}
	d.names[off] = nameEntry{s, size}
	*slot = nameSlot{off, d.gen, nameEntry{s, size}}
	return s, size, nil
}

// template returns the template defined at off in the chunk, compiled
// once per chunk, or taken from an earlier chunk that defined it the
// same (tplcache.go): next-template offset, GUID, data size, then the
// definition's binary XML (libyal, "Template definition").
func (d *Decoder) template(off uint32) (*template, error) {
	if t, ok := d.templates[off]; ok {
		return t, nil
	}
	o := int(off)
	if o < ChunkHeaderSize || o+24 > len(d.b) {
		return nil, fmt.Errorf("template at offset 0x%x outside the chunk", off)
	}
	if err := d.c.load(o + 24); err != nil {
		return nil, err
	}
	size := int(binary.LittleEndian.Uint32(d.b[o+20:]))
	if size > len(d.b)-o-24 {
		return nil, fmt.Errorf("template at offset 0x%x of %d bytes runs past the chunk", off, size)
	}
	if err := d.c.load(o + 24 + size); err != nil {
		return nil, err
	}
	if !d.lim.noPlans {
		if t := d.known(o, size); t != nil {
			d.templates[off] = t
			return t, nil
		}
	}
	root := len(d.tplNodes)
	d.tplNodes = append(d.tplNodes, node{kind: nodeDoc, first: -1, last: -1, next: -1})
	d.refs = d.refs[:0]
	p := parser{d: d, b: d.b, pos: o + 24, end: o + 24 + size, inTpl: true, out: &d.tplNodes, base: root}
	if err := p.stream(int32(root)); err != nil {
		d.tplNodes = d.tplNodes[:root]
		return nil, fmt.Errorf("template at offset 0x%x: %v", off, err)
	}
	t := &template{nodes: d.tplNodes[:len(d.tplNodes):len(d.tplNodes)], root: int32(root)}
	d.templates[off] = t
	d.stats.Compiled++
	if !d.lim.noPlans {
		d.remember(o, size, t)
	}
	return t, nil
}

// newVals returns room for n values that stays valid for the record.
func (d *Decoder) newVals(n int) []value {
	start := len(d.valBuf)
	d.valBuf = slices.Grow(d.valBuf, n)[:start+n]
	return d.valBuf[start : start+n : start+n]
}
