package stream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
)

// refReader is the byte-at-a-time reader that Reader replaced, kept as the
// reference that FuzzReaderSame compares Reader with.
type refReader struct {
	r    *bufio.Reader
	buf  []byte
	line int
	max  int
	tab  int
	// indent is the spaces and tabs since the last newline, -1 after
	// anything else.
	indent int
}

// next is the reference Next, for input without a byte order mark.
func (s *refReader) next() (Value, error) {
	var c byte
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return Value{}, err
		}
		switch {
		case b == '\n':
			s.line++
			s.indent = 0
		case b == ' ' || b == '\t':
			if s.indent >= 0 {
				s.indent++
			}
		case b == '\r':
			s.indent = -1
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			c = b
			break
		}
	}
	indent := min(max(s.indent, 0), s.tab)
	s.indent = -1
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
		for {
			b, err := s.r.ReadByte()
			if err != nil || b == '\n' {
				if b == '\n' {
					s.line++
				}
				s.indent = 0
				break
			}
			add(b)
		}
		v.Data = s.buf
		return v, nil
	}
	depth, inStr, esc := 1, false, false
	for depth > 0 {
		b, err := s.r.ReadByte()
		if err != nil {
			break
		}
		if b == '\n' {
			s.line++
			next, _ := s.r.Peek(indent + 1)
			if k := bytes.IndexFunc(next, func(r rune) bool { return r != ' ' && r != '\t' }); k >= 0 && next[k] == '{' {
				s.indent = 0
				break
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
	v.Data = s.buf
	return v, nil
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
			if g.Line != w.Line || g.Truncated != w.Truncated || !bytes.Equal(g.Data, w.Data) {
				t.Fatalf("value %d: got %d %v %q, reference %d %v %q", n, g.Line, g.Truncated, g.Data, w.Line, w.Truncated, w.Data)
			}
		}
	})
}
