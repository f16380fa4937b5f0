package correlate

import (
	"slices"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// MaxEvents is the most event ordinals an alert lists in its "events"
// field; an alert made of more lists none (the output contract).
const MaxEvents = 100

// Rule is a Sigma correlation as package state runs it: the State of an
// ir.Rule (see New). Its stages are the correlation's referenced rules,
// in order, each keyed by the group-by fields and then the condition's
// fields, as that rule's events hold them.
type Rule struct {
	C      *ir.Correlation
	stages []ir.Stage
	// pick, per stage over another correlation: the position in that
	// correlation's alert Keys (its group values) of each of this one's
	// keys; nil for a stage over a rule, whose keys come in order.
	pick [][]int
}

// New returns the ir.Rule that runs correlation c, all being the
// resolved correlations its references index (sigma.Resolve). Its Expr
// is the constant false: only its State matches.
func New(c *ir.Correlation, all []*ir.Correlation) *ir.Rule {
	r := &Rule{C: c, pick: make([][]int, len(c.Rules))}
	for j, ref := range c.Rules {
		st := ir.Stage{Ref: ref.Ref, Generate: c.Generate, Pos: ref.Pos}
		if !ref.IsCorr {
			st.Keys = append(slices.Clone(ref.GroupBy), ref.Field...)
		} else {
			inner := all[ref.Target]
			for _, f := range append(slices.Clone(ref.GroupBy), ref.Field...) {
				r.pick[j] = append(r.pick[j], slices.Index(inner.GroupBy, f.Name))
			}
		}
		r.stages = append(r.stages, st)
	}
	return &ir.Rule{
		Meta:   c.Meta,
		Lang:   ir.LangSigma,
		Source: c.Source,
		Expr:   ir.Const(false),
		State:  r,
	}
}

// Dump renders the correlation (ir.Correlation.Dump), for explain.
func (r *Rule) Dump() string { return r.C.Dump() }

// Kind returns the correlation type ("event_count", …).
func (r *Rule) Kind() string { return r.C.Type.String() }

// Stages returns one stage per referenced rule.
func (r *Rule) Stages() []ir.Stage { return r.stages }

// NewMachine returns an empty machine for the correlation. A group holds
// at most lim.MaxPending events (value_count: lim.MaxValues distinct
// values), or as many as the condition needs (ir.Correlation.Need) when
// that is more: a limit below the need would keep the condition from
// ever holding. The loader bounds the need (sigma.MaxGroupEvents), and
// lim.MaxBytes the whole.
func (r *Rule) NewMachine(lim state.Limits, budget *state.Budget) state.Machine {
	m := &machine{r: r, c: r.C, span: int64(r.C.Timespan), groups: state.NewStore[group](lim, budget),
		tally: tallyOf(r.C.Type), room: lim.MaxPending}
	if m.values = r.C.Type == ir.CorrValueCount; m.values {
		m.room = lim.MaxValues
	}
	m.room = max(m.room, r.C.Need(), 1)
	return m
}

// split returns a hit's group values and field values: for a stage over a
// rule, its keys in order; over a correlation, picked from its alert's.
func (r *Rule) split(h state.Hit) (group, fields []state.Value) {
	keys := h.Keys
	if p := r.pick[h.Stage]; p != nil {
		keys = make([]state.Value, len(p))
		for i, k := range p {
			if k >= 0 && k < len(h.Keys) {
				keys[i] = h.Keys[k]
			}
		}
	}
	n := len(r.C.GroupBy)
	if len(keys) < n {
		return nil, nil
	}
	return keys[:n], keys[n:]
}
