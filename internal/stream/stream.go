// Package stream splits a byte stream into JSON values: NDJSON, or
// concatenated (pretty-printed) objects, or any mix, without decoding them.
//
// A value that starts with "{" or "[" runs to its matching close, strings
// and escapes respected. Anything else up to the end of its line is one bad
// value. Two rules keep one broken value from swallowing the next: a new
// line that opens with "{", indented no more than the line where the
// value opened (a new top-level object, where pretty-printed JSON puts
// only a nested value's close), ends an unterminated value before its
// newline, and so does the end of the input. The indentation counts the
// spaces and tabs before the value's "{" when nothing else precedes it on
// its line (else it is 0), up to MaxIndent: NDJSON whose every line is
// indented frames as it would unindented. The caller decodes each value
// and reports the ones that do not decode.
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

// MaxIndent is the most indentation the rule that ends an unterminated
// value at a new line's "{" counts: a line indented more does not end it.
const MaxIndent = 64

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
	tab     int  // the indentation counted at most (MaxIndent; less in tests with a tiny buffer)
	started bool // a leading byte order mark has been looked for
	indent  int  // spaces and tabs read since the last newline; -1 after anything else
	open    bool // the last value ran to the end of the input
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 1<<16), line: 1, max: MaxValue, tab: MaxIndent}
}

// Reset makes s read r, a stream that continues an earlier one at the
// start of line: the lines of r's values count from line, and no byte
// order mark is looked for at its start. Splitting a stream just before a
// newline that a "{" follows at once, or just after a newline that ends
// a line of whole values (see LineBoundary), and reading the parts in
// turn, each from the line where it starts, gives the same values as
// reading it whole.
func (s *Reader) Reset(r io.Reader, line int) {
	s.r.Reset(r)
	s.line, s.off, s.started, s.indent = line, 0, true, 0
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
		switch b {
		case '\n':
			s.line++
			s.indent = 0
			continue
		case ' ', '\t':
			if s.indent >= 0 {
				s.indent++
			}
			continue
		case '\r':
			s.indent = -1
			continue
		}
		c = b
		break
	}
	s.buf = append(s.buf[:0], c)
	s.open = false
	v := Value{Line: s.line, Offset: s.off - 1}
	if c != '{' && c != '[' {
		err := s.restOfLine(&v)
		v.Data = s.buf
		s.indent = 0
		return v, err
	}
	err := s.object(&v, min(max(s.indent, 0), s.tab))
	v.Data = s.buf
	return v, err
}

// opens reports whether rest, what follows a newline inside an
// unterminated value whose line was indented by indent, opens a new value
// that ends it: at most indent spaces or tabs, then "{". more reports
// that rest is too short to tell.
func opens(rest []byte, indent int) (yes, more bool) {
	for i := 0; i <= indent; i++ {
		if i == len(rest) {
			return false, true
		}
		switch rest[i] {
		case '{':
			return true, false
		case ' ', '\t':
		default:
			return false, false
		}
	}
	return false, false
}

// object reads the rest of a value that opened with "{" or "[" on a line
// indented by indent: up to its matching close, strings and escapes
// respected, or up to a newline that opens a new value (see opens), or
// the end of the input. It works on the buffered bytes a chunk at a time
// rather than a byte at a time.
func (s *Reader) object(v *Value, indent int) error {
	depth, inStr, esc := 1, false, false
	s.indent = -1 // the value precedes what follows it on its line
	for depth > 0 {
		if _, err := s.r.Peek(indent + 2); err != nil && s.r.Buffered() == 0 {
			if errors.Is(err, io.EOF) {
				s.open = true
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
				yes, more := opens(chunk[i+1:], indent)
				if more && i > 0 {
					break scan // see what follows it with the next chunk
				}
				s.line++
				if yes {
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
			s.indent = 0
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
			s.open = true
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

// LineBoundary returns the end of the last line of data that ends
// between values: just after a newline that only spaces, tabs and
// carriage returns separate from the close of a whole value or that ends
// a bad value's line, or just before a newline where a new value ends an
// unterminated one, or 0 if there is none. Reading data up to there and the rest
// separately (Reset) gives the values of reading it whole, whatever
// follows: this is where a live stream that pauses can be matched as far
// as it came.
func LineBoundary(data []byte) int {
	s := Reader{r: bufio.NewReaderSize(bytes.NewReader(data), 1<<16), line: 1, max: MaxValue, tab: MaxIndent, started: true}
	end := 0
	for {
		v, err := s.Next()
		if err != nil || s.open {
			return end
		}
		j := int(s.off)
		if data[j-1] == '\n' {
			if c := v.Data[0]; c == '{' || c == '[' {
				j-- // a new value ended it: cut before the newline, as it ends unterminated values at the end of the input
			}
			end = j
			continue
		}
		for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r') {
			j++
		}
		if j < len(data) && data[j] == '\n' {
			end = j + 1
		}
	}
}

// Buffered returns how many bytes of the input s has read ahead and not
// yet returned in a value.
func (s *Reader) Buffered() int { return s.r.Buffered() }

// Line returns the line of the next byte s reads.
func (s *Reader) Line() int { return s.line }

// Peeked returns the bytes s has read ahead and not yet returned in a
// value, without consuming them; valid until the next call to Next.
func (s *Reader) Peeked() []byte {
	b, _ := s.r.Peek(s.r.Buffered())
	return b
}
