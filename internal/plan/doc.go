// Package plan is the program package compile produces and package match
// runs: a rule's plan is a tree of [Node]s (ir.OpAnd, OpOr, OpNot, OpTrue,
// OpFalse, and ir.OpPred for a [Test]) evaluated left to right with short
// circuits; a Test reads one field through its [Path]s and compares the
// value with string matchers (package matcher), numbers, booleans and
// [Bound]s, or compares computed operands ([Term]). Nodes that rules share
// carry a Slot, and a [Memo] remembers their results for one event.
//
// As regexp/syntax keeps regexp's program, this package keeps the program
// out of match's public API: compile builds it, match evaluates and
// indexes it, and neither exports it.
package plan
