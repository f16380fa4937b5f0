package evtx

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"testing"
)

// decodeChunk decodes every record of c, checking that each decodes to
// valid JSON, which Walk hands over member for member, or fails with an
// *Error, and returns how many records it read.
func decodeChunk(t *testing.T, c *Chunk) int {
	d := NewDecoder()
	if err := d.Reset(c); err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Reset: %T %v, want an *Error", err, err)
		}
		return 0
	}
	n := 0
	for {
		rec, err := d.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Next: %T %v, want an *Error", err, err)
			}
			continue
		}
		b := rec.AppendJSON(nil)
		if !json.Valid(b) {
			t.Fatalf("record %d: invalid JSON %q", rec.ID, b)
		}
		if msg := walkDiffers(rec, b); msg != "" {
			t.Fatalf("record %d: %s", rec.ID, msg)
		}
		n++
	}
}

// FuzzChunk decodes arbitrary chunks: no panic, every record valid JSON
// that Walk agrees with, or an *Error. An input whose first byte is even gets its checksums set,
// so that the fuzzer reaches the records.
func FuzzChunk(f *testing.F) {
	f.Add(fixtureChunk(1))
	c := &chunkBuilder{first: 9}
	c.record(noTemplate)
	f.Add(c.bytes()[:ChunkHeaderSize+len(c.data)]) // truncated after its record
	f.Fuzz(func(t *testing.T, data []byte) {
		decodeChunk(t, &Chunk{data: fuzzedChunk(data)})
	})
}

// fuzzedChunk cuts a fuzzer's input to a chunk's size and, when its
// first byte is even, sets its signature and checksums, so that the
// fuzzer reaches the records.
func fuzzedChunk(data []byte) []byte {
	if len(data) > ChunkSize {
		data = data[:ChunkSize]
	}
	if len(data) >= ChunkHeaderSize && data[0]&1 == 0 {
		data = append([]byte(nil), data...)
		copy(data, chunkMagic)
		le := binary.LittleEndian
		if free := int(le.Uint32(data[48:])); free >= ChunkHeaderSize && free <= len(data) {
			le.PutUint32(data[52:], crc32.ChecksumIEEE(data[ChunkHeaderSize:free]))
		}
		le.PutUint32(data[124:], crc32.Update(crc32.ChecksumIEEE(data[:120]), crc32.IEEETable, data[128:ChunkHeaderSize]))
	}
	return data
}

// FuzzBinXML decodes arbitrary binary XML as the one record of a sound
// chunk: no panic, valid JSON or an *Error.
func FuzzBinXML(f *testing.F) {
	w := &xw{}
	noTemplate(w)
	f.Add(w.b)
	w = &xw{base: ChunkHeaderSize + recordHeader}
	sysmonRecord(w, 0, 1, 0x1410)
	f.Add(w.b)
	f.Fuzz(func(t *testing.T, x []byte) {
		if len(x) > ChunkSize-ChunkHeaderSize-recordHeader-4 {
			return
		}
		c := &chunkBuilder{first: 1}
		c.record(func(w *xw) { w.b = append(w.b, x...) })
		decodeChunk(t, &Chunk{data: c.bytes()})
	})
}
