package match

import (
	"github.com/ruleforge/ruleforge/internal/jsonlex"
)

// skip checks the value at data[i], in a container at depth depth, and
// returns the position after it.
func (s *scanner) skip(i, depth int) int {
	data := s.data
	if i >= len(data) {
		return fail
	}
	switch data[i] {
	case '"':
		if end, _, _ := jsonlex.StringEnd(data, i+1); end >= 0 {
			return end + 1
		}
		return fail
	case '{':
		return s.skipObject(i+1, depth+1)
	case '[':
		return s.skipArray(i+1, depth+1)
	case 't':
		return jsonlex.Literal(data, i, "true")
	case 'f':
		return jsonlex.Literal(data, i, "false")
	case 'n':
		return jsonlex.Literal(data, i, "null")
	}
	return jsonlex.NumberEnd(data, i)
}

// skipObject checks an object from data[i], after its '{'.
func (s *scanner) skipObject(i, depth int) int {
	if depth > MaxEventDepth {
		return fail
	}
	data := s.data
	if i = jsonlex.SkipSpace(data, i); i < len(data) && data[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return fail
		}
		end, _, _ := jsonlex.StringEnd(data, i+1)
		if end < 0 {
			return fail
		}
		if i = jsonlex.SkipSpace(data, end+1); i >= len(data) || data[i] != ':' {
			return fail
		}
		if i = s.skip(jsonlex.SkipSpace(data, i+1), depth); uint(i) < uint(len(data)) && data[i] == ',' {
			i = jsonlex.SkipSpace(data, i+1)
			continue
		}
		if i < 0 {
			return fail
		}
		more := false
		if i, more = jsonlex.Next(data, i, '}'); !more {
			return i
		}
	}
}

// skipArray checks an array from data[i], after its '['.
func (s *scanner) skipArray(i, depth int) int {
	if depth > MaxEventDepth {
		return fail
	}
	data := s.data
	if i = jsonlex.SkipSpace(data, i); i < len(data) && data[i] == ']' {
		return i + 1
	}
	for {
		if i = s.skip(i, depth); uint(i) < uint(len(data)) && data[i] == ',' {
			i = jsonlex.SkipSpace(data, i+1)
			continue
		}
		if i < 0 {
			return fail
		}
		more := false
		if i, more = jsonlex.Next(data, i, ']'); !more {
			return i
		}
	}
}
