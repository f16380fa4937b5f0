// Package pipeline runs a ruleset over a stream of JSON events on several
// goroutines and hands the results back in input order.
//
// One goroutine frames the input into raw values (internal/stream) and
// groups them into batches; Workers goroutines decode, normalize and match
// the events of a batch; the caller's goroutine receives every event's
// result, in input order, through Emit. At most a fixed number of batches
// are in flight, so memory stays bounded whatever the input's size: about
// (2*Workers+2) × BatchEvents events' raw bytes.
package pipeline

import (
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/ruleforge/ruleforge/internal/stream"
	"github.com/ruleforge/ruleforge/match"
)

// BatchEvents is how many events a batch holds.
const BatchEvents = 256

// Config configures Run.
type Config struct {
	Ruleset *match.Ruleset
	// Workers is the number of matching goroutines; 0 means GOMAXPROCS.
	Workers int
	// Prepare, when set, is called on each decoded event before it is
	// matched (normalization); it runs on the worker goroutines. Events
	// that NeedsPrepare rejects skip it and take the fast path: read
	// straight from their bytes into a match.Record (Record.ResetJSON).
	Prepare func(m map[string]any)
	// NeedsPrepare reports, from an event's raw bytes, whether Prepare
	// could change it; nil means always.
	NeedsPrepare func(raw []byte) bool
	// KeepRaw keeps each event's raw bytes in its Result (for output that
	// quotes the event).
	KeepRaw bool
}

// Result is what happened to one event.
type Result struct {
	Ordinal int    // 1-based position in the input
	Line    int    // line where the event starts
	Bytes   int    // the event's size in the input
	Hits    []int  // the rules that matched, in rule order
	Bad     error  // why the event was skipped, or nil
	Raw     []byte // the event, with Config.KeepRaw; valid during Emit only
}

// Stats counts a run's events: Events = Matched + Unmatched + Bad.
type Stats struct {
	Events, Matched, Unmatched, Bad, Hits int
	Bytes                                 int64
}

// batch is a run of consecutive events.
type batch struct {
	seq     int
	data    []byte   // the raw events, back to back
	ends    []int    // ends[i]: the end of event i in data
	lines   []int    // lines[i]: the line event i starts at
	trunc   []bool   // trunc[i]: event i was too large
	results []Result // filled by a worker
	first   int      // the ordinal of event 0
}

// ErrTooLarge is the Bad error of an event larger than stream.MaxValue.
var ErrTooLarge = errors.New("larger than the largest event accepted; skipped")

// Run matches every event of r with cfg and calls emit with each result,
// in input order, on the calling goroutine. It returns the counts and the
// first read error of r (events read before it are all emitted) or the
// first error emit returns (which stops the run).
func Run(cfg Config, r io.Reader, emit func(*Result) error) (Stats, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	free := make(chan *batch, 2*workers+2) // the batches in flight, recycled
	for range cap(free) {
		free <- &batch{}
	}
	todo := make(chan *batch, workers)
	done := make(chan *batch, cap(free))
	stop := make(chan struct{})
	var readErr error
	go func() { // the reader
		defer close(todo)
		readErr = frame(r, free, todo, stop)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := cfg.Ruleset.NewRecord()
			for b := range todo {
				work(cfg, rec, b)
				done <- b
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	var st Stats
	var emitErr error
	pending := map[int]*batch{}
	next := 0
	for b := range done {
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for i := range b.results {
				res := &b.results[i]
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
				if emitErr == nil {
					if emitErr = emit(res); emitErr != nil {
						close(stop)
					}
				}
			}
			free <- b
		}
	}
	if emitErr != nil {
		return st, emitErr
	}
	return st, readErr
}

// frame reads values from r into batches and sends them to todo, taking
// empty batches from free; it stops early when stop is closed.
func frame(r io.Reader, free <-chan *batch, todo chan<- *batch, stop <-chan struct{}) error {
	sr := stream.NewReader(r)
	ordinal, seq := 1, 0
	var b *batch
	send := func() bool {
		select {
		case todo <- b:
			b = nil
			return true
		case <-stop:
			return false
		}
	}
	for {
		v, err := sr.Next()
		if err != nil {
			if b != nil && len(b.ends) > 0 && !send() {
				return nil
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if b == nil {
			select {
			case b = <-free:
			case <-stop:
				return nil
			}
			b.seq, b.first = seq, ordinal
			seq++
			b.data, b.ends, b.lines, b.trunc = b.data[:0], b.ends[:0], b.lines[:0], b.trunc[:0]
		}
		b.data = append(b.data, v.Data...)
		b.ends = append(b.ends, len(b.data))
		b.lines = append(b.lines, v.Line)
		b.trunc = append(b.trunc, v.Truncated)
		ordinal++
		if len(b.ends) == BatchEvents && !send() {
			return nil
		}
	}
}

// work decodes, prepares and matches the events of b, using rec.
func work(cfg Config, rec *match.Record, b *batch) {
	n := len(b.ends)
	if cap(b.results) < n {
		b.results = make([]Result, n)
	}
	b.results = b.results[:n]
	start := 0
	for i := range n {
		raw := b.data[start:b.ends[i]]
		start = b.ends[i]
		res := &b.results[i]
		hits := res.Hits[:0]
		*res = Result{Ordinal: b.first + i, Line: b.lines[i], Bytes: len(raw)}
		if cfg.KeepRaw {
			res.Raw = raw
		}
		if b.trunc[i] {
			res.Bad = ErrTooLarge
			continue
		}
		if cfg.Prepare == nil || (cfg.NeedsPrepare != nil && !cfg.NeedsPrepare(raw)) {
			if err := rec.ResetJSON(raw); err != nil {
				res.Bad = err
				continue
			}
			res.Hits = cfg.Ruleset.MatchRecord(rec, hits)
			continue
		}
		ev, err := match.ParseJSON(raw)
		if err != nil {
			res.Bad = err
			continue
		}
		cfg.Prepare(ev.Map())
		ev = match.NewDoc(ev.Map()) // normalization may add dotted or nested keys
		res.Hits = cfg.Ruleset.Match(ev, hits)
	}
}
