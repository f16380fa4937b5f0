package matcher

// Anchored is a trie of folded texts that a value must start with (a
// prefix trie) or end with (a suffix trie, built over reversed texts):
// one walk from the anchored end of a value, a table lookup per byte,
// finds every key it holds, and stops where no key continues. Bytes are
// classed as in Automaton: upper-case ASCII letters with their lower
// case, all non-ASCII bytes in one class (a superset, never a miss).
type Anchored struct {
	class   [256]uint16
	columns int
	next    []int32 // next[state*columns+class], 0: no key continues (the root is never re-entered)
	out     []int32 // per state: where its keys start in outs, or -1
	outs    []int32 // key ids, each state's run ended by -1
	suffix  bool    // walk from the end
}

// NewAnchored builds the trie of keys (reported as ids), walked from the
// start of a value, or from its end when suffix is set.
func NewAnchored(keys []string, ids []int32, suffix bool) *Anchored {
	a := &Anchored{suffix: suffix}
	a.class, a.columns = byteClasses(keys)
	t := newKeyTrie(&a.class, keys, suffix)
	start, byNode := t.outputs(ids)
	n := len(t.first)
	a.next = make([]int32, n*a.columns)
	a.out = make([]int32, n)
	for s := range n {
		for k := t.first[s]; k >= 0; k = t.sibling[k] {
			a.next[s*a.columns+int(t.label[k])] = k
		}
		a.out[s] = -1
		if l := byNode[start[s]:start[s+1]]; len(l) > 0 {
			a.out[s] = int32(len(a.outs))
			a.outs = append(append(a.outs, l...), -1)
		}
	}
	return a
}

// States returns the number of states.
func (a *Anchored) States() int { return len(a.out) }

// Walk reports to x every key that text (folded but for ASCII upper-case
// letters) starts with, or ends with for a suffix trie.
func (a *Anchored) Walk(text string, x Sink) {
	s := int32(0)
	for j := range len(text) {
		if a.suffix {
			j = len(text) - 1 - j
		}
		if s = a.next[int(s)*a.columns+int(a.class[text[j]])]; s == 0 {
			return
		}
		if i := a.out[s]; i >= 0 {
			for ; a.outs[i] >= 0; i++ {
				x.Fire(a.outs[i])
			}
		}
	}
}

// has reports whether text (folded but for ASCII upper-case letters)
// starts with, or for a suffix trie ends with, a key.
func (a *Anchored) has(text string) bool {
	s := int32(0)
	for j := range len(text) {
		if a.suffix {
			j = len(text) - 1 - j
		}
		if s = a.next[int(s)*a.columns+int(a.class[text[j]])]; s == 0 {
			return false
		}
		if a.out[s] >= 0 {
			return true
		}
	}
	return false
}
