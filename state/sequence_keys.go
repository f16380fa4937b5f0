package state

import seq "github.com/ruleforge/ruleforge/internal/sequence"

// keyBuf holds the join keys of one hit as bytes (AppendKey), back
// to back, reused from hit to hit.
type keyBuf struct {
	b    []byte
	ends []int
}

// add appends the key of vs.
func (kb *keyBuf) add(vs ...Value) {
	kb.b = AppendKey(kb.b, vs...)
	kb.ends = append(kb.ends, len(kb.b))
}

// each calls fn with each key's bytes.
func (kb *keyBuf) each(fn func([]byte)) {
	start := 0
	for _, end := range kb.ends {
		fn(kb.b[start:end])
		start = end
	}
}

// keys fills kb with the join keys of a hit on st: one per combination of
// the values of its keys (an array gives each element), none when a key
// that is not optional is missing or null. It returns how many
// combinations beyond seq.MaxJoinValues it dropped.
func (kb *keyBuf) keys(st *seq.Stage, vals []Value) (dropped int) {
	kb.b, kb.ends = kb.b[:0], kb.ends[:0]
	simple := true
	for i, v := range vals {
		simple = simple && !v.IsArray() && v != Missing && (v != Null || i < len(st.Optional) && st.Optional[i])
	}
	if simple { // one value each: one key, no combinations
		kb.add(vals...)
		return 0
	}
	combos := [][]Value{nil}
	for i, v := range vals {
		var elems []Value
		for _, e := range v.Elems() {
			if e == Missing || e == Null {
				if i >= len(st.Optional) || !st.Optional[i] {
					continue
				}
				e = Null
			}
			elems = append(elems, e)
		}
		if v.IsArray() && len(elems) == 0 && i < len(st.Optional) && st.Optional[i] {
			elems = []Value{Null}
		}
		if len(elems) == 0 {
			return 0
		}
		next := make([][]Value, 0, len(combos)*len(elems))
		for _, c := range combos {
			for _, e := range elems {
				if len(next) == seq.MaxJoinValues {
					dropped++
					continue
				}
				next = append(next, append(c[:len(c):len(c)], e))
			}
		}
		combos = next
	}
	for _, c := range combos {
		kb.add(c...)
	}
	return dropped
}

// Layout is where a seq.Spec's positive and missing stages lie.
type layout struct {
	firstPos, lastPos int
	prevPos, nextPos  []int // per stage: the positive stage before, after (-1 none)
	leading, trailing bool  // the first, the last stage is a missing event
	middle            []bool
}

// newLayout computes the layout of sp.
func newLayout(sp *seq.Spec) layout {
	n := len(sp.Stages)
	l := layout{firstPos: -1, lastPos: -1, prevPos: make([]int, n), nextPos: make([]int, n), middle: make([]bool, n)}
	last := -1
	for i, st := range sp.Stages {
		l.prevPos[i] = last
		if !st.Missing {
			if l.firstPos < 0 {
				l.firstPos = i
			}
			l.lastPos, last = i, i
		}
	}
	next := -1
	for i := n - 1; i >= 0; i-- {
		l.nextPos[i] = next
		if !sp.Stages[i].Missing {
			next = i
		}
	}
	for i, st := range sp.Stages {
		l.middle[i] = st.Missing && l.prevPos[i] >= 0 && l.nextPos[i] >= 0
	}
	l.leading = n > 0 && sp.Stages[0].Missing
	l.trailing = n > 0 && sp.Stages[n-1].Missing
	return l
}

// alertFields returns an alert's output fields: "sequence", the ordinals
// in stage order (null for a missing event), and "join", the key values.
func alertFields(ords []int64, k Key) []Field {
	seq := make([]any, len(ords))
	for i, o := range ords {
		if o > 0 {
			seq[i] = o
		}
	}
	vals := k.Values()
	join := make([]any, len(vals))
	for i, v := range vals {
		join[i] = v.Any()
	}
	return []Field{{Name: "sequence", Value: seq}, {Name: "join", Value: join}}
}
