package matcher

import "unicode/utf8"

// byteClasses numbers the bytes of keys as Automaton and Anchored class
// them: 0 for bytes in no key, 1 for all non-ASCII bytes, then one class
// per ASCII byte that occurs in a key, upper-case letters sharing their
// lower-case letter's. columns is the number of classes.
func byteClasses(keys []string) (class [256]uint16, columns int) {
	columns = 2
	for c := utf8.RuneSelf; c < 256; c++ {
		class[c] = 1
	}
	for _, k := range keys {
		for i := 0; i < len(k); i++ {
			if c := k[i]; class[c] == 0 {
				class[c] = uint16(columns)
				columns++
			}
		}
	}
	for c := 'A'; c <= 'Z'; c++ {
		class[c] = class[c+'a'-'A']
	}
	return class, columns
}

// keyTrie is a trie of keys under construction, the first step of
// Automaton and Anchored: each node's edges are a linked list (first kid,
// next sibling; the newest kid first) and nodes are numbered as they are
// made, the root 0. Flat arrays of integers, no maps and no slice per
// node: building the index of a large ruleset made millions of small
// slices that the collector had to scan (issue 15, point 7).
type keyTrie struct {
	first   []int32  // per node: its first kid, or -1
	sibling []int32  // per node: its parent's next kid, or -1
	label   []uint16 // per node: the class of the edge into it
	ends    []int32  // per key: the node it ends at
}

// newKeyTrie builds the trie of keys over the byte classes class, each
// key read from its end when reverse is set.
func newKeyTrie(class *[256]uint16, keys []string, reverse bool) *keyTrie {
	size := 1 // nodes at most: the root and one per byte of the keys
	for _, k := range keys {
		size += len(k)
	}
	t := &keyTrie{first: make([]int32, 1, size), sibling: make([]int32, 1, size), label: make([]uint16, 1, size), ends: make([]int32, len(keys))}
	t.first[0], t.sibling[0] = -1, -1
	for i, k := range keys {
		s := int32(0)
		for j := range len(k) {
			if reverse {
				j = len(k) - 1 - j
			}
			c := class[k[j]]
			n := t.first[s]
			for n >= 0 && t.label[n] != c {
				n = t.sibling[n]
			}
			if n < 0 {
				n = int32(len(t.first))
				t.first, t.sibling, t.label = append(t.first, -1), append(t.sibling, t.first[s]), append(t.label, c)
				t.first[s] = n
			}
			s = n
		}
		t.ends[i] = s
	}
	return t
}

// outputs groups ids (keys[i] is reported as ids[i]) by the node their
// key ends at: node n's are byNode[start[n]:start[n+1]], in key order.
func (t *keyTrie) outputs(ids []int32) (start, byNode []int32) {
	n := len(t.first)
	start = make([]int32, n+1)
	for _, e := range t.ends {
		start[e+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	at := make([]int32, n)
	copy(at, start)
	byNode = make([]int32, len(ids))
	for i, e := range t.ends {
		byNode[at[e]] = ids[i]
		at[e]++
	}
	return start, byNode
}
