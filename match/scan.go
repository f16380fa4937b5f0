package match

import (
	"bytes"
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/jsonlex"
)

// Reading a Record straight from JSON text. ResetJSON makes one pass over
// an event's bytes that follows the slot trie: a key that continues a
// slot's path is entered or recorded, every other value is only checked
// and skipped. Nothing is decoded that no slot reads, and the values
// recorded share memory with the text and with the Record's buffers, so
// that an event whose slots hold strings, numbers and booleans costs no
// allocation. Each collects the event's values from the text the same
// way. Whatever the pass does not handle goes to ParseJSON and
// Record.Reset, which give the same results.

// ResetJSON fills r from data, one JSON object, as Reset(ParseJSON(data))
// would: every slot's value is the same, of the same type (string,
// json.Number, bool, nil, []any, map[string]any), and so is what Lookup
// returns for other paths and what Each visits. It reads only the parts of
// data that the slots' paths reach; Each reads data again, and a lookup
// of a path without a slot decodes it in full, on their first use.
//
// When ParseJSON(data) fails, ResetJSON returns the same error and r
// holds an empty event. A key that holds dots is followed as the path of
// its parts, as Map looks it up. A key repeated in an object has the
// value of its last occurrence, as in ParseJSON (and encoding/json): the
// values the pass recorded from an earlier one are dropped. Events the
// pass does not read itself, where a slot's path runs through an array, a
// slot is reached both through a dotted key and otherwise, or the value is
// followed by more than white space, are decoded with ParseJSON.
//
// The strings, numbers and arrays r holds may share memory with data and
// with r's buffers: data must not change until r's next Reset or
// ResetJSON, and the values r returns (from Lookup, Each and the Record's
// event) are valid until then only.
func (r *Record) ResetJSON(data []byte) error {
	s := r.scan
	if s == nil {
		s = newScanner(r)
		r.scan = s
	}
	r.reset(s, false)
	s.begin(data)
	if s.event() {
		r.walked, r.complete = true, true
		return nil
	}
	s.begin(nil)
	doc, err := ParseJSON(data)
	if err != nil {
		r.reset(s, false) // s holds no event: every path is absent
		r.walked, r.complete = true, true
		return err
	}
	r.reset(doc, true)
	return nil
}

// newScanner returns the scanner of record r.
func newScanner(r *Record) *scanner {
	n := r.st.nodes
	return &scanner{
		rec: r, nodes: make([]nodeState, n), tables: make([]*keyTable, n), orders: make([]keyOrder, n),
	}
}

// scanner is a Record's state for ResetJSON. It is also the Record's
// event after ResetJSON: a Walker over the text, and an Event that decodes
// the text in full on the first lookup.
type scanner struct {
	rec    *Record
	data   []byte
	doc    *Doc        // data decoded, once needed
	gen    uint32      // the event's number, for nodeState.seen
	nodes  []nodeState // per trie node: what this event's members did there
	objs   uint32      // the objects of the slot trie entered in this event, numbered from 1
	starts []int       // the first item of each member being scanned, outermost first
	tables []*keyTable // per trie node: its kids by key, made on first use
	orders []keyOrder  // per trie node: the order of the members of the last object at it (keyorder.go)

	// The memory of the values held, reused from event to event. Values
	// point into it, so each grows by starting a bigger chunk, never by
	// moving what it has handed out.
	text  chunks[byte]   // unescaped strings
	strs  chunks[string] // the strings and numbers that values point to
	lists chunks[[]any]  // the arrays that values point to
	elems chunks[any]    // the arrays' elements

	stack  []any  // the elements of the arrays being decoded
	key    []byte // an unescaped key
	dotted bool   // a key with dots led to a trie node

	// Each's values.
	collected bool              // vals or whole is set
	whole     bool              // Each visits the decoded event's values
	vals      []any             // the scalar values, collected from the text (dropped ones are tomb)
	dropped   int               // the tombs in vals
	keys      []span            // the keys of the objects being collected
	kvals     []span            // per key: the vals its value added (end -1 while it is collected)
	live      []int32           // compactVals's memory
	many      map[string]uint64 // the keys of objects with many, by text: the object's serial
	serial    uint64            // numbers the objects with many keys
}

// span is the position of a text in the event: data[start:end].
type span struct{ start, end int }

// nodeState is what the members of an event did at a trie node, kept
// together so that a member reads and writes one place.
type nodeState struct {
	seen  uint32 // the gen of the last event that entered the node
	owner uint32 // in this event: the object (its number) whose key entered the node last, 0 for a dotted key
	found span   // in this event: the record's items its last value added
}

// Lookup returns the value at p in the event decoded in full.
func (s *scanner) Lookup(p *Path) (any, bool) {
	if d := s.decoded(); d != nil {
		return d.Lookup(p)
	}
	return nil, false
}

// decoded returns the event decoded in full, decoding it on first use;
// nil when s holds no event.
func (s *scanner) decoded() *Doc {
	if s.doc == nil && s.data != nil {
		var err error
		if s.doc, err = ParseJSON(s.data); err != nil {
			s.data = nil // cannot happen: the pass found data valid
		}
	}
	return s.doc
}

// begin starts an event: data, nothing decoded, the buffers free.
func (s *scanner) begin(data []byte) {
	s.data, s.doc = data, nil
	s.text.reset()
	s.strs.reset()
	s.lists.reset()
	s.elems.reset()
	clear(s.stack)
	s.stack = s.stack[:0]
	clear(s.vals)
	s.vals, s.keys, s.kvals, s.dropped = s.vals[:0], s.keys[:0], s.kvals[:0], 0
	s.collected, s.whole, s.dotted = false, false, false
	s.objs, s.starts = 0, s.starts[:0]
	if s.gen++; s.gen == 0 {
		clear(s.nodes)
		s.gen = 1
	}
}

// fail is the position the scanning functions return when the pass
// stops: the text is not valid JSON, or the pass leaves it to ParseJSON.
const fail = jsonlex.Fail

// event scans s.data and fills s.rec, reporting whether it could.
func (s *scanner) event() bool {
	data := s.data
	i := jsonlex.SkipSpace(data, 0)
	if i == len(data) || data[i] != '{' {
		return false // not an object: ParseJSON says what it is
	}
	if root := s.rec.st.root; root.kids == nil {
		i = s.skipObject(i+1, 1)
	} else {
		i = s.object(root, i+1, 1)
	}
	return i >= 0 && jsonlex.SkipSpace(data, i) == len(data)
}

// object scans the members of an object at trie node n from data[i],
// after its '{', at nesting depth depth: it enters or records the values
// of the keys that continue n's paths and skips the others. It returns
// the position after the object.
func (s *scanner) object(n *trieNode, i, depth int) int {
	if depth > MaxEventDepth || s.objs == math.MaxUint32 {
		return fail
	}
	s.objs++
	obj := s.objs
	data := s.data
	kids := s.table(n)
	if i = jsonlex.SkipSpace(data, i); i < len(data) && data[i] == '}' {
		return i + 1
	}
	order := &s.orders[n.id]
	for k := 0; ; k++ { // k: the member's place in the object
		if i >= len(data) || data[i] != '"' {
			return fail
		}
		var c *trieNode
		in := obj // the object that holds the key, 0 for a key with dots
		var sl *keySlot
		j, ok := 0, false
		if key := order.short(k); key != nil && i+17 <= len(data) {
			sl, j, ok = key.sl, i+int(key.n), key.at(data, i+1) // guess's first case, inlined
		} else {
			sl, j, ok = order.guess(data, i+1, k)
		}
		if ok {
			if sl != nil {
				c = sl.node
			}
		} else {
			plain := false
			if c, sl, j, in, plain = s.keyAt(n, kids, i+1, obj); j < 0 {
				return fail
			}
			order.learn(k, data[i+1:j], sl, plain)
		}
		if i = j + 1; i >= len(data) || data[i] != ':' { // most often right after the key
			if i = jsonlex.SkipSpace(data, i); i >= len(data) || data[i] != ':' {
				return fail
			}
		}
		i = jsonlex.SkipSpace(data, i+1)
		switch {
		case c == nil:
			i = s.skip(i, depth)
		case c.kids == nil && c.slot >= 0 && s.nodes[c.id].seen != s.gen && i < len(data) && i < math.MaxInt32 && (data[i] == '"' || '0' <= data[i] && data[i] <= '9'):
			// Most members: a string or a number at a leaf, first met
			// in the event (member's work, but for a repeated key and
			// compaction).
			s.nodes[c.id] = nodeState{seen: s.gen, owner: in, found: span{len(s.rec.items), len(s.rec.items) + 1}}
			if data[i] != '"' {
				end := jsonlex.NumberEnd(data, i)
				if end < 0 {
					return fail
				}
				s.rec.add(c.slot, s.box(numberWord, unsafe.String(&data[i], end-i)))
				i = end
				break
			}
			end, esc, high := jsonlex.StringEnd(data, i+1)
			if end < 0 {
				return fail
			}
			if esc || high {
				s.addString(c, i, end, esc, high)
			} else { // addString's first case, inlined
				s.rec.add(c.slot, s.box(stringWord, unsafe.String(&data[i+1], end-i-1)))
			}
			i = end + 1
		default:
			i = s.member(c, i, depth, in)
		}
		if uint(i) < uint(len(data)) && data[i] == ',' { // most often right after the value
			i = jsonlex.SkipSpace(data, i+1)
			continue
		}
		if i < 0 {
			return fail
		}
		more := false
		if i, more = jsonlex.Next(data, i, '}'); !more {
			return i
		}
	}
}

// keyAt reads the key at data[i], after its opening quote, of a member of
// object obj at trie node n, whose kids are kids. It returns the trie node
// the key leads to (nil: none), the slot of kids that holds it (nil: none,
// or a key that is not plain), the position of its closing quote (fail: not
// a valid string), the object that holds the key (obj, or 0 for a key with
// dots, which leads through n's descendants) and whether the key is plain:
// jsonlex.PlainKey bytes only, its text as it is.
func (s *scanner) keyAt(n *trieNode, kids *keyTable, i int, obj uint32) (c *trieNode, sl *keySlot, j int, in uint32, plain bool) {
	data := s.data
	j = jsonlex.KeyEnd(data, i)
	dot := j < len(data) && data[j] == '.' // a plain key with dots: through them at once
	for dot && j < len(data) && (jsonlex.PlainKey[data[j]] || data[j] == '.') {
		j++
	}
	if j >= len(data) {
		return nil, nil, fail, 0, false
	}
	switch {
	case data[j] == '"' && !dot:
		if sl = findSlot(kids, data[i:j]); sl != nil {
			c = sl.node
		}
		return c, sl, j, obj, true
	case data[j] == '"':
		c = s.throughDots(n, data[i:j])
		s.dotted = s.dotted || c != nil
		return c, nil, j, 0, false
	}
	end, esc, high := jsonlex.StringEnd(data, j)
	if end < 0 {
		return nil, nil, fail, 0, false
	}
	key := data[i:end]
	if esc || high && !utf8.Valid(key) {
		s.key = jsonlex.AppendUnquoted(s.key[:0], key)
		key = s.key
	}
	if bytes.IndexByte(key, '.') >= 0 {
		c = s.throughDots(n, key)
		s.dotted = s.dotted || c != nil
		return c, nil, end, 0, false
	}
	return kids.find(key), nil, end, obj, false
}

// throughDots returns the trie node that key, which holds dots, leads to
// from n as the path of its parts ("process.name" at the root: the node
// of process.name), or nil: one lookup in a table of n's descendants by
// their joined keys. A Doc looks such a key up as those parts joined
// (Map): a value found both this way and through nested objects reaches
// one node twice, which member turns down (the event goes to ParseJSON,
// whose lookups prefer the nested one).
func (s *scanner) throughDots(n *trieNode, key []byte) *trieNode {
	return s.rec.joinedTable(n).find(key)
}

// table returns n's kids by key, made on first use.
func (s *scanner) table(n *trieNode) *keyTable {
	t := s.tables[n.id]
	if t == nil {
		t = newKeyTable(n)
		s.tables[n.id] = t
	}
	return t
}

// member scans the value at data[i] of a key that leads to trie node c,
// in object in (its number; 0 for a key with dots) at depth depth, and
// returns the position after it. A key repeated in its object drops what
// its earlier value added: the last value wins. The keys under an earlier
// value of a repeated key count as new under the last (their owner is an
// object the repetition dropped). A node reached both through a dotted key
// and otherwise is left to ParseJSON, whose lookups prefer nested objects.
//
// The value of a leaf of the trie is a slot's only (slotValue): no member
// within it moves the record's items (compact), so its first item is kept
// here rather than on s.starts.
func (s *scanner) member(c *trieNode, i, depth int, in uint32) int {
	st := &s.nodes[c.id]
	if st.seen == s.gen {
		switch o := st.owner; {
		case o == 0 || in == 0:
			return fail
		case o == in:
			s.rec.drop(st.found)
		}
	}
	st.seen, st.owner = s.gen, in
	start := len(s.rec.items)
	if c.kids == nil {
		i = s.slotValue(c, i, depth)
	} else {
		s.starts = append(s.starts, start)
		i = s.memberValue(c, i, depth)
		start = s.starts[len(s.starts)-1]
		s.starts = s.starts[:len(s.starts)-1]
	}
	st.found = span{start, len(s.rec.items)}
	if s.rec.dead > minCompact && s.rec.dead > len(s.rec.items)/2 {
		s.compact()
	}
	return i
}

// compact drops the dead items of the record (compactItems) and moves the
// nodes' spans of items and the members' starts with them. A span past
// the items is one that drop cut off, of a node whose object a repeated
// key dropped: it is never dropped again.
func (s *scanner) compact() {
	n := len(s.rec.items)
	live := s.rec.compactItems()
	for id := range s.nodes {
		if f := &s.nodes[id].found; s.nodes[id].seen == s.gen && f.end <= n {
			f.start, f.end = int(live[f.start]), int(live[f.end])
		} else {
			*f = span{}
		}
	}
	for k, start := range s.starts {
		s.starts[k] = int(live[start])
	}
}

// memberValue is member's scan of the value.
func (s *scanner) memberValue(c *trieNode, i, depth int) int {
	if c.kids != nil && i < len(s.data) {
		switch s.data[i] {
		case '{':
			start := i
			if i = s.object(c, i+1, depth+1); i >= 0 && c.slot >= 0 {
				if start < math.MaxInt32 {
					s.rec.addLazy(c.slot, start) // decoded if a rule reads it
				} else {
					v, _ := s.value(start, depth)
					s.rec.add(c.slot, v)
				}
			}
			return i
		case '[':
			return fail // a path through an array: Doc.Lookup collects the elements' values
		}
	}
	return s.slotValue(c, i, depth)
}

// slotValue is memberValue's scan of a value that the pass does not enter:
// it is c's slot's value, if c has a slot.
func (s *scanner) slotValue(c *trieNode, i, depth int) int {
	slot := c.slot
	if slot < 0 {
		return s.skip(i, depth)
	}
	if !c.eager && i < len(s.data) && i < math.MaxInt32 {
		// An array or an object, or a string with escapes or bytes past
		// ASCII, that not every event needs is checked now and decoded
		// if a rule reads it.
		switch s.data[i] {
		case '[', '{':
			end := s.skip(i, depth)
			if end >= 0 {
				s.rec.addLazy(slot, i)
			}
			return end
		case '"':
			end, esc, high := jsonlex.StringEnd(s.data, i+1)
			if end < 0 {
				return fail
			}
			s.addString(c, i, end, esc, high)
			return end + 1
		}
	}
	v, i := s.value(i, depth)
	if i >= 0 {
		s.rec.add(slot, v)
	}
	return i
}

// addString adds the string data[i:end+1], quotes included, with
// escapes or bytes past ASCII or not, as the value of c's slot: as it is,
// or else decoded now for a slot every event needs (eager), or when a
// rule reads it.
func (s *scanner) addString(c *trieNode, i, end int, esc, high bool) {
	switch {
	case !esc && !high:
		s.rec.add(c.slot, s.box(stringWord, unsafe.String(&s.data[i+1], end-i-1)))
	case c.eager:
		s.rec.add(c.slot, s.box(stringWord, s.str(s.data[i+1:end], esc, high)))
	default:
		s.rec.addLazy(c.slot, i)
	}
}
