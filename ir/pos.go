package ir

import (
	"errors"
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

// Error is an error at a position in a rule's source: a rule that did
// not load or compile. Error() prints "file:line:col: message", as
// go/scanner's errors do.
type Error struct {
	Pos Pos
	Msg string // the message, the cause's text included
	// Rule is the ID of the rule the error is about, when known.
	Rule string
	// Err is the cause, for errors.Is and errors.As: a sentinel such as
	// ErrUnsupported, or the error of the package that rejected the rule
	// (a *regexp/syntax.Error); nil when Msg is all there is.
	Err error
}

// Error renders the error as "file:line:col: message".
func (e *Error) Error() string {
	if e.Pos == (Pos{}) {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// Unwrap returns the cause, Err.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error at pos with a formatted message. As with
// fmt.Errorf, a %w verb makes its operand the cause (Err).
func Errorf(pos Pos, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Pos: pos, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// ForRule names the rule err is about: when err is an *Error whose Rule
// is empty, its Rule becomes id. The parsers call it once they know the
// id of a rule they failed to read, so a rule that fails to parse is
// named in its error as one that fails to compile is. It returns err.
func ForRule(err error, id string) error {
	if e, ok := err.(*Error); ok && e.Rule == "" {
		e.Rule = id
	}
	return err
}

// Unsupported returns the error of a rule that is valid but uses
// something ruleforge does not implement: its message is "unsupported: "
// followed by the formatted text, and errors.Is(err, ErrUnsupported)
// holds.
func Unsupported(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: "unsupported: " + fmt.Sprintf(format, args...), Err: ErrUnsupported}
}

// ErrUnsupported is the cause of every error about a rule that is valid
// in its language but uses what ruleforge does not implement (an
// aggregation, a modifier, an EQL pipe): errors.Is(err, ErrUnsupported)
// tells these from broken rules.
var ErrUnsupported = errors.New("unsupported")
