package evtx

import "bytes"

// keySpan is a key written into an open JSON object, as its place in the
// output, so that a repeated key can be told.
type keySpan struct{ start, end int }

// AppendJSON appends the record as one line of JSON (no newline) in the
// shape evtx_dump (the Rust evtx crate) writes: each element an object
// key; attributes under "#attributes"; an element with neither attributes
// nor child elements as its value; text beside attributes or children
// under "#text"; an empty element null; <Data Name="N">v</Data> as
// "N": v (an empty v as ""); unnamed Data elements gathered as
// "Data": {"#text": v} or {"#text": [v, …]}; a key repeated in one object
// suffixed _1, _2, …. Values keep their types: integers, reals and
// booleans as JSON numbers and booleans, HexInt32/64 as "0x…" in lower
// case, GUIDs in upper case without braces, FILETIME and SYSTEMTIME as
// YYYY-MM-DDTHH:MM:SS.ffffffZ, binary as upper-case hex, SIDs as S-1-….
// The record is valid until its Decoder's next Next or Reset.
func (r *Record) AppendJSON(b []byte) []byte {
	r.d.keys = r.d.keys[:0]
	return r.d.object(b, 0)
}

// object appends node n (the record, or an element) as a JSON object:
// its attributes, child elements and text.
func (d *Decoder) object(b []byte, n int32) []byte {
	nodes := d.nodes
	b = append(b, '{')
	ok := objectKeys{mark: len(d.keys)}
	if d.hasAttrs(n) {
		b = append(b, `"#attributes":{`...)
		k := 0
		for c := nodes[n].first; c >= 0 && nodes[c].kind == nodeAttr; c = nodes[c].next {
			if d.empty(c) {
				continue
			}
			if k > 0 {
				b = append(b, ',')
			}
			k++
			b = append(b, '"')
			b = appendStringJSON(b, nodes[c].name)
			b = append(b, '"', ':')
			b = d.leaf(b, c, false)
		}
		b = append(b, '}')
	}
	gathered := false
	for c := nodes[n].first; c >= 0; c = nodes[c].next {
		if nodes[c].kind != nodeElem {
			continue
		}
		named := int32(-1)
		if nodes[c].name == "Data" {
			if named = d.attr(c, "Name"); named < 0 && gathered {
				continue // gathered with the first unnamed Data
			}
		}
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = append(b, '"')
		start := len(b)
		if nodes[c].name == "Data" {
			if named >= 0 {
				b = d.text(b, named)
				b = d.endKey(b, start, &ok)
				b = d.leaf(b, c, true)
				continue
			}
			gathered = true
			b = append(b, "Data"...)
			b = d.endKey(b, start, &ok)
			b = append(b, `{"#text":`...)
			b = d.unnamedData(b, c)
			b = append(b, '}')
			continue
		}
		b = appendStringJSON(b, nodes[c].name)
		b = d.endKey(b, start, &ok)
		if d.hasAttrs(c) || d.hasElems(c) {
			b = d.object(b, c)
		} else {
			b = d.leaf(b, c, false)
		}
	}
	if n != 0 && !d.empty(n) {
		if b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = append(b, `"#text":`...)
		b = d.leaf(b, n, false)
	}
	d.keys = d.keys[:ok.mark]
	return append(b, '}')
}

// manyKeys is the number of keys past which an object's keys are also
// kept in a map, so that a record of many repeated elements costs linear
// time, not cubic.
const manyKeys = 32

// objectKeys are the keys of an open JSON object: d.keys from mark, and
// for an object of many keys a map from each key to the next suffix to
// try for it.
type objectKeys struct {
	mark int
	seen map[string]int
}

// endKey ends the key written from start, suffixing it _1, _2, … when the
// object already holds it, and appends the colon.
func (d *Decoder) endKey(b []byte, start int, ok *objectKeys) []byte {
	end := len(b)
	if ok.seen == nil && len(d.keys)-ok.mark >= manyKeys {
		ok.seen = make(map[string]int, 2*manyKeys)
		for _, k := range d.keys[ok.mark:] {
			ok.seen[string(b[k.start:k.end])] = 1
		}
	}
	if ok.seen != nil {
		if next, dup := ok.seen[string(b[start:end])]; dup {
			base := string(b[start:end])
			for i := next; ; i++ {
				b = appendDigits(append(b[:end], '_'), i, 1)
				if _, used := ok.seen[string(b[start:])]; !used {
					ok.seen[base] = i + 1
					break
				}
			}
		}
		ok.seen[string(b[start:])] = 1
	} else {
		for i := 1; d.used(b, start, ok.mark); i++ {
			b = appendDigits(append(b[:end], '_'), i, 1)
		}
	}
	d.keys = append(d.keys, keySpan{start, len(b)})
	return append(b, '"', ':')
}

// used reports whether b[start:] is among the keys from mark.
func (d *Decoder) used(b []byte, start, mark int) bool {
	key := b[start:]
	for _, k := range d.keys[mark:] {
		if k.end-k.start == len(key) && bytes.Equal(b[k.start:k.end], key) {
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

// leaf appends the value of node n's values: null (or "" with
// emptyString) for none, a lone value with its type, several as the
// string of their texts.
func (d *Decoder) leaf(b []byte, n int32, emptyString bool) []byte {
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
		return append(b, '"', '"')
	case count == 0:
		return append(b, "null"...)
	case count == 1:
		return d.nodes[one].val.appendJSON(b)
	}
	b = append(b, '"')
	b = d.text(b, n)
	return append(b, '"')
}

// unnamedData appends the values of the Data elements without a Name
// among n and its next siblings: one value as it is, several (or an
// array value's items) as an array.
func (d *Decoder) unnamedData(b []byte, n int32) []byte {
	items := 0
	d.eachUnnamedData(n, func(c int32, arr *value) {
		if arr != nil {
			arr.eachItem(func(value) { items++ })
		} else {
			items++
		}
	})
	if items != 1 {
		b = append(b, '[')
	}
	k := 0
	d.eachUnnamedData(n, func(c int32, arr *value) {
		if arr != nil {
			arr.eachItem(func(v value) {
				if k > 0 {
					b = append(b, ',')
				}
				k++
				b = v.appendJSON(b)
			})
			return
		}
		if k > 0 {
			b = append(b, ',')
		}
		k++
		b = d.leaf(b, c, true)
	})
	if items != 1 {
		b = append(b, ']')
	}
	return b
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
