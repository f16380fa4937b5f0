package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/files"
)

// runDump is "ruleforge dump FILE.evtx…": every record as one line of
// evtx-JSON; damaged chunks and records are reported on stderr and
// skipped. A directory is walked for .evtx files.
func runDump(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("dump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "ruleforge dump: no file given\n%s", usage)
		return exitUsage
	}
	out := bufio.NewWriterSize(stdout, 1<<16)
	defer out.Flush()
	status := exitOK
	records, bad := 0, 0
	isEVTXName := func(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".evtx") }
	walkBad := false
	for _, name := range expand(fs.Args(), isEVTXName, stderr, &walkBad) {
		n, b, err := dumpFile(name, out, stderr)
		records += n
		bad += b
		if err != nil {
			fmt.Fprintf(stderr, "ruleforge: %v\n", files.PathError(name, err))
			status = exitBad
		}
	}
	out.Flush()
	fmt.Fprintf(stderr, "ruleforge: %d records, %d bad\n", records, bad)
	if bad > 0 || walkBad {
		status = exitBad
	}
	return status
}

// dumpFile writes the records of one .evtx file as NDJSON and returns how
// many it wrote and how many damaged chunks or records it reported.
func dumpFile(name string, out *bufio.Writer, stderr io.Writer) (records, bad int, err error) {
	f, isRegular, err := openFile(name)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var regular *os.File // evtxSource reads by ReadAt only a regular file, and its header through the buffer
	size := inputBuffer
	if isRegular {
		regular, size = f, regularBuffer
	}
	r, err := evtx.NewReader(evtxSource(bufio.NewReaderSize(f, size), regular))
	if err != nil {
		return 0, 0, err
	}
	var line []byte
	for {
		rec, err := r.Next()
		var damaged *evtx.Error
		switch {
		case err == io.EOF:
			return records, bad, nil
		case errors.As(err, &damaged):
			fmt.Fprintf(stderr, "%s: %v; skipped\n", quote(name), err)
			bad++
			continue
		case err != nil:
			return records, bad, err
		}
		line = append(rec.AppendJSON(line[:0]), '\n')
		out.Write(line)
		records++
	}
}
