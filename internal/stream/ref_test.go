package stream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
)

// refReader is the byte-at-a-time reader that Reader replaced, grown by
// arrays read element by element, kept as the reference that
// FuzzReaderSame compares Reader with.
type refReader struct {
	r    *bufio.Reader
	buf  []byte
	line int
	max  int
	tab  int
	// indent is the spaces and tabs since the last newline, -1 after
	// anything else.
	indent int
	last   byte // the last byte read that is not white space
	// in is whether an array is open; then sep is whether an element
	// may come (after "[" or ","), cut whether the last element was
	// ended by a new line's "{", line and indent are the array's.
	in, sep, cut   bool
	aLine, aIndent int
}

// read reads one byte, counting lines, indentation and the last byte.
func (s *refReader) read() (byte, error) {
	b, err := s.r.ReadByte()
	if err != nil {
		return 0, err
	}
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
		s.last = b
	}
	return b, nil
}

// next is the reference Next, for input without a byte order mark.
func (s *refReader) next() (Value, error) {
	for {
		var c byte
		for {
			indent, last := s.indent, s.last
			b, err := s.read()
			if err != nil {
				if s.in {
					s.in = false
					return Value{Line: s.aLine, Err: ErrArray}, nil
				}
				return Value{}, err
			}
			if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
				c = b
				s.indent, s.last = indent, last // as before reading c
				break
			}
		}
		switch {
		case !s.in && c == '[':
			s.in, s.sep, s.cut, s.aLine, s.aIndent = true, true, false, s.line, min(max(s.indent, 0), s.tab)
		case !s.in:
			return s.value(c, false), nil
		case c == ']':
			s.in = false
		case c == ',':
			s.sep, s.cut = true, false
		case s.sep || (s.cut && (s.indent > s.aIndent || (s.last != '}' && s.last != ']'))):
			s.sep, s.cut = false, false
			return s.value(c, true), nil
		default:
			s.in = false
			s.r.UnreadByte()
			return Value{Line: s.aLine, Err: ErrArray}, nil
		}
		s.last, s.indent = c, -1
	}
}

// value reads a value that opens with c, an array's element if elem.
func (s *refReader) value(c byte, elem bool) Value {
	indent := min(max(s.indent, 0), s.tab)
	s.indent, s.last = -1, c
	s.buf = append(s.buf[:0], c)
	v := Value{Line: s.line}
	add := func(b byte) {
		if len(s.buf) >= s.max {
			v.Truncated = true
			return
		}
		s.buf = append(s.buf, b)
	}
	if c != '{' && c != '[' {
		q := quotes{}
		q.in(c)
		for {
			if p, err := s.r.Peek(1); elem && err == nil && !q.in(p[0]) && (p[0] == ',' || p[0] == ']') {
				break
			}
			b, err := s.read()
			if err != nil || b == '\n' {
				s.indent = 0
				break
			}
			add(b)
		}
		if elem {
			s.buf = bytes.TrimRight(s.buf, " \t\r")
		}
		v.Data = s.buf
		return v
	}
	depth, inStr, esc := 1, false, false
	for depth > 0 {
		b, err := s.read()
		if err != nil {
			break
		}
		if b == '\n' {
			next, _ := s.r.Peek(indent + 1)
			if k := bytes.IndexFunc(next, func(r rune) bool { return r != ' ' && r != '\t' }); k >= 0 && next[k] == '{' {
				s.cut = elem
				return Value{Line: v.Line, Data: s.buf, Truncated: v.Truncated}
			}
		}
		add(b)
		switch {
		case esc:
			esc = false
		case inStr && b == '\\':
			esc = true
		case b == '"':
			inStr = !inStr
		case inStr:
		case b == '{' || b == '[':
			depth++
		case b == '}' || b == ']':
			depth--
		}
	}
	s.indent = -1 // the value precedes what follows it on its line
	v.Data = s.buf
	return v
}

// FuzzReaderSame checks that Reader, which scans buffered chunks, returns
// the same values, lines and truncation flags as the byte-at-a-time
// reference, with a small size limit so that truncation is exercised,
// and a small buffer so that chunk boundaries fall everywhere.
func FuzzReaderSame(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n{\"b\":[1,2]}\n"), uint8(7))
	f.Add([]byte("{\n  \"a\": \"}\\\"\\\\\"\n}\n{\"b\":\n"), uint8(3))
	f.Add([]byte("{\"a\":\"x\n{\"b\":2}\ngarbage\n[1,{\"x\":\"\\\"\"}]"), uint8(40))
	f.Add([]byte(" {\"a\":\n {\"b\":2}\n\t{\"c\":[\n\t  {\"d\":1}\n\t]}\n  {\"e\":\n {\"f\":3}"), uint8(60))
	f.Add([]byte("[\n{\"a\":1},\n{\"b\":\"x\n{\"c\":[1]}\n{\"d\":2}\n]\n[ 1 , \"a,]\" ,[2,3]]\n  [\n  {\"e\":\n  {\"f\":1}\n{\"g\":1}"), uint8(60))
	f.Add([]byte("[{\"a\":1} x\n[1,,]\n[\n]\n[{\"a\":\n{\"b\":1},\n{\"c\":2}]"), uint8(5))
	f.Fuzz(func(t *testing.T, in []byte, limit uint8) {
		if bytes.HasPrefix(in, []byte("\xEF\xBB\xBF")) {
			return // the reference does not skip a byte order mark
		}
		max := int(limit) + 1
		got := &Reader{r: bufio.NewReaderSize(bytes.NewReader(in), 16), line: 1, max: max, tab: 14, started: true}
		want := &refReader{r: bufio.NewReaderSize(bytes.NewReader(in), 16), line: 1, max: max, tab: 14}
		for n := 0; ; n++ {
			g, gerr := got.Next()
			w, werr := want.next()
			if errors.Is(werr, io.EOF) != errors.Is(gerr, io.EOF) {
				t.Fatalf("value %d: err %v, reference %v", n, gerr, werr)
			}
			if errors.Is(werr, io.EOF) {
				return
			}
			if g.Line != w.Line || g.Truncated != w.Truncated || g.Err != w.Err || !bytes.Equal(g.Data, w.Data) {
				t.Fatalf("value %d: got %d %v %v %q, reference %d %v %v %q", n, g.Line, g.Truncated, g.Err, g.Data, w.Line, w.Truncated, w.Err, w.Data)
			}
		}
	})
}
