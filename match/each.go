package match

import (
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/jsonlex"
)

// Each visits every scalar value of the event. The first call collects
// them from the text, unless a key repeats in an object (the text then
// holds values the event does not): the values are then the decoded
// event's.
func (s *scanner) Each(fn func(v any) bool) bool {
	if s.data == nil {
		return false
	}
	if !s.collected {
		s.collected = true
		if s.collect(jsonlex.SkipSpace(s.data, 0)) < 0 {
			clear(s.vals)
			s.vals, s.whole = s.vals[:0], true
		}
		if len(s.many) > 0 {
			clear(s.many) // its keys point into data
		}
	}
	if s.whole {
		d := s.decoded()
		return d != nil && d.Each(fn)
	}
	for _, v := range s.vals {
		if fn(v) {
			return true
		}
	}
	return false
}

// collect appends the scalar values in the value at data[i] to s.vals,
// and returns the position after it, or fail where a key repeats in an
// object or may (a key with escapes or invalid UTF-8, whose decoded text
// the pass does not compare).
func (s *scanner) collect(i int) int {
	data := s.data
	if i >= len(data) {
		return fail
	}
	switch data[i] {
	case '{':
		base, seen := len(s.keys), uint64(0)
		if i = jsonlex.SkipSpace(data, i+1); i < len(data) && data[i] == '}' {
			return i + 1
		}
		for {
			if i >= len(data) || data[i] != '"' {
				return fail
			}
			end, esc, high := jsonlex.StringEnd(data, i+1)
			if end < 0 || esc || high && !utf8.Valid(data[i+1:end]) || s.repeats(&seen, base, span{i + 1, end}) {
				return fail
			}
			if i = jsonlex.SkipSpace(data, end+1); i >= len(data) || data[i] != ':' {
				return fail
			}
			if i = s.collect(jsonlex.SkipSpace(data, i+1)); i < 0 {
				return fail
			}
			more := false
			if i, more = jsonlex.Next(data, i, '}'); !more {
				if i < 0 {
					return fail
				}
				s.keys = s.keys[:base]
				return i
			}
		}
	case '[':
		if i = jsonlex.SkipSpace(data, i+1); i < len(data) && data[i] == ']' {
			return i + 1
		}
		for {
			if i = s.collect(i); i < 0 {
				return fail
			}
			more := false
			if i, more = jsonlex.Next(data, i, ']'); !more {
				return i
			}
		}
	case 'n':
		return jsonlex.Literal(data, i, "null") // Each skips nulls
	}
	v, end := s.value(i, 0)
	if end >= 0 {
		s.vals = append(s.vals, v)
	}
	return end
}

// repeats reports whether key k is one of the keys s.keys[base:] of its
// object, and adds it to them. Up to manyKeys keys, seen holds bits of
// their hashes; past them, the object's keys go to s.many and seen holds
// the object's serial.
func (s *scanner) repeats(seen *uint64, base int, k span) bool {
	key := s.data[k.start:k.end]
	if n := len(s.keys) - base; n >= manyKeys {
		if n == manyKeys {
			if s.many == nil {
				s.many = map[string]uint64{}
			}
			s.serial++
			*seen = s.serial
			for _, o := range s.keys[base:] {
				s.many[unsafe.String(unsafe.SliceData(s.data[o.start:o.end]), o.end-o.start)] = s.serial
			}
			s.keys = append(s.keys, span{}) // n > manyKeys from now on
		}
		ks := unsafe.String(unsafe.SliceData(key), len(key))
		if s.many[ks] == *seen {
			return true
		}
		s.many[ks] = *seen
		return false
	}
	bit := uint64(1) << (keyHash(key) >> 26)
	if *seen&bit != 0 {
		for _, o := range s.keys[base:] {
			if string(s.data[o.start:o.end]) == string(key) {
				return true
			}
		}
	}
	*seen |= bit
	s.keys = append(s.keys, k)
	return false
}

// manyKeys is the number of keys of an object past which repeats keeps
// them in a map.
const manyKeys = 32
