package main

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"os"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
)

// TestEVTXSourceHeaderOnce reads an .evtx file as matchInput does
// (openInput's sniff, then evtxSource): the Reader takes the file header
// from what the sniff read (evtxFile.Read, served from its buffer) and
// the chunks by ReadAt, and reads the records NewReaderBytes reads from
// the file's bytes; evtxFile refuses seeks it cannot do.
func TestEVTXSourceHeaderOnce(t *testing.T) {
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	r, isEVTX, regular, closeFn, err := openInput(fixtureEVTX, nil, nil)
	if err != nil || !isEVTX || regular == nil {
		t.Fatalf("openInput: evtx %v, regular %v, %v", isEVTX, regular != nil, err)
	}
	defer closeFn()
	if r.Buffered() != regularBuffer {
		t.Fatalf("the sniff buffered %d bytes, want the file header's and the first chunk header's %d", r.Buffered(), regularBuffer)
	}
	src := evtxSource(r, regular)
	er, err := evtx.NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	if r.Buffered() != evtx.ChunkHeaderSize {
		t.Errorf("%d bytes of the sniff left unread, want the first chunk header's %d: the header was read again", r.Buffered(), evtx.ChunkHeaderSize)
	}
	want, err := evtx.NewReaderBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if er.Header() != want.Header() {
		t.Errorf("header %+v, want %+v", er.Header(), want.Header())
	}
	n := 0
	for {
		got, err := er.Next()
		w, werr := want.Next()
		if err != werr {
			t.Fatalf("record %d: error %v, want %v", n+1, err, werr)
		}
		if err == io.EOF {
			break
		}
		if g, w := got.AppendJSON(nil), w.AppendJSON(nil); !bytes.Equal(g, w) {
			t.Fatalf("record %d:\n%s\nwant\n%s", n+1, g, w)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no records")
	}
	if _, err := src.(io.Seeker).Seek(0, io.SeekStart); err != errSeek {
		t.Errorf("Seek(0, SeekStart): %v, want errSeek", err)
	}
}

// countingReaderAt counts the ReadAt calls it passes on to its ReaderAt.
type countingReaderAt struct {
	io.ReaderAt
	n int
}

// ReadAt counts the call and passes it on.
func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.n++
	return c.ReaderAt.ReadAt(p, off)
}

// TestEVTXFileReadAt reads ranges of an .evtx file through evtxFile
// after its header was read: those that lie in what the sniff read ahead
// (the first chunk's header) come from the buffer, without reading the
// file, the others from the file, and all are the file's bytes.
func TestEVTXFileReadAt(t *testing.T) {
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < regularBuffer+100 {
		t.Fatalf("%s: %d bytes, too short", fixtureEVTX, len(data))
	}
	const hs = evtx.FileHeaderSize
	for _, tc := range []struct {
		off, n int
		reads  int // of the file
	}{
		{hs, evtx.ChunkHeaderSize, 0},     // the first chunk's header, as NextChunk reads it
		{hs + 100, 50, 0},                 // inside what is buffered
		{regularBuffer - 1, 1, 0},         // its last byte
		{hs, 0, 0},                        // nothing
		{hs - 10, 20, 1},                  // from before it: Read has taken that
		{hs - 1, 2, 1},                    // from its last byte Read took
		{regularBuffer - 10, 20, 1},       // past its end
		{hs, evtx.ChunkHeaderSize + 1, 1}, // more than it holds
		{regularBuffer + 50, 30, 1},       // after it
		{len(data) - 1, 1, 1},             // the file's last byte
		{len(data) - 5, 10, 1},            // past the file's end: io.EOF
	} {
		src := &countingReaderAt{ReaderAt: bytes.NewReader(data)}
		head := bufio.NewReaderSize(bytes.NewReader(data), regularBuffer)
		head.Peek(1)
		e := &evtxFile{head: head, SectionReader: io.NewSectionReader(src, 0, math.MaxInt64)}
		if _, err := io.ReadFull(e, make([]byte, hs)); err != nil {
			t.Fatal(err)
		}
		p := make([]byte, tc.n)
		n, err := e.ReadAt(p, int64(tc.off))
		want := data[tc.off:min(tc.off+tc.n, len(data))]
		wantErr := error(nil)
		if len(want) < tc.n {
			wantErr = io.EOF
		}
		if n != len(want) || !bytes.Equal(p[:n], want) || err != wantErr || src.n != tc.reads {
			t.Errorf("ReadAt(%d bytes at %d): %d bytes (equal %v), %v, %d reads of the file; want %d bytes, %v, %d reads",
				tc.n, tc.off, n, bytes.Equal(p[:n], want), err, src.n, len(want), wantErr, tc.reads)
		}
	}
}
