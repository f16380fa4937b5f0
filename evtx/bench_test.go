package evtx

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/ruleforge/ruleforge/internal/cputime"
)

// corpusData reads every file of the corpus into memory, and their size.
func corpusData(b *testing.B) ([][]byte, int64) {
	var data [][]byte
	var size int64
	for _, path := range corpusFiles(b) {
		d, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		size += int64(len(d))
	}
	return data, size
}

// benchRead reads every record of the corpus on one goroutine, writing
// each as JSON when json is set; one op is the whole corpus (46 MB,
// 18,270 records).
func benchRead(b *testing.B, json bool) { benchReadFrom(b, json, false) }

// benchReadFrom is benchRead, reading each file from memory by
// NewReaderBytes (chunks not copied) when mem is set, else by NewReader
// from a *bytes.Reader.
func benchReadFrom(b *testing.B, json, mem bool) {
	data, size := corpusData(b)
	defer noPoison()()
	b.SetBytes(size)
	b.ReportAllocs()
	records := 0
	var line []byte
	cpu := cputime.Used()
	for b.Loop() {
		for _, f := range data {
			var r *Reader
			var err error
			if mem {
				r, err = NewReaderBytes(f)
			} else {
				r, err = NewReader(bytes.NewReader(f))
			}
			if err != nil {
				b.Fatal(err)
			}
			for rec, err := range r.All() {
				if err != nil {
					b.Fatal(err)
				}
				if json {
					line = rec.AppendJSON(line[:0])
				}
				records++
			}
		}
	}
	cpu = cputime.Used() - cpu
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(int64(b.N)*recordBytes(data))/1e6/b.Elapsed().Seconds(), "record-MB/s")
	// Per second of CPU time (the machine may be shared): what one core
	// reads.
	b.ReportMetric(float64(records)/cpu.Seconds(), "records/cpu-s")
	b.ReportMetric(float64(int64(b.N)*recordBytes(data))/1e6/cpu.Seconds(), "record-MB/cpu-s")
	b.ReportMetric(float64(int64(b.N)*size)/1e6/cpu.Seconds(), "file-MB/cpu-s")
}

// recordBytes counts the bytes of the records in the files' chunks (the
// corpus's files are half unused chunks, which cost nothing to skip).
func recordBytes(files [][]byte) int64 {
	var n int64
	for _, f := range files {
		for off := FileHeaderSize; off+ChunkHeaderSize <= len(f); off += ChunkSize {
			if c := f[off:]; bytes.HasPrefix(c, chunkMagic) {
				n += int64(binary.LittleEndian.Uint32(c[48:])) - ChunkHeaderSize
			}
		}
	}
	return n
}

// BenchmarkReader reads the corpus's records into their trees.
func BenchmarkReader(b *testing.B) { benchRead(b, false) }

// BenchmarkReaderJSON reads the corpus's records and writes each as JSON
// (what ruleforge dump does, output aside).
func BenchmarkReaderJSON(b *testing.B) { benchRead(b, true) }

// BenchmarkReaderBytes is BenchmarkReader from memory: each file read by
// NewReaderBytes, its chunks parts of its bytes, not copied.
func BenchmarkReaderBytes(b *testing.B) { benchReadFrom(b, false, true) }
