package match

// The members of an object at a trie node tend to come in the same order
// from event to event: an .evtx record's come from its template, and its
// JSON dump keeps them. ResetJSON keeps, per trie node, the keys of the
// last object at it in order, and compares the text of a member's key
// with the key at the same place before it finds the key's end and looks
// it up: one comparison of bytes when the order holds. Only plain keys
// (jsonlex.PlainKey bytes: no quote, backslash, dot, control byte or byte
// past ASCII) are kept, so that equal bytes followed by a quote are that
// key; keys that lead nowhere are kept too, with no slot.

// Limits of a keyOrder, per trie node: the members and the bytes of their
// keys kept. The members after those limits are looked up.
const (
	maxOrderKeys = 512
	maxOrderText = 8 << 10
)

// keyOrder is the order of the members of the last object at a trie node.
type keyOrder struct {
	text []byte     // the keys' texts, one after the other
	keys []orderKey // per member: its key
}

// orderKey is a member's key in a keyOrder.
type orderKey struct {
	end int32    // the end of its text in keyOrder.text; it starts at the previous key's end
	sl  *keySlot // its slot in its node's keyTable, nil for a key that leads nowhere
}

// guess reports whether the JSON string at data[i], after its opening
// quote, is the key of member k of the last object, and returns the
// position of its closing quote and its slot.
func (o *keyOrder) guess(data []byte, i, k int) (sl *keySlot, j int, ok bool) {
	if k >= len(o.keys) {
		return nil, 0, false
	}
	start := int32(0)
	if k > 0 {
		start = o.keys[k-1].end
	}
	key := o.text[start:o.keys[k].end]
	if j = i + len(key); j < len(data) && data[j] == '"' && string(data[i:j]) == string(key) {
		return o.keys[k].sl, j, true
	}
	return nil, 0, false
}

// learn makes key, with slot sl, the key of member k in place of what the
// last object had there and after, if key is plain and the members before
// k are kept.
func (o *keyOrder) learn(k int, key []byte, sl *keySlot, plain bool) {
	if k > len(o.keys) {
		return
	}
	start := int32(0)
	if k > 0 {
		start = o.keys[k-1].end
	}
	o.keys, o.text = o.keys[:k], o.text[:start]
	if !plain || k >= maxOrderKeys || int(start)+len(key) > maxOrderText {
		return
	}
	o.text = append(o.text, key...)
	o.keys = append(o.keys, orderKey{int32(len(o.text)), sl})
}
