package stream

// Element is one element of a JSON array that Elements split.
type Element struct {
	Start, End int // the element's bytes in the array's text
	Line       int // the line it starts at
}

// Elements splits data, one JSON array starting on line, into its
// elements (strings, escapes and nesting respected, white space around
// them left out), appending them to dst, and reports whether data is a
// well-formed array at its top level: "[", values separated by commas,
// "]" and nothing but white space after it. The elements themselves are
// not checked; their decoding reports what is wrong with them. Exporters
// write events as one array as often as one per line.
func Elements(dst []Element, data []byte, line int) ([]Element, bool) {
	i := skipSpace(data, 1, &line)
	if i >= len(data) || data[0] != '[' {
		return dst, false
	}
	if data[i] == ']' {
		return dst, skipSpace(data, i+1, &line) == len(data)
	}
	for {
		start, startLine := i, line
		depth, q := 0, quotes{}
	value:
		for ; i < len(data); i++ {
			b := data[i]
			if b == '\n' {
				line++
			}
			if q.in(b) {
				continue
			}
			switch {
			case b == '{' || b == '[':
				depth++
			case b == '}' || b == ']':
				if depth == 0 {
					break value
				}
				depth--
			case b == ',' && depth == 0:
				break value
			}
		}
		if i == len(data) {
			return dst, false
		}
		end := i
		for end > start && isSpace(data[end-1]) {
			end--
		}
		if end == start {
			return dst, false // an empty element: "[1,,2]" or "[1,]"
		}
		dst = append(dst, Element{Start: start, End: end, Line: startLine})
		if data[i] == ']' {
			return dst, skipSpace(data, i+1, &line) == len(data)
		}
		i = skipSpace(data, i+1, &line)
	}
}

// isSpace reports whether b is JSON white space.
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// skipSpace returns the index of the first byte at or after i that is not
// white space, counting the newlines it skips into line.
func skipSpace(data []byte, i int, line *int) int {
	for ; i < len(data) && isSpace(data[i]); i++ {
		if data[i] == '\n' {
			*line++
		}
	}
	return i
}

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
