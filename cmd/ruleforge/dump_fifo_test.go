//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDumpFIFO checks that ruleforge dump reads an .evtx file from a FIFO
// (as `ruleforge dump <(zcat x.evtx.gz)` names one) as it reads the
// regular file: evtxSource reads by ReadAt only a file openFile told
// regular, and a pipe has no offsets (pread fails with ESPIPE).
func TestDumpFIFO(t *testing.T) {
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := runCLI("", "dump", fixtureEVTX)
	if want == "" {
		t.Fatal("no records dumped from the regular file")
	}
	fifo := filepath.Join(t.TempDir(), "pipe.evtx")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		w.Write(data)
		w.Close()
	}()
	code, got, stderr := runCLI("", "dump", fifo)
	if code != exitOK || got != want {
		t.Errorf("dump of a FIFO: exit %d, stderr %q, %d bytes of output, want the regular file's %d", code, stderr, len(got), len(want))
	}
}
