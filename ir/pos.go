package ir

import (
	"fmt"
	"strconv"
)

// Pos is a position in a rule's source text. Line and Col are 1-based;
// Col counts bytes. The zero Pos means "unknown".
type Pos struct {
	File   string // file name, or "" when the source is not a file
	Offset int    // byte offset from the start of the source, 0-based
	Line   int    // line number, 1-based; 0 when unknown
	Col    int    // column in bytes, 1-based; 0 when unknown
}

// IsValid reports whether the position has a line number.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String renders the position as file:line:col, leaving out unknown parts.
// A file name with a newline or another character that could garble or
// forge a line of a report is Go-quoted.
func (p Pos) String() string {
	s := p.File
	if q := strconv.Quote(s); q[1:len(q)-1] != s {
		s = q
	}
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Error is an error at a position in a rule's source.
type Error struct {
	Pos Pos
	Msg string
}

// Error renders the error as "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos == (Pos{}) {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Errorf returns an *Error at pos with a formatted message.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
