package evtx

import (
	"bytes"
	"io"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/cputime"
)

// BenchmarkStages reads the corpus as RunEVTX's workers do, one Decoder
// kept from file to file, and reports the CPU time per record of each
// stage, each measured with the ones before it: chunks (NextChunk and
// Release: reading the chunks, skipping the unused ones), next (Reset
// and Next: the records' values, by plan or tree), values (AppendValues,
// what normalize's ReadEVTX reads a record of a known shape by) and walk
// (Walk with a Visitor that writes every value as JSON, as normalize's
// ReadEVTX does for the keyword scan). The stages' differences are what
// each costs (values and walk each over next).
// The files are read from memory (bytes.Reader; at stages bytes-chunks,
// bytes-next and bytes-values by NewReaderBytes, chunks not copied), and at stage
// file-chunks from the files themselves, by ReadAt, as the CLI reads
// them (cmd/ruleforge's evtxSource).
func BenchmarkStages(b *testing.B) {
	data, _ := corpusData(b)
	defer noPoison()()
	perPass := 0
	for _, f := range data {
		perPass += readStage(b, readerOf(b, bytes.NewReader(f)), "next", NewDecoder(), nil)
	}
	for _, stage := range []string{"file-chunks", "chunks", "bytes-chunks", "next", "bytes-next", "bytes-values", "walk"} {
		b.Run(stage, func(b *testing.B) {
			dec := NewDecoder()
			vis := &renderer{}
			var files []*os.File
			if stage == "file-chunks" {
				for _, path := range corpusFiles(b) {
					f, err := os.Open(path)
					if err != nil {
						b.Fatal(err)
					}
					defer f.Close()
					files = append(files, f)
				}
			}
			cpu := cputime.Used()
			for b.Loop() {
				for i, f := range data {
					var file *os.File
					if files != nil {
						file = files[i]
					}
					readStageOf(b, f, file, stage, dec, vis)
				}
			}
			b.ReportMetric(float64(cputime.Used()-cpu)/float64(b.N*perPass), "cpu-ns/record")
		})
	}
}

// readStageOf reads the file whose bytes are f up to stage, as stage
// says: from file by ReadAt (file-chunks), from f by NewReaderBytes
// (bytes-), else from f by a bytes.Reader.
func readStageOf(b *testing.B, f []byte, file *os.File, stage string, dec *Decoder, vis Visitor) {
	if file != nil {
		readStage(b, readerOf(b, io.NewSectionReader(file, 0, math.MaxInt64)), "chunks", dec, vis)
		return
	}
	if rest, ok := strings.CutPrefix(stage, "bytes-"); ok {
		r, err := NewReaderBytes(f)
		if err != nil {
			b.Fatal(err)
		}
		readStage(b, r, rest, dec, vis)
		return
	}
	readStage(b, readerOf(b, bytes.NewReader(f)), stage, dec, vis)
}

// readerOf returns NewReader(f), or ends b.
func readerOf(b *testing.B, f io.Reader) *Reader {
	r, err := NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// readStage reads the file r up to stage and returns the records read
// (none at stage chunks).
func readStage(b *testing.B, r *Reader, stage string, dec *Decoder, vis Visitor) int {
	n := 0
	for {
		c, err := r.NextChunk()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		if stage != "chunks" {
			if err := dec.Reset(c); err != nil {
				b.Fatal(err)
			}
			switch stage {
			case "values":
				n += valueRecords(b, dec)
			case "walk":
				n += walkRecords(b, dec, vis)
			default:
				n += walkRecords(b, dec, nil)
			}
		}
		c.Release()
	}
}

// walkRecords decodes the records of the chunk dec was reset to, walks
// each with vis unless it is nil, and returns how many it decoded.
func walkRecords(b *testing.B, dec *Decoder, vis Visitor) int {
	if vis == nil {
		return eachRecord(b, dec, func(*Record) {})
	}
	return eachRecord(b, dec, func(rec *Record) { rec.Walk(vis) })
}

// valueRecords decodes the records of the chunk dec was reset to, takes
// the values of each (AppendValues), and returns how many it decoded.
func valueRecords(b *testing.B, dec *Decoder) int {
	var vals []Value
	return eachRecord(b, dec, func(rec *Record) { vals = rec.AppendValues(vals[:0]) })
}

// eachRecord decodes the records of the chunk dec was reset to, hands
// each to use, and returns how many it decoded.
func eachRecord(b *testing.B, dec *Decoder, use func(*Record)) int {
	for n := 0; ; n++ {
		rec, err := dec.Next()
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		use(rec)
	}
}

// renderer is a Visitor that writes every value as JSON, one after the
// other.
type renderer struct{ out []byte }

func (r *renderer) Object(string) bool { return true }
func (r *renderer) Array(string)       {}
func (r *renderer) End()               {}
func (r *renderer) Value(_ string, v Value) {
	if len(r.out) > 1<<16 {
		r.out = r.out[:0]
	}
	r.out = append(v.AppendJSON(r.out), ',')
}

// noPoison turns off poisonLazy, which this package's tests turn on,
// until the function it returns is called: a benchmark measures what a
// program pays.
func noPoison() func() {
	was := poisonLazy
	poisonLazy = false
	return func() { poisonLazy = was }
}

// BenchmarkAppendJSON writes every value of the corpus's records as JSON
// (Value.AppendJSON, what normalize's ReadEVTX does for each value),
// collected beforehand with their chunks kept, a chunk's values at a
// time and each chunk's twice: the second time with the chunk in the
// cache, as when its records were just decoded.
func BenchmarkAppendJSON(b *testing.B) {
	data, _ := corpusData(b)
	defer noPoison()()
	var chunks [][]Value
	for _, f := range data {
		r, err := NewReader(bytes.NewReader(f))
		if err != nil {
			b.Fatal(err)
		}
		for {
			c, err := r.NextChunk()
			if err == io.EOF {
				break
			}
			// A Decoder a chunk, and no Release: the values stay valid.
			dec := NewDecoder()
			if err != nil || dec.Reset(c) != nil {
				b.Fatal(err)
			}
			col := &collector{}
			walkRecords(b, dec, col)
			chunks = append(chunks, col.vals)
		}
	}
	b.ReportAllocs()
	var out []byte
	values := 0
	cpu := cputime.Used()
	for b.Loop() {
		for _, vals := range chunks {
			for range 2 {
				for _, v := range vals {
					out = v.AppendJSON(out[:0])
				}
				values += len(vals)
			}
		}
	}
	b.ReportMetric(float64(cputime.Used()-cpu)/float64(values), "cpu-ns/value")
}

// collector is a Visitor that keeps every value made of one value.
type collector struct{ vals []Value }

func (c *collector) Object(string) bool { return true }
func (c *collector) Array(string)       {}
func (c *collector) End()               {}
func (c *collector) Value(_ string, v Value) {
	if v.n < 0 {
		c.vals = append(c.vals, v)
	}
}
