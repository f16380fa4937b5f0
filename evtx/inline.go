package evtx

import (
	"encoding/binary"
	"unsafe"
)

// Plans for records written without templates: their binary XML holds
// every element, attribute and value inline (Windows Defender's and a
// few other logs': 1,287 of the shared corpus's 18,270 records). Their
// shape is their token structure: the names of their elements and
// attributes (as text, not chunk offsets: every chunk defines its names
// again), where each start tag and element ends, which value tokens are
// empty, and the text of each Data element's Name attribute, which Walk
// makes a key of. scanInline reads it in one pass over the tokens and
// collects the value tokens' text, as the tree has it, in order, as
// scanStream collects a template instance's substitution values; the
// plan machinery (plan.go) does the rest, from the second record of a
// shape on. The 1,287 records have 24 shapes, the largest 455 records.
//
// The scan reads what the tree path reads and checks what it checks;
// what it does not know (character and entity references, processing
// instructions, template instances inside elements) and anything the
// tree path would report makes it give up, and the record is read into
// a tree, which stays the reference (TestPlans, TestInlineDamage,
// FuzzPlan). Of the limits, the bytes of values are the record's
// (MaxValueBytes: the scan counts them as the tree does); the nodes and
// the depth are the shape's, and a plan is made only from a record of
// its shape that the tree read within them (MaxNodes, MaxDepth: the
// scan checks the depth only to bound its own recursion).

// Marks of an inline shape (after its first four bytes, zero: no
// template identity is).
const (
	inlineElem  = 'E' // an element and its name
	inlineAttr  = 'A' // an attribute and its name
	inlineOpen  = '>' // the end of a start tag: the element's content follows
	inlineClose = ')' // the end of an element
	inlineValue = 'v' // a value token, then its emptiness
	inlineName  = 'N' // a Data element's Name attribute's value: its text
)

// inlineStream reports whether the binary XML stream b[pos:end] starts
// with an element (after an optional fragment header): a record written
// without a template.
func (d *Decoder) inlineStream(pos, end int) bool {
	if pos < end && d.b[pos] == tokFragmentHeader {
		pos += 4
	}
	return pos < end && d.b[pos]&^tokMore == tokOpenStart
}

// inlineScan is scanInline's state: the parser (its depth the tree's),
// and the bytes of values the tree would count.
type inlineScan struct {
	p          parser
	valueBytes int
}

// scanInline reads the shape of the binary XML stream b[pos:end] of a
// record written without templates into d.sc, and its value tokens'
// texts, in order, into d.sc.flat (and the Decoder's text of the
// record). It reports false when the tree path is to read the record.
func (d *Decoder) scanInline(pos, end int) bool {
	sc := &d.sc
	sc.inline = true
	sc.shape = append(sc.shape, 0, 0, 0, 0)
	s := inlineScan{p: parser{d: d, b: d.b, pos: pos, end: end}}
	p := &s.p
	for p.pos < end {
		switch d.b[p.pos] {
		case tokEOF:
			return true
		case tokFragmentHeader:
			if p.need(4) != nil {
				return false
			}
			p.pos += 4
		case tokOpenStart, tokOpenStart | tokMore:
			if !s.element() {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// appendText appends a mark and a length-prefixed text to the shape.
func (s *inlineScan) appendText(mark byte, text string) {
	sc := &s.p.d.sc
	sc.shape = binary.LittleEndian.AppendUint32(append(sc.shape, mark), uint32(len(text)))
	sc.shape = append(sc.shape, text...)
}

// element scans an element, as parser.element reads it.
func (s *inlineScan) element() bool {
	p, d := &s.p, s.p.d
	if p.depth >= d.lim.depth {
		return false
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.need(5) != nil {
		return false
	}
	tok := p.u8()
	p.pos += 4 // dependency identifier, data size
	name, err := p.name()
	if err != nil {
		return false
	}
	s.appendText(inlineElem, name)
	if tok&tokMore != 0 {
		if p.need(4) != nil {
			return false
		}
		p.pos += 4 // attribute list size
		for p.pos < p.end && p.b[p.pos]&^tokMore == tokAttribute {
			p.pos++
			aname, err := p.name()
			if err != nil {
				return false
			}
			s.appendText(inlineAttr, aname)
			if !s.values(name == "Data" && aname == "Name") {
				return false
			}
		}
	}
	if p.need(1) != nil {
		return false
	}
	d.sc.shape = append(d.sc.shape, inlineOpen)
	switch p.u8() {
	case tokCloseEmpty:
		d.sc.shape = append(d.sc.shape, inlineClose)
		return true
	case tokCloseStart:
	default:
		return false
	}
	for {
		if p.need(1) != nil {
			return false
		}
		switch p.b[p.pos] &^ tokMore {
		case tokEnd:
			p.pos++
			d.sc.shape = append(d.sc.shape, inlineClose)
			return true
		case tokOpenStart:
			if !s.element() {
				return false
			}
		default:
			at := p.pos
			if !s.values(false) || p.pos == at {
				return false
			}
		}
	}
}

// values scans the value tokens that follow, as parser.values reads
// them: each a value of the record, its text in d.sc.flat; named says
// they are a Data element's Name, whose text is part of the shape.
func (s *inlineScan) values(named bool) bool {
	p, d := &s.p, s.p.d
	for p.pos < p.end {
		switch p.b[p.pos] &^ tokMore {
		case tokValue:
			if p.need(2) != nil || p.b[p.pos+1] != typeString {
				return false
			}
			p.pos += 2
		case tokCDATA:
			p.pos++
		default:
			// The end of the values; a reference or a substitution
			// then stops the element's scan, and the tree reads it.
			return true
		}
		text, err := p.utf16()
		if err != nil {
			return false
		}
		if s.valueBytes += len(text); s.valueBytes > d.lim.valueBytes {
			return false
		}
		v := value{typ: typeText, raw: text}
		d.sc.flat = append(d.sc.flat, v)
		d.sc.shape = append(d.sc.shape, inlineValue, emptiness(v))
		if named {
			s.appendText(inlineName, unsafe.String(unsafe.SliceData(text), len(text)))
		}
	}
	return true
}

// inlineSubs returns, for the tree of a record written without
// templates just read (whose shape and values are d.sc's), each value
// node's text, by where it is in memory, to its index in d.sc.flat
// plus one: the tree's value nodes are the record's value tokens in
// order, as scanInline collected them. It returns nil when they are not.
func (d *Decoder) inlineSubs() map[valueAt]int32 {
	subs := make(map[valueAt]int32, len(d.sc.flat))
	k := 0
	for i := range d.nodes {
		n := &d.nodes[i]
		if n.kind != nodeValue {
			continue
		}
		if k >= len(d.sc.flat) || len(n.val.raw) != len(d.sc.flat[k].raw) {
			return nil
		}
		if len(n.val.raw) > 0 {
			subs[textAt(n.val)] = int32(k) + 1
		}
		k++
	}
	if k != len(d.sc.flat) {
		return nil
	}
	return subs
}

// textAt is where the text of v, a value of a record written without
// templates, is in memory (the Decoder's text of the record), its size
// and type.
func textAt(v value) valueAt {
	return valueAt{off: int(uintptr(unsafe.Pointer(unsafe.SliceData(v.raw)))), size: len(v.raw), typ: v.typ}
}
