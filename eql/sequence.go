package eql

import (
	"strconv"
	"time"

	seqm "github.com/ruleforge/ruleforge/internal/sequence"
	"github.com/ruleforge/ruleforge/ir"
)

// MaxRuns is the largest "with runs=N" accepted.
const MaxRuns = 100

// seqRule is the State of a rule whose query is a sequence or a sample
// (a state.Sequence): its stages, compiled with every other rule, and the
// Spec that package state's sequence machine runs.
type seqRule struct {
	kind   string
	stages []ir.Stage // the stages in order, runs expanded, then until
	spec   seqm.Spec
}

// Kind returns "sequence" or "sample".
func (s *seqRule) Kind() string { return s.kind }

// Stages returns the stages: each term in order ("with runs=N" repeated N
// times), then the until term.
func (s *seqRule) Stages() []ir.Stage { return s.stages }

// Spec returns the query as the machine runs it (state.Sequence).
func (s *seqRule) Spec() *seqm.Spec { return &s.spec }

// lowerSequence lowers "sequence [by …] [with maxspan=…] [A] [B] … [until
// [C]]".
func lowerSequence(q *sequence) (*seqRule, error) {
	s := &seqRule{kind: "sequence"}
	by, span := q.By, q.Span
	if q.Span2 != nil {
		by, span = q.By2, q.Span2
	}
	if span != nil {
		d, err := lowerMaxspan(span)
		if err != nil {
			return nil, err
		}
		s.spec.MaxSpan = int64(d)
	}
	var keys0 []keyField
	if by != nil {
		var err error
		if keys0, err = lowerKeys(by); err != nil {
			return nil, err
		}
	}
	positive := false
	for _, t := range q.Terms {
		n := 1
		if t.Param != nil {
			var err error
			if n, err = lowerRuns(t); err != nil {
				return nil, err
			}
		}
		st, spec, err := s.stage(t, keys0)
		if err != nil {
			return nil, err
		}
		positive = positive || !t.Missing
		if t.Missing && s.spec.MaxSpan == 0 {
			return nil, ir.Errorf(toPos(t.Pos), "a missing event needs the sequence's maxspan (with maxspan=…)")
		}
		for range n {
			s.stages = append(s.stages, st)
			s.spec.Stages = append(s.spec.Stages, spec)
		}
	}
	if !positive {
		return nil, ir.Errorf(toPos(q.Pos), "a sequence needs a stage that is not a missing event")
	}
	if len(s.stages) < 2 {
		return nil, ir.Errorf(toPos(q.Pos), "a sequence needs at least 2 stages (or with runs=2 or more)")
	}
	if u := q.Until; u != nil {
		if u.Missing {
			return nil, ir.Errorf(toPos(u.Pos), `unexpected "![" (expected "[": until is no missing event)`)
		}
		if u.Param != nil {
			return nil, ir.Errorf(toPos(u.Param.Pos), `unexpected "with" (expected the end of the query: until takes no runs)`)
		}
		st, spec, err := s.stage(u, keys0)
		if err != nil {
			return nil, err
		}
		s.stages = append(s.stages, st)
		s.spec.Until = &spec
	}
	return s, s.checkKeys(q.Terms, q.Until)
}

// lowerSample lowers "sample [by …] [A] [B] …".
func lowerSample(q *sample) (*seqRule, error) {
	s := &seqRule{kind: "sample", spec: seqm.Spec{Sample: true}}
	var keys0 []keyField
	if q.By != nil {
		var err error
		if keys0, err = lowerKeys(q.By); err != nil {
			return nil, err
		}
	}
	for _, t := range q.Terms {
		if t.Missing {
			return nil, ir.Errorf(toPos(t.Pos), `unexpected "![" (expected "[": a sample has no missing events)`)
		}
		if t.Param != nil {
			return nil, ir.Errorf(toPos(t.Param.Pos), `unexpected "with" (expected "[" or the end of the query: a sample has no runs)`)
		}
		st, spec, err := s.stage(t, keys0)
		if err != nil {
			return nil, err
		}
		s.stages = append(s.stages, st)
		s.spec.Stages = append(s.spec.Stages, spec)
	}
	if len(s.stages) < 2 {
		return nil, ir.Errorf(toPos(q.Pos), "a sample needs at least 2 stages")
	}
	return s, s.checkKeys(q.Terms, nil)
}

// keyField is a join key: its field and whether it is optional (?field).
type keyField struct {
	f        ir.Field
	optional bool
}

// lowerKeys lowers "by f1, f2, …".
func lowerKeys(by *joinKeys) ([]keyField, error) {
	var out []keyField
	for _, f := range by.Fields {
		lf, err := lowerField(f)
		if err != nil {
			return nil, err
		}
		out = append(out, keyField{f: lf, optional: f.Optional})
	}
	return out, nil
}

// stage lowers one term with the sequence's keys before its own.
func (s *seqRule) stage(t *stageTerm, keys0 []keyField) (ir.Stage, seqm.Stage, error) {
	x, err := lowerEvent(t.Event)
	if err != nil {
		return ir.Stage{}, seqm.Stage{}, err
	}
	keys := keys0
	if t.By != nil {
		own, err := lowerKeys(t.By)
		if err != nil {
			return ir.Stage{}, seqm.Stage{}, err
		}
		keys = append(append([]keyField(nil), keys0...), own...)
	}
	st := ir.Stage{Expr: x, Pos: toPos(t.Pos)}
	spec := seqm.Stage{Missing: t.Missing}
	for _, k := range keys {
		st.Keys = append(st.Keys, k.f)
		st.Required = append(st.Required, !k.optional)
		spec.Optional = append(spec.Optional, k.optional)
	}
	return st, spec, nil
}

// checkKeys rejects terms with different numbers of join keys, as
// Elasticsearch does (they are compared by position).
func (s *seqRule) checkKeys(terms []*stageTerm, until *stageTerm) error {
	want := len(s.stages[0].Keys)
	i := 0
	for _, t := range append(append([]*stageTerm(nil), terms...), until) {
		if t == nil {
			continue
		}
		for i < len(s.stages) && s.stages[i].Pos != toPos(t.Pos) {
			i++
		}
		if i < len(s.stages) && len(s.stages[i].Keys) != want {
			return ir.Errorf(toPos(t.Pos), "%d join keys, but the first %s stage has %d (keys are compared by position)", len(s.stages[i].Keys), s.kind, want)
		}
	}
	return nil
}

// lowerRuns returns N of a term's "with runs=N".
func lowerRuns(t *stageTerm) (int, error) {
	p := t.Param
	if p.Name != "runs" {
		return 0, ir.Errorf(toPos(p.Pos), "unknown parameter %q (expected runs)", p.Name)
	}
	n, err := strconv.Atoi(p.Number)
	if err != nil || n < 1 || n > MaxRuns {
		return 0, ir.Errorf(toPos(p.Pos), "runs=%s: want an integer from 1 to %d", p.Number, MaxRuns)
	}
	return n, nil
}

// spanUnits are maxspan's units.
var spanUnits = map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}

// lowerMaxspan returns the duration of "with maxspan=N unit".
func lowerMaxspan(m *maxspan) (time.Duration, error) {
	unit, ok := spanUnits[m.Unit]
	if !ok {
		return 0, ir.Errorf(toPos(m.Pos), "maxspan=%s%s: want a whole number and a unit (ms, s, m, h or d)", m.Number, m.Unit)
	}
	n, err := strconv.ParseInt(m.Number, 10, 64)
	if err != nil || n < 1 || n > int64(365*24*time.Hour/unit) {
		return 0, ir.Errorf(toPos(m.Pos), "maxspan=%s%s: want a whole number from 1 to a year", m.Number, m.Unit)
	}
	return time.Duration(n) * unit, nil
}

// limitPipe reports whether p is "head N" or "tail N", which limit how
// many results one run of a query returns: a stream has no such runs,
// and every sequence or sample is reported.
func limitPipe(p *pipe) bool {
	if p.Name != "head" && p.Name != "tail" || len(p.Args) != 1 {
		return false
	}
	a := p.Args[0]
	if len(a.Terms) != 1 || len(a.Terms[0].Terms) != 1 {
		return false
	}
	c := a.Terms[0].Terms[0]
	if len(c.Nots) > 0 || c.Cmp.Infix != nil || c.Cmp.In != nil || c.Cmp.Match != nil || len(c.Cmp.Left.Ops) > 0 {
		return false
	}
	t := c.Cmp.Left.Left
	if len(t.Ops) > 0 || len(t.Left.Signs) > 0 {
		return false
	}
	v := t.Left.Primary.Value
	if v == nil || v.Number == nil {
		return false
	}
	n, err := strconv.Atoi(*v.Number)
	return err == nil && n > 0
}
