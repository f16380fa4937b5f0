package sigma

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/ir"
)

// posMap turns the line and column numbers the YAML decoder reports (both
// 1-based, the column counting characters) into ir.Pos values (the column
// counting bytes, with the byte offset filled in).
type posMap struct {
	file  string
	src   []byte
	lines []int // byte offset of the start of each line
}

// newPosMap indexes the lines of src.
func newPosMap(file string, src []byte) *posMap {
	m := &posMap{file: file, src: src, lines: make([]int, 1, 1+bytes.Count(src, []byte{'\n'}))}
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return m
		}
		i += j + 1
		m.lines = append(m.lines, i)
	}
}

// pos returns the position of the col-th character (1-based) of line
// (1-based). Out-of-range numbers are kept as they are, without an offset.
func (m *posMap) pos(line, col int) ir.Pos {
	p := ir.Pos{File: m.file, Line: line, Col: col}
	if line < 1 || line > len(m.lines) || col < 1 {
		return p
	}
	start := m.lines[line-1]
	i := start
	for n := 1; n < col && i < len(m.src) && m.src[i] != '\n'; n++ {
		_, w := utf8.DecodeRune(m.src[i:])
		i += w
	}
	p.Offset, p.Col = i, i-start+1
	return p
}

// errorf returns an *ir.Error at a character position.
func (m *posMap) errorf(line, col int, format string, args ...any) error {
	return ir.Errorf(m.pos(line, col), format, args...)
}

// yamlLine finds the line number in the YAML decoder's error messages
// ("yaml: line 3: ...", "line 3: ...", "... (line 3)").
var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlError turns an error of the YAML decoder (or of sigma-go's decoding
// hooks) into an *ir.Error at the start of the line it names, or at the
// start of the file when it names none.
func yamlError(m *posMap, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg = strings.TrimSpace(msg)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i] // the first of several errors
	}
	line := 1
	if s := yamlLine.FindStringSubmatch(msg); s != nil {
		if n, err := strconv.Atoi(s[1]); err == nil {
			line = n
		}
		if strings.HasPrefix(msg, s[0]+": ") {
			msg = msg[len(s[0])+2:]
		}
	}
	if strings.Contains(msg, "UTF-8") { // the decoder names no line: find the byte
		if off := invalidUTF8(m.src); off >= 0 {
			return ir.Errorf(m.offsetPos(off), "invalid UTF-8 (byte %#x)", m.src[off])
		}
	}
	if msg == "mapping values are not allowed in this context" && line <= len(m.lines) {
		if key, col := m.longKey(line); key > maxYAMLKey {
			return m.errorf(line, col, "a key of %d characters (YAML takes a key on one line only up to %d)", key, maxYAMLKey)
		}
	}
	return m.errorf(line, 1, "%s", msg)
}

// maxYAMLKey is the longest implicit key YAML reads (YAML 1.2, 7.4.2: an
// implicit key is restricted to 1024 Unicode characters); yaml.v3 reports
// a longer one as "mapping values are not allowed in this context".
const maxYAMLKey = 1024

// longKey returns the length in characters of the key on line (the text
// before its first ": "), and the column where it starts.
func (m *posMap) longKey(line int) (chars, col int) {
	text := m.src[m.lines[line-1]:]
	if k := bytes.IndexByte(text, '\n'); k >= 0 {
		text = text[:k]
	}
	indent := len(text) - len(bytes.TrimLeft(text, " -"))
	end := bytes.Index(text, []byte(": "))
	if end < 0 {
		end = len(text)
	}
	if end <= indent {
		return 0, 1
	}
	return utf8.RuneCount(text[indent:end]), utf8.RuneCount(text[:indent]) + 1
}

// invalidUTF8 returns the offset of the first byte of src that is not
// UTF-8, or -1.
func invalidUTF8(src []byte) int {
	for i := 0; i < len(src); {
		r, w := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && w == 1 {
			return i
		}
		i += w
	}
	return -1
}

// decode decodes n into v; an error is placed as yamlError places it,
// except that YAML's refusal of "excessive aliasing" (an alias bomb,
// which the decoder reports without a line) is placed at the first alias
// that expands to more than maxAliasNodes nodes.
func decode(m *posMap, n *yaml.Node, v any) error {
	err := n.Decode(v)
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), "excessive aliasing") {
		if a := bigAlias(n, maxAliasNodes); a != nil {
			return m.errorf(a.Line, a.Column, "alias *%s expands to more than %d YAML nodes (an alias bomb)", a.Value, maxAliasNodes)
		}
	}
	return yamlError(m, err)
}

// maxAliasNodes is how large an alias's expansion decode names as the
// cause of an "excessive aliasing" error.
const maxAliasNodes = 10000

// bigAlias returns the first alias under n, in document order, whose
// value expands to more than limit nodes, or nil.
func bigAlias(n *yaml.Node, limit int) *yaml.Node {
	size := map[*yaml.Node]int{}
	var expand func(x *yaml.Node) int
	expand = func(x *yaml.Node) int {
		for x.Kind == yaml.AliasNode && x.Alias != nil {
			x = x.Alias
		}
		if s, ok := size[x]; ok {
			return s
		}
		size[x] = limit + 1 // an anchor inside itself
		s := 1
		for _, c := range x.Content {
			if s += expand(c); s > limit {
				break
			}
		}
		size[x] = s
		return s
	}
	var find func(x *yaml.Node) *yaml.Node
	find = func(x *yaml.Node) *yaml.Node {
		if x.Kind == yaml.AliasNode {
			if expand(x) > limit {
				return x
			}
			return nil
		}
		for _, c := range x.Content {
			if a := find(c); a != nil {
				return a
			}
		}
		return nil
	}
	return find(n)
}

// offsetPos returns the position of byte offset off of the source.
func (m *posMap) offsetPos(off int) ir.Pos {
	line := sort.Search(len(m.lines), func(i int) bool { return m.lines[i] > off })
	return ir.Pos{File: m.file, Offset: off, Line: line, Col: off - m.lines[line-1] + 1}
}

// valuePos returns the position in the source of byte off of the value of
// scalar n (len(n.Value) for just after its end). It follows the value's
// bytes through the source text, over quotes, escapes, line folding and
// indentation; where it loses track (an escape that changes the text, such
// as "\t" in double quotes) it returns the position of the node itself.
func (m *posMap) valuePos(n *yaml.Node, off int) ir.Pos {
	start := m.pos(n.Line, n.Column)
	j := start.Offset
	if j >= len(m.src) {
		return start
	}
	switch {
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// The text starts on the line after the indicator.
		k := bytes.IndexByte(m.src[j:], '\n')
		if k < 0 {
			return start
		}
		j += k + 1
	case n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0:
		j++
	}
	v := n.Value
	for i := 0; i < len(v) && i <= off; i++ {
		c := v[i]
		for j < len(m.src) && m.src[j] != c && !(isSpaceByte(c) && isSpaceByte(m.src[j])) {
			if !skippable(m.src[j]) {
				return start
			}
			j++
		}
		if j == len(m.src) {
			return start
		}
		if i == off {
			return m.offsetPos(j)
		}
		j++
	}
	return m.offsetPos(j)
}

// isSpaceByte reports whether c is white space that YAML may fold.
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skippable reports whether a source byte may stand between two bytes of a
// scalar's value: white space, quotes and the backslash of an escape.
func skippable(c byte) bool { return isSpaceByte(c) || c == '\'' || c == '"' || c == '\\' }
