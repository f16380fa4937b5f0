package evtx

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestNextDataFiles asks fileHoles.nextData about a regular file and a
// character device: a regular file has no data at or past its end
// (fstat's size) and its data where it holds some; a device's fstat size
// is 0, which says nothing of its data, so it cannot tell (all is data
// from off), as lseek(2) says of a file system without SEEK_DATA.
func TestNextDataFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "small")
	if err := os.WriteFile(path, make([]byte, 3*4096), 0o644); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		start, end int64
		ok         bool
	}
	for _, tc := range []struct {
		name string
		off  int64
		want []answer // any of them: file systems differ (a written block of zeros may stay data)
	}{
		{path, 3 * 4096, []answer{{0, 0, false}}},
		{path, 5 * 4096, []answer{{0, 0, false}}},
		{path, 4096, []answer{{4096, 3 * 4096, true}, {4096, math.MaxInt64, true}}},
		{"/dev/zero", 4096, []answer{{4096, math.MaxInt64, true}}},
	} {
		f, err := os.Open(tc.name)
		if err != nil {
			t.Skip(err)
		}
		h := holesOf(f)
		if h == nil {
			t.Fatalf("%s: no holes finder", tc.name)
		}
		got := answer{}
		got.start, got.end, got.ok = h.nextData(tc.off)
		f.Close()
		if !slices.Contains(tc.want, got) {
			t.Errorf("%s: nextData(%d) = %v, want one of %v", tc.name, tc.off, got, tc.want)
		}
	}
}
