package main

import (
	"bufio"
	"errors"
	"io"
	"math"
	"os"
)

// evtxSource returns what an .evtx input is read from: f, when it is a
// regular file (uncompressed: nil otherwise), by ReadAt from its start, so
// that the evtx.Reader reads each used chunk only up to the end of its
// records (evtx.Reader.NextChunk: on the shared corpus, 22 of the 52 MB
// of used chunks), and its header from r, where the sniff (openInput)
// has read it already, rather than from f a second time; r, read a chunk
// at a time, otherwise. The records are the same either way. The size is
// left open: a log that grows while it is read is read to where it ends
// then, as through r.
func evtxSource(r *bufio.Reader, f *os.File) io.Reader {
	if f == nil {
		return r
	}
	return &evtxFile{head: r, SectionReader: io.NewSectionReader(f, 0, math.MaxInt64)}
}

// evtxFile is a regular .evtx file: Read reads its first bytes from
// head, which has read them from the file's start; ReadAt reads what
// head holds still from it (the first chunk's header, which the sniff
// read with the file header), the rest from the file's section, whose
// Outer tells the file's holes; Seek tells the offset Read is at (for
// evtx.NewReader).
type evtxFile struct {
	head *bufio.Reader
	*io.SectionReader
	n int64 // the bytes Read
	// ahead is what head holds past the bytes Read, as the last Read left
	// it: ReadAt only reads it, since io.ReaderAt's callers may call at
	// once (RunEVTX's reading goroutine and its workers' lazy chunks),
	// and head.Peek writes to head.
	ahead []byte
}

// Read reads the file from where the last Read left it, through head.
func (e *evtxFile) Read(p []byte) (int, error) {
	n, err := e.head.Read(p)
	e.n += int64(n)
	e.ahead, _ = e.head.Peek(e.head.Buffered()) // what is buffered: no read
	return n, err
}

// ReadAt reads len(p) bytes at off: from what head has read ahead of
// Read when that holds them all, from the file otherwise (both are the
// file's bytes there).
func (e *evtxFile) ReadAt(p []byte, off int64) (int, error) {
	if ahead := e.ahead; off >= e.n && off-e.n+int64(len(p)) <= int64(len(ahead)) {
		return copy(p, ahead[off-e.n:]), nil
	}
	return e.SectionReader.ReadAt(p, off)
}

// errSeek is what evtxFile.Seek returns for any seek but the one that
// tells where Read is.
var errSeek = errors.New("an .evtx file's reader only tells where it is")

// Seek tells where Read is (whence io.SeekCurrent, offset 0: what
// evtx.NewReader asks); it does not move.
func (e *evtxFile) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekCurrent {
		return 0, errSeek
	}
	return e.n, nil
}
