// Package stream splits a byte stream into JSON values: NDJSON, or
// concatenated (pretty-printed) objects, or any mix, or JSON arrays of
// them, without decoding them.
//
// A value that starts with "{" runs to its matching close, strings and
// escapes respected. Anything else up to the end of its line is one bad
// value. Two rules keep one broken value from swallowing the next: a new
// line that opens with "{", indented no more than the line where the
// value opened (a new top-level object, where pretty-printed JSON puts
// only a nested value's close), ends an unterminated value before its
// newline, and so does the end of the input. The indentation counts the
// spaces and tabs before the value's "{" when nothing else precedes it on
// its line (else it is 0), up to MaxIndent: NDJSON whose every line is
// indented frames as it would unindented. The caller decodes each value
// and reports the ones that do not decode.
//
// A top-level JSON array is not one value: each of its elements is (many
// exporters write their events as one array), with its own line, offset
// and size limit, so an array may be of any length. Its elements are
// framed as top-level values are, except that a scalar element ends at a
// "," or "]" outside strings too. The array ends at its "]"; it is broken
// off, reported as one value with Err set to ErrArray, when an element is
// followed by anything but "," or "]", when the input ends inside it, or
// when an unterminated element is ended by a new line's "{" (the rule
// above) that is indented no more than the array's "[" and whose
// preceding line (blank lines aside) ends with "}" or "]" rather than ","
// or "[". So a newline followed by "{" after a line that ends with "}" or
// "]" is always at the top level, in an array or not, and the input can
// be cut there (see Reset); elements of an array may open lines at its
// own indentation.
package stream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// MaxValue is the largest value a Reader returns whole unless told
// otherwise (MaxValueOf); a longer one is returned as a bad value
// (Truncated) and skipped to its end. In an array the limit is per
// element: the array itself may be of any size.
const MaxValue = 64 << 20

// MaxIndent is the most indentation the rule that ends an unterminated
// value at a new line's "{" counts: a line indented more does not end it.
const MaxIndent = 64

// ErrArray is the Err of the value that reports a broken-off array (see
// the package doc); its Line and Offset are those of the array's "[".
var ErrArray = errors.New("JSON array broken off: an element is followed by neither ',' nor ']', or the input ends in it; the elements before were read, what follows is read as values")

// Value is one raw JSON value and where it starts.
type Value struct {
	Data      []byte // the value's bytes; valid until the next call to Next
	Line      int    // 1-based line where it starts
	Offset    int64  // where it starts: the bytes read before it since NewReader or Reset
	Truncated bool   // the value was longer than the size limit; Data holds its start
	Err       error  // ErrArray for the report of a broken-off array (Data is empty), else nil
}

// Option configures a Reader.
type Option func(*Reader)

// MaxValueOf sets the size limit of a value (an array's element) to n
// bytes instead of MaxValue; n <= 0 keeps MaxValue.
func MaxValueOf(n int) Option {
	return func(s *Reader) {
		if n > 0 {
			s.max = n
		}
	}
}

// The states of a Reader in a top-level array (Reader.arr).
const (
	top      = iota // not in an array
	want            // after "[" or ",": an element or "]" comes
	after           // after a whole element: "," or "]" comes
	afterCut        // after an element that a new line's "{" ended
)

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
	last    byte // the last byte read that is not white space

	arr       int   // top, or where in a top-level array the reader is
	arrLine   int   // the array's "[": its line,
	arrOff    int64 // its offset
	arrIndent int   // and its line's indentation
	closed    int64 // the offset just after the "]" that closed an array, until LineBoundary takes it; else 0

	probe *probe // Complete's memory, made on its first use
}

// NewReader returns a Reader over r.
func NewReader(r io.Reader, opts ...Option) *Reader {
	s := &Reader{r: bufio.NewReaderSize(r, 1<<16), line: 1, max: MaxValue, tab: MaxIndent}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Reset makes s read r, a stream that continues an earlier one at the
// start of line, at the top level: the lines of r's values count from
// line, and no byte order mark is looked for at its start. Splitting a
// stream just before a newline that a "{" follows at once and that a "}"
// or "]" precedes (white space aside), or just after a newline that ends
// a line of whole values (see LineBoundary), and reading the parts in
// turn, each from the line where it starts, gives the same values as
// reading it whole.
func (s *Reader) Reset(r io.Reader, line int) {
	s.r.Reset(r)
	s.line, s.off, s.started, s.indent = line, 0, true, 0
	s.arr, s.last, s.closed = top, 0, 0
}

// TopLevel reports whether s is outside any array: whether the input
// read so far ends at the top level, where Reset may continue it.
func (s *Reader) TopLevel() bool { return s.arr == top }

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
	for {
		c, err := s.skip()
		if err != nil {
			if s.arr != top && errors.Is(err, io.EOF) {
				s.open = true
				return s.broken(), nil
			}
			return Value{}, err
		}
		s.open = false
		switch {
		case s.arr == top && c == '[':
			s.arr, s.arrLine, s.arrOff, s.arrIndent = want, s.line, s.off-1, min(max(s.indent, 0), s.tab)
		case s.arr == top:
			return s.value(c, false)
		case c == ']':
			s.arr, s.closed = top, s.off
		case c == ',':
			s.arr = want
		case s.arr == after, s.arr == afterCut && s.indent <= s.arrIndent && (s.last == '}' || s.last == ']'):
			s.r.UnreadByte() // read again at the top level
			s.off--
			return s.broken(), nil
		default:
			return s.value(c, true)
		}
		s.last, s.indent = c, -1
	}
}

// skip reads white space up to the next other byte and returns it.
func (s *Reader) skip() (byte, error) {
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return 0, err
		}
		s.off++
		switch b {
		case '\n':
			s.line++
			s.indent = 0
		case ' ', '\t':
			if s.indent >= 0 {
				s.indent++
			}
		case '\r':
			s.indent = -1
		default:
			return b, nil
		}
	}
}

// broken leaves the array and returns the value that reports it broken off.
func (s *Reader) broken() Value {
	s.arr = top
	return Value{Line: s.arrLine, Offset: s.arrOff, Err: ErrArray}
}

// value reads the rest of a value that opened with c, an element of the
// array if elem is set.
func (s *Reader) value(c byte, elem bool) (Value, error) {
	s.buf = append(s.buf[:0], c)
	s.last = c
	v := Value{Line: s.line, Offset: s.off - 1}
	var err error
	cut := false
	switch {
	case c == '{' || c == '[':
		cut, err = s.object(&v, min(max(s.indent, 0), s.tab))
	case elem:
		err = s.scalar(&v)
	default:
		err = s.restOfLine(&v)
		s.indent = 0
	}
	if elem {
		s.arr = after
		if cut {
			s.arr = afterCut
		}
	}
	v.Data = s.buf
	return v, err
}

// lastByte returns the last byte of bs that is not white space, or prev
// if there is none.
func lastByte(bs []byte, prev byte) byte {
	for i := len(bs) - 1; i >= 0; i-- {
		if !isSpace(bs[i]) {
			return bs[i]
		}
	}
	return prev
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
// respected, or up to a newline that opens a new value (see opens; cut
// reports this end), or the end of the input. It works on the buffered
// bytes a chunk at a time rather than a byte at a time.
func (s *Reader) object(v *Value, indent int) (cut bool, err error) {
	depth, inStr, esc := 1, false, false
	s.indent = -1 // the value precedes what follows it on its line
	for depth > 0 {
		if _, err := s.r.Peek(indent + 2); err != nil && s.r.Buffered() == 0 {
			if errors.Is(err, io.EOF) {
				s.open = true
				return false, nil // unterminated at the end of the input
			}
			return false, err
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
		s.last = lastByte(chunk[:i], s.last)
		if end {
			s.r.Discard(i + 1) // the newline, not the "{"
			s.off += int64(i + 1)
			s.indent = 0
			return true, nil
		}
		s.r.Discard(i)
		s.off += int64(i)
	}
	return false, nil
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
		if !isSpace(b) {
			s.last = b
		}
		s.add(v, b)
	}
}

// scalar adds to the value, an array's element that is no object or
// array, the bytes up to a "," or "]" outside strings (not read), the end
// of the line or the end of the input; white space at its end is left out.
func (s *Reader) scalar(v *Value) error {
	var q quotes
	q.in(s.buf[0])
	for {
		b, err := s.r.ReadByte()
		if errors.Is(err, io.EOF) {
			s.open = true
			break
		}
		if err != nil {
			return err
		}
		if !q.in(b) && (b == ',' || b == ']') {
			s.r.UnreadByte()
			break
		}
		s.off++
		if b == '\n' {
			s.line++
			s.indent = 0
			break
		}
		if !isSpace(b) {
			s.last = b
		}
		s.add(v, b)
	}
	for len(s.buf) > 1 && isSpace(s.buf[len(s.buf)-1]) {
		s.buf = s.buf[:len(s.buf)-1]
	}
	return nil
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
// between values at the top level: just after a newline that only
// spaces, tabs and carriage returns separate from the close of a whole
// value or array or that ends a bad value's line, or just before a
// newline where a new value ends an unterminated one or a broken-off
// array, or 0 if there is none. Reading data up to there and the rest
// separately (Reset) gives the values of reading it whole, whatever
// follows: this is where a live stream that pauses can be matched as far
// as it came. No line inside an array ends between values.
func LineBoundary(data []byte) int {
	s := Reader{r: bufio.NewReaderSize(bytes.NewReader(data), 1<<16), line: 1, max: MaxValue, tab: MaxIndent, started: true}
	end := 0
	for {
		v, err := s.Next()
		if s.closed > 0 { // an array closed before v
			end = max(end, lineEnd(data, int(s.closed)))
			s.closed = 0
		}
		if err != nil || s.open {
			return end
		}
		if s.arr != top {
			continue // an element
		}
		j := int(s.off)
		if data[j-1] == '\n' {
			if v.Err != nil || v.Data[0] == '{' {
				j-- // a new value ended it: cut before the newline, as it ends unterminated values at the end of the input
			}
			end = j
			continue
		}
		if v.Err == nil {
			end = max(end, lineEnd(data, j))
		}
	}
}

// lineEnd returns the end of the line of data that j, the end of a whole
// value, is on, if nothing but spaces, tabs and carriage returns follow
// it on its line, or 0.
func lineEnd(data []byte, j int) int {
	for j < len(data) && (data[j] == ' ' || data[j] == '\t' || data[j] == '\r') {
		j++
	}
	if j < len(data) && data[j] == '\n' {
		return j + 1
	}
	return 0
}

// Complete reports whether the bytes s has read ahead, followed by what
// rest holds (nil: nothing), hold what Next returns next without reading
// further: a whole value or the report of a broken-off array. A caller
// with values in hand uses it to tell whether Next would wait for input
// that may be long in coming (a live stream that paused in the middle of
// a value). It reads rest up to the end of that value and changes nothing
// of s.
func (s *Reader) Complete(rest io.Reader) bool {
	pr := s.probe
	if pr == nil {
		pr = &probe{r: bufio.NewReaderSize(nil, 4096)}
		s.probe = pr
	}
	pr.ahead.Reset(s.Peeked())
	if rest == nil {
		pr.r.Reset(&pr.ahead)
	} else {
		pr.r.Reset(io.MultiReader(&pr.ahead, rest))
	}
	p := *s
	p.r, p.buf, p.max, p.probe = pr.r, pr.buf[:0], 1, nil // where the value ends matters, not its bytes
	_, err := p.Next()
	pr.buf = p.buf
	return err == nil && !p.open
}

// probe is the memory of Complete's scans, kept from one to the next.
type probe struct {
	r     *bufio.Reader
	ahead bytes.Reader // what the Reader read ahead
	buf   []byte       // the start of the value
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

// isSpace reports whether b is JSON white space.
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// quotes follows JSON strings byte by byte.
type quotes struct{ str, esc bool }

// in reports whether b is part of a string (its quotes included).
func (q *quotes) in(b byte) bool {
	switch {
	case q.esc:
		q.esc = false
	case q.str:
		q.esc = b == '\\'
		q.str = b != '"'
	case b == '"':
		q.str = true
	default:
		return false
	}
	return true
}
