package pipeline

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/normalize"
)

// chunkJob is one chunk of an .evtx file and the results of its records.
// Emitted jobs are recycled (chunkJobs) with their memory.
type chunkJob struct {
	seq     int
	c       *evtx.Chunk
	results []Result
	json    []byte // the records' JSON back to back, with KeepRaw
	hits    []int  // the results' hits back to back
	ends    []int  // ends[i]: the end of result i's JSON in json
}

// resultsOf returns j's results (for the collector).
func (j *chunkJob) resultsOf() []Result { return j.results }

// chunkJobs holds the jobs of emitted chunks: their results, hits and
// JSON have grown to what a chunk needs, and a directory of small files
// is a run per file, so a job made per chunk cost a few growing
// allocations per file (about 2 us per record of the shared corpus's
// 558 files, BenchmarkMatchEVTXFiles).
var chunkJobs = sync.Pool{New: func() any { return &chunkJob{hits: make([]int, 0, 256)} }}

// RunEVTX matches every record of an .evtx file with cfg and calls emit
// with each result, in file order, on the calling goroutine, as Run does
// for JSON: the Workers goroutines decode a chunk each in turn (a chunk's
// templates are its own) and read each record straight into the
// ruleset's record with normalize.Reader.ReadEVTX, with the values
// evtx-JSON would give it (the JSON is written only with KeepRaw, for the
// output to quote); Bytes is the record's size. A damaged chunk or
// record is a result whose Bad is the *evtx.Error; Line is 0 and
// RecordID the record's identifier. At most 2*Workers+2 chunks are in
// flight, so memory stays bounded whatever the file's size. It returns
// the counts and the error reading r gave, or ErrStopped when cfg.Stop
// was closed: no chunk is read after it, and the records of the chunks
// read before are all matched and emitted. As with Run, a Result's Hits
// and Raw are valid during emit only: their memory is reused, by this
// run's next chunks and by later runs.
func RunEVTX(cfg Config, r *evtx.Reader, emit func(*Result) error) (Stats, error) {
	workers := cfg.workers()
	if workers == 1 {
		return runEVTXInline(cfg, r, emit)
	}
	jobs := make(chan *chunkJob, workers)
	done := make(chan *chunkJob, 2*workers+2)
	inFlight := make(chan struct{}, 2*workers+2) // chunks read and not yet emitted
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(jobs)
		for seq := 0; ; seq++ {
			select { // a stop first, whatever else is ready
			case <-cfg.Stop:
				readErr = ErrStopped
				return
			default:
			}
			select {
			case inFlight <- struct{}{}:
			case <-stop:
				return
			case <-cfg.Stop:
				readErr = ErrStopped
				return
			}
			c, err := r.NextChunk()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				return
			}
			j := chunkJobs.Get().(*chunkJob)
			j.seq, j.c = seq, c
			select {
			case jobs <- j:
			case <-stop:
				c.Release()
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var plans, fills atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newEVTXWorker(cfg)
			defer func() {
				p, f := w.release()
				plans.Add(int64(p))
				fills.Add(int64(f))
			}()
			for j := range jobs {
				w.work(j)
				done <- j
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	c := newCollector[*chunkJob](emit, stop)
	for j := range done {
		c.add(j.seq, j, (*chunkJob).resultsOf, func(j *chunkJob) { <-inFlight; chunkJobs.Put(j) })
	}
	st, err := c.result(readErr)
	st.PlanEvictions, st.FillEvictions = int(plans.Load()), int(fills.Load()) // done is closed: every worker has released
	return st, err
}

// runEVTXInline is RunEVTX with one worker, on the calling goroutine:
// a chunk is read, decoded, matched and emitted in turn, the same work
// in the same order as with the goroutines, without their hand-offs
// (which cost about 2 us per record of a folder of small files,
// BenchmarkMatchEVTXFiles).
func runEVTXInline(cfg Config, r *evtx.Reader, emit func(*Result) error) (st Stats, err error) {
	w := newEVTXWorker(cfg)
	defer func() { st.PlanEvictions, st.FillEvictions = w.release() }()
	j := chunkJobs.Get().(*chunkJob)
	defer chunkJobs.Put(j)
	c := newCollector[*chunkJob](emit, make(chan struct{}))
	for seq := 0; c.err == nil; seq++ {
		select {
		case <-cfg.Stop:
			return c.result(ErrStopped)
		default:
		}
		ch, err := r.NextChunk()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return c.result(err)
		}
		j.seq, j.c = seq, ch
		w.work(j)
		c.add(seq, j, (*chunkJob).resultsOf, func(*chunkJob) {})
	}
	return c.result(nil)
}

// decoders holds the Decoders of finished runs: a Decoder's buffers grow
// to what a chunk needs, and a directory of small files is a run per file.
var decoders = sync.Pool{New: func() any { return evtx.NewDecoder() }}

// count adds one result to the counts.
func (st *Stats) count(res *Result) {
	st.Events++
	st.Bytes += int64(res.Bytes)
	switch {
	case res.Bad != nil:
		st.Bad++
	case len(res.Hits) > 0:
		st.Matched++
		st.Hits += len(res.Hits)
	default:
		st.Unmatched++
	}
}

// evtxWorker decodes and matches the records of chunks.
type evtxWorker struct {
	cfg Config
	dec *evtx.Decoder
	rd  *normalize.Reader
	rdp *sync.Pool // where rd goes back (release)
	// dec's and rd's evictions when the worker took them (release).
	plans, fills int
}

// newEVTXWorker returns a worker with a Decoder (pooled unless
// cfg.Decoder has options) and a pooled Reader.
func newEVTXWorker(cfg Config) *evtxWorker {
	var dec *evtx.Decoder
	if cfg.Decoder != nil {
		dec = evtx.NewDecoder(cfg.Decoder...)
	} else {
		dec = decoders.Get().(*evtx.Decoder)
	}
	rd, rdp := getReader(cfg)
	return &evtxWorker{cfg: cfg, dec: dec, rd: rd, rdp: rdp, plans: dec.Stats().Evictions, fills: rd.Stats().FillEvictions}
}

// release returns w's Decoder and Reader to their pools and the times,
// while w had them, the Decoder dropped its plans (Stats.PlanEvictions)
// and the Reader its fill programs (Stats.FillEvictions).
func (w *evtxWorker) release() (plans, fills int) {
	plans, fills = w.dec.Stats().Evictions-w.plans, w.rd.Stats().FillEvictions-w.fills
	w.rdp.Put(w.rd)
	if w.cfg.Decoder == nil {
		decoders.Put(w.dec)
	}
	return plans, fills
}

// work fills j's results, reusing the memory of the job's last chunk.
func (w *evtxWorker) work(j *chunkJob) {
	defer j.c.Release()
	j.results, j.hits, j.json, j.ends = j.results[:0], j.hits[:0], j.json[:0], j.ends[:0]
	if err := w.dec.Reset(j.c); err != nil {
		res := addResult(&j.results)
		res.Bad, res.Bytes = err, evtx.ChunkSize
		return
	}
	for {
		rec, err := w.dec.Next()
		if err == io.EOF {
			break
		}
		res := addResult(&j.results) // filled in place, not copied
		if err != nil {
			var e *evtx.Error
			res.Bad = err
			if errors.As(err, &e) {
				res.RecordID = e.RecordID
			}
			j.ends = append(j.ends, len(j.json))
			continue
		}
		res.RecordID, res.Bytes = rec.ID, rec.Size
		if nr, err := w.rd.ReadEVTX(rec); err != nil {
			res.Bad = err
		} else {
			free := j.hits[len(j.hits):cap(j.hits)]
			res.Hits = free[:0]
			w.cfg.matchRecord(nr, res)
			if len(res.Hits) > 0 && len(free) > 0 && &res.Hits[0] == &free[0] { // they went into j.hits
				j.hits = j.hits[:len(j.hits)+len(res.Hits)]
			}
		}
		if w.cfg.KeepRaw {
			j.json = rec.AppendJSON(j.json)
		}
		j.ends = append(j.ends, len(j.json))
	}
	if w.cfg.KeepRaw {
		start := 0
		for i, end := range j.ends {
			j.results[i].Raw = j.json[start:end:end]
			start = end
		}
	}
}
