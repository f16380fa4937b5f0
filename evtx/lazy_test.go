package evtx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"testing"
)

// Every test of the package reads lazy chunks with their unread bytes
// poisoned (0xA5): a read of them that did not load them first gives
// other records or errors than the tests expect.
func init() { poisonLazy = true }

// plainReader hides its source's io.ReaderAt and io.Seeker: a Reader of
// it reads every chunk whole.
type plainReader struct{ io.Reader }

// readFrom reads every record of src as JSON, and the errors' texts; it
// also returns how many chunks NextChunk left partly unread.
func readFrom(t *testing.T, src io.Reader, opts ...Option) (got, errs []string, lazy int) {
	t.Helper()
	r, err := NewReader(src, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return readRest(t, r, opts...)
}

// readBytes is readFrom from NewReaderBytes: chunks that are parts of
// file.
func readBytes(t *testing.T, file []byte, opts ...Option) (got, errs []string) {
	t.Helper()
	r, err := NewReaderBytes(file, opts...)
	if err != nil {
		t.Fatal(err)
	}
	got, errs, _ = readRest(t, r, opts...)
	return got, errs
}

// readRest is readFrom from a Reader.
func readRest(t *testing.T, r *Reader, opts ...Option) (got, errs []string, lazy int) {
	t.Helper()
	d := NewDecoder(opts...)
	for {
		c, err := r.NextChunk()
		if err == io.EOF {
			return got, errs, lazy
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.lazy != nil {
			lazy++
		}
		if err := d.Reset(c); err != nil {
			errs = append(errs, err.Error())
			c.Release()
			continue
		}
		for {
			rec, err := d.Next()
			if err == io.EOF {
				break
			}
			var e *Error
			if errors.As(err, &e) {
				errs = append(errs, e.Error())
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(rec.AppendJSON(nil)))
		}
		c.Release()
	}
}

// pastFreeChunk is a chunk whose two templated records use a template
// defined after the chunk's free space offset, where no record is and
// no checksum reaches (names included: they are defined in the
// template's body), then a record without a template. Windows does not
// write such chunks; a crafted one is read as its bytes say, whether
// the Reader reads the chunk whole or only up to its free space.
func pastFreeChunk(t testing.TB) []byte {
	const at = 0x8000
	c := &chunkBuilder{first: 1}
	c.record(func(w *xw) { sysmonRecord(w, at, 1, 0x1010) })
	c.record(func(w *xw) { sysmonRecord(w, at, 2, 0x1fffff) })
	c.record(noTemplate)
	b := c.bytes()
	if free := int(binary.LittleEndian.Uint32(b[48:])); free >= at {
		t.Fatalf("free space offset 0x%x, want it before 0x%x", free, at)
	}
	body := &xw{base: at + 24}
	sysmonTemplate(body)
	binary.LittleEndian.PutUint32(b[at+20:], uint32(len(body.b)))
	copy(b[at+24:], body.b)
	return b
}

// TestLazyPastFree reads pastFreeChunk's file from a *bytes.Reader (its
// chunk read up to the free space, then the rest when the template is
// needed), from a plain io.Reader (read whole), from memory
// (NewReaderBytes), and into trees: the same records, as a hand-written
// expectation says.
func TestLazyPastFree(t *testing.T) {
	file := buildFile(0, pastFreeChunk(t))
	want := []string{sysmonJSON("1", "0x1010"), sysmonJSON("2", "0x1fffff"), noTemplateJSON}
	for _, tt := range []struct {
		name     string
		src      io.Reader
		opts     []Option
		wantLazy int
	}{
		{"ReaderAt", bytes.NewReader(file), nil, 1},
		{"ReaderAt/trees", bytes.NewReader(file), []Option{WithoutPlans()}, 1},
		{"Reader", plainReader{bytes.NewReader(file)}, nil, 0},
		{"Reader/trees", plainReader{bytes.NewReader(file)}, []Option{WithoutPlans()}, 0},
		{"Bytes", nil, nil, 0},
		{"Bytes/trees", nil, []Option{WithoutPlans()}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got, errs []string
			var lazy int
			if tt.src == nil {
				got, errs = readBytes(t, file, tt.opts...)
			} else {
				got, errs, lazy = readFrom(t, tt.src, tt.opts...)
			}
			if !slices.Equal(got, want) || errs != nil {
				t.Errorf("records:\n%q\nerrors %q\nwant\n%q", got, errs, want)
			}
			if lazy != tt.wantLazy {
				t.Errorf("%d lazy chunks, want %d", lazy, tt.wantLazy)
			}
		})
	}
}

// TestLazySameCorpus reads every file of the shared corpus from a
// *bytes.Reader (lazy chunks), from a plain io.Reader (whole chunks) and
// from memory (NewReaderBytes: chunks not copied): the same records and
// errors; and most used chunks are read lazily.
func TestLazySameCorpus(t *testing.T) {
	lazy := 0
	for _, path := range corpusFiles(t) {
		file, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, errs, n := readFrom(t, bytes.NewReader(file))
		want, wantErrs, _ := readFrom(t, plainReader{bytes.NewReader(file)})
		if !slices.Equal(got, want) || !slices.Equal(errs, wantErrs) {
			t.Fatalf("%s: lazy chunks read %d records, errors %q; whole chunks %d, %q", path, len(got), errs, len(want), wantErrs)
		}
		if got, errs := readBytes(t, file); !slices.Equal(got, want) || !slices.Equal(errs, wantErrs) {
			t.Fatalf("%s: from memory %d records, errors %q; whole chunks %d, %q", path, len(got), errs, len(want), wantErrs)
		}
		lazy += n
	}
	if lazy < 700 { // 791 used chunks
		t.Errorf("%d chunks read lazily, want most of the 791 used ones", lazy)
	}
	t.Logf("%d chunks read lazily", lazy)
}

// FuzzLazy reads a file of two fuzzed chunks (fuzzedChunk: with their
// checksums set when the first byte is even) from a *bytes.Reader, lazy
// chunks with their unread bytes poisoned, from a plain io.Reader, whole
// chunks, and from memory, chunks not copied: the same records and
// errors. So is a file whose clean header counts one chunk, the second
// fuzzed chunk past the count, then the fuzzed chunk with its 512-byte
// header zeroed (unused by what the file header says: unusedByHeader).
func FuzzLazy(f *testing.F) {
	f.Add(fixtureChunk(1))
	f.Add(pastFreeChunk(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := fuzzedChunk(data)
		headless := slices.Clone(c)
		clear(headless[:min(len(headless), ChunkHeaderSize)])
		for _, file := range [][]byte{buildFile(0, c, c), withCount(buildFile(0, c, c, headless), 1)} {
			got, errs, _ := readFrom(t, bytes.NewReader(file))
			want, wantErrs, _ := readFrom(t, plainReader{bytes.NewReader(file)})
			if !slices.Equal(got, want) || !slices.Equal(errs, wantErrs) {
				t.Fatalf("lazy chunks: %q, errors %q; whole chunks: %q, errors %q", got, errs, want, wantErrs)
			}
			if got, errs := readBytes(t, file); !slices.Equal(got, want) || !slices.Equal(errs, wantErrs) {
				t.Fatalf("from memory: %q, errors %q; whole chunks: %q, errors %q", got, errs, want, wantErrs)
			}
		}
	})
}
