package match

import (
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
)

// probe fires the keys that the values of x's record hold, in two
// phases: the paths with keys of the rules' first clauses, then, only if
// some rule with more clauses has its first one held, the other paths.
func (ix *index) probe(x *scratch) {
	ix.probePhase(x, 0)
	if x.pending > 0 {
		ix.probePhase(x, 1)
	}
}

// wants reports whether phase ph probes p in this event: always in phase
// 0, in phase 1 when a rule whose first clause held wants it.
func (x *scratch) wants(p *ixProbe, ph int) bool {
	return ph == 0 || x.wanted[p.id] == x.epoch
}

// probeSlot fires the presence keys of p, when v is present, and probes
// v's texts, when it has been decoded.
func (x *scratch) probeSlot(p *ixProbe, v any, present bool) {
	if !present {
		return
	}
	s, str := v.(string)
	if str {
		// A field's paths share a probe, and an event may hold one
		// string at several of them (a value Record.Add copied to the
		// ECS name of a field): the keys it fires have fired.
		last := &x.last[p.id]
		if last.epoch == x.epoch && last.s == unsafe.StringData(s) && last.n == len(s) {
			return
		}
		*last = lastString{x.epoch, unsafe.StringData(s), len(s)}
	}
	for _, id := range p.present {
		x.Fire(id)
	}
	switch {
	case str: // most values: texts' first case, without classifying v
		x.text(p, s)
	case v != nil:
		x.texts(p, v)
	}
}

// lastString is the string a probe was last probed with, in an event
// (epoch).
type lastString struct {
	epoch uint32
	s     *byte
	n     int
}

// probePhase probes the keys of one phase: at the slots the record found,
// when it knows them all, otherwise at each slot with keys; in phase 1,
// only the probes a rule whose first clause held wants (index.later).
func (ix *index) probePhase(x *scratch, ph int) {
	r, probes := x.cur, ix.probes[ph]
	if r.complete {
		for i := range r.items {
			it := &r.items[i]
			if it.slot < 0 || int(it.slot) >= len(probes) {
				continue // dropped (a repeated key), or a slot of the record's own (Ruleset.NewRecordWith)
			}
			if p := probes[it.slot]; p != nil && x.wants(p, ph) {
				v := r.keyed(it)
				x.probeSlot(p, v, v != nil || it.lazy != 0)
			}
		}
	} else {
		for s, p := range probes {
			if p == nil || !x.wants(p, ph) {
				continue
			}
			v, ok := r.Lookup(r.st.paths[s])
			x.probeSlot(p, v, ok && v != nil)
		}
	}
	if ap := ix.anyProbe[ph]; ap != nil && (ph == 0 || x.pendingAny > 0) {
		if text := r.keywordText(); ap.raw != nil && text != nil {
			r.scanKeywords(ap.raw, text, x) // one pass over the text, not one per value
			x.anyPhase = ph
			for _, v := range r.added {
				each(v, func(v any) bool {
					// The raw scan found every key of a part of the
					// event's text or of its decoded strings: keys
					// are sought there as substrings.
					if str, ok := v.(string); ok && r.inText(str) {
						return false
					}
					return x.visitAny(v)
				})
			}
		} else {
			x.anyPhase = ph
			r.Each(x.visitAny)
		}
	}
}

// texts probes f's keys with v, classified as the tests classify it
// (plan.Classify): strings and the text of numbers and booleans against
// the text keys, numbers and strings that spell numbers against the
// number keys, arrays element by element.
func (x *scratch) texts(f *ixProbe, v any) {
	c := plan.Classify(v)
	switch c.Kind {
	case plan.StringKind, plan.NumberText:
		x.text(f, c.Text)
	case plan.NumberKind:
		if x.number(f, c.Num.Float64()) {
			x.numText(f, c.AppendText(x.num[:0]))
		}
	case plan.BoolKind:
		x.text(f, c.String())
	case plan.ListKind:
		for _, e := range c.List {
			x.texts(f, e)
		}
		for _, e := range c.Strings {
			x.texts(f, e)
		}
	}
}

// spelled probes f's number keys, to x, with the number s spells.
func spelled(f *ixProbe, s string, x matcher.Sink) {
	if n, ok := plan.Spelled(s); ok {
		for _, id := range f.numbers[n.Float64()] {
			x.Fire(id)
		}
	}
}

// number probes f's number keys with n and reports whether f has text
// keys that n's text could hold, to probe it with too (see numText): the
// ECS view's numbers (process IDs, ports, event codes) go no further for
// most probes.
func (x *scratch) number(f *ixProbe, n float64) bool {
	for _, id := range f.numbers[n] {
		x.Fire(id)
	}
	return f.numTexts
}

// numText probes f's text keys with a number's text, held in b (x.num's
// storage, kept for the next number).
func (x *scratch) numText(f *ixProbe, b []byte) {
	x.num = b
	x.text(f, unsafe.String(unsafe.SliceData(b), len(b)))
}

// text probes f's keys with the string s: its text keys (s folded into
// x.buf where needed), reporting each substring key's automaton state
// once per event, and its number keys with the number s spells, if any:
// both through the cache of strings probed before (probeCache), since
// the strings that spell numbers recur as the others do (logon ids,
// access masks, process ids). The text of a number, probed here after
// its number keys, spells that number again: they fire twice.
func (x *scratch) text(f *ixProbe, s string) {
	if f.texts != nil || f.numbers != nil && plan.LooksNumeric(s) {
		x.cache.find(x, f, s)
	}
}

// lookup reports to sink the keys of f that the string s holds (see
// text), those of substrings once per epoch of m.
func (x *scratch) lookup(f *ixProbe, s string, sink matcher.Sink, m *matcher.Marks) {
	if f.texts != nil {
		f.texts.Find(s, &x.buf, sink, m)
	}
	if f.numbers != nil {
		spelled(f, s, sink)
	}
}
