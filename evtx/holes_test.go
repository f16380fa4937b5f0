package evtx

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// TestHoles reads files whose unused chunks are holes (sparse files, as
// the shared corpus's are on disk: every 4 KB block of zeros left
// unwritten) and the same files written whole: the records and errors
// are those of reading the bytes whole (plainReader), and on Linux the
// chunks wholly in holes are skipped unread (lseek SEEK_DATA), but for
// those after the file's last data, which end the file at once, and
// those a sound, clean header counts, which are read. A chunk
// with a byte that is not zero, a chunk of zeros written out (data, not
// a hole) and a file that ends inside a hole read as before. The file
// also sits inside another, past its start and before more data, read
// through an io.SectionReader: holes are told in the section's offsets
// and end at its end (a data region past it is no data of the file's),
// also when the section is inside a source of a type of its own
// (outerSource, as cmd/ruleforge's evtxFile: holesOf asks its Outer).
func TestHoles(t *testing.T) {
	zero := func() []byte { return make([]byte, ChunkSize) }
	marked := zero()
	marked[ChunkSize-1] = 'x' // its chunk is damaged, in a block of its own
	tests := []struct {
		name    string
		file    []byte
		written []int // chunks written whole in the sparse file, zeros and all
		skipped int   // chunks skipped in holes on Linux (on ext4, tmpfs...)
	}{
		{"holes between and after", buildFile(1, fixtureChunk(1), zero(), zero(), fixtureChunk(4), zero(), zero()), nil, 2},
		{"a damaged chunk's end", buildFile(1, fixtureChunk(1), zero(), marked, fixtureChunk(4)), nil, 1},
		{"zeros written", buildFile(1, fixtureChunk(1), zero(), zero(), zero(), fixtureChunk(4)), []int{2}, 2},
		{"ends in a hole", buildFile(1, fixtureChunk(1), zero(), zero())[:FileHeaderSize+2*ChunkSize+20000], nil, 0},
		{"only holes", buildFile(1, zero(), zero(), zero()), nil, 0},
		// A clean header's count: the chunks it counts are read, holes
		// or not; past it, the holes are skipped.
		{"clean, holes counted", withCount(buildFile(0, fixtureChunk(1), zero(), zero(), fixtureChunk(4), zero(), zero()), 4), nil, 0},
		{"clean, holes past the count", withCount(buildFile(0, fixtureChunk(1), zero(), zero(), fixtureChunk(4), zero()), 1), nil, 2},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, wantErrs, _ := readFrom(t, plainReader{bytes.NewReader(tc.file)})
			sparse := filepath.Join(dir, "sparse"+string(rune('a'+i)))
			writeSparse(t, sparse, tc.file, 0, tc.written)
			// The file inside another, from a block past its start, with
			// data after a hole past its end: an io.SectionReader of it.
			inner := filepath.Join(dir, "inner"+string(rune('a'+i)))
			writeSparse(t, inner, slices.Concat(bytes.Repeat([]byte{'p'}, innerAt), tc.file, make([]byte, 2*ChunkSize), []byte("after")), innerAt, tc.written)
			whole := filepath.Join(dir, "whole"+string(rune('a'+i)))
			if err := os.WriteFile(whole, tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			holes := tc.skipped
			if runtime.GOOS != "linux" || !hasHoles(t, sparse) {
				holes = 0
			}
			for _, src := range []struct {
				path    string
				section bool // an io.SectionReader of the file
				skipped int
				at      int64 // where the section starts, of len(tc.file) bytes (0: to the file's end)
				outer   bool  // the section inside a type of its own, with its Outer method, as cmd/ruleforge's evtxFile
			}{{sparse, false, holes, 0, false}, {sparse, true, holes, 0, false}, {whole, false, 0, 0, false}, {whole, true, 0, 0, false}, {inner, true, holes, innerAt, false},
				{sparse, true, holes, 0, true}, {inner, true, holes, innerAt, true}} {
				f, err := os.Open(src.path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				var in io.Reader = f
				switch {
				case src.at > 0:
					in = io.NewSectionReader(f, src.at, int64(len(tc.file)))
				case src.section:
					in = io.NewSectionReader(f, 0, math.MaxInt64)
				}
				if src.outer {
					in = outerSource{in.(*io.SectionReader)}
				}
				r, err := NewReader(in)
				if err != nil {
					t.Fatal(err)
				}
				got, errs, _ := readRest(t, r)
				if !slices.Equal(got, want) || !slices.Equal(errs, wantErrs) || r.holeChunks != src.skipped {
					t.Errorf("%s (section %v, outer %v): %d records, errors %q, %d chunks skipped in holes; want %d, %q, %d",
						filepath.Base(src.path), src.section, src.outer, len(got), errs, r.holeChunks, len(want), wantErrs, src.skipped)
				}
				// lseek moved the file's offset: it is back after the header
				// (where Read left it; an io.SectionReader reads by ReadAt).
				want := int64(FileHeaderSize)
				if src.section {
					want = 0
				}
				if at, _ := f.Seek(0, io.SeekCurrent); at != want {
					t.Errorf("%s (section %v): the file's offset is %d after reading, want %d", filepath.Base(src.path), src.section, at, want)
				}
			}
		})
	}
}

// outerSource is a source of a type of its own that reads a section of a
// file, with the section's methods (Outer among them): holesOf finds the
// file's holes through Outer, not only through an *io.SectionReader.
type outerSource struct{ *io.SectionReader }

// innerAt is where TestHoles puts a file inside another: a block's
// start, so that the inner file's blocks are the outer one's.
const innerAt = 3 * 4096

// writeSparse writes file to path as a sparse file: its blocks of zeros
// are left unwritten (holes), but for those of the chunks numbered in
// written, of the .evtx file that starts at base.
func writeSparse(t *testing.T, path string, file []byte, base int, written []int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(int64(len(file))); err != nil {
		t.Fatal(err)
	}
	const block = 4096
	for at := 0; at < len(file); at += block {
		b := file[at:min(at+block, len(file))]
		chunk := (at - base - FileHeaderSize) / ChunkSize
		if at < base+FileHeaderSize || !allZero(b) || slices.Contains(written, chunk) {
			if _, err := f.WriteAt(b, int64(at)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// hasHoles reports whether the file system of path tells the holes of
// the sparse file there: some do not, and then all is read.
func hasHoles(t *testing.T, path string) bool {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	h := holesOf(f)
	if h == nil {
		return false
	}
	_, end, ok := h.nextData(0)
	return !ok || end < info.Size()
}
