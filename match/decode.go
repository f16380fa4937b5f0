package match

import (
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/jsonlex"
)

// value decodes the value at data[i], in a container at depth depth, as
// ParseJSON does, and returns it and the position after it.
func (s *scanner) value(i, depth int) (any, int) {
	data := s.data
	if i >= len(data) {
		return nil, fail
	}
	switch data[i] {
	case '"':
		end, esc, high := jsonlex.StringEnd(data, i+1)
		if end < 0 {
			return nil, fail
		}
		return s.box(stringWord, s.str(data[i+1:end], esc, high)), end + 1
	case '{':
		return s.objectValue(i+1, depth+1)
	case '[':
		return s.arrayValue(i+1, depth+1)
	case 't':
		return true, jsonlex.Literal(data, i, "true")
	case 'f':
		return false, jsonlex.Literal(data, i, "false")
	case 'n':
		return nil, jsonlex.Literal(data, i, "null")
	}
	end := jsonlex.NumberEnd(data, i)
	if end < 0 {
		return nil, fail
	}
	return s.box(numberWord, unsafe.String(&data[i], end-i)), end
}

// objectValue decodes an object from data[i], after its '{'. Its keys
// are strings of their own; duplicate keys keep the last value.
func (s *scanner) objectValue(i, depth int) (any, int) {
	if depth > MaxEventDepth {
		return nil, fail
	}
	data := s.data
	m := map[string]any{}
	if i = jsonlex.SkipSpace(data, i); i < len(data) && data[i] == '}' {
		return m, i + 1
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, fail
		}
		end, esc, high := jsonlex.StringEnd(data, i+1)
		if end < 0 {
			return nil, fail
		}
		var key string
		if b := data[i+1 : end]; esc || high && !utf8.Valid(b) {
			s.key = jsonlex.AppendUnquoted(s.key[:0], b)
			key = string(s.key)
		} else {
			key = string(b)
		}
		if i = jsonlex.SkipSpace(data, end+1); i >= len(data) || data[i] != ':' {
			return nil, fail
		}
		var v any
		if v, i = s.value(jsonlex.SkipSpace(data, i+1), depth); i < 0 {
			return nil, fail
		}
		m[key] = v
		more := false
		if i, more = jsonlex.Next(data, i, '}'); !more {
			if i < 0 {
				return nil, fail
			}
			return m, i
		}
	}
}

// arrayValue decodes an array from data[i], after its '['.
func (s *scanner) arrayValue(i, depth int) (any, int) {
	if depth > MaxEventDepth {
		return nil, fail
	}
	data := s.data
	base := len(s.stack)
	if i = jsonlex.SkipSpace(data, i); i < len(data) && data[i] == ']' {
		return s.list(base), i + 1
	}
	for {
		var v any
		if v, i = s.value(i, depth); i < 0 {
			return nil, fail
		}
		s.stack = append(s.stack, v)
		more := false
		if i, more = jsonlex.Next(data, i, ']'); !more {
			if i < 0 {
				return nil, fail
			}
			return s.list(base), i
		}
	}
}

// list returns the elements on the stack above base as an array, and
// pops them.
func (s *scanner) list(base int) any {
	e := s.elems.take(len(s.stack) - base)
	copy(e, s.stack[base:])
	clear(s.stack[base:])
	s.stack = s.stack[:base]
	p := &s.lists.take(1)[0]
	*p = e
	return boxAt(listWord, unsafe.Pointer(p))
}

// str returns the text of a JSON string from its body b (the bytes
// between its quotes), as encoding/json decodes it: b itself when it has
// no escapes and is valid UTF-8, otherwise b unescaped, with U+FFFD for
// each invalid byte and lone surrogate, in s.text.
func (s *scanner) str(b []byte, esc, high bool) string {
	if !esc && (!high || utf8.Valid(b)) {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	// Unescaped text is at most three times as long: \uXXXX is at most
	// three bytes, an invalid byte becomes U+FFFD's three.
	dst := s.text.take(3 * len(b))
	t := jsonlex.AppendUnquoted(dst[:0], b)
	s.text.buf = s.text.buf[:len(s.text.buf)-len(dst)+len(t)]
	return unsafe.String(unsafe.SliceData(t), len(t))
}

// holds reports whether str lies in the event's text or in the decoded
// strings of the current chunk: a part of one of its values, whose keys a
// scan of the text finds (scanJSON).
func (s *scanner) holds(str string) bool {
	return within(str, s.data) || within(str, s.text.buf[:cap(s.text.buf)])
}

// within reports whether the bytes of str lie in b.
func within(str string, b []byte) bool {
	if len(str) == 0 || len(b) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(str))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p+uintptr(len(str)) <= lo+uintptr(len(b))
}

// box returns x as an interface value of the string type whose type
// word is word (string or json.Number), holding x in s.strs.
func (s *scanner) box(word unsafe.Pointer, x string) any {
	p := s.strs.one()
	*p = x
	return boxAt(word, unsafe.Pointer(p))
}
