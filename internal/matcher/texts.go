package matcher

import "unsafe"

// Texts finds which of many folded texts a value equals, starts with,
// ends with or contains, in one look-up each: a hash map of the exact
// texts, a prefix and a suffix trie, and an Aho–Corasick automaton of the
// substrings. A Set holds one and asks whether any text is there; the
// rule index (package match) holds one per probe and fires the ids of the
// texts found. Both build it with NewTexts.
type Texts struct {
	exact    map[string][]int32 // exact text -> ids
	lens     uint64             // bit n: an exact text is n bytes long (bit 63: 63 or more)
	pre, suf *Anchored
	sub      *Automaton
}

// NewTexts builds the Texts of needs, each reported as ids[i]; nil when
// there are none. The texts must be folded (Fold).
func NewTexts(needs []Need, ids []int32) *Texts { return newTexts(needs, ids, true) }

// newTexts is NewTexts, whose automaton is for Find when scans is set,
// and only for has otherwise (see newAutomaton).
func newTexts(needs []Need, ids []int32, scans bool) *Texts {
	if len(needs) == 0 {
		return nil
	}
	t := &Texts{}
	var pres, sufs, subs []string
	var preIDs, sufIDs, subIDs []int32
	for i, n := range needs {
		switch n.Kind {
		case NeedExact:
			if t.exact == nil {
				t.exact = map[string][]int32{}
			}
			t.exact[n.Text] = append(t.exact[n.Text], ids[i])
			t.lens |= lenBit(len(n.Text))
		case NeedPrefix:
			pres, preIDs = append(pres, n.Text), append(preIDs, ids[i])
		case NeedSuffix:
			sufs, sufIDs = append(sufs, n.Text), append(sufIDs, ids[i])
		default:
			subs, subIDs = append(subs, n.Text), append(subIDs, ids[i])
		}
	}
	if len(pres) > 0 {
		t.pre = NewAnchored(pres, preIDs, false)
	}
	if len(sufs) > 0 {
		t.suf = NewAnchored(sufs, sufIDs, true)
	}
	if len(subs) > 0 {
		t.sub = newAutomaton(subs, subIDs, scans)
	}
	return t
}

// lenBit is the bit of Texts.lens for a text n bytes long.
func lenBit(n int) uint64 { return 1 << min(n, 63) }

// States returns the number of states of the tries and the automaton.
func (t *Texts) States() int {
	n := 0
	if t.pre != nil {
		n += t.pre.States()
	}
	if t.suf != nil {
		n += t.suf.States()
	}
	if t.sub != nil {
		n += t.sub.States()
	}
	return n
}

// Find reports to x the ids of the texts s holds, those of substrings
// once per epoch of m (Automaton.ScanMarked; m may be nil). It folds s,
// into *buf, only where the look-ups need it: the tries and the automaton
// fold ASCII letters themselves, so an ASCII value is folded only for the
// exact texts, and only when one is as long.
func (t *Texts) Find(s string, buf *[]byte, x Sink, m *Marks) {
	folded, ascii := s, IsASCII(s)
	if !ascii {
		*buf = AppendFold((*buf)[:0], s)
		folded = unsafe.String(unsafe.SliceData(*buf), len(*buf))
	}
	if t.exact != nil && t.lens&lenBit(len(folded)) != 0 {
		if ascii && NeedsFold(s) {
			*buf = AppendFold((*buf)[:0], s)
			folded = unsafe.String(unsafe.SliceData(*buf), len(*buf))
		}
		for _, id := range t.exact[folded] {
			x.Fire(id)
		}
	}
	if t.pre != nil {
		t.pre.Walk(folded, x)
	}
	if t.suf != nil {
		t.suf.Walk(folded, x)
	}
	if t.sub != nil {
		t.sub.ScanMarked(folded, x, m)
	}
}

// has reports whether v, folded but for ASCII upper-case letters (and
// folded in full when there are exact texts), holds a text.
func (t *Texts) has(v string) bool {
	if t.exact != nil {
		if _, ok := t.exact[v]; ok {
			return true
		}
	}
	return (t.pre != nil && t.pre.has(v)) || (t.suf != nil && t.suf.has(v)) || (t.sub != nil && t.sub.has(v))
}
