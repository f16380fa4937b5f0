package match

// keyTable finds a trie node's kids by key, faster than its map: open
// addressing over a hash of the key's length and three of its bytes. The
// probes read only hashes, four bytes a slot (a table of a thousand keys
// stays in the first-level cache), and the key of a slot whose hash
// matches.
type keyTable struct {
	mask   uint32
	hashes []uint32  // per slot: its key's hash with the low bit set, 0 for an empty slot
	slots  []keySlot // per slot: its kid
}

// keySlot is a kid of a keyTable's node.
type keySlot struct {
	key  string
	node *trieNode
}

// newKeyTable returns the table of n's kids.
func newKeyTable(n *trieNode) *keyTable { return keysOf(n.kids) }

// newJoinedTable returns the table of n's descendants two or more steps
// down, by their parts joined with dots ("parent.name").
func newJoinedTable(n *trieNode) *keyTable {
	joined := map[string]*trieNode{}
	var walk func(prefix string, n *trieNode)
	walk = func(prefix string, n *trieNode) {
		for k, c := range n.kids {
			joined[prefix+"."+k] = c
			walk(prefix+"."+k, c)
		}
	}
	for k, c := range n.kids {
		walk(k, c)
	}
	return keysOf(joined)
}

// keysOf returns the table of nodes by key, at most a quarter full.
func keysOf(nodes map[string]*trieNode) *keyTable {
	size := 8
	for size < 4*len(nodes) {
		size *= 2
	}
	t := &keyTable{mask: uint32(size - 1), hashes: make([]uint32, size), slots: make([]keySlot, size)}
	for k, c := range nodes {
		h := keyHash(k)
		i := h & t.mask
		for t.hashes[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.hashes[i], t.slots[i] = h, keySlot{k, c}
	}
	return t
}

// find returns the kid at key, or nil.
func (t *keyTable) find(key []byte) *trieNode { return findKey(t, key) }

// findKey is find for a key of either type.
func findKey[K string | []byte](t *keyTable, key K) *trieNode {
	if sl := findSlot(t, key); sl != nil {
		return sl.node
	}
	return nil
}

// findSlot returns the slot of key, or nil.
func findSlot[K string | []byte](t *keyTable, key K) *keySlot {
	h := keyHash(key)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		switch t.hashes[i] {
		case 0:
			return nil
		case h:
			if sl := &t.slots[i]; sl.key == string(key) {
				return sl
			}
		}
	}
}

// keyHash hashes a key's length and its first, middle and last bytes;
// its low bit is set, so that it is never 0.
func keyHash[K string | []byte](key K) uint32 {
	h := uint64(len(key))
	if n := len(key); n > 0 {
		h |= uint64(key[0])<<32 | uint64(key[n/2])<<40 | uint64(key[n-1])<<48
	}
	return uint32(h*0x9e3779b97f4a7c15>>32) | 1
}
