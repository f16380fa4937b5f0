package ruleforge

import "github.com/ruleforge/ruleforge/ir"

// ErrorList is the errors of Load, LoadFS and Compile: one *ir.Error per
// rule or file left out, with its position, rule ID and cause. It is
// ir.ErrorList, which package compile and package state return too.
type ErrorList = ir.ErrorList

// ErrUnsupported is the cause of the errors about rules that are valid in
// their language but use what ruleforge does not implement:
// errors.Is(err, ErrUnsupported) holds for them, and for an ErrorList
// that holds one. It is ir.ErrUnsupported.
var ErrUnsupported = ir.ErrUnsupported
