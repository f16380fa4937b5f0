// Package pipeline runs a ruleset over a stream of JSON events on several
// goroutines and hands the results back in input order.
//
// The Workers goroutines take turns reading the input in segments of
// about SegmentBytes, each cut just before a newline that a "{" follows
// at once and a "}" or "]" precedes, white space aside (where
// internal/stream is at the top level, in a JSON array or not); each
// frames, decodes, normalizes and matches the events of the segment it
// read, which is still in its CPU's cache, and the caller's goroutine
// receives every event's result, in input order, through Emit. A worker
// takes each line that opens with "{" as one event when it decodes as one
// no larger than Config.MaxEvent, and frames the rest of a segment with
// internal/stream from the first line that does not, so the events, their
// lines and their errors are exactly what internal/stream gives for the
// whole input. Input with no such cut in MaxSegment bytes (a long JSON
// array) is framed by one internal/stream reader, BatchEvents events or
// BatchBytes bytes a turn, until a newline that a "{" follows comes right
// after an event outside any array, where segments resume. At most
// 2*Workers+2 segments are in flight, so memory stays bounded whatever the
// input's size. The input is read on a goroutine of its own: when it
// pauses for Config.Pause, the events that have arrived are cut off after
// their last whole line (stream.LineBoundary) and matched, and
// Config.Flush is called, so a live stream's results come out as it goes.
// Input whose reads return at once (bytes in memory, a regular file, or
// any reader with Config.Direct) is read without that goroutine, and with
// one worker the whole run is on the calling goroutine: a folder of small
// files then costs about what reading and matching its events in one loop
// does (BenchmarkMatchDumpFiles).
package pipeline

import (
	"errors"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/stream"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/state"
)

// Config configures Run.
type Config struct {
	Ruleset *match.Ruleset
	// Workers is the number of matching goroutines; 0 (or less) means
	// GOMAXPROCS, more than MaxWorkers (or GOMAXPROCS if that is more)
	// means MaxWorkers.
	Workers int
	// MaxEvent is the largest event (or array element) in bytes; a larger
	// one is a bad event (ErrTooLarge) skipped to its end. 0 (or less)
	// means stream.MaxValue. A worker may hold about 10 times this much
	// while it decodes one event.
	MaxEvent int
	// Pause is how long the input may stay silent before the events that
	// have arrived are matched and Flush is called; 0 (or less) means
	// Pause.
	Pause time.Duration
	// Format is the events' format (normalize.Format): Auto (the zero
	// value) detects each event's and gives Windows and Sysmon events
	// their ECS view; ECS leaves every event as it is.
	Format normalize.Format
	// KeepRaw keeps each event's raw bytes in its Result (for output that
	// quotes the event).
	KeepRaw bool
	// Stop, when closed, stops reading: the events read up to the last
	// whole line are matched and emitted, and Run returns ErrStopped
	// without waiting for a read of the input that blocks.
	Stop <-chan struct{}
	// Flush, if set, is called on Run's goroutine whenever it has emitted
	// every result ready and would wait for more (the input paused, or
	// the workers are busy): where buffered output should be written out.
	// An error it returns stops the run as one of emit's does.
	Flush func() error
	// Paths are paths that the records hold besides those the rules read
	// (normalize.NewReaderWith), for Inspect to read at no extra pass.
	Paths []*match.Path
	// Inspect, when set, is called on the worker's goroutine for each
	// event that some rule matched (a stage of a stateful rule included),
	// with its record, while the record
	// holds the event: it may keep what it reads in res.Info (copied: the
	// record's values live until the next event) and drop hits from
	// res.Hits, which the counts then leave out.
	Inspect func(rec *match.Record, res *Result)
	// Program, when set, is the program of Ruleset's stateful rules:
	// workers Split each event's hits (Result.Hits keeps the visible
	// ones, Result.State gets the stage hits), for a state.Engine that
	// Emit steps in input order.
	Program *state.Program
	// Direct tells Run that the input's reads return at once, never
	// waiting for input to arrive (a regular file behind a bufio.Reader,
	// say): it is read on the workers' goroutines, never pauses, and
	// with one worker the run is all on the calling goroutine, which
	// saves a run per small file its goroutines and buffers. Bytes in
	// memory and a regular *os.File are read so without it. A pipe or a
	// terminal must not be Direct: Stop could not cut a blocked read.
	Direct bool
	// Decoder, when set, are the options of the evtx.Decoders RunEVTX
	// makes (their limits); without, RunEVTX takes Decoders with the
	// default limits from a pool shared by its runs, so that a folder of
	// small files reuses one Decoder's compiled templates and plans.
	Decoder []evtx.Option
}

// Result is what happened to one event.
type Result struct {
	Ordinal int         // 1-based position in the input
	Line    int         // line where the event starts
	Bytes   int         // the event's size in the input
	Hits    []int       // the rules that matched, in rule order
	Bad     error       // why the event was skipped, or nil
	Raw     []byte      // the event, with Config.KeepRaw; valid during Emit only
	State   state.Input // with Config.Program: for state.Engine.Step; valid during Emit only
	Info    any         // what Config.Inspect kept, or nil
	// RecordID is the identifier in an .evtx record's header (RunEVTX;
	// evtx.Record.ID), or 0. It is not always the event's EventRecordID:
	// re-exported logs renumber their headers (see evtx.Record.ID).
	RecordID uint64
}

// Stats counts a run's events: Events = Matched + Unmatched + Bad.
// PlanEvictions counts the times an .evtx run's Decoders dropped their
// record plans and compiled templates, full (evtx.MaxPlans,
// evtx.MaxPlanBytes; evtx.PlanStats.Evictions): results are the same,
// reading is slower until the plans are made again. FillEvictions
// counts the times, during the run, that its normalize.Readers dropped
// the fill programs of the record shapes they met, full
// (normalize.ReaderStats.FillEvictions), with the same consequence.
type Stats struct {
	Events, Matched, Unmatched, Bad, Hits int
	Bytes                                 int64
	PlanEvictions, FillEvictions          int
}

// MaxWorkers is the most matching goroutines a run starts when told a
// number (Config.Workers): each holds a record of the ruleset and two
// batches in flight, so a million of them would take minutes and
// gigabytes to start for no gain (matching is bound by the CPUs). It has
// no option: a machine with more CPUs runs one per CPU (Workers 0).
const MaxWorkers = 256

// workers is the number of matching goroutines cfg asks for: Workers,
// GOMAXPROCS if that is 0 or less, at most MaxWorkers or GOMAXPROCS.
func (cfg *Config) workers() int {
	procs := runtime.GOMAXPROCS(0)
	if cfg.Workers <= 0 {
		return procs
	}
	return min(cfg.Workers, max(MaxWorkers, procs))
}

// maxEvent is the largest event cfg accepts (MaxEvent).
func (cfg *Config) maxEvent() int {
	if cfg.MaxEvent <= 0 {
		return stream.MaxValue
	}
	return cfg.MaxEvent
}

// pause is how long the input may stay silent (Pause).
func (cfg *Config) pause() time.Duration {
	if cfg.Pause <= 0 {
		return Pause
	}
	return cfg.Pause
}

// ErrTooLarge is the Bad error of an event larger than Config.MaxEvent.
var ErrTooLarge = errors.New("larger than the largest event accepted; skipped")

// batch is a run of consecutive events: a segment of the input, or
// events framed by the source's stream reader.
type batch struct {
	seq     int
	data    []byte  // the segment, or the framed events back to back
	line    int     // the line data starts at (a segment)
	framed  bool    // the events are framed: ends, lines and bad are set
	ends    []int   // ends[i]: the end of event i in data
	lines   []int   // lines[i]: the line event i starts at
	bad     []error // bad[i]: why event i is bad before decoding (too large, a broken-off array), or nil
	results []Result
}

// add returns a cleared result at the end of b's results, reusing the
// memory of an earlier one.
func (b *batch) add() *Result { return addResult(&b.results) }

// addResult returns a cleared result at the end of *results, reusing the
// memory (hits, stateful input) of the one that held its place before
// the slice was recycled.
func addResult(results *[]Result) *Result {
	n := len(*results)
	if n < cap(*results) {
		*results = (*results)[:n+1]
	} else {
		*results = append(*results, Result{})
	}
	res := &(*results)[n]
	*res = Result{Hits: res.Hits[:0], State: res.State}
	res.State.Reset()
	return res
}

// Run matches every event of r with cfg and calls emit with each result,
// in input order, on the calling goroutine. It returns the counts and the
// first read error of r (events read before it are all emitted) or the
// first error emit returns (which stops the run).
func Run(cfg Config, r io.Reader, emit func(*Result) error) (Stats, error) {
	return run(cfg, r, emit, SegmentBytes, MaxSegment)
}

// run is Run with segments of size bytes, grown to at most most bytes.
func run(cfg Config, r io.Reader, emit func(*Result) error, size, most int) (Stats, error) {
	workers := cfg.workers()
	stop := make(chan struct{}) // closed when emit fails
	src := &source{in: newFeed(r, cfg.Direct, cfg.Stop, stop, cfg.pause()), size: size, most: most, maxEvent: cfg.maxEvent(), line: 1}
	defer src.in.close()
	if workers == 1 && src.in.direct != nil {
		return runInline(cfg, src, emit, stop)
	}
	free := make(chan *batch, 2*workers+2) // the batches in flight, recycled
	for range cap(free) {
		free <- batches.Get().(*batch)
	}
	defer func() { // the batches back once the workers are done: all of them
		for len(free) > 0 {
			batches.Put(<-free)
		}
	}()
	done := make(chan *batch, cap(free))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(cfg)
			defer w.release()
			for {
				var b *batch
				select {
				case b = <-free:
				case <-stop:
					return
				}
				if !src.next(b) {
					free <- b
					return
				}
				w.work(b)
				done <- b
				runtime.Gosched() // let the collector emit and recycle batches
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	c := newCollector[*batch](emit, stop)
	for {
		var b *batch
		select {
		case b = <-done:
		default:
			if cfg.Flush != nil && c.err == nil {
				c.fail(cfg.Flush())
			}
			b = <-done
		}
		if b == nil {
			break
		}
		c.add(b.seq, b, func(b *batch) []Result { return b.results }, func(b *batch) { free <- b })
	}
	return c.result(src.err)
}

// batches holds the batches of finished runs: their segments and results
// grow to what the input needs, and a folder of small files is a run per
// file.
var batches = sync.Pool{New: func() any { return &batch{} }}

// runInline is run with one worker on input read directly (a regular
// file, bytes in memory: feed.direct), on the calling goroutine: a batch
// is read, matched and emitted in turn, the same work in the same order
// as with the goroutines, without their hand-offs and channels, as
// runEVTXInline does for .evtx files (BenchmarkMatchDumpFiles). Flush is
// called after each batch, where the collector would wait for the next.
func runInline(cfg Config, src *source, emit func(*Result) error, stop chan struct{}) (Stats, error) {
	w := newWorker(cfg)
	defer w.release()
	b := batches.Get().(*batch)
	defer batches.Put(b)
	c := newCollector[*batch](emit, stop)
	for c.err == nil && src.next(b) {
		w.work(b)
		c.add(b.seq, b, func(b *batch) []Result { return b.results }, func(*batch) {})
		if cfg.Flush != nil && c.err == nil {
			c.fail(cfg.Flush())
		}
	}
	return c.result(src.err)
}
