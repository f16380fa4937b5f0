package match

import (
	"encoding/json"
	"strconv"
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

// probeSlot fires the presence keys of p, when v is present, and probes
// v's texts, when it has been decoded.
func (x *scratch) probeSlot(p *ixProbe, v any, present bool) {
	if !present {
		return
	}
	if s, ok := v.(string); ok {
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
	if v != nil {
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
// when it knows them all, otherwise at each slot with keys.
func (ix *index) probePhase(x *scratch, ph int) {
	r, probes := x.cur, ix.probes[ph]
	if r.complete {
		for i := range r.items {
			it := &r.items[i]
			if int(it.slot) >= len(probes) {
				continue // a slot of the record's own (Ruleset.NewRecordWith)
			}
			if p := probes[it.slot]; p != nil {
				v := r.keyed(it)
				x.probeSlot(p, v, v != nil || it.lazy != 0)
			}
		}
	} else {
		for s, p := range probes {
			if p == nil {
				continue
			}
			v, ok := r.Lookup(r.st.paths[s])
			x.probeSlot(p, v, ok && v != nil)
		}
	}
	if ap := ix.anyProbe[ph]; ap != nil && (ph == 0 || x.pendingAny > 0) {
		if s := r.text(); ap.raw != nil && s != nil {
			ap.raw.ScanJSON(s.data, x) // one pass over the text, not one per value
			x.anyPhase = ph
			for _, v := range r.added {
				each(v, func(v any) bool {
					// The raw scan found every key of a part of the
					// event's text or of its decoded strings: keys
					// are sought there as substrings.
					if str, ok := v.(string); ok && s.holds(str) {
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

// texts probes f's keys with v the way Test.value compares it: strings
// and the text of numbers and booleans against the text keys, numbers and
// strings that spell numbers against the number keys, arrays element by
// element.
func (x *scratch) texts(f *ixProbe, v any) {
	switch t := v.(type) {
	case string:
		x.text(f, t)
		if f.numbers != nil && plan.LooksNumeric(t) {
			x.spelled(f, t)
		}
	case []any:
		for _, e := range t {
			x.texts(f, e)
		}
	case []string:
		for _, e := range t {
			x.texts(f, e)
		}
	case json.Number:
		x.text(f, string(t))
		if f.numbers != nil && plan.LooksNumeric(string(t)) {
			x.spelled(f, string(t))
		}
	case float64:
		if x.number(f, t) {
			x.numText(f, strconv.AppendFloat(x.num[:0], t, 'f', -1, 64))
		}
	case float32:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendFloat(x.num[:0], float64(t), 'f', -1, 64))
		}
	case int:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], int64(t), 10))
		}
	case int64:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], t, 10))
		}
	case int32:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], int64(t), 10))
		}
	case uint32:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendInt(x.num[:0], int64(t), 10))
		}
	case uint64:
		if x.number(f, float64(t)) {
			x.numText(f, strconv.AppendUint(x.num[:0], t, 10))
		}
	case bool:
		x.text(f, strconv.FormatBool(t))
	}
}

// spelled probes f's number keys with the number s spells.
func (x *scratch) spelled(f *ixProbe, s string) {
	if n, ok := plan.Spelled(s); ok {
		for _, id := range f.numbers[n.Float64()] {
			x.Fire(id)
		}
	}
}

// number probes f's number keys with n and reports whether f has text
// keys to probe with n's text too (see numText).
func (x *scratch) number(f *ixProbe, n float64) bool {
	for _, id := range f.numbers[n] {
		x.Fire(id)
	}
	return f.exact != nil || f.pre != nil || f.suf != nil || f.ac != nil
}

// numText probes f's text keys with a number's text, held in b (x.num's
// storage, kept for the next number).
func (x *scratch) numText(f *ixProbe, b []byte) {
	x.num = b
	x.text(f, unsafe.String(unsafe.SliceData(b), len(b)))
}

// text folds s and probes f's text keys with it. An ASCII value is only
// folded for the exact keys, and only when one is as long: the tries and
// the automaton fold ASCII letters themselves.
func (x *scratch) text(f *ixProbe, s string) {
	folded, ascii := s, matcher.IsASCII(s)
	if !ascii {
		x.buf = matcher.AppendFold(x.buf[:0], s)
		folded = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
	}
	if f.exact != nil && f.lens&lenBit(len(folded)) != 0 {
		if ascii && matcher.NeedsFold(s) {
			x.buf = matcher.AppendFold(x.buf[:0], s)
			folded = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
		}
		for _, id := range f.exact[folded] {
			x.Fire(id)
		}
	}
	if f.pre != nil {
		f.pre.Walk(folded, x)
	}
	if f.suf != nil {
		f.suf.Walk(folded, x)
	}
	if f.ac != nil {
		f.ac.Scan(folded, x)
	}
}

// lenBit is the bit of ixProbe.lens for a text n bytes long.
func lenBit(n int) uint64 { return 1 << min(n, 63) }
