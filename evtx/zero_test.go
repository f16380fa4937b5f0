package evtx

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestUnusedChunks reads files with a chunk of zeros between two used
// ones, by ReadAt, from a plain io.Reader and from memory
// (NewReaderBytes): an unused chunk (all
// zeros) is skipped, and one with a single byte that is not zero, in its
// header or anywhere in its body (at the start, middle and end of the
// pieces a reader might check, and at the chunk's last byte), is a
// damaged chunk that is reported, whole or where the file ends in it.
func TestUnusedChunks(t *testing.T) {
	want := slices.Concat(fixtureWant(1), fixtureWant(4))
	const sig = "chunk 1 (offset 0x11000): signature"
	at := []int{0, 7, 8, 48, 511, 512, 513, 4095, 4096, 8191, 8192, 16383, 16384, 16385, 32767, 32768, 49152, 65534, 65535}
	for _, src := range []string{"ReadAt", "Reader", "Bytes"} {
		read := func(file []byte) ([]string, []string) {
			in := bytes.NewReader(file)
			if src == "Bytes" {
				return readBytes(t, file)
			}
			if src == "Reader" {
				got, errs, _ := readFrom(t, plainReader{in})
				return got, errs
			}
			got, errs, _ := readFrom(t, in)
			return got, errs
		}
		t.Run(src, func(t *testing.T) {
			got, errs := read(buildFile(1, fixtureChunk(1), make([]byte, ChunkSize), fixtureChunk(4)))
			if !slices.Equal(got, want) || len(errs) != 0 {
				t.Errorf("all zeros: %d records, errors %q; want %d, none", len(got), errs, len(want))
			}
			for _, p := range at {
				zero := make([]byte, ChunkSize)
				zero[p] = 'x'
				got, errs := read(buildFile(1, fixtureChunk(1), zero, fixtureChunk(4)))
				if !slices.Equal(got, want) || len(errs) != 1 || !bytes.HasPrefix([]byte(errs[0]), []byte(sig)) {
					t.Errorf("byte at %d: %d records, errors %q; want %d, %q...", p, len(got), errs, len(want), sig)
				}
			}
			// The file ends inside the chunk of zeros: skipped when it
			// holds only zeros, reported when a byte is not zero.
			for _, end := range []int{1, 511, 512, 513, 16384, 20000, 65535} {
				file := buildFile(1, fixtureChunk(1), make([]byte, ChunkSize))
				file = file[:len(file)-ChunkSize+end]
				got, errs := read(file)
				if !slices.Equal(got, fixtureWant(1)) || len(errs) != 0 {
					t.Errorf("zeros to %d: %d records, errors %q; want 3, none", end, len(got), errs)
				}
				for _, p := range at {
					if p >= end {
						continue
					}
					file := slices.Clone(file)
					file[FileHeaderSize+ChunkSize+p] = 'x'
					got, errs := read(file)
					if !slices.Equal(got, fixtureWant(1)) || len(errs) != 1 {
						t.Errorf("zeros to %d, byte at %d: %d records, errors %q; want 3, one", end, p, len(got), errs)
					}
				}
			}
		})
	}
}

// countingReaderAt is a bytes.Reader that keeps the highest offset any
// ReadAt read up to.
type countingReaderAt struct {
	*bytes.Reader
	end int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.Reader.ReadAt(p, off)
	if n > 0 {
		c.end = max(c.end, off+int64(n))
	}
	return n, err
}

// TestUnusedByHeader reads files whose header counts two chunks, with
// a third chunk after them that has no chunk signature: past the count
// of a sound, clean header, a chunk whose 512-byte header is zeros is
// unused whatever its body holds, and read by ReadAt only up to its
// header; a byte that is not zero in its header, a dirty header, a
// header whose checksum does not match, or a chunk the header counts is
// reported as before, from every source alike.
func TestUnusedByHeader(t *testing.T) {
	want := slices.Concat(fixtureWant(1), fixtureWant(4))
	const sig = "chunk 2 (offset 0x21000): signature"
	third := func(at int) []byte { // a chunk of zeros but for an x at at (-1: none)
		c := make([]byte, ChunkSize)
		if at >= 0 {
			c[at] = 'x'
		}
		return c
	}
	withThird := func(flags uint32, count uint16, c []byte) []byte {
		return withCount(append(buildFile(flags, fixtureChunk(1), fixtureChunk(4)), c...), count)
	}
	badSum := withThird(0, 2, third(600))
	badSum[124] ^= 1
	tests := []struct {
		name     string
		file     []byte
		reported bool // the third chunk
	}{
		{"zeros", withThird(0, 2, third(-1)), false},
		{"a byte in its body", withThird(0, 2, third(600)), false},
		{"its last byte", withThird(0, 2, third(ChunkSize-1)), false},
		{"truncated, a byte in its body", withThird(0, 2, third(600))[:FileHeaderSize+2*ChunkSize+1000], false},
		{"a byte in its header", withThird(0, 2, third(511)), true},
		{"its signature's first byte", withThird(0, 2, third(0)), true},
		{"dirty", withThird(1, 2, third(600)), true},
		{"header checksum", badSum, true},
		{"counted", withThird(0, 3, third(600)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ra := &countingReaderAt{Reader: bytes.NewReader(tt.file)}
			got, errs, _ := readFrom(t, ra)
			plain, plainErrs, _ := readFrom(t, plainReader{bytes.NewReader(tt.file)})
			mem, memErrs := readBytes(t, tt.file)
			if !slices.Equal(got, want) || !slices.Equal(plain, want) || !slices.Equal(mem, want) {
				t.Errorf("records: ReadAt %d, Reader %d, bytes %d; want %d", len(got), len(plain), len(mem), len(want))
			}
			if !slices.Equal(errs, plainErrs) || !slices.Equal(errs, memErrs) {
				t.Errorf("errors: ReadAt %q, Reader %q, bytes %q", errs, plainErrs, memErrs)
			}
			if reported := len(errs) == 1 && strings.HasPrefix(errs[0], sig); reported != tt.reported || len(errs) > 1 {
				t.Errorf("errors %q, want the third chunk reported: %v", errs, tt.reported)
			}
			third := int64(FileHeaderSize + 2*ChunkSize)
			if !tt.reported && int64(len(tt.file)) > third+ChunkHeaderSize && ra.end > third+ChunkHeaderSize {
				t.Errorf("read by ReadAt up to 0x%x, want only the third chunk's header (to 0x%x)", ra.end, third+ChunkHeaderSize)
			}
		})
	}
}
