package evtx

import (
	"bytes"
	"slices"
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
