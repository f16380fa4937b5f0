package pipeline

import (
	"bytes"
	"errors"
	"io"
	"slices"

	"github.com/ruleforge/ruleforge/internal/stream"
)

const (
	// SegmentBytes is how much input the reading goroutine reads at a
	// time; a segment is about this long.
	SegmentBytes = 256 << 10
	// MaxSegment is how long a segment grows while no cut is found in it;
	// past it, the reading goroutine frames the rest of the input itself.
	MaxSegment = 4 << 20
	// BatchEvents is how many events a batch framed by the reading
	// goroutine holds.
	BatchEvents = 256
)

// bom is the UTF-8 byte order mark, which may open the input.
var bom = []byte("\xEF\xBB\xBF")

// read cuts r into segments of about size bytes (most at most, or it frames
// the rest itself) and sends them to todo, taking empty batches
// from free; it stops early when stop is closed. A segment ends just
// before the last newline of what was read that a "{" follows at once;
// what follows the cut opens the next segment. After a read error, what
// was read is the last segment.
func read(r io.Reader, size, most int, free chan *batch, todo chan<- *batch, stop <-chan struct{}) error {
	var carry []byte
	line, seq := 1, 0
	for {
		var b *batch
		select {
		case b = <-free:
		case <-stop:
			return nil
		}
		b.seq, b.line, b.framed = seq, line, false
		b.data = append(b.data[:0], carry...)
		var err error
		for {
			if opening := seq == 0 && len(b.data) == 0; opening {
				b.data, err = fill(r, b.data, max(size, len(bom)))
				if bytes.HasPrefix(b.data, bom) {
					b.data = append(b.data[:0], b.data[len(bom):]...)
				}
			} else {
				b.data, err = fill(r, b.data, size)
			}
			if err != nil {
				break
			}
			if cut := lastCut(b.data); cut > 0 {
				carry = append(carry[:0], b.data[cut:]...)
				b.data = b.data[:cut]
				break
			}
			if len(b.data) >= most {
				rest := bytes.Clone(b.data)
				free <- b // free has room for every batch
				sr := stream.NewReader(nil)
				sr.Reset(io.MultiReader(bytes.NewReader(rest), r), line)
				return frame(sr, seq, free, todo, stop)
			}
		}
		seq++
		line += bytes.Count(b.data, []byte{'\n'})
		select {
		case todo <- b:
		case <-stop:
			return nil
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
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

// frame reads values from sr into batches of BatchEvents, numbering them
// from seq, and sends them to todo, taking empty batches from free; it
// stops early when stop is closed.
func frame(sr *stream.Reader, seq int, free <-chan *batch, todo chan<- *batch, stop <-chan struct{}) error {
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
			if b != nil && !send() {
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
			b.seq, b.framed = seq, true
			seq++
			b.data, b.ends, b.lines, b.trunc = b.data[:0], b.ends[:0], b.lines[:0], b.trunc[:0]
		}
		b.data = append(b.data, v.Data...)
		b.ends = append(b.ends, len(b.data))
		b.lines = append(b.lines, v.Line)
		b.trunc = append(b.trunc, v.Truncated)
		if len(b.ends) == BatchEvents && !send() {
			return nil
		}
	}
}
