// Package stream splits a byte stream into JSON values: NDJSON, or
// concatenated (pretty-printed) objects, or any mix, without decoding them.
//
// A value that starts with "{" or "[" runs to its matching close, strings
// and escapes respected. Anything else up to the end of its line is one bad
// value. Two rules keep one broken value from swallowing the next: a
// newline followed at once by "{" (a new top-level object at column 0)
// ends an unterminated value there, and so does the end of the input. The
// caller decodes each value and reports the ones that do not decode.
package stream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxValue is the largest value Reader returns whole; a longer one is
// returned as a bad value (Truncated) and skipped to its end.
const MaxValue = 64 << 20

// Value is one raw JSON value and where it starts.
type Value struct {
	Data      []byte // the value's bytes; valid until the next call to Next
	Line      int    // 1-based line where it starts
	Offset    int64  // where it starts: the bytes read before it since NewReader or Reset
	Truncated bool   // the value was longer than MaxValue; Data holds its start
}

// Reader reads Values from an io.Reader.
type Reader struct {
	r       *bufio.Reader
	buf     []byte
	line    int
	off     int64 // the bytes read so far
	max     int
	started bool // a leading byte order mark has been looked for
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 1<<16), line: 1, max: MaxValue}
}

// Reset makes s read r, a stream that continues an earlier one at line:
// the lines of r's values count from line, and no byte order mark is
// looked for at its start. Splitting a stream just before a newline that
// a "{" follows at once and reading the parts in turn, each from the line
// where it starts, gives the same values as reading it whole.
func (s *Reader) Reset(r io.Reader, line int) {
	s.r.Reset(r)
	s.line, s.off, s.started = line, 0, true
}

// Next returns the next value, or io.EOF at the end of the input. Other
// errors are read errors of the underlying reader.
func (s *Reader) Next() (Value, error) {
	if !s.started { // a UTF-8 byte order mark may open the input
		s.started = true
		if bom, _ := s.r.Peek(3); string(bom) == "\xEF\xBB\xBF" {
			s.r.Discard(3)
			s.off = 3
		}
	}
	// Skip white space.
	var c byte
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return Value{}, err
		}
		s.off++
		if b == '\n' {
			s.line++
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			c = b
			break
		}
	}
	s.buf = append(s.buf[:0], c)
	v := Value{Line: s.line, Offset: s.off - 1}
	if c != '{' && c != '[' {
		err := s.restOfLine(&v)
		v.Data = s.buf
		return v, err
	}
	err := s.object(&v)
	v.Data = s.buf
	return v, err
}

// object reads the rest of a value that opened with "{" or "[": up to its
// matching close, strings and escapes respected, or up to a newline that
// a "{" follows at once, or the end of the input. It works on the
// buffered bytes a chunk at a time rather than a byte at a time.
func (s *Reader) object(v *Value) error {
	depth, inStr, esc := 1, false, false
	for depth > 0 {
		if _, err := s.r.Peek(2); err != nil && s.r.Buffered() == 0 {
			if errors.Is(err, io.EOF) {
				return nil // unterminated at the end of the input
			}
			return err
		}
		chunk, _ := s.r.Peek(s.r.Buffered())
		i, end := 0, false
	scan:
		for ; i < len(chunk); i++ {
			b := chunk[i]
			switch {
			case b == '\n':
				if i+1 == len(chunk) && len(chunk) > 1 {
					break scan // see what follows it with the next chunk
				}
				s.line++
				if i+1 < len(chunk) && chunk[i+1] == '{' {
					end = true // a new top-level object: this one is unterminated
					break scan
				}
				if esc {
					esc = false
				}
			case esc:
				esc = false
			case inStr:
				if b == '\\' {
					esc = true
				} else if b == '"' {
					inStr = false
				} else {
					// Jump to the next byte that needs a look: the closing
					// quote, an escape or a newline.
					rest := chunk[i:]
					j := bytes.IndexByte(rest, '"')
					if j < 0 {
						j = len(rest)
					}
					if k := bytes.IndexByte(rest[:j], '\\'); k >= 0 {
						j = k
					}
					if k := bytes.IndexByte(rest[:j], '\n'); k >= 0 {
						j = k
					}
					i += j - 1
				}
			case b == '"':
				inStr = true
			case b == '{' || b == '[':
				depth++
			case b == '}' || b == ']':
				if depth--; depth == 0 {
					i++
					break scan
				}
			}
		}
		s.addAll(v, chunk[:i])
		if end {
			s.r.Discard(i + 1) // the newline, not the "{"
			s.off += int64(i + 1)
			return nil
		}
		s.r.Discard(i)
		s.off += int64(i)
	}
	return nil
}

// addAll appends bs to the value, up to the size limit.
func (s *Reader) addAll(v *Value, bs []byte) {
	if room := s.max - len(s.buf); len(bs) > room {
		bs = bs[:max(room, 0)]
		v.Truncated = true
	}
	s.buf = append(s.buf, bs...)
}

// restOfLine adds bytes up to the end of the line to the value.
func (s *Reader) restOfLine(v *Value) error {
	for {
		b, err := s.r.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		s.off++
		if b == '\n' {
			s.line++
			return nil
		}
		s.add(v, b)
	}
}

// add appends b to the value unless it is over the size limit.
func (s *Reader) add(v *Value, b byte) {
	if len(s.buf) >= s.max {
		v.Truncated = true
		return
	}
	s.buf = append(s.buf, b)
}
