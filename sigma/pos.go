package sigma

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

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
	m := &posMap{file: file, src: src, lines: []int{0}}
	for i, c := range src {
		if c == '\n' {
			m.lines = append(m.lines, i+1)
		}
	}
	return m
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

// lineText returns line (1-based) without its line break.
func (m *posMap) lineText(line int) string {
	if line < 1 || line > len(m.lines) {
		return ""
	}
	s := string(m.src[m.lines[line-1]:])
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, "\r")
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
	return m.errorf(line, 1, "%s", msg)
}
