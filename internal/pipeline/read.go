package pipeline

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/ruleforge/ruleforge/internal/stream"
)

const (
	// SegmentBytes is how much input a worker reads in its turn; a
	// segment is about this long.
	SegmentBytes = 256 << 10
	// MaxSegment is how long a segment grows while no cut is found in it;
	// past it, one stream reader frames the rest of the input.
	MaxSegment = 4 << 20
	// BatchEvents is how many events a batch that the stream reader
	// framed holds at most.
	BatchEvents = 256
	// BatchBytes bounds the bytes of a batch that the stream reader
	// framed: it takes no more events once it holds this many (one event
	// may still be as large as Config.MaxEvent).
	BatchBytes = MaxSegment
)

// bom is the UTF-8 byte order mark, which may open the input.
var bom = []byte("\xEF\xBB\xBF")

// source hands the input out to the workers a batch at a time, in turns:
// segments cut just before the last newline of what was read that a "{"
// follows at once and a "}" or "]" precedes (white space aside; where
// internal/stream is at the top level, in an array or not), what follows
// the cut opening the next segment, or, when
// the input pauses, after the last line of whole values that arrived
// (stream.LineBoundary), or, after MaxSegment bytes with no cut or when
// the input pauses with none (inside an array), events framed by one
// stream.Reader. After a read error, what was read is the
// last batch; after a stop, what was read up to the last line of whole
// values.
type source struct {
	mu         sync.Mutex
	in         *feed
	size, most int
	maxEvent   int            // Config.MaxEvent
	carry      []byte         // what follows the last cut
	line, seq  int            // the next batch's first line and number
	sr         *stream.Reader // frames the rest, once no cut was found
	head       *bytes.Reader  // what sr reads before the rest of the input
	opened     bool           // the input's first bytes were read
	end        bool           // the input is all handed out
	err        error          // the read error that ended it
}

// next fills b with the next batch of the input and reports whether there
// was one.
func (s *source) next(b *batch) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.end {
		return false
	}
	if s.sr != nil {
		return s.frame(b)
	}
	b.seq, b.line, b.framed = s.seq, s.line, false
	b.data = append(b.data[:0], s.carry...)
	s.carry = s.carry[:0]
	var err error
	for waited := false; ; {
		var paused bool
		if !s.opened { // the input's first bytes: a byte order mark goes
			s.opened = true
			for len(b.data) < len(bom) && err == nil {
				b.data, paused, err = s.in.fill(b.data, max(s.size, len(bom))-len(b.data), false)
			}
			if bytes.HasPrefix(b.data, bom) {
				b.data = append(b.data[:0], b.data[len(bom):]...)
			}
		} else {
			// What has arrived is matched when the input pauses, once.
			b.data, paused, err = s.in.fill(b.data, s.size, len(b.data) > 0 && !waited)
		}
		if errors.Is(err, ErrStopped) { // the event being read when stopped goes
			b.data = b.data[:stream.LineBoundary(b.data)]
		}
		if err != nil {
			break
		}
		cut := lastCut(b.data)
		if paused {
			waited = true
			cut = max(cut, stream.LineBoundary(b.data))
		}
		if cut > 0 {
			s.carry = append(s.carry, b.data[cut:]...)
			b.data = b.data[:cut]
			break
		}
		if len(b.data) >= s.most || paused {
			// No cut: a long array, or one that a live stream writes.
			s.sr, s.head = stream.NewReader(nil, stream.MaxValueOf(s.maxEvent)), bytes.NewReader(bytes.Clone(b.data))
			s.sr.Reset(io.MultiReader(s.head, s.in), s.line)
			return s.frame(b)
		}
	}
	s.seq++
	s.line += bytes.Count(b.data, []byte{'\n'})
	if err != nil {
		s.stop(err)
	}
	return true
}

// stop ends the input with err, a read error unless it is io.EOF.
func (s *source) stop(err error) {
	s.end = true
	if !errors.Is(err, io.EOF) {
		s.err = err
	}
}

// lastCut returns the position of the last newline in data, after its
// first byte, that a "{" follows at once and a "}" or "]" precedes, white
// space aside, or 0 if there is none: there internal/stream is at the top
// level, whatever came before (see its package doc).
func lastCut(data []byte) int {
	for end := len(data); end > 1; {
		i := bytes.LastIndex(data[1:end], []byte("\n{")) + 1
		if i <= 0 {
			return 0
		}
		j := i
		for j > 0 && isSpace(data[j-1]) {
			j--
		}
		if j > 0 && (data[j-1] == '}' || data[j-1] == ']') {
			return i
		}
		end = i
	}
	return 0
}

// isSpace reports whether b is JSON white space.
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// frame fills b with up to BatchEvents values, or BatchBytes bytes of
// them, that s.sr frames, fewer when the input pauses, and reports
// whether it found one.
func (s *source) frame(b *batch) bool {
	b.seq, b.framed = s.seq, true
	b.data, b.ends, b.lines, b.bad = b.data[:0], b.ends[:0], b.lines[:0], b.bad[:0]
	for len(b.ends) < BatchEvents && len(b.data) < BatchBytes {
		if len(b.ends) > 0 && !s.ready() {
			break
		}
		v, err := s.sr.Next()
		if err != nil {
			s.stop(err)
			break
		}
		b.data = append(b.data, v.Data...)
		b.ends = append(b.ends, len(b.data))
		b.lines = append(b.lines, v.Line)
		b.bad = append(b.bad, badOf(v))
		if s.resume() {
			break
		}
	}
	if len(b.ends) == 0 {
		return false
	}
	s.seq++
	return true
}

// ready reports whether s.sr can return its next value without waiting
// for input that has not arrived: what it read ahead, the rest of the
// head and what arrived hold the value (stream.Reader.Complete), or the
// input is over. Otherwise it waits for more as long as the input does not
// pause, and reports false when it pauses (or is stopped): the events in
// hand are matched now, not after the value a live stream is writing.
func (s *source) ready() bool {
	if s.in.direct != nil || len(s.in.ready) > 0 || s.sr.Complete(nil) {
		// The input never pauses (a direct feed), more input is there
		// already (bulk input: it is not the end of a live stream's
		// burst), or the value is in what s.sr read ahead.
		return true
	}
	for !s.in.over() {
		head := io.NewSectionReader(s.head, s.head.Size()-int64(s.head.Len()), int64(s.head.Len()))
		if s.sr.Complete(io.MultiReader(head, s.in.pending())) {
			return true
		}
		if !s.in.arrives() {
			return false
		}
	}
	return true
}

// resume goes back from framing with s.sr to cutting segments, which the
// workers frame in parallel, when s.sr is at the top level (in no array)
// and what it has read ahead opens with a newline that a "{" follows
// (white space before it aside): a cut there gives the values of reading
// on with s.sr. It reports whether it did.
func (s *source) resume() bool {
	if !s.sr.TopLevel() {
		return false
	}
	rest := s.sr.Peeked()
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r') {
		i++
	}
	if i+1 >= len(rest) || rest[i] != '\n' || rest[i+1] != '{' {
		return false
	}
	// What s.sr read ahead, then what it did not read of the head; the
	// rest of the input is read from s.in again.
	s.carry = append(s.carry[:0], rest...)
	s.carry = append(s.carry, make([]byte, s.head.Len())...)
	s.head.Read(s.carry[len(rest):])
	s.line, s.sr, s.head = s.sr.Line(), nil, nil
	return true
}
