package match

// automaton is an Aho–Corasick automaton compiled to a DFA: it finds, in
// one pass over a text, every occurrence of a set of byte strings (the
// rule index's substring keys, already folded). Bytes that occur in no
// key share one class, so the transition table has one column per
// distinct key byte plus one.
type automaton struct {
	class   [256]uint16 // byte -> column
	columns int
	next    []int32 // next[state*columns+class]
	out     []int32 // key id ending at state, or -1
	link    []int32 // the nearest proper suffix state with an output, or -1
	emit    []bool  // out or link set: the state reports something
}

// newAutomaton builds the automaton for keys, reporting keys[i] as
// ids[i]. Keys must be distinct, not empty and folded; ASCII upper-case
// letters share their lower-case letter's column, so an ASCII text can be
// scanned without folding it. States are numbered breadth first, so the
// shallow states that most bytes of a text visit share cache lines.
func newAutomaton(keys []string, ids []int32) *automaton {
	a := &automaton{columns: 1}
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			if c := k[i]; a.class[c] == 0 {
				a.class[c] = uint16(a.columns)
				a.columns++
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		a.class[c] = a.class[c+'a'-'A']
	}
	// The trie, with edges in maps, then numbered breadth first.
	type tnode struct {
		kids map[uint16]int
		out  int32
	}
	trie := []tnode{{out: -1}}
	for i, k := range keys {
		s := 0
		for j := 0; j < len(k); j++ {
			c := a.class[k[j]]
			t, ok := trie[s].kids[c]
			if !ok {
				if trie[s].kids == nil {
					trie[s].kids = map[uint16]int{}
				}
				t = len(trie)
				trie[s].kids[c] = t
				trie = append(trie, tnode{out: -1})
			}
			s = t
		}
		trie[s].out = ids[i]
	}
	order := make([]int, 0, len(trie)) // breadth first
	num := make([]int32, len(trie))    // trie node -> state
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		n := order[i]
		for c := uint16(0); c < uint16(a.columns); c++ {
			if t, ok := trie[n].kids[c]; ok {
				num[t] = int32(len(order))
				order = append(order, t)
			}
		}
	}
	n := len(trie)
	a.next = make([]int32, n*a.columns)
	a.out = make([]int32, n)
	a.link = make([]int32, n)
	a.emit = make([]bool, n)
	for i := range a.next {
		a.next[i] = -1
	}
	for s, t := range order {
		a.out[s] = trie[t].out
		a.link[s] = -1
		for c, k := range trie[t].kids {
			a.next[s*a.columns+int(c)] = num[k]
		}
	}
	// Breadth first again: fail links become DFA transitions.
	fail := make([]int32, n)
	for c := 0; c < a.columns; c++ {
		if a.next[c] < 0 {
			a.next[c] = 0
		}
	}
	for s := 1; s < n; s++ { // states are in breadth-first order
		f := fail[s]
		if a.out[f] >= 0 {
			a.link[s] = f
		} else {
			a.link[s] = a.link[f]
		}
		a.emit[s] = a.out[s] >= 0 || a.link[s] >= 0
		for c := 0; c < a.columns; c++ {
			t := &a.next[s*a.columns+c]
			via := a.next[int(f)*a.columns+c]
			if *t < 0 {
				*t = via
			} else {
				fail[*t] = via
			}
		}
	}
	return a
}

// states returns the number of states.
func (a *automaton) states() int { return len(a.out) }

// scan reports to x every key of a occurring in text, which must be
// folded but for ASCII upper-case letters.
func (a *automaton) scan(text string, x *scratch) {
	s := int32(0)
	cols := int32(a.columns)
	for i := 0; i < len(text); i++ {
		s = a.next[s*cols+int32(a.class[text[i]])]
		if a.emit[s] {
			for o := s; o >= 0; o = a.link[o] {
				if id := a.out[o]; id >= 0 {
					x.fire(id)
				}
			}
		}
	}
}
