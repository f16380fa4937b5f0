package evtx

import "unsafe"

// The JSON shape of a record. Walk reads a record's tree the way
// evtx-to-JSON tools render it (see AppendJSON for the shape) and hands
// each member to a Visitor: AppendJSON is one Visitor, writing JSON text;
// a program that needs a few of the values (a rule set's fields) is
// another, and reads them with no JSON text in between.

// Visitor receives a record's members from Record.Walk, in the order and
// under the keys that AppendJSON writes them.
type Visitor interface {
	// Object opens the object held at key (the record itself at key "",
	// first) and reports whether to visit its members; End closes it
	// after them when it did.
	Object(key string) bool
	// Array opens the array held at key; its items follow as Value (or
	// Array) calls with key "", then End.
	Array(key string)
	// End closes the object or array opened last.
	End()
	// Value is the scalar held at key, or an item of the open array.
	Value(key string, v Value)
}

// Kind is the JSON kind of a Value.
type Kind uint8

// The kinds of values.
const (
	_          Kind = iota
	KindString      // text: strings, HexInt, GUIDs, times, SIDs, binary as hex
	KindNumber      // integers and reals, written bare
	KindBool        // true or false
	KindNull        // no value: an empty element, a real that is not finite
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case KindString:
		return "string"
	case KindNumber:
		return "number"
	case KindBool:
		return "bool"
	case KindNull:
		return "null"
	}
	return "invalid"
}

// Value is one scalar of a record, as Walk hands it to a Visitor: its
// kind and its text, which AppendJSON writes quoted (strings) or bare.
// It is valid until its Decoder's next Next or Reset.
type Value struct {
	d    *Decoder
	val  value
	n    int32 // the element or attribute whose several values make the text, or -1: val
	kind Kind  // after n: 48 bytes, not 56 (AppendValues writes a record's values one after the other)
}

// Kind returns v's JSON kind.
func (v Value) Kind() Kind { return v.kind }

// Text returns v's text as a JSON decoder reads it from AppendJSON's
// output: a string unescaped, a number's digits, "true" or "false", ""
// for null. It shares memory with the Decoder and is valid until its next
// Next or Reset.
func (v Value) Text() string {
	if v.kind == KindNull {
		return ""
	}
	if v.n < 0 && v.val.typ == typeText {
		return unsafe.String(unsafe.SliceData(v.val.raw), len(v.val.raw))
	}
	d := v.d
	start := len(d.out)
	if v.n >= 0 {
		d.out = d.plain(d.out, v.n)
	} else {
		d.out = v.val.appendPlain(d.out)
	}
	// Nothing the Decoder writes is invalid UTF-8 (UTF-16 is decoded
	// with U+FFFD for unpaired surrogates, ANSI as Latin-1), so the
	// text is what a JSON decoder gives back.
	return unsafe.String(unsafe.SliceData(d.out[start:]), len(d.out)-start)
}

// AppendText appends v's text, as Text returns it, to b: a caller that
// needs the text in memory of its own renders it there, with no escaping
// and no copy out of the Decoder's.
func (v Value) AppendText(b []byte) []byte {
	switch {
	case v.kind == KindNull:
		return b
	case v.n >= 0:
		return v.d.plain(b, v.n)
	}
	return v.val.appendPlain(b)
}

// AppendStringJSON appends text, the Text of a Value of KindString, as
// AppendJSON writes that Value: quoted, with a quote, a backslash and
// each control character escaped as serde_json escapes them (evtx_dump's
// output), every other character as it is. So a caller that keeps a
// string's text makes its JSON only if it needs it (TestStringJSON checks
// it against AppendJSON on every string of the corpus).
func AppendStringJSON(b []byte, text string) []byte {
	return append(appendStringJSON(append(b, '"'), text), '"')
}

// AppendJSON appends v as AppendJSON writes it: a quoted, escaped string
// or a bare number, boolean or null.
func (v Value) AppendJSON(b []byte) []byte {
	switch {
	case v.kind == KindNull:
		return append(b, "null"...)
	case v.n >= 0:
		b = append(b, '"')
		b = v.d.text(b, v.n)
		return append(b, '"')
	}
	return v.val.appendJSON(b)
}

// Walk hands the record to vis member by member, in the shape and order
// AppendJSON writes (each element an object key, attributes under
// "#attributes", named Data as their names, unnamed Data gathered under
// "Data"."#text", repeated keys suffixed _1, _2, …). The record and the
// values are valid until its Decoder's next Next or Reset.
func (r *Record) Walk(vis Visitor) {
	d := r.d
	if d.cur != nil {
		d.replay(vis, d.cur)
		return
	}
	d.keys = d.keys[:0]
	if vis.Object("") {
		d.walk(vis, 0)
		vis.End()
	}
}

// walk hands node n's (the record's, or an element's) attributes, child
// elements and text to vis.
func (d *Decoder) walk(vis Visitor, n int32) {
	nodes := d.nodes
	ok := objectKeys{mark: len(d.keys)}
	if d.hasAttrs(n) && vis.Object("#attributes") {
		for c := nodes[n].first; c >= 0 && nodes[c].kind == nodeAttr; c = nodes[c].next {
			if !d.empty(c) {
				d.leaf(vis, nodes[c].name, c, false)
			}
		}
		vis.End()
	}
	gathered := false
	for c := nodes[n].first; c >= 0; c = nodes[c].next {
		if nodes[c].kind != nodeElem {
			continue
		}
		if nodes[c].name == "Data" {
			named := d.attr(c, "Name")
			switch {
			case named >= 0:
				d.leaf(vis, d.endKey(d.textOf(named), &ok), c, true)
			case !gathered: // the first unnamed Data gathers all of them
				gathered = true
				if vis.Object(d.endKey("Data", &ok)) {
					d.unnamedData(vis, c)
					vis.End()
				}
			}
			continue
		}
		key := d.endKey(nodes[c].name, &ok)
		switch {
		case !d.hasAttrs(c) && !d.hasElems(c):
			d.leaf(vis, key, c, false)
		case vis.Object(key):
			d.walk(vis, c)
			vis.End()
		}
	}
	if n != 0 && !d.empty(n) {
		d.leaf(vis, "#text", n, false)
	}
	d.keys = d.keys[:ok.mark]
}

// leaf hands node n's values to vis at key: null (or "" with
// emptyString) for none, a lone value with its type (an array value as
// an array), several as the string of their texts.
func (d *Decoder) leaf(vis Visitor, key string, n int32, emptyString bool) {
	var one int32 = -1
	count := 0
	for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].kind == nodeValue && !d.nodes[c].val.empty() {
			one = c
			count++
		}
	}
	switch {
	case count == 0 && emptyString:
		vis.Value(key, Value{d: d, n: -1, val: value{typ: typeText}, kind: KindString})
	case count == 0:
		vis.Value(key, Value{d: d, n: -1, kind: KindNull})
	case count == 1:
		d.scalar(vis, key, d.nodes[one].val)
	default:
		vis.Value(key, Value{d: d, n: n, kind: KindString})
	}
}

// scalar hands the value v to vis at key, an array value as an array of
// its items.
func (d *Decoder) scalar(vis Visitor, key string, v value) {
	if v.typ&typeArray != 0 {
		vis.Array(key)
		v.eachItem(func(item value) { d.scalar(vis, "", item) })
		vis.End()
		return
	}
	vis.Value(key, Value{d: d, n: -1, val: v, kind: kindOf(v)})
}

// kindOf returns the kind of the scalar value v: a real that is not
// finite is null.
func kindOf(v value) Kind {
	switch {
	case v.typ == typeBool:
		return KindBool
	case v.typ == typeReal32 || v.typ == typeReal64:
		if !finite(v) {
			return KindNull
		}
		return KindNumber
	case v.numeric():
		return KindNumber
	}
	return KindString
}

// unnamedData hands vis the values of the Data elements without a Name
// among n and its next siblings, at "#text": one value as it is, several
// (or an array value's items) as an array.
func (d *Decoder) unnamedData(vis Visitor, n int32) {
	items := 0
	d.eachUnnamedData(n, func(c int32, arr *value) {
		if arr != nil {
			arr.eachItem(func(value) { items++ })
		} else {
			items++
		}
	})
	key := "#text"
	if items != 1 {
		vis.Array(key)
		key = ""
	}
	d.eachUnnamedData(n, func(c int32, arr *value) {
		if arr != nil {
			arr.eachItem(func(v value) { d.scalar(vis, key, v) })
		} else {
			d.leaf(vis, key, c, true)
		}
	})
	if items != 1 {
		vis.End()
	}
}

// eachUnnamedData calls fn with each Data element without a Name among n
// and its next siblings, and with its value when that is one array.
func (d *Decoder) eachUnnamedData(n int32, fn func(c int32, arr *value)) {
	for c := n; c >= 0; c = d.nodes[c].next {
		el := &d.nodes[c]
		if el.kind != nodeElem || el.name != "Data" || d.attr(c, "Name") >= 0 {
			continue
		}
		var arr *value
		if v := el.first; v >= 0 && d.nodes[v].next < 0 && d.nodes[v].kind == nodeValue && d.nodes[v].val.typ&typeArray != 0 {
			arr = &d.nodes[v].val
		}
		fn(c, arr)
	}
}

// textOf returns the text of node n's values, in the Decoder's memory
// of the record.
func (d *Decoder) textOf(n int32) string {
	return Value{d: d, n: n, kind: KindString}.Text()
}

// manyKeys is the number of keys past which an object's keys are also
// kept in a map, so that a record of many repeated elements costs linear
// time, not cubic.
const manyKeys = 32

// objectKeys are the keys of an open object: d.keys from mark, and for
// an object of many keys a map from each key to the next suffix to try
// for it.
type objectKeys struct {
	mark int
	seen map[string]int
}

// endKey returns key as the object's next key: suffixed _1, _2, … when
// the object already holds it.
func (d *Decoder) endKey(key string, ok *objectKeys) string {
	if ok.seen == nil && len(d.keys)-ok.mark >= manyKeys {
		ok.seen = make(map[string]int, 2*manyKeys)
		for _, k := range d.keys[ok.mark:] {
			ok.seen[k] = 1
		}
	}
	if ok.seen != nil {
		if next, dup := ok.seen[key]; dup {
			base := key
			for i := next; ; i++ {
				key = d.suffixed(base, i)
				if _, used := ok.seen[key]; !used {
					ok.seen[base] = i + 1
					break
				}
			}
		}
		ok.seen[key] = 1
	} else {
		base := key
		for i := 1; d.used(key, ok.mark); i++ {
			key = d.suffixed(base, i)
		}
	}
	d.keys = append(d.keys, key)
	return key
}

// suffixed returns key_i, in the Decoder's memory of the record.
func (d *Decoder) suffixed(key string, i int) string {
	start := len(d.out)
	d.out = appendDigits(append(append(d.out, key...), '_'), i, 1)
	return unsafe.String(unsafe.SliceData(d.out[start:]), len(d.out)-start)
}

// used reports whether key is among the keys from mark.
func (d *Decoder) used(key string, mark int) bool {
	for _, k := range d.keys[mark:] {
		if k == key {
			return true
		}
	}
	return false
}

// hasAttrs reports whether element n has an attribute with a value.
func (d *Decoder) hasAttrs(n int32) bool { return d.nodes[n].flags&flagAttrs != 0 }

// hasElems reports whether element n has a child element.
func (d *Decoder) hasElems(n int32) bool { return d.nodes[n].flags&flagElems != 0 }

// empty reports whether node n has no value with text among its children.
func (d *Decoder) empty(n int32) bool { return d.nodes[n].flags&flagText == 0 }

// attr returns element n's attribute named name when it has a value, or -1.
func (d *Decoder) attr(n int32, name string) int32 {
	for c := d.nodes[n].first; c >= 0 && d.nodes[c].kind == nodeAttr; c = d.nodes[c].next {
		if d.nodes[c].name == name && !d.empty(c) {
			return c
		}
	}
	return -1
}

// text appends the text of node n's values, escaped for a JSON string.
func (d *Decoder) text(b []byte, n int32) []byte {
	for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].kind == nodeValue {
			b = d.nodes[c].val.appendEscaped(b)
		}
	}
	return b
}

// plain appends the text of node n's values, unescaped.
func (d *Decoder) plain(b []byte, n int32) []byte {
	for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].kind == nodeValue {
			b = d.nodes[c].val.appendPlain(b)
		}
	}
	return b
}
