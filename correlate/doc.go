// Package correlate runs Sigma correlation rules (package sigma parses
// them into ir.Correlation) on package state's engine, the one that runs
// EQL sequences too: New makes a correlation a stateful ir.Rule whose
// stages are its referenced rules, keyed by its group-by and condition
// fields, and whose machine keeps one window per group in a state.Store
// (bounded by state.MaxKeys groups per rule, state.MaxPending events per
// group and, for value_count, state.MaxValues distinct values per group,
// each with its newest event; evictions counted in state.Stats). A group
// always has room for the events or distinct values its condition needs
// (ir.Correlation.Need), so no limit keeps a condition from holding;
// package sigma rejects a correlation needing more than
// sigma.MaxGroupEvents.
//
// The semantics (windows over event time, when a group fires and fires
// again, what each type counts, events without a group-by field) are
// documented in package sigma, section "Correlation semantics"; the
// differential test checks the machine against a naive reference that
// recomputes every window from scratch (ref_test.go).
//
// Each alert carries, for output, "group" (group-by name → value),
// "correlation" (the type), "events" (the ordinals of the events the
// condition counted, ascending, when at most MaxEvents) and "value" (the
// aggregate the condition held for).
package correlate
