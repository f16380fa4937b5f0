package eql

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
)

// The TOML decoder does not report where keys are, so these functions find
// them in the source: errors in a rule's metadata point at its key, and
// errors in its query point into the query's string in the file.

// tomlLoc is where a key or table header is in a TOML source: the offset
// of the key (or of the header's "[") and of its value.
type tomlLoc struct {
	key, val int
}

// locateTOML finds the first occurrence of a dotted key ("rule.query")
// or table header ("rule.threat") in a TOML source. It reads bare and
// simply quoted keys; values are skipped, strings, arrays and inline
// tables of any length included. It is called for the query and for
// errors only, so it keeps no table of every key: that table was a tenth
// of the garbage of reading an Elastic rule.
func locateTOML(src, want string) (tomlLoc, bool) {
	table := ""
	i := 0
	for i < len(src) {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n') {
			i++
		}
		if i >= len(src) {
			break
		}
		switch src[i] {
		case '#':
			i = lineEnd(src, i)
		case '[':
			end := strings.IndexByte(src[i:lineEnd(src, i)], ']')
			if end < 0 {
				return tomlLoc{}, false
			}
			table = tomlKey(strings.Trim(src[i:i+end], "[] \t"))
			if table == want {
				return tomlLoc{i, i}, true
			}
			i = lineEnd(src, i)
		default:
			eq := strings.IndexByte(src[i:lineEnd(src, i)], '=')
			if eq < 0 {
				return tomlLoc{}, false
			}
			v := i + eq + 1
			for v < len(src) && (src[v] == ' ' || src[v] == '\t') {
				v++
			}
			if isDotted(want, table, tomlKey(src[i:i+eq])) {
				return tomlLoc{i, v}, true
			}
			i = skipTOMLValue(src, v)
		}
	}
	return tomlLoc{}, false
}

// isDotted reports whether want is the key key of the table table ("" at
// the top level), without building the dotted key.
func isDotted(want, table, key string) bool {
	if table == "" {
		return want == key
	}
	return len(want) == len(table)+1+len(key) && strings.HasPrefix(want, table) &&
		want[len(table)] == '.' && strings.HasSuffix(want, key)
}

// checkTOMLDepth rejects a key of more than limit parts and arrays and
// inline tables nested deeper than limit: the TOML decoder takes time
// quadratic in both. It skips strings and comments as the decoder does and
// leaves syntax errors to it.
func checkTOMLDepth(file, src string, limit int) error {
	depth := 0    // open arrays and inline tables
	parts := 1    // parts of the dotted key (or number) so far
	start := true // at the start of a line, outside any value
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case ' ', '\t', '\r':
			continue
		case '\n':
			start = depth == 0
			parts = 1
			continue
		case '#':
			i = lineEnd(src, i) - 1
			continue
		case '"', '\'':
			_, end, ok := tomlStringEnd(src, i)
			if !ok {
				return nil
			}
			i = end - 1
		case '[', '{':
			parts = 1
			if c == '[' && start && depth == 0 {
				// A table header, [a.b] or [[a.b]], nests nothing.
				if strings.HasPrefix(src[i:], "[[") {
					i++
				}
				break
			}
			depth++
			if depth > limit {
				return ir.Errorf(srcPos(file, src, i), "arrays and inline tables nested deeper than %d", limit)
			}
		case ']', '}':
			depth = max(depth-1, 0)
			parts = 1
		case '.':
			parts++
			if parts > limit {
				return ir.Errorf(srcPos(file, src, i), "key has more than %d parts", limit)
			}
		case '=', ',':
			parts = 1
		}
		start = false
	}
	return nil
}

// tomlKey normalises a dotted key: spaces around dots and quotes around
// parts are removed.
func tomlKey(s string) string {
	if !strings.ContainsAny(s, ".\"'") {
		return strings.TrimSpace(s)
	}
	parts := strings.Split(s, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// lineEnd returns the offset of the newline ending the line at i, or the
// end of src.
func lineEnd(src string, i int) int {
	if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// skipTOMLValue returns the offset of the newline that ends the value
// starting at i.
func skipTOMLValue(src string, i int) int {
	depth := 0
	for i < len(src) {
		switch c := src[i]; {
		case c == '"' || c == '\'':
			_, end, ok := tomlStringEnd(src, i)
			switch {
			case ok:
				i = end
				continue
			case len(tomlDelim(src, i)) == 3:
				return len(src)
			}
			return lineEnd(src, i)
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == '#':
			i = lineEnd(src, i)
			continue
		case c == '\n' && depth <= 0:
			return i
		}
		i++
	}
	return i
}

// tomlStringEnd finds the end of the string whose opening delimiter is at
// src[i]: it returns the offset of the closing delimiter and the offset
// just past it.
func tomlStringEnd(src string, i int) (closing, end int, ok bool) {
	delim := tomlDelim(src, i)
	q, multi := delim[0], len(delim) == 3
	for j := i + len(delim); j < len(src); j++ {
		switch c := src[j]; {
		case c == '\\' && q == '"':
			j++
		case c == '\n' && !multi:
			return 0, 0, false
		case c == q && strings.HasPrefix(src[j:], delim):
			end := j + len(delim)
			// A multi-line string may end with up to two quotes of its own.
			for k := 0; multi && k < 2 && end < len(src) && src[end] == delim[0]; k++ {
				j, end = j+1, end+1
			}
			return j, end, true
		}
	}
	return 0, 0, false
}

// tomlDelim returns the delimiter of the string that opens at src[i]:
// three quotes for a multi-line string, else one.
func tomlDelim(src string, i int) string {
	for _, d := range [...]string{`"""`, `'''`} {
		if strings.HasPrefix(src[i:], d) {
			return d
		}
	}
	return src[i : i+1]
}

// tomlSpan is a run of the bytes of a decoded TOML string: from the
// value's byte val on, they come from src's bytes from src on, one for
// one when lit, else all from the escape sequence at src.
type tomlSpan struct {
	val, src int
	lit      bool
}

// tomlSpans decodes the TOML string whose opening delimiter is at src[i]
// and reports whether it is want. It returns the spans the value's bytes
// come from, the last one the closing delimiter at offset len(want): a
// few per string, where a table of one offset per byte would be eight
// times the query's size of garbage on every load.
func tomlSpans(src string, i int, want string) ([]tomlSpan, bool) {
	closing, _, ok := tomlStringEnd(src, i)
	if !ok {
		return nil, false
	}
	delim := src[i]
	j := i + 1
	multi := len(tomlDelim(src, i)) == 3
	if multi {
		j = i + 3
		// A newline right after the opening delimiter is not part of the value.
		if strings.HasPrefix(src[j:], "\n") {
			j++
		} else if strings.HasPrefix(src[j:], "\r\n") {
			j += 2
		}
	}
	var spans []tomlSpan
	n := 0 // the bytes of want decoded so far
	add := func(s string, off int, lit bool) bool {
		if !strings.HasPrefix(want[n:], s) {
			return false
		}
		spans = append(spans, tomlSpan{n, off, lit})
		n += len(s)
		return true
	}
	for j < closing {
		if src[j] != '\\' || delim == '\'' {
			k := closing
			if e := strings.IndexByte(src[j:closing], '\\'); e >= 0 && delim != '\'' {
				k = j + e
			}
			if !add(src[j:k], j, true) {
				return nil, false
			}
			j = k
			continue
		}
		if j+1 >= closing {
			return nil, false
		}
		switch e := src[j+1]; e {
		case 'b', 't', 'n', 'f', 'r', '"', '\\', 'e':
			if !add(string("\b\t\n\f\r\"\\\x1b"[strings.IndexByte(`btnfr"\e`, e)]), j, false) {
				return nil, false
			}
			j += 2
		case 'x', 'u', 'U': // \xHH is TOML 1.1's, which both decoders read
			digits := 4
			switch e {
			case 'x':
				digits = 2
			case 'U':
				digits = 8
			}
			if j+2+digits > closing {
				return nil, false
			}
			v, err := strconv.ParseUint(src[j+2:j+2+digits], 16, 32)
			if err != nil || !utf8.ValidRune(rune(v)) || !add(string(rune(v)), j, false) {
				return nil, false
			}
			j += 2 + digits
		default:
			// A backslash ending a line removes the white space and
			// newlines that follow it.
			k := j + 1
			for k < closing && (src[k] == ' ' || src[k] == '\t' || src[k] == '\r') {
				k++
			}
			if !multi || k >= closing || src[k] != '\n' {
				return nil, false
			}
			for k < closing && strings.IndexByte(" \t\r\n", src[k]) >= 0 {
				k++
			}
			j = k
		}
	}
	if n != len(want) {
		return nil, false
	}
	return append(spans, tomlSpan{n, closing, false}), true
}

// spanOffset returns the offset in the source of byte off of a value
// decoded into spans (tomlSpans), the closing delimiter's past its end.
func spanOffset(spans []tomlSpan, off int) int {
	off = max(0, min(off, spans[len(spans)-1].val))
	i := sort.Search(len(spans), func(i int) bool { return spans[i].val > off }) - 1
	sp := spans[i]
	if sp.lit {
		return sp.src + off - sp.val
	}
	return sp.src
}

// srcPos returns the position of byte offset off in src.
func srcPos(file, src string, off int) ir.Pos {
	off = max(0, min(off, len(src)))
	line := 1 + strings.Count(src[:off], "\n")
	col := off - (strings.LastIndexByte(src[:off], '\n') + 1) + 1
	return ir.Pos{File: file, Offset: off, Line: line, Col: col}
}
