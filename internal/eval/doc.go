// Package eval is the one evaluator of computed values (EQL's script
// semantics): [Apply] runs the functions of ir.Term (arithmetic, string
// functions, time parts), [Compare] compares two computed values. The
// runtime's terms (internal/plan) and the EQL front end, which folds
// calls and comparisons of constants with it, share it, so that a folded
// constant is exactly what the compiled rule would compute.
//
// Values are what computed operands hold: string, int64, float64, bool;
// null is "no value" (ok false), never an argument. Strings are measured
// and sliced in UTF-16 code units and numbers rendered as text the way
// Java does (Elasticsearch's strings and Double.toString).
//
// internal/refeval, the reference evaluator of the differential tests,
// takes only MaxComputed and JavaDouble from here: it writes the functions
// and comparisons out plainly, so that a mistake here shows up as a
// difference there.
package eval
