package pipeline

import (
	"bytes"
	"errors"
	"io"
	"slices"
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
	// framed holds.
	BatchEvents = 256
)

// bom is the UTF-8 byte order mark, which may open the input.
var bom = []byte("\xEF\xBB\xBF")

// source hands the input out to the workers a batch at a time, in turns:
// segments cut just before the last newline of what was read that a "{"
// follows at once (what follows the cut opens the next segment), or,
// after MaxSegment bytes with no cut, events framed by one stream.Reader.
// After a read error, what was read is the last batch.
type source struct {
	mu         sync.Mutex
	r          io.Reader
	size, most int
	carry      []byte         // what follows the last cut
	line, seq  int            // the next batch's first line and number
	sr         *stream.Reader // frames the rest, once no cut was found
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
	for {
		if !s.opened { // the input's first bytes: a byte order mark goes
			s.opened = true
			b.data, err = fill(s.r, b.data, max(s.size, len(bom)))
			if bytes.HasPrefix(b.data, bom) {
				b.data = append(b.data[:0], b.data[len(bom):]...)
			}
		} else {
			b.data, err = fill(s.r, b.data, s.size)
		}
		if err != nil {
			break
		}
		if cut := lastCut(b.data); cut > 0 {
			s.carry = append(s.carry, b.data[cut:]...)
			b.data = b.data[:cut]
			break
		}
		if len(b.data) >= s.most {
			s.sr = stream.NewReader(nil)
			s.sr.Reset(io.MultiReader(bytes.NewReader(bytes.Clone(b.data)), s.r), s.line)
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

// fill appends up to size bytes read from r to data. Its error is io.EOF
// at the end of r.
func fill(r io.Reader, data []byte, size int) ([]byte, error) {
	n := len(data)
	data = slices.Grow(data, size)
	m, err := io.ReadFull(r, data[n:n+size])
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return data[:n+m], err
}

// lastCut returns the position of the last newline in data, after its
// first byte, that a "{" follows at once, or 0 if there is none.
func lastCut(data []byte) int {
	if len(data) < 2 {
		return 0
	}
	return bytes.LastIndex(data[1:], []byte("\n{")) + 1
}

// frame fills b with up to BatchEvents values that s.sr frames and
// reports whether it found one.
func (s *source) frame(b *batch) bool {
	b.seq, b.framed = s.seq, true
	b.data, b.ends, b.lines, b.trunc = b.data[:0], b.ends[:0], b.lines[:0], b.trunc[:0]
	for len(b.ends) < BatchEvents {
		v, err := s.sr.Next()
		if err != nil {
			s.stop(err)
			break
		}
		b.data = append(b.data, v.Data...)
		b.ends = append(b.ends, len(b.data))
		b.lines = append(b.lines, v.Line)
		b.trunc = append(b.trunc, v.Truncated)
	}
	if len(b.ends) == 0 {
		return false
	}
	s.seq++
	return true
}
