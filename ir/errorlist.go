package ir

import (
	"errors"
	"fmt"
)

// ErrorList is the errors of loading or compiling many rules, one per
// rule (or file) that failed, as go/scanner's ErrorList: the rules that
// did not fail are still loaded or compiled. Its Err method gives nil for
// an empty list, so that
//
//	return rules, errs.Err()
//
// never returns a non-nil error holding no errors.
type ErrorList []*Error

// Add appends err, which becomes an *Error if it is none (at no
// position, its text the message, itself the cause); a nil err is left
// out.
func (l *ErrorList) Add(err error) {
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Error() != err.Error() {
		e = &Error{Msg: err.Error(), Err: err}
	}
	*l = append(*l, e)
}

// Error prints the first error and how many follow, as go/scanner does;
// print each one to show them all.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err returns l as an error, or nil if l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Unwrap returns the errors, for errors.Is and errors.As: a list is an
// ErrUnsupported if any of its errors is.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
