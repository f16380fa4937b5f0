package main

import (
	"io"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
)

// TestEVTXSourceReadsAt checks that the Reader of evtxSource's regular
// file reads its chunks by ReadAt (lazily, skipping holes): after every
// record, the file's own offset is where the sniff's buffered read left
// it, the file header's end, and evtxFile tells that offset. Read
// through the buffer instead (evtxFile.Seek not telling where Read is),
// the records are the same, so only this sees it: the file's offset is
// then at its end.
func TestEVTXSourceReadsAt(t *testing.T) {
	r, _, regular, closeFn, err := openInput(fixtureEVTX, nil, nil)
	if err != nil || regular == nil {
		t.Fatalf("openInput: regular %v, %v", regular != nil, err)
	}
	defer closeFn()
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
	if at, err := regular.Seek(0, io.SeekCurrent); n == 0 || at != evtx.FileHeaderSize || err != nil {
		t.Errorf("%d records; the file's offset %d (%v) after them, want %d: chunks not read by ReadAt", n, at, err, evtx.FileHeaderSize)
	}
}
