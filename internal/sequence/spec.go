// Package sequence describes an EQL sequence or sample as its machine
// runs it: the stages, which are missing events, which join keys are
// optional, the maxspan. Package eql makes a Spec when it lowers a query;
// package state runs it (state/sequence.go, with Elasticsearch's
// semantics, which package eql documents with the evidence). It imports
// nothing, so that the EQL front end does not import the runtime.
package sequence

// MaxJoinValues is the most join keys one event gives one stage: a
// multi-valued key joins on each of its values, several on each
// combination; the combinations beyond it are dropped (counted).
const MaxJoinValues = 64

// Spec is a sequence or a sample as the machine runs it.
type Spec struct {
	Stages  []Stage // in order, "with runs=N" expanded
	Until   *Stage  // the until stage, hit as stage len(Stages); nil when none
	MaxSpan int64   // "with maxspan", in nanoseconds; 0 when none
	Sample  bool    // a sample: stages in any order, no time
}

// Stage is one stage of a Spec.
type Stage struct {
	Missing  bool   // a missing event, ![…]
	Optional []bool // per join key: written ?field, so missing or null joins as null
}
