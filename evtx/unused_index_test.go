package evtx

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestUnusedByHeaderIndex reads a file whose clean header counts two
// chunks, then a chunk unused by what the header says (its 512-byte
// header zeros, its body not: skipped; by ReadAt read up to its header
// only, see TestUnusedByHeader), then a damaged chunk (a byte that is
// not zero at its start): every source reports the damaged one as chunk
// 3 at its offset, as it numbers the chunks it reads whole. A ReadAt
// that skipped the unused chunk without counting it numbered the next
// one 2, and no other test saw it.
func TestUnusedByHeaderIndex(t *testing.T) {
	unused := make([]byte, ChunkSize)
	unused[600] = 'x'
	damaged := make([]byte, ChunkSize)
	damaged[0] = 'x'
	file := withCount(buildFile(0, fixtureChunk(1), fixtureChunk(4), unused, damaged), 2)
	want := slices.Concat(fixtureWant(1), fixtureWant(4))
	const sig = "chunk 3 (offset 0x31000): signature"
	got, errs, _ := readFrom(t, bytes.NewReader(file))
	plain, plainErrs, _ := readFrom(t, plainReader{bytes.NewReader(file)})
	mem, memErrs := readBytes(t, file)
	for _, src := range []struct {
		name      string
		got, errs []string
	}{{"ReadAt", got, errs}, {"Reader", plain, plainErrs}, {"bytes", mem, memErrs}} {
		if !slices.Equal(src.got, want) || len(src.errs) != 1 || !strings.HasPrefix(src.errs[0], sig) {
			t.Errorf("%s: %d records, errors %q; want %d, %q...", src.name, len(src.got), src.errs, len(want), sig)
		}
	}
}
