package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/state"
)

// inputExts are the file names a directory argument's walk takes, each
// also with .gz after it.
var inputExts = []string{".evtx", ".json", ".ndjson", ".jsonl"}

// expandInputs replaces each directory among names by the event files
// under it (inputExts, gzipped or not), walked as rule directories are
// (files.Walk); what the walk cannot read is reported and sets *bad.
func expandInputs(names []string, stderr io.Writer, bad *bool) []string {
	return expand(names, isInputName, stderr, bad)
}

// expand replaces each directory among names by the files under it that
// take takes, walked as rule directories are (files.Walk: links
// followed, hidden entries and files that are not regular skipped); what
// the walk cannot read is reported and sets *bad. A name that is no
// directory is kept whatever it is (a FIFO or /dev/stdin named on the
// command line is read).
func expand(names []string, take func(path string) bool, stderr io.Writer, bad *bool) []string {
	var out []string
	for _, name := range names {
		info, err := os.Stat(name)
		if name == "-" || err != nil || !info.IsDir() {
			out = append(out, name) // opening it reports what is wrong
			continue
		}
		files.Walk(name, take, func(path string) { out = append(out, path) }, func(err error) {
			fmt.Fprintf(stderr, "ruleforge: %v\n", err)
			*bad = true
		})
	}
	return out
}

// isInputName reports whether a walk takes the file named path: its name
// ends with one of inputExts, .gz after it or not, in any case.
func isInputName(path string) bool {
	if hasSuffixFold(path, ".gz") {
		path = path[:len(path)-len(".gz")]
	}
	for _, ext := range inputExts {
		if hasSuffixFold(path, ext) {
			return true
		}
	}
	return false
}

// hasSuffixFold reports whether s ends with suffix, lower-case ASCII, in
// any case of its ASCII letters, reading s in place: lower-casing each
// path of a walk (strings.ToLower) made a copy of every name with an
// upper-case letter, the corpus's 558 among them, for a test of its last
// bytes. strings.EqualFold of s's last len(suffix) bytes says so: a rune
// past ASCII takes two bytes or more, so that such a tail has fewer runes
// than suffix, and broken UTF-8 reads as U+FFFD. It says what comparing
// strings.ToLower(s) said: the runes that Unicode lower-cases to ASCII
// letters are the Kelvin sign (to "k") and the dotted capital I (to
// "i"), and no suffix it is asked about holds either letter
// (TestInputExtsFold).
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// inputBuffer is the buffer of an input's reads (and of what gzip
// reads), and regularBuffer that of a regular file, uncompressed: the
// pipeline and the .evtx Reader read it 64 KB at a time, which
// bufio.Reader.Read reads straight into their buffers, so its own serves
// only the first bytes (the peeks, an .evtx file's header), and a
// folder of small files made 64 KB per file for nothing. The sniff's
// read takes an .evtx file's header and its first chunk's header
// (evtx.ChunkHeaderSize) at once: the Reader reads that one from the buffer
// (evtxFile.ReadAt), a system call less per file, about 2 us of a
// folder's 33-record files; JSON text read so takes the same reads.
const (
	inputBuffer   = 1 << 16
	regularBuffer = evtx.FileHeaderSize + evtx.ChunkHeaderSize
)

// regularReaders are the readers of regular files whose runs are over:
// 4 KB made per file of a folder is as much garbage as the run's
// records make, and the collector's work grows with the rules' live
// heap.
var regularReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, regularBuffer) }}

// gzipMagic opens every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// openInput opens name ("-": stdin), decompressing gzip, and reports
// whether it holds an .evtx file; both are told by their first bytes.
// regular is the file when it is a regular one, uncompressed (evtxSource).
// Reads give way to stop (stoppable), so a signal ends a run whose input
// has not said a word yet; a regular file's reads do not wait for
// anyone, and the pipeline heeds stop between them.
func openInput(name string, stdin io.Reader, stop <-chan struct{}) (r *bufio.Reader, isEVTX bool, regular *os.File, closeFn func(), err error) {
	closeFn = func() {}
	var src io.Reader = stdin
	if name != "-" {
		f, isRegular, err := openFile(name)
		if err != nil {
			return nil, false, nil, nil, err
		}
		src, closeFn = f, func() { f.Close() }
		if isRegular {
			// Its reads return at once: a goroutine and a copy per read
			// would be all stoppable adds. Its reader is pooled: nothing
			// reads it after closeFn, and a folder of small files is a
			// file per run.
			br := regularReaders.Get().(*bufio.Reader)
			br.Reset(f)
			r, regular = br, f
			closeFn = func() { f.Close(); br.Reset(nil); regularReaders.Put(br) }
		}
	}
	if r == nil {
		r = bufio.NewReaderSize(newStoppable(src, stop), inputBuffer)
	}
	if head, _ := r.Peek(2); bytes.Equal(head, gzipMagic) {
		z, err := gzip.NewReader(bufio.NewReaderSize(r, inputBuffer)) // r itself when that large
		if err != nil {
			closeFn()
			return nil, false, nil, nil, err
		}
		r, regular = bufio.NewReaderSize(z, 1<<16), nil
	}
	return r, evtx.IsEVTX(peekHead(r, 8)), regular, closeFn, nil
}

// peekHead returns the first n bytes of r, fewer at its end, or only its
// first byte when that opens JSON text ("{", "[", white space or a UTF-8
// byte order mark): the bytes after it tell nothing more, and waiting
// for them would hold back a live stream's first event ("{}" and a
// newline) until more input came.
func peekHead(r *bufio.Reader, n int) []byte {
	head, _ := r.Peek(1)
	if len(head) == 1 && bytes.IndexByte([]byte("{[ \t\r\n\xEF"), head[0]) >= 0 {
		return head
	}
	head, _ = r.Peek(n)
	return head
}

// matchInput runs the program over one input, JSON events or an .evtx
// file, as matchStream does.
func matchInput(p *state.Program, opt matchOptions, name string, stdin io.Reader, out *bufio.Writer, stderr io.Writer, perRule []int, before pipeline.Stats, engines *stateStats) (pipeline.Stats, error) {
	r, isEVTX, regular, closeFn, err := openInput(name, stdin, opt.stop.done())
	if err != nil {
		return pipeline.Stats{}, err
	}
	defer closeFn()
	if !isEVTX {
		text, err := decodeInput(r)
		if err != nil {
			return pipeline.Stats{}, err
		}
		return matchStream(p, opt, name, text, regular != nil, out, stderr, perRule, before, engines)
	}
	er, err := evtx.NewReader(evtxSource(r, regular))
	if err != nil {
		return pipeline.Stats{}, err
	}
	return matchWith(p, opt, name, out, stderr, perRule, before, engines, func(cfg pipeline.Config, emit func(*pipeline.Result) error) (pipeline.Stats, error) {
		return pipeline.RunEVTX(cfg, er, emit)
	})
}
