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
	start, n   int32    // its text and quote in keyOrder.text: text[start:start+n]
	sl         *keySlot // its slot in its node's keyTable, nil for a key that leads nowhere
	head, mask uint64   // the first bytes of its text and quote, little-endian, and the mask of those bytes
	tail       uint64   // the last eight bytes of its text and quote, when there are more than eight
}

// guess reports whether the JSON string at data[i], after its opening
// quote, is the key of member k of the last object, and returns the
// position of its closing quote and its slot (when it is not, they mean
// nothing). Keys of up to fifteen bytes (short) are compared as two
// words at most, which the scan's loop does inlined before it calls
// guess; longer ones by guessLong.
func (o *keyOrder) guess(data []byte, i, k int) (sl *keySlot, j int, ok bool) {
	if key := o.short(k); key != nil && i+16 <= len(data) {
		return key.sl, i + int(key.n) - 1, key.at(data, i)
	}
	return o.guessLong(data, i, k)
}

// short returns the key of member k if it is kept and its text and
// quote are sixteen bytes or fewer, or nil.
func (o *keyOrder) short(k int) *orderKey {
	if uint(k) < uint(len(o.keys)) && o.keys[k].n <= 16 {
		return &o.keys[k]
	}
	return nil
}

// at reports whether data[i:], sixteen bytes or more, starts with key's
// text and quote, sixteen bytes or fewer.
func (key *orderKey) at(data []byte, i int) bool {
	return (binary.LittleEndian.Uint64(data[i:])^key.head)&key.mask == 0 &&
		(key.n <= 8 || binary.LittleEndian.Uint64(data[i+int(key.n)-8:]) == key.tail)
}

// guessLong is guess for keys longer than short ones, and where data
// ends within sixteen bytes of i.
func (o *keyOrder) guessLong(data []byte, i, k int) (sl *keySlot, j int, ok bool) {
	if uint(k) >= uint(len(o.keys)) {
		return nil, 0, false
	}
	key := &o.keys[k]
	n := int(key.n)
	if string(data[i:min(i+n, len(data))]) != string(o.text[key.start:key.start+key.n]) {
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
		start = o.keys[k-1].start + o.keys[k-1].n
	}
	o.keys, o.text = o.keys[:k], o.text[:start]
	if !plain || k >= maxOrderKeys || int(start)+len(key)+1 > maxOrderText {
		return
	}
	o.text = append(append(o.text, key...), '"')
	t := o.text[start:]
	ok := orderKey{start: start, n: int32(len(t)), sl: sl, mask: ^uint64(0)}
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
