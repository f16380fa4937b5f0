package main

import (
	"bytes"
	"io"
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
	if r.Buffered() != evtx.FileHeaderSize {
		t.Fatalf("the sniff buffered %d bytes, want the file header's %d", r.Buffered(), evtx.FileHeaderSize)
	}
	src := evtxSource(r, regular)
	er, err := evtx.NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	if r.Buffered() != 0 {
		t.Errorf("%d bytes of the sniff left unread: the header was read again", r.Buffered())
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
