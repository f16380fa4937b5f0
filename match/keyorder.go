package match

import "encoding/binary"

// The members of an object at a trie node tend to come in the same order
// from event to event: an .evtx record's come from its template, and its
// JSON dump keeps them. ResetJSON keeps, per trie node, the keys of the
// last object at it in order, and compares the text of a member's key
// with the key at the same place before it finds the key's end and looks
// it up: one comparison of bytes when the order holds. Only plain keys
// (jsonlex.PlainKey bytes: no quote, backslash, dot, control byte or byte
// past ASCII) are kept, so that equal bytes followed by a quote are that
// key (each is kept with its closing quote, and compared with it); keys
// that lead nowhere are kept too, with no slot.

// Limits of a keyOrder, per trie node: the members and the bytes of their
// keys kept. The members after those limits are looked up.
const (
	maxOrderKeys = 512
	maxOrderText = 8 << 10
)

// keyOrder is the order of the members of the last object at a trie node.
type keyOrder struct {
	text []byte     // the keys' texts, each with its closing quote, one after the other
	keys []orderKey // per member: its key
}

// orderKey is a member's key in a keyOrder. Its text and closing quote
// are compared with an event's by words: head holds their first eight
// bytes (fewer under mask) and tail their last eight, so that a key of
// up to fifteen bytes, most keys, is two comparisons of words.
type orderKey struct {
	start, end int32    // its text and quote in keyOrder.text
	sl         *keySlot // its slot in its node's keyTable, nil for a key that leads nowhere
	head, mask uint64   // the first bytes of its text and quote, little-endian, and the mask of those bytes
	tail       uint64   // the last eight bytes of its text and quote, when there are more than eight
}

// guess reports whether the JSON string at data[i], after its opening
// quote, is the key of member k of the last object, and returns the
// position of its closing quote and its slot.
func (o *keyOrder) guess(data []byte, i, k int) (sl *keySlot, j int, ok bool) {
	if uint(k) >= uint(len(o.keys)) {
		return nil, 0, false
	}
	key := &o.keys[k]
	n := int(key.end - key.start) // the key's length and its quote
	switch {
	case i+16 > len(data):
		if string(data[i:min(i+n, len(data))]) != string(o.text[key.start:key.end]) {
			return nil, 0, false
		}
	case (binary.LittleEndian.Uint64(data[i:])^key.head)&key.mask != 0:
		return nil, 0, false
	case n <= 8:
	case n <= 16:
		if binary.LittleEndian.Uint64(data[i+n-8:]) != key.tail {
			return nil, 0, false
		}
	case string(data[i+8:min(i+n, len(data))]) != string(o.text[key.start+8:key.end]):
		return nil, 0, false
	}
	return key.sl, i + n - 1, true
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
	if !plain || k >= maxOrderKeys || int(start)+len(key)+1 > maxOrderText {
		return
	}
	o.text = append(append(o.text, key...), '"')
	t := o.text[start:]
	ok := orderKey{start: start, end: int32(len(o.text)), sl: sl, mask: ^uint64(0)}
	var head [8]byte
	copy(head[:], t)
	ok.head = binary.LittleEndian.Uint64(head[:])
	if len(t) < 8 {
		ok.mask = 1<<(8*len(t)) - 1
	} else {
		ok.tail = binary.LittleEndian.Uint64(t[len(t)-8:])
	}
	o.keys = append(o.keys, ok)
}
