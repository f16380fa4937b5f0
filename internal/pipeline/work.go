package pipeline

import (
	"bytes"
	"sync"

	"github.com/ruleforge/ruleforge/internal/stream"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// worker frames, decodes, prepares and matches the events of batches.
type worker struct {
	cfg Config
	rd  *normalize.Reader
	rdp *sync.Pool     // where rd goes back (release)
	sr  *stream.Reader // frames what the fast path does not take; made when first needed
	br  bytes.Reader
	max int // the largest event (Config.MaxEvent)
}

// newWorker returns a worker for cfg.
func newWorker(cfg Config) *worker {
	rd, rdp := getReader(cfg)
	return &worker{cfg: cfg, rd: rd, rdp: rdp, max: cfg.maxEvent()}
}

// release gives w's Reader back to its pool, for later runs.
func (w *worker) release() { w.rdp.Put(w.rd) }

// work fills b's results.
func (w *worker) work(b *batch) {
	b.results = b.results[:0]
	if !b.framed {
		w.segment(b)
		return
	}
	start := 0
	for i, end := range b.ends {
		w.single(b.add(), b.data[start:end], b.lines[i], b.bad[i])
		start = end
	}
}

// segment fills b's results from its segment. Each line that opens with
// "{" (after spaces and tabs) and decodes as one event no larger than
// Config.MaxEvent, white space at its end aside, is that event; from the
// first line that does not, the rest of the segment is framed by a
// stream.Reader.
func (w *worker) segment(b *batch) {
	data, line, start := b.data, b.line, 0 // start: where the line begins
	for i := 0; i < len(data); {
		switch data[i] {
		case '\n':
			line++
			i++
			start = i
			continue
		case ' ', '\t', '\r':
			i++
			continue
		case '{':
			end := len(data)
			if k := bytes.IndexByte(data[i:], '\n'); k >= 0 {
				end = i + k
			}
			j := end
			for j > i && (data[j-1] == ' ' || data[j-1] == '\t' || data[j-1] == '\r') {
				j--
			}
			if j-i <= w.max {
				if w.event(b.add(), data[i:j], line) == nil {
					i = end
					continue
				}
				b.results = b.results[:len(b.results)-1]
			}
		}
		// From the line's start, where the stream reader measures the
		// line's indentation.
		w.frame(b, data[start:], line)
		return
	}
}

// frame fills b's results from the values of data, which starts at line.
func (w *worker) frame(b *batch, data []byte, line int) {
	if w.sr == nil { // NDJSON never gets here: a run per small file would make its 64 KB buffer for nothing
		w.sr = stream.NewReader(nil, stream.MaxValueOf(w.max))
	}
	w.br.Reset(data)
	w.sr.Reset(&w.br, line)
	for {
		v, err := w.sr.Next()
		if err != nil { // io.EOF: a bytes.Reader has no other error
			return
		}
		raw := data[v.Offset : int(v.Offset)+len(v.Data)] // v.Data, or its start if too large, living as long as b
		w.single(b.add(), raw, v.Line, badOf(v))
	}
}

// badOf returns why v is bad before it is decoded (too large, a broken-off
// array), or nil.
func badOf(v stream.Value) error {
	if v.Truncated {
		return ErrTooLarge
	}
	return v.Err
}

// single fills res from one framed event, raw, at line; bad, if not nil,
// is why it is bad before decoding (ErrTooLarge: raw holds its start).
func (w *worker) single(res *Result, raw []byte, line int, bad error) {
	if bad != nil {
		res.Line, res.Bytes, res.Bad = line, len(raw), bad
		if w.cfg.KeepRaw {
			res.Raw = raw
		}
		return
	}
	if err := w.event(res, raw, line); err != nil {
		res.Bad = err
	}
}

// event decodes, prepares and matches raw, an event at line, into res; it
// returns the error of an event that does not decode.
func (w *worker) event(res *Result, raw []byte, line int) error {
	res.Line, res.Bytes = line, len(raw)
	if w.cfg.KeepRaw {
		res.Raw = raw
	}
	rec, err := w.rd.Read(raw)
	if err != nil {
		return err
	}
	w.cfg.matchRecord(rec, res)
	return nil
}

// matchRecord fills res's hits from rec, an event's record (the visible
// ones, with Program, which takes the stage hits), and lets Inspect read
// a matched one: every way of reading events into records (JSON text,
// other formats) ends here.
func (cfg *Config) matchRecord(rec *match.Record, res *Result) {
	res.Hits = cfg.Ruleset.MatchRecord(rec, res.Hits)
	if p := cfg.Program; p != nil {
		res.Hits = p.Split(rec, res.Hits, &res.State)
	}
	if cfg.Inspect != nil && (len(res.Hits) > 0 || res.State.Stateful()) {
		cfg.Inspect(rec, res)
	}
}
