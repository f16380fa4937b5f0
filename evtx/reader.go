package evtx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"sync"
)

// Header is an .evtx file's header (libyal, "File header").
type Header struct {
	FirstChunk, LastChunk uint64 // chunk numbers
	NextRecordID          uint64
	MinorVersion          uint16 // 1 (EVTX 3.1) or 2 (3.2)
	MajorVersion          uint16 // 3
	Chunks                uint16 // chunks the header counts (stale when Dirty)
	Flags                 uint32 // 0x1 dirty, 0x2 full
	ChecksumOK            bool   // the CRC32 of its first 120 bytes matches
}

// Dirty reports whether the file was not closed cleanly: its header may
// lag behind its chunks, which the Reader reads to the file's end anyway.
func (h Header) Dirty() bool { return h.Flags&1 != 0 }

// Full reports whether the log was full when last written.
func (h Header) Full() bool { return h.Flags&2 != 0 }

// Error is a damaged part of an .evtx file: a chunk that cannot be read
// (a bad checksum or header, a truncation) or a record.
type Error struct {
	Chunk    int    // the chunk's 0-based index in the file
	Offset   int64  // where the damaged chunk or record starts in the file
	RecordID uint64 // the record header's identifier (Record.ID), 0 when no record is known
	Msg      string // what is wrong
}

// Error prints the chunk, the record id when known, and the message.
func (e *Error) Error() string {
	if e.RecordID != 0 {
		return fmt.Sprintf("chunk %d, record %d (offset 0x%x): %s", e.Chunk, e.RecordID, e.Offset, e.Msg)
	}
	return fmt.Sprintf("chunk %d (offset 0x%x): %s", e.Chunk, e.Offset, e.Msg)
}

// ErrNotEVTX is returned by NewReader for input without the file signature
// (a read that fails before the signature is returned as that error).
var ErrNotEVTX = errors.New("not an .evtx file: no ElfFile signature")

// Reader reads the records of an .evtx file in file order. Next decodes
// records one at a time; NextChunk hands out raw chunks for Decoders on
// other goroutines.
type Reader struct {
	r      io.Reader
	ra     io.ReaderAt // r's, when it is also an io.Seeker (lazy chunks)
	base   int64       // where the file starts in ra
	h      Header
	index  int
	offset int64
	dec    *Decoder
	inChk  bool
	err    error // sticky read error
	opts   []Option
	// mem holds the file, when it is read from memory (NewReaderBytes):
	// its chunks are parts of mem.
	mem []byte
	// holes tells where ra's data is, when it can (holes.go); dataEnd
	// is the end of the data region it told last. holeChunks counts
	// the chunks skipped in holes, unread.
	holes      dataFinder
	dataEnd    int64
	holeChunks int
}

// NewReader reads the file header from r and returns a Reader of the
// chunks after it; opts set the limits of the records Next decodes.
func NewReader(r io.Reader, opts ...Option) (*Reader, error) {
	chunk := chunkBufs.Get().(*[ChunkSize]byte) // not 4 KB made per file: a folder of small files is a Reader per file
	defer chunkBufs.Put(chunk)
	buf := chunk[:FileHeaderSize]
	n, err := io.ReadFull(r, buf)
	h, err := readHeader(buf[:n], err)
	if err != nil {
		return nil, err
	}
	rd := &Reader{r: r, h: h, offset: FileHeaderSize, opts: opts}
	if ra, ok := r.(io.ReaderAt); ok {
		if s, ok := r.(io.Seeker); ok {
			if at, err := s.Seek(0, io.SeekCurrent); err == nil && at >= FileHeaderSize {
				rd.ra, rd.base = ra, at-FileHeaderSize
				rd.holes = holesOf(ra)
			}
		}
	}
	return rd, nil
}

// NewReaderBytes returns a Reader of the .evtx file whose bytes are b,
// from its start, as NewReader reads it from bytes.NewReader(b), but
// its chunks are parts of b, not copies: reading a file held in memory
// copies nothing. b must not change while the Reader, its chunks or
// their records are in use.
func NewReaderBytes(b []byte, opts ...Option) (*Reader, error) {
	head := b[:min(len(b), FileHeaderSize)]
	var err error
	if len(head) < FileHeaderSize {
		err = io.ErrUnexpectedEOF
	}
	h, err := readHeader(head, err)
	if err != nil {
		return nil, err
	}
	return &Reader{h: h, offset: FileHeaderSize, opts: opts, mem: b}, nil
}

// readHeader reads the file header from buf, the bytes read of it, and
// the error reading them gave.
func readHeader(buf []byte, err error) (Header, error) {
	n := len(buf)
	if n < len(fileMagic) && err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return Header{}, fmt.Errorf("file header: %w", err) // a read that failed, not input without the signature
	}
	if n < len(fileMagic) || !IsEVTX(buf) {
		return Header{}, ErrNotEVTX
	}
	if err != nil {
		return Header{}, fmt.Errorf("file header: truncated at %d of %d bytes", n, FileHeaderSize)
	}
	le := binary.LittleEndian
	return Header{
		FirstChunk: le.Uint64(buf[8:]), LastChunk: le.Uint64(buf[16:]), NextRecordID: le.Uint64(buf[24:]),
		MinorVersion: le.Uint16(buf[36:]), MajorVersion: le.Uint16(buf[38:]), Chunks: le.Uint16(buf[42:]),
		Flags: le.Uint32(buf[120:]), ChecksumOK: crc32.ChecksumIEEE(buf[:120]) == le.Uint32(buf[124:]),
	}, nil
}

// Header returns the file header.
func (r *Reader) Header() Header { return r.h }

// NextChunk reads the next chunk: a full one, or what is left of the
// file (Truncated); it skips unused chunks and returns io.EOF at the end
// of the file. A chunk without the chunk signature is unused when it is
// all zeros, or when the file header says so (unusedByHeader: past the
// chunks a sound, clean header counts, with a chunk header of zeros),
// in which case only its first 512 bytes are read from an io.ReaderAt
// (readAt); any other is returned, and Decoder.Reset reports it.
//
// When the Reader's source is an io.ReaderAt and an io.Seeker (an
// *os.File, a *bytes.Reader), a used chunk is read only up to its free
// space offset, where its records end (about half of a used chunk on
// the shared corpus), and the rest is read when a name or a template
// definition of the chunk lies past it (lazyChunk); the records are the
// same as read whole. Chunks are then read by ReadAt, and r's offset
// stays after the file header; when the source is a regular file (or an
// io.SectionReader of one, or a source with its Outer method), the
// unused chunks that lie in its holes (a sparse file's) are skipped
// unread, on systems that tell where a file's holes are (holes.go).
func (r *Reader) NextChunk() (*Chunk, error) {
	for r.err == nil {
		var buf *[ChunkSize]byte
		var data []byte
		var err error
		var lazy *lazyChunk
		switch at := r.base + r.offset; {
		case r.holes != nil && !r.counted(r.index) && !r.skipHoles():
			err = io.EOF
		case r.mem != nil:
			data = r.mem[min(at, int64(len(r.mem))):min(at+ChunkSize, int64(len(r.mem)))]
			switch {
			case len(data) == 0:
				err = io.EOF
			case len(data) < ChunkSize:
				err = io.ErrUnexpectedEOF
			}
		case r.ra != nil:
			buf = chunkBufs.Get().(*[ChunkSize]byte)
			var n int
			n, lazy, err = r.readAt(buf)
			data = buf[:n]
			if err == errUnused { // read up to its header only
				r.index++
				r.offset += ChunkSize
				putChunkBuf(buf)
				continue
			}
		default:
			buf = chunkBufs.Get().(*[ChunkSize]byte)
			var n int
			n, err = io.ReadFull(r.r, buf[:])
			data = buf[:n]
		}
		switch {
		case err == io.EOF:
			r.err = io.EOF
			putChunkBuf(buf)
			return nil, io.EOF
		case errors.Is(err, io.ErrUnexpectedEOF):
			r.err = io.EOF
		case err != nil:
			r.err = err
			putChunkBuf(buf)
			return nil, err
		}
		index, offset := r.index, r.offset
		r.index++
		r.offset += int64(len(data))
		if !bytes.HasPrefix(data, chunkMagic) && (r.unusedByHeader(index, data) || allZero(data)) {
			putChunkBuf(buf)
			continue
		}
		return &Chunk{Index: index, Offset: offset, data: data, buf: buf, lazy: lazy}, nil
	}
	return nil, r.err
}

// unusedByHeader reports whether the chunk numbered index, which starts
// with data and has no chunk signature, is unused by what the file
// header says: it is past the chunks the header counts, the header is
// sound (its checksum matches) and clean (not dirty: a dirty file's
// header may lag behind its chunks), and the chunk's own 512-byte
// header is all zeros. Windows preallocates a log's chunks and counts
// those it has written: the rest of such a chunk is not compared with
// zeros, nor read from an io.ReaderAt (on the shared corpus, all 583
// unused chunks are such; 38 MB of the files' 92.7 MB).
func (r *Reader) unusedByHeader(index int, data []byte) bool {
	return index >= int(r.h.Chunks) && r.trusted() && allZero(data[:min(len(data), ChunkHeaderSize)])
}

// counted reports whether the file header, sound and clean, counts the
// chunk numbered index: Windows wrote it, and it is read without asking
// where the file's holes are (holes.go), which NextChunk asks only past
// the count, or for every chunk of a dirty or unsound header. On the
// shared corpus, that is one question a file (the first chunk past the
// count: no data from there on) where there were two.
func (r *Reader) counted(index int) bool { return index < int(r.h.Chunks) && r.trusted() }

// trusted reports whether the file header's chunk count can be trusted:
// its checksum matches and the file was closed cleanly (a dirty file's
// header may lag behind its chunks).
func (r *Reader) trusted() bool { return r.h.ChecksumOK && !r.h.Dirty() }

// errUnused is readAt's report of a chunk that unusedByHeader tells is
// unused, read up to its header only.
var errUnused = errors.New("unused chunk")

// putChunkBuf gives buf back to chunkBufs; nil, a chunk of a file in
// memory, has no buffer.
func putChunkBuf(buf *[ChunkSize]byte) {
	if buf != nil {
		chunkBufs.Put(buf)
	}
}

// readAt reads the chunk at r.offset into buf by ReadAt, as io.ReadFull
// would read it (n bytes, io.EOF or io.ErrUnexpectedEOF at the file's
// end), but for the bytes of a full chunk with a sound header after its
// free space offset, which are left to lazy.
func (r *Reader) readAt(buf *[ChunkSize]byte) (n int, lazy *lazyChunk, err error) {
	at := r.base + r.offset
	full := func(from int) (int, *lazyChunk, error) { // buf[from:], as io.ReadFull
		m, err := r.ra.ReadAt(buf[from:], at+int64(from))
		switch m += from; {
		case m == ChunkSize:
			return m, nil, nil
		case m == 0 && err == io.EOF:
			return 0, nil, io.EOF
		case err == io.EOF:
			return m, nil, io.ErrUnexpectedEOF
		}
		return m, nil, err
	}
	if m, err := r.ra.ReadAt(buf[:ChunkHeaderSize], at); m < ChunkHeaderSize || !bytes.HasPrefix(buf[:], chunkMagic) {
		if m < ChunkHeaderSize && err != io.EOF {
			return m, nil, err
		}
		if m == ChunkHeaderSize && r.unusedByHeader(r.index, buf[:m]) {
			return m, nil, errUnused
		}
		return full(m)
	}
	free := int(binary.LittleEndian.Uint32(buf[48:]))
	if free < ChunkHeaderSize || free >= ChunkSize-1 {
		return full(ChunkHeaderSize)
	}
	// The records, then the chunk's last byte: a file that ends before
	// it is read whole, as a truncated chunk.
	if m, err := r.ra.ReadAt(buf[ChunkHeaderSize:free], at+ChunkHeaderSize); m < free-ChunkHeaderSize {
		if err != io.EOF {
			return ChunkHeaderSize + m, nil, err
		}
		return ChunkHeaderSize + m, nil, io.ErrUnexpectedEOF
	}
	if m, _ := r.ra.ReadAt(buf[ChunkSize-1:], at+ChunkSize-1); m < 1 {
		return full(free)
	}
	if poisonLazy {
		for i := free; i < ChunkSize-1; i++ {
			buf[i] = 0xA5
		}
	}
	return ChunkSize, &lazyChunk{ra: r.ra, at: at, from: free}, nil
}

// poisonLazy makes readAt fill the bytes it leaves unread with 0xA5, so
// that tests see a read of them that does not load them first.
var poisonLazy = false

// lazyChunk is the part of a chunk NextChunk left unread: bytes from to
// ChunkSize-1, at at in ra.
type lazyChunk struct {
	ra   io.ReaderAt
	at   int64
	from int
	err  error // the error loading them gave
}

// chunkBufs holds the buffers of released chunks.
var chunkBufs = sync.Pool{New: func() any { return new([ChunkSize]byte) }}

// allZero reports whether b holds only zeros: compared with zeroChunk,
// as bytes.Equal compares, many bytes at a time (logs preallocate their
// chunks, and a file may hold more unused chunks than used ones).
func allZero(b []byte) bool { return len(b) <= ChunkSize && bytes.Equal(b, zeroChunk[:len(b)]) }

// zeroChunk is an unused chunk.
var zeroChunk [ChunkSize]byte

// Next returns the next record. An *Error reports a damaged chunk or
// record, which is skipped: call Next again to go on. It returns io.EOF
// after the last record, or the error that reading r gave.
func (r *Reader) Next() (*Record, error) {
	if r.dec == nil {
		r.dec = NewDecoder(r.opts...)
	}
	for {
		if r.inChk {
			rec, err := r.dec.Next()
			if err != io.EOF {
				return rec, err
			}
			r.inChk = false
			r.dec.c.Release()
		}
		c, err := r.NextChunk()
		if err != nil {
			return nil, err
		}
		r.inChk = true
		if err := r.dec.Reset(c); err != nil {
			return nil, err
		}
	}
}

// All iterates over the records left in r, as a loop over Next does: a
// damaged chunk or record gives its *Error and reading goes on; the end
// of the file ends the loop; any other error is given and ends it. A
// record is valid until the loop goes on to the next one.
func (r *Reader) All() iter.Seq2[*Record, error] {
	return func(yield func(*Record, error) bool) {
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			var damaged *Error
			if !yield(rec, err) || (err != nil && !errors.As(err, &damaged)) {
				return
			}
		}
	}
}
