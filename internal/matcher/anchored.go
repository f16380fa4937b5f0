package matcher

// Anchored is a trie of folded texts that a value must start with (a
// prefix trie) or end with (a suffix trie, built over reversed texts):
// one walk from the anchored end of a value, a table lookup per byte,
// finds every key it holds, and stops where no key continues. Bytes are
// classed as in Automaton: upper-case ASCII letters with their lower
// case, all non-ASCII bytes in one class (a superset, never a miss).
type Anchored struct {
	class   [256]uint16
	columns int      // even: a step's low bit is free for emitBit
	next    []uint32 // next[o+class]: the next state's offset o (state*columns), with emitBit; 0: no key continues (the root is never re-entered)
	out     []int32  // per state: where its keys start in outs, or -1
	outs    []int32  // key ids, each state's run ended by -1
	suffix  bool     // walk from the end
}

// NewAnchored builds the trie of keys (reported as ids), walked from the
// start of a value, or from its end when suffix is set.
func NewAnchored(keys []string, ids []int32, suffix bool) *Anchored {
	a := &Anchored{suffix: suffix}
	a.class, a.columns = byteClasses(keys)
	a.columns += a.columns % 2
	t := newKeyTrie(&a.class, keys, suffix)
	start, byNode := t.outputs(ids)
	n := len(t.first)
	a.next = make([]uint32, n*a.columns)
	a.out = make([]int32, n)
	for s := range n {
		a.out[s] = -1
		if l := byNode[start[s]:start[s+1]]; len(l) > 0 {
			a.out[s] = int32(len(a.outs))
			a.outs = append(append(a.outs, l...), -1)
		}
	}
	for s := range n {
		for k := t.first[s]; k >= 0; k = t.sibling[k] {
			o := uint32(k) * uint32(a.columns)
			if a.out[k] >= 0 {
				o |= emitBit
			}
			a.next[s*a.columns+int(t.label[k])] = o
		}
	}
	return a
}

// States returns the number of states.
func (a *Anchored) States() int { return len(a.out) }

// Walk reports to x every key that text (folded but for ASCII upper-case
// letters) starts with, or ends with for a suffix trie. A step is an
// offset into next with the emit flag, as Automaton's are: out is read
// only where a key ends, not at every byte, and a step is a load without
// a multiplication.
func (a *Anchored) Walk(text string, x Sink) {
	if a.suffix {
		o := uint32(0)
		for j := len(text) - 1; j >= 0; j-- {
			if o = a.next[o+uint32(a.class[text[j]])]; o == 0 {
				return
			}
			if o&emitBit != 0 {
				o &^= emitBit
				a.fire(o, x)
			}
		}
		return
	}
	o := uint32(0)
	for j := 0; j < len(text); j++ {
		if o = a.next[o+uint32(a.class[text[j]])]; o == 0 {
			return
		}
		if o&emitBit != 0 {
			o &^= emitBit
			a.fire(o, x)
		}
	}
}

// fire reports to x the keys of the state at offset o (without emitBit).
func (a *Anchored) fire(o uint32, x Sink) {
	for i := a.out[o/uint32(a.columns)]; a.outs[i] >= 0; i++ {
		x.Fire(a.outs[i])
	}
}

// has reports whether text (folded but for ASCII upper-case letters)
// starts with, or for a suffix trie ends with, a key.
func (a *Anchored) has(text string) bool {
	o := uint32(0)
	for j := range len(text) {
		if a.suffix {
			j = len(text) - 1 - j
		}
		if o = a.next[o+uint32(a.class[text[j]])]; o == 0 {
			return false
		}
		if o&emitBit != 0 {
			return true
		}
	}
	return false
}
