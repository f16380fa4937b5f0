package ir

// Stateful is the part of a rule that spans several events: an EQL
// sequence or sample, a Sigma correlation. Its stages are single-event
// conditions, compiled with every other rule into one indexed ruleset;
// package state binds their hits to the rule's machine (see state.Rule
// and state.Sequence) and runs it in input order.
type Stateful interface {
	// Kind names the rule's kind as outputs show it: "sequence",
	// "sample", "event_count", …
	Kind() string
	// Stages returns the single-event stages, in order. The slice and
	// its stages must not change.
	Stages() []Stage
}

// Stage is one single-event part of a stateful rule.
type Stage struct {
	// Expr is the stage's condition, compiled as a rule of its own that
	// ordinary output does not show; nil when Ref is set.
	Expr *Expr
	// Ref names another rule, by ID or title, whose hits are this
	// stage's (a Sigma correlation's rules); it may be a stateful rule,
	// whose alerts then count as hits.
	Ref string
	// Keys are the fields whose values an event of this stage is keyed
	// by (join keys, group-by fields), read from the event that hit.
	Keys []Field
	// Required marks the keys without which a hit is dropped before the
	// state sees it: a hit whose key i is missing or null, Required[i]
	// set, is no hit of this stage (an EQL join key not written ?field).
	// Nil requires none.
	Required []bool
	// Generate keeps the output of the rule Ref names: by default a rule
	// that a stage refers to is seen only by the stateful rule (Sigma's
	// generate: false).
	Generate bool
	// Pos is where the stage starts, for errors.
	Pos Pos
}
