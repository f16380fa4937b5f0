package main

import (
	"bufio"
	"io"
	"os"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
)

// TestEVTXSourceReadsAt checks that the Reader of evtxSource's regular
// file reads its chunks by ReadAt (lazily, skipping holes): after every
// record, the file's own offset is where the sniff's buffered read left
// it, and evtxFile tells the file header's end as where Read is. Read
// through the buffer instead (evtxFile.Seek not telling where Read is),
// the records are the same, so only this sees it: the file's offset is
// then at its end.
func TestEVTXSourceReadsAt(t *testing.T) {
	r, regular := openRegular(t)
	sniffed, err := regular.Seek(0, io.SeekCurrent)
	if err != nil || sniffed < evtx.FileHeaderSize {
		t.Fatalf("the sniff left the file at %d (%v), want past its header", sniffed, err)
	}
	src := evtxSource(r, regular)
	er, err := evtx.NewReader(src)
	if err != nil {
		t.Fatal(err)
	}
	if at, err := src.(io.Seeker).Seek(0, io.SeekCurrent); at != evtx.FileHeaderSize || err != nil {
		t.Errorf("evtxFile tells offset %d (%v), want %d", at, err, evtx.FileHeaderSize)
	}
	n := 0
	for _, err := range er.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if at, err := regular.Seek(0, io.SeekCurrent); n == 0 || at != sniffed || err != nil {
		t.Errorf("%d records; the file's offset %d (%v) after them, want %d: chunks not read by ReadAt", n, at, err, sniffed)
	}
}

// openRegular opens the fixture .evtx file as matchInput does
// (openInput's sniff), a regular file, closed when t ends.
func openRegular(t *testing.T) (*bufio.Reader, *os.File) {
	t.Helper()
	r, _, regular, closeFn, err := openInput(fixtureEVTX, nil, nil)
	if err != nil || regular == nil {
		t.Fatalf("openInput: regular %v, %v", regular != nil, err)
	}
	t.Cleanup(closeFn)
	return r, regular
}
