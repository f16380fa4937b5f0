package match

import (
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/jsonlex"
)

// Each visits every scalar value of the event. The first call collects
// them from the text; a key repeated in an object drops the values its
// earlier occurrence added, as decoding keeps the last. Where the pass
// cannot compare keys (escaped or invalid UTF-8) or drop values (a key
// repeated in an object of more than manyKeys keys), the values are the
// decoded event's.
func (s *scanner) Each(fn func(v any) bool) bool {
	if s.data == nil {
		return false
	}
	if !s.collected {
		s.collected = true
		if s.collect(jsonlex.SkipSpace(s.data, 0)) < 0 {
			clear(s.vals)
			s.vals, s.whole = s.vals[:0], true
		} else if s.dropped > 0 {
			s.compactVals()
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
// and returns the position after it, or fail where a key may repeat in an
// object unseen (a key with escapes or invalid UTF-8, whose decoded text
// the pass does not compare) or repeats among many keys. A key repeated
// among fewer drops (dropVals) the values of its earlier occurrence.
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
			if end < 0 || esc || high && !utf8.Valid(data[i+1:end]) {
				return fail
			}
			at, repeated := s.repeats(&seen, base, span{i + 1, end})
			switch {
			case repeated && at < 0:
				return fail // among many keys
			case repeated: // the last value wins
				s.dropVals(s.kvals[at])
			}
			if i = jsonlex.SkipSpace(data, end+1); i >= len(data) || data[i] != ':' {
				return fail
			}
			if at < 0 {
				i = s.collect(jsonlex.SkipSpace(data, i+1))
			} else {
				s.kvals[at] = span{len(s.vals), -1}
				i = s.collect(jsonlex.SkipSpace(data, i+1))
				s.kvals[at].end = len(s.vals)
			}
			if i < 0 {
				return fail
			}
			if s.dropped > minCompact && s.dropped > len(s.vals)/2 {
				s.compactVals()
			}
			more := false
			if i, more = jsonlex.Next(data, i, '}'); !more {
				if i < 0 {
					return fail
				}
				s.keys, s.kvals = s.keys[:base], s.kvals[:base]
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
// object, and adds it to them, returning its index there: of the earlier
// occurrence if it repeats, of its own else. Up to manyKeys keys, seen
// holds bits of their hashes; past them, the object's keys go to s.many
// (their index is -1: a repeat there is left to decoding) and seen holds
// the object's serial.
func (s *scanner) repeats(seen *uint64, base int, k span) (int, bool) {
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
			s.addKey(span{}) // n > manyKeys from now on
		}
		ks := unsafe.String(unsafe.SliceData(key), len(key))
		if s.many[ks] == *seen {
			return -1, true
		}
		s.many[ks] = *seen
		return -1, false
	}
	bit := uint64(1) << (keyHash(key) >> 26)
	if *seen&bit != 0 {
		for j, o := range s.keys[base:] {
			if string(s.data[o.start:o.end]) == string(key) {
				return base + j, true
			}
		}
	}
	*seen |= bit
	return s.addKey(k), false
}

// addKey appends key k to s.keys and returns its index.
func (s *scanner) addKey(k span) int {
	s.keys, s.kvals = append(s.keys, k), append(s.kvals, span{})
	return len(s.keys) - 1
}

// tomb is the value in s.vals of a value dropped.
var tomb any = new(struct{ dropped bool })

// dropVals drops the values vals[f.start:f.end]: those of a key that
// repeats. They are tombs until compactVals, unless they end vals.
func (s *scanner) dropVals(f span) {
	for j := f.start; j < f.end; j++ {
		if s.vals[j] != tomb {
			s.vals[j] = tomb
			s.dropped++
		}
	}
	if f.end == len(s.vals) {
		clear(s.vals[f.start:])
		s.vals, s.dropped = s.vals[:f.start], s.dropped-(f.end-f.start)
	}
}

// compactVals removes the tombs from s.vals and moves the keys' spans of
// values with them (a span being collected has end -1).
func (s *scanner) compactVals() {
	live := s.live[:0]
	n := 0
	for _, v := range s.vals {
		live = append(live, int32(n))
		if v != tomb {
			s.vals[n] = v
			n++
		}
	}
	live = append(live, int32(n))
	clear(s.vals[n:])
	s.vals, s.dropped, s.live = s.vals[:n], 0, live
	last := len(live) - 1 // a key's empty span may lie past the values that dropVals cut off
	for k := range s.kvals {
		f := &s.kvals[k]
		f.start = int(live[min(f.start, last)])
		if f.end >= 0 {
			f.end = int(live[min(f.end, last)])
		}
	}
}

// manyKeys is the number of keys of an object past which repeats keeps
// them in a map.
const manyKeys = 32
