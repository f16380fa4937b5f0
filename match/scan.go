package match

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
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
// its parts, as Map looks it up. Events the pass does not read itself,
// where a slot's path runs through an array, a key is repeated, a slot is
// reached both through a dotted key and through nested objects, or the
// value is followed by more than white space, are decoded with ParseJSON.
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
	return &scanner{rec: r, seen: make([]uint32, r.st.nodes), tables: make([]*keyTable, r.st.nodes), joined: make([]*keyTable, r.st.nodes)}
}

// scanner is a Record's state for ResetJSON. It is also the Record's
// event after ResetJSON: a Walker over the text, and an Event that decodes
// the text in full on the first lookup.
type scanner struct {
	rec    *Record
	data   []byte
	doc    *Doc        // data decoded, once needed
	gen    uint32      // the event's number, for seen
	seen   []uint32    // per trie node: the gen of the last event that entered it
	tables []*keyTable // per trie node: its kids by key, made on first use
	joined []*keyTable // per trie node: its deeper descendants by joined keys, made on first use

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
	vals      []any             // the scalar values, collected from the text
	keys      []span            // the keys of the objects being collected
	many      map[string]uint64 // the keys of objects with many, by text: the object's serial
	serial    uint64            // numbers the objects with many keys
}

// span is the position of a text in the event: data[start:end].
type span struct{ start, end int }

// Lookup returns the value at p in the event decoded in full.
func (s *scanner) Lookup(p *Path) (any, bool) {
	if d := s.decoded(); d != nil {
		return d.Lookup(p)
	}
	return nil, false
}

// Each visits every scalar value of the event. The first call collects
// them from the text, unless a key repeats in an object (the text then
// holds values the event does not): the values are then the decoded
// event's.
func (s *scanner) Each(fn func(v any) bool) bool {
	if s.data == nil {
		return false
	}
	if !s.collected {
		s.collected = true
		if s.collect(skipSpace(s.data, 0)) < 0 {
			clear(s.vals)
			s.vals, s.whole = s.vals[:0], true
		}
		if len(s.many) > 0 {
			clear(s.many) // its keys point into data
		}
	}
	if s.whole {
		d := s.decoded()
		return d != nil && d.Each(fn)
	}
	for _, v := range s.vals {
		if fn(v) {
			return true
		}
	}
	return false
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
	s.vals, s.keys = s.vals[:0], s.keys[:0]
	s.collected, s.whole, s.dotted = false, false, false
	if s.gen++; s.gen == 0 {
		clear(s.seen)
		s.gen = 1
	}
}

// fail is the position the scanning functions return when the pass
// stops: the text is not valid JSON, or the pass leaves it to ParseJSON.
const fail = -1

// event scans s.data and fills s.rec, reporting whether it could.
func (s *scanner) event() bool {
	data := s.data
	i := skipSpace(data, 0)
	if i == len(data) || data[i] != '{' {
		return false // not an object: ParseJSON says what it is
	}
	if root := s.rec.st.root; root.kids == nil {
		i = s.skipObject(i+1, 1)
	} else {
		i = s.object(root, i+1, 1)
	}
	return i >= 0 && skipSpace(data, i) == len(data)
}

// object scans the members of an object at trie node n from data[i],
// after its '{', at nesting depth depth: it enters or records the values
// of the keys that continue n's paths and skips the others. It returns
// the position after the object.
func (s *scanner) object(n *trieNode, i, depth int) int {
	if depth > MaxEventDepth {
		return fail
	}
	data := s.data
	kids := s.table(n)
	if i = skipSpace(data, i); i < len(data) && data[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return fail
		}
		j := i + 1
		for j < len(data) && plainKey[data[j]] {
			j++
		}
		dot := j < len(data) && data[j] == '.' // a plain key with dots: through them at once
		for dot && j < len(data) && (plainKey[data[j]] || data[j] == '.') {
			j++
		}
		if j >= len(data) {
			return fail
		}
		var c *trieNode
		switch {
		case data[j] == '"' && !dot:
			c = kids.find(data[i+1 : j])
		case data[j] == '"':
			c = s.throughDots(n, data[i+1:j])
			s.dotted = s.dotted || c != nil
		default:
			end, esc, high := stringEnd(data, j)
			if end < 0 {
				return fail
			}
			key := data[i+1 : end]
			if esc || high && !utf8.Valid(key) {
				s.key = appendUnquoted(s.key[:0], key)
				key = s.key
			}
			if bytes.IndexByte(key, '.') >= 0 {
				c = s.throughDots(n, key)
				s.dotted = s.dotted || c != nil
			} else {
				c = kids.find(key)
			}
			j = end
		}
		if i = skipSpace(data, j+1); i >= len(data) || data[i] != ':' {
			return fail
		}
		i = skipSpace(data, i+1)
		if c == nil {
			i = s.skip(i, depth)
		} else {
			i = s.member(c, i, depth)
		}
		if i < 0 {
			return fail
		}
		more := false
		if i, more = next(data, i, '}'); !more {
			return i
		}
	}
}

// throughDots returns the trie node that key, which holds dots, leads to
// from n as the path of its parts ("process.name" at the root: the node
// of process.name), or nil: one lookup in a table of n's descendants by
// their joined keys. A Doc looks such a key up as those parts joined
// (Map): a value found both this way and through nested objects reaches
// one node twice, which member turns down (the event goes to ParseJSON,
// whose lookups prefer the nested one).
func (s *scanner) throughDots(n *trieNode, key []byte) *trieNode {
	t := s.joined[n.id]
	if t == nil {
		t = newJoinedTable(n)
		s.joined[n.id] = t
	}
	return t.find(key)
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
// in an object at depth depth, and returns the position after it.
func (s *scanner) member(c *trieNode, i, depth int) int {
	if s.seen[c.id] == s.gen {
		return fail // a repeated key: the last one wins, which the pass cannot undo
	}
	s.seen[c.id] = s.gen
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
	if c.slot < 0 {
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
				s.rec.addLazy(c.slot, i)
			}
			return end
		case '"':
			end, esc, high := stringEnd(s.data, i+1)
			if end < 0 {
				return fail
			}
			if esc || high {
				s.rec.addLazy(c.slot, i)
			} else {
				s.rec.add(c.slot, s.box(stringWord, unsafe.String(&s.data[i+1], end-i-1)))
			}
			return end + 1
		}
	}
	v, i := s.value(i, depth)
	if i >= 0 {
		s.rec.add(c.slot, v)
	}
	return i
}

// value decodes the value at data[i], in a container at depth depth, as
// ParseJSON does, and returns it and the position after it.
func (s *scanner) value(i, depth int) (any, int) {
	data := s.data
	if i >= len(data) {
		return nil, fail
	}
	switch data[i] {
	case '"':
		end, esc, high := stringEnd(data, i+1)
		if end < 0 {
			return nil, fail
		}
		return s.box(stringWord, s.str(data[i+1:end], esc, high)), end + 1
	case '{':
		return s.objectValue(i+1, depth+1)
	case '[':
		return s.arrayValue(i+1, depth+1)
	case 't':
		return true, literal(data, i, "true")
	case 'f':
		return false, literal(data, i, "false")
	case 'n':
		return nil, literal(data, i, "null")
	}
	end := numberEnd(data, i)
	if end < 0 {
		return nil, fail
	}
	return s.box(numberWord, unsafe.String(&data[i], end-i)), end
}

// objectValue decodes an object from data[i], after its '{'. Its keys
// are strings of their own; duplicate keys keep the last value.
func (s *scanner) objectValue(i, depth int) (any, int) {
	if depth > MaxEventDepth {
		return nil, fail
	}
	data := s.data
	m := map[string]any{}
	if i = skipSpace(data, i); i < len(data) && data[i] == '}' {
		return m, i + 1
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return nil, fail
		}
		end, esc, high := stringEnd(data, i+1)
		if end < 0 {
			return nil, fail
		}
		var key string
		if b := data[i+1 : end]; esc || high && !utf8.Valid(b) {
			s.key = appendUnquoted(s.key[:0], b)
			key = string(s.key)
		} else {
			key = string(b)
		}
		if i = skipSpace(data, end+1); i >= len(data) || data[i] != ':' {
			return nil, fail
		}
		var v any
		if v, i = s.value(skipSpace(data, i+1), depth); i < 0 {
			return nil, fail
		}
		m[key] = v
		more := false
		if i, more = next(data, i, '}'); !more {
			if i < 0 {
				return nil, fail
			}
			return m, i
		}
	}
}

// arrayValue decodes an array from data[i], after its '['.
func (s *scanner) arrayValue(i, depth int) (any, int) {
	if depth > MaxEventDepth {
		return nil, fail
	}
	data := s.data
	base := len(s.stack)
	if i = skipSpace(data, i); i < len(data) && data[i] == ']' {
		return s.list(base), i + 1
	}
	for {
		var v any
		if v, i = s.value(i, depth); i < 0 {
			return nil, fail
		}
		s.stack = append(s.stack, v)
		more := false
		if i, more = next(data, i, ']'); !more {
			if i < 0 {
				return nil, fail
			}
			return s.list(base), i
		}
	}
}

// list returns the elements on the stack above base as an array, and
// pops them.
func (s *scanner) list(base int) any {
	e := s.elems.take(len(s.stack) - base)
	copy(e, s.stack[base:])
	clear(s.stack[base:])
	s.stack = s.stack[:base]
	p := &s.lists.take(1)[0]
	*p = e
	return boxAt(listWord, unsafe.Pointer(p))
}

// str returns the text of a JSON string from its body b (the bytes
// between its quotes), as encoding/json decodes it: b itself when it has
// no escapes and is valid UTF-8, otherwise b unescaped, with U+FFFD for
// each invalid byte and lone surrogate, in s.text.
func (s *scanner) str(b []byte, esc, high bool) string {
	if !esc && (!high || utf8.Valid(b)) {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	// Unescaped text is at most three times as long: \uXXXX is at most
	// three bytes, an invalid byte becomes U+FFFD's three.
	dst := s.text.take(3 * len(b))
	t := appendUnquoted(dst[:0], b)
	s.text.buf = s.text.buf[:len(s.text.buf)-len(dst)+len(t)]
	return unsafe.String(unsafe.SliceData(t), len(t))
}

// holds reports whether str lies in the event's text or in the decoded
// strings of the current chunk: a part of one of its values, whose keys a
// scan of the text finds (scanJSON).
func (s *scanner) holds(str string) bool {
	return within(str, s.data) || within(str, s.text.buf[:cap(s.text.buf)])
}

// within reports whether the bytes of str lie in b.
func within(str string, b []byte) bool {
	if len(str) == 0 || len(b) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(str))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p+uintptr(len(str)) <= lo+uintptr(len(b))
}

// box returns x as an interface value of the string type whose type
// word is word (string or json.Number), holding x in s.strs.
func (s *scanner) box(word unsafe.Pointer, x string) any {
	p := &s.strs.take(1)[0]
	*p = x
	return boxAt(word, unsafe.Pointer(p))
}

// collect appends the scalar values in the value at data[i] to s.vals,
// and returns the position after it, or fail where a key repeats in an
// object or may (a key with escapes or invalid UTF-8, whose decoded text
// the pass does not compare).
func (s *scanner) collect(i int) int {
	data := s.data
	if i >= len(data) {
		return fail
	}
	switch data[i] {
	case '{':
		base, seen := len(s.keys), uint64(0)
		if i = skipSpace(data, i+1); i < len(data) && data[i] == '}' {
			return i + 1
		}
		for {
			if i >= len(data) || data[i] != '"' {
				return fail
			}
			end, esc, high := stringEnd(data, i+1)
			if end < 0 || esc || high && !utf8.Valid(data[i+1:end]) || s.repeats(&seen, base, span{i + 1, end}) {
				return fail
			}
			if i = skipSpace(data, end+1); i >= len(data) || data[i] != ':' {
				return fail
			}
			if i = s.collect(skipSpace(data, i+1)); i < 0 {
				return fail
			}
			more := false
			if i, more = next(data, i, '}'); !more {
				if i < 0 {
					return fail
				}
				s.keys = s.keys[:base]
				return i
			}
		}
	case '[':
		if i = skipSpace(data, i+1); i < len(data) && data[i] == ']' {
			return i + 1
		}
		for {
			if i = s.collect(i); i < 0 {
				return fail
			}
			more := false
			if i, more = next(data, i, ']'); !more {
				return i
			}
		}
	case 'n':
		return literal(data, i, "null") // Each skips nulls
	}
	v, end := s.value(i, 0)
	if end >= 0 {
		s.vals = append(s.vals, v)
	}
	return end
}

// repeats reports whether key k is one of the keys s.keys[base:] of its
// object, and adds it to them. Up to manyKeys keys, seen holds bits of
// their hashes; past them, the object's keys go to s.many and seen holds
// the object's serial.
func (s *scanner) repeats(seen *uint64, base int, k span) bool {
	key := s.data[k.start:k.end]
	if n := len(s.keys) - base; n >= manyKeys {
		if n == manyKeys {
			if s.many == nil {
				s.many = map[string]uint64{}
			}
			s.serial++
			*seen = s.serial
			for _, o := range s.keys[base:] {
				s.many[unsafe.String(unsafe.SliceData(s.data[o.start:o.end]), o.end-o.start)] = s.serial
			}
			s.keys = append(s.keys, span{}) // n > manyKeys from now on
		}
		ks := unsafe.String(unsafe.SliceData(key), len(key))
		if s.many[ks] == *seen {
			return true
		}
		s.many[ks] = *seen
		return false
	}
	bit := uint64(1) << (keyHash(key) >> 26)
	if *seen&bit != 0 {
		for _, o := range s.keys[base:] {
			if string(s.data[o.start:o.end]) == string(key) {
				return true
			}
		}
	}
	*seen |= bit
	s.keys = append(s.keys, k)
	return false
}

// manyKeys is the number of keys of an object past which repeats keeps
// them in a map.
const manyKeys = 32

// skip checks the value at data[i], in a container at depth depth, and
// returns the position after it.
func (s *scanner) skip(i, depth int) int {
	data := s.data
	if i >= len(data) {
		return fail
	}
	switch data[i] {
	case '"':
		if end, _, _ := stringEnd(data, i+1); end >= 0 {
			return end + 1
		}
		return fail
	case '{':
		return s.skipObject(i+1, depth+1)
	case '[':
		return s.skipArray(i+1, depth+1)
	case 't':
		return literal(data, i, "true")
	case 'f':
		return literal(data, i, "false")
	case 'n':
		return literal(data, i, "null")
	}
	return numberEnd(data, i)
}

// skipObject checks an object from data[i], after its '{'.
func (s *scanner) skipObject(i, depth int) int {
	if depth > MaxEventDepth {
		return fail
	}
	data := s.data
	if i = skipSpace(data, i); i < len(data) && data[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return fail
		}
		end, _, _ := stringEnd(data, i+1)
		if end < 0 {
			return fail
		}
		if i = skipSpace(data, end+1); i >= len(data) || data[i] != ':' {
			return fail
		}
		if i = s.skip(skipSpace(data, i+1), depth); i < 0 {
			return fail
		}
		more := false
		if i, more = next(data, i, '}'); !more {
			return i
		}
	}
}

// skipArray checks an array from data[i], after its '['.
func (s *scanner) skipArray(i, depth int) int {
	if depth > MaxEventDepth {
		return fail
	}
	data := s.data
	if i = skipSpace(data, i); i < len(data) && data[i] == ']' {
		return i + 1
	}
	for {
		if i = s.skip(i, depth); i < 0 {
			return fail
		}
		more := false
		if i, more = next(data, i, ']'); !more {
			return i
		}
	}
}

// skipSpace returns the position of the first byte at or after i that is
// not JSON white space.
func skipSpace(data []byte, i int) int {
	for ; i < len(data); i++ {
		if c := data[i]; c > ' ' || c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			break
		}
	}
	return i
}

// literal returns the position after lit at data[i], or fail.
func literal(data []byte, i int, lit string) int {
	if len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit {
		return i + len(lit)
	}
	return fail
}

// numberEnd returns the position after the JSON number at data[i], or
// fail: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(data []byte, i int) int {
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return fail
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		i = digits(data, i+1)
	default:
		return fail
	}
	if i < len(data) && data[i] == '.' {
		if i++; i >= len(data) || !isDigit(data[i]) {
			return fail
		}
		i = digits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		if i++; i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return fail
		}
		i = digits(data, i+1)
	}
	return i
}

// digits returns the position of the first byte at or after i that is
// not a decimal digit.
func digits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

// isDigit reports whether c is a decimal digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// SWAR constants: a byte of 1s and the high bit of each byte, in a word.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// stringEnd scans a JSON string from data[i], where i follows its opening
// quote or ASCII bytes of it that are not escapes. It returns the position
// of the closing quote, whether the string has escapes and whether it has
// bytes past ASCII; the position is fail when the string is not valid
// JSON (a control byte, a bad escape, no end).
func stringEnd(data []byte, i int) (end int, esc, high bool) {
	var seen uint64 // the bytes passed, or-ed: their high bits tell of non-ASCII
	for {
		// Find the next quote, backslash or control byte, eight bytes at
		// a time: the lowest flagged byte of m is the first of them.
		for i+8 <= len(data) {
			w := binary.LittleEndian.Uint64(data[i:])
			q, b := w^(ones*'"'), w^(ones*'\\')
			m := ((q-ones)&^q | (b-ones)&^b | (w-ones*' ')&^w) & highs
			if m != 0 {
				seen |= w & (m&-m - 1)
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			seen |= w
			i += 8
		}
		for ; i < len(data); i++ {
			c := data[i]
			if c == '"' || c == '\\' || c < ' ' {
				break
			}
			seen |= uint64(c)
		}
		if i >= len(data) {
			return fail, false, false
		}
		switch data[i] {
		case '"':
			return i, esc, seen&highs != 0
		case '\\':
			esc = true
			if i+1 >= len(data) {
				return fail, false, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if getu4(data[i:]) < 0 {
					return fail, false, false
				}
				i += 6
			default:
				return fail, false, false
			}
		default:
			return fail, false, false // a control byte
		}
	}
}

// plainKey marks the bytes a key can hold without a closer look: not a
// quote, backslash, dot, control byte or byte past ASCII.
var plainKey = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '.'
	}
	return t
}()

// appendUnquoted appends the text of a valid JSON string body b decoded
// as encoding/json decodes it: escapes replaced, and U+FFFD for each
// invalid UTF-8 byte and for each \u escape of a surrogate that is not
// the first of a pair.
func appendUnquoted(dst, b []byte) []byte {
	for r := 0; r < len(b); {
		k := r
		for k < len(b) && b[k] != '\\' && b[k] < utf8.RuneSelf {
			k++
		}
		dst = append(dst, b[r:k]...)
		if r = k; r == len(b) {
			break
		}
		if b[r] != '\\' {
			c, size := utf8.DecodeRune(b[r:])
			dst = utf8.AppendRune(dst, c) // U+FFFD for an invalid byte
			r += size
			continue
		}
		if b[r+1] == '\\' { // the escape of Windows paths
			dst = append(dst, '\\')
			r += 2
			continue
		}
		c, size := unescape(b[r:])
		dst = utf8.AppendRune(dst, c)
		r += size
	}
	return dst
}

// unescape decodes the escape at the start of b, the rest of a valid JSON
// string body, and returns its code point and length: U+FFFD for a \u
// escape of a surrogate that is not the first of a pair (a pair is one
// code point, twelve bytes long).
func unescape(b []byte) (rune, int) {
	switch e := b[1]; e {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		c := getu4(b)
		if utf16.IsSurrogate(c) {
			if pair := utf16.DecodeRune(c, getu4(b[6:])); pair != unicode.ReplacementChar {
				return pair, 12
			}
			return unicode.ReplacementChar, 6
		}
		return c, 6
	default: // '"', '\\', '/'
		return rune(e), 2
	}
}

// getu4 decodes the \uXXXX escape at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// keyTable finds a trie node's kids by key, faster than its map: open
// addressing over a hash of the key's length and three of its bytes.
type keyTable struct {
	mask  uint32
	slots []keySlot
}

// keySlot is a kid of a keyTable's node, or none.
type keySlot struct {
	hash uint32
	key  string
	node *trieNode // nil: an empty slot
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
	t := &keyTable{mask: uint32(size - 1), slots: make([]keySlot, size)}
	for k, c := range nodes {
		h := keyHash(k)
		i := h & t.mask
		for t.slots[i].node != nil {
			i = (i + 1) & t.mask
		}
		t.slots[i] = keySlot{h, k, c}
	}
	return t
}

// find returns the kid at key, or nil.
func (t *keyTable) find(key []byte) *trieNode {
	h := keyHash(key)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		if sl.node == nil || sl.hash == h && sl.key == string(key) {
			return sl.node
		}
	}
}

// keyHash hashes a key's length and its first, middle and last bytes.
func keyHash[K string | []byte](key K) uint32 {
	h := uint64(len(key))
	if n := len(key); n > 0 {
		h |= uint64(key[0])<<32 | uint64(key[n/2])<<40 | uint64(key[n-1])<<48
	}
	return uint32(h * 0x9e3779b97f4a7c15 >> 32)
}

// chunks hands out slices of T that keep their place until reset: when
// its chunk is full it starts a bigger one and leaves the old one to what
// points into it.
type chunks[T any] struct{ buf []T }

// take returns the next n elements.
func (c *chunks[T]) take(n int) []T {
	l := len(c.buf)
	if c.buf == nil || cap(c.buf)-l < n {
		c.buf, l = make([]T, 0, max(2*cap(c.buf), n, 64)), 0
	}
	c.buf = c.buf[:l+n]
	return c.buf[l : l+n : l+n]
}

// reset frees the current chunk for reuse, dropping what it held.
func (c *chunks[T]) reset() {
	clear(c.buf)
	c.buf = c.buf[:0]
}

// eface is the layout of an interface value without methods: its type
// word and a pointer to its value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// The type words of the interface values the scanner makes by reference.
var (
	stringWord = typeWord("")
	numberWord = typeWord(json.Number(""))
	listWord   = typeWord([]any(nil))
	int64Word  = typeWord(int64(0))
)

// typeWord returns the type word of v.
func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// boxAt returns the interface value of the type of word whose value is
// at p, without copying it the way a conversion to any does (which
// allocates for strings and slices). The value must not change while the
// interface value is in use: the scanner's values point into its chunks,
// which are reused only by the next event.
func boxAt(word, p unsafe.Pointer) (v any) {
	*(*eface)(unsafe.Pointer(&v)) = eface{word, p}
	return v
}

// next reads what follows a member or an element at data[i]: a comma
// (it returns the position of the next one, and more) or close (the
// position after it, and not more); anything else fails.
func next(data []byte, i int, close byte) (j int, more bool) {
	if i = skipSpace(data, i); i >= len(data) {
		return fail, false
	}
	switch data[i] {
	case ',':
		return skipSpace(data, i+1), true
	case close:
		return i + 1, false
	}
	return fail, false
}
