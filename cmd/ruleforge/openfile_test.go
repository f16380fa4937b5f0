//go:build unix

package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/internal/cputime"
)

// TestOpenFile checks openFile against os.Open: the same bytes read, the
// same error for a name that cannot be opened, and regular told as
// File.Stat tells it, for a regular file, an empty one, a directory, a
// device, a FIFO (its writer on another goroutine) and a missing name.
func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		regular bool
		text    string // what reading it gives
		writer  bool   // a goroutine writes text into the FIFO
	}{
		{"regular", write("a.json", `{"EventID":1}`+"\n"), true, `{"EventID":1}` + "\n", false},
		{"empty", write("empty.json", ""), true, "", false},
		{"device", os.DevNull, false, "", false},
		{"fifo", fifo, false, `{"EventID":4688}` + "\n", true},
		{"directory", dir, false, "", false},
		{"missing", filepath.Join(dir, "none.json"), false, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.writer {
				go func() {
					w, err := os.OpenFile(tt.path, os.O_WRONLY, 0)
					if err != nil {
						t.Error(err)
						return
					}
					w.WriteString(tt.text)
					w.Close()
				}()
			}
			f, regular, err := openFile(tt.path)
			if !tt.writer { // a FIFO opened twice would wait for a second writer
				g, gerr := os.Open(tt.path)
				if (err == nil) != (gerr == nil) || err != nil && err.Error() != gerr.Error() {
					t.Fatalf("openFile error %v, os.Open's %v", err, gerr)
				}
				if gerr == nil {
					defer g.Close()
					info, _ := g.Stat()
					if regular != info.Mode().IsRegular() {
						t.Errorf("regular %v, File.Stat's mode %v", regular, info.Mode())
					}
				}
			}
			if tt.name == "missing" {
				var perr *os.PathError
				if !errors.As(err, &perr) || perr.Op != "open" || !errors.Is(err, os.ErrNotExist) {
					t.Errorf("error %#v, want an open *os.PathError for a missing file", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if regular != tt.regular {
				t.Errorf("regular %v, want %v", regular, tt.regular)
			}
			if f.Name() != tt.path {
				t.Errorf("name %q, want %q", f.Name(), tt.path)
			}
			data, err := io.ReadAll(f)
			if tt.name == "directory" {
				if err == nil {
					t.Errorf("reading a directory gave no error")
				}
				return
			}
			if err != nil || string(data) != tt.text {
				t.Errorf("read %q, %v, want %q", data, err, tt.text)
			}
		})
	}
}

// BenchmarkOpenFile opens, tells regular and closes each of the shared
// corpus's .evtx files with openFile, and with os.Open and File.Stat
// (what openInput did before), in turn in the same loop (ABBA):
// cpu-ns/file of each.
func BenchmarkOpenFile(b *testing.B) {
	var names []string
	walkCorpus := filepath.Join("..", "..", "..", "shared", "corpus", "evtx")
	filepath.WalkDir(walkCorpus, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			names = append(names, path)
		}
		return nil
	})
	if len(names) == 0 {
		b.Skip("no corpus")
	}
	open := []func(string) (*os.File, bool, error){openFile, func(name string) (*os.File, bool, error) {
		f, err := os.Open(name)
		if err != nil {
			return nil, false, err
		}
		info, err := f.Stat()
		return f, err == nil && info.Mode().IsRegular(), nil
	}}
	var cpu [2]time.Duration
	for b.Loop() {
		for _, k := range []int{0, 1, 1, 0} {
			start := cputime.Used()
			for _, name := range names {
				f, regular, err := open[k](name)
				if err != nil || !regular {
					b.Fatal(name, err)
				}
				f.Close()
			}
			cpu[k] += cputime.Used() - start
		}
	}
	per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(2*b.N*len(names)) }
	b.ReportMetric(per(cpu[0]), "cpu-ns/openfile")
	b.ReportMetric(per(cpu[1]), "cpu-ns/osopen")
}
