package normalize_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// FuzzReadEVTX puts arbitrary bytes in place of the one chunk of evtx's
// fixture file, with its checksums set (the chunk layout of libyal's
// "Windows XML Event Log (EVTX)" notes, section 2: the header checksum
// at offset 124 over bytes 0-120 and 128-512, the records' at 52 over
// 512 to the free-space offset at 48) so that the fuzzer reaches the
// records, and reads every record both straight into the seed rules'
// records (ReadEVTX) and through its JSON (Read of AppendJSON): no
// panic, a damaged record is an *evtx.Error, and the two records hold
// the same values and match the same rules (sameRecords), as
// TestReadEVTXSame checks on the fixture itself. The seeds are the
// chunks of the fixture, of planned.evtx, whose later records are
// filled by a fill program, and of reals.evtx (TestFillReals), with the
// rule that reads its values besides.
func FuzzReadEVTX(f *testing.F) {
	file, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "fixture.evtx"))
	if err != nil {
		f.Fatal(err)
	}
	header := file[:evtx.FileHeaderSize]
	f.Add(file[evtx.FileHeaderSize:])
	// Six records of one shape: from the fourth on, ReadEVTX fills them
	// by a fill program (evtxprog.go).
	planned, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "planned.evtx"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(planned[evtx.FileHeaderSize:])
	// Records of one shape whose real is a number or null, and whose
	// string has escapes or not, from record to record (TestFillReals).
	reals, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "reals.evtx"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(reals[evtx.FileHeaderSize:])
	rs := loadRules(f, append(seedPaths(true), filepath.Join("testdata", "reals.yml"))...)
	paths := normalize.ReaderPaths()
	for _, p := range rs.Paths() {
		paths = append(paths, match.NewPath(p))
	}
	direct, viaJSON := normalize.NewReader(rs, normalize.Auto), normalize.NewReader(rs, normalize.Auto)
	f.Fuzz(func(t *testing.T, chunk []byte) {
		const headerSize = 512
		if len(chunk) > evtx.ChunkSize || len(chunk) < headerSize {
			return
		}
		data := append(append([]byte(nil), header...), chunk...)
		c := data[evtx.FileHeaderSize:]
		copy(c, "ElfChnk\x00")
		le := binary.LittleEndian
		if free := int(le.Uint32(c[48:])); free >= headerSize && free <= len(c) {
			le.PutUint32(c[52:], crc32.ChecksumIEEE(c[headerSize:free]))
		}
		le.PutUint32(c[124:], crc32.Update(crc32.ChecksumIEEE(c[:120]), crc32.IEEETable, c[128:headerSize]))
		r, err := evtx.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for er, err := range r.All() {
			if err != nil {
				var e *evtx.Error
				if !errors.As(err, &e) {
					t.Fatalf("Next: %T %v, want an *evtx.Error", err, err)
				}
				continue
			}
			name := fmt.Sprintf("record %d", er.ID)
			want, werr := viaJSON.Read(er.AppendJSON(nil))
			got, gerr := direct.ReadEVTX(er)
			if (gerr != nil) != (werr != nil) {
				t.Fatalf("%s: ReadEVTX: %v, through JSON: %v", name, gerr, werr)
			}
			if gerr == nil {
				sameRecords(t, rs, name, got, want, paths)
			}
		}
	})
}
