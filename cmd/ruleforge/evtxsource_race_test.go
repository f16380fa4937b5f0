package main

import (
	"bytes"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
)

// TestEVTXSourceReadAtConcurrent reads an .evtx file's source by ReadAt
// from several goroutines at once, as RunEVTX does with more than one
// worker (the reading goroutine's NextChunk and the workers' lazy chunk
// loads): io.ReaderAt allows it, so evtxFile.ReadAt must not change the
// sniff's buffer as it serves bytes from it (go test -race). Each read
// gets the file's bytes.
func TestEVTXSourceReadAtConcurrent(t *testing.T) {
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	src := evtxSource(openRegular(t))
	if _, err := evtx.NewReader(src); err != nil {
		t.Fatal(err)
	}
	ra := src.(io.ReaderAt)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				off := int64(evtx.FileHeaderSize + (g+i)%8*64)
				p := make([]byte, 64)
				if n, err := ra.ReadAt(p, off); n != len(p) || err != nil || !bytes.Equal(p, data[off:off+64]) {
					t.Errorf("ReadAt(%d): %d bytes, %v, %q; want %q", off, n, err, p[:n], data[off:off+64])
					return
				}
			}
		}()
	}
	wg.Wait()
}
