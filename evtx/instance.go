package evtx

import "encoding/binary"

// Template instances: a template (defined in the chunk, compiled once)
// copied into a record's tree with the record's substitution values,
// array values expanded and binary XML values parsed in place.

// instance reads a template instance under parent: the template (defined
// here, or earlier in the chunk) and its substitution values.
func (p *parser) instance(parent int32) error {
	if p.inTpl {
		return p.errorf("a template instance inside a template definition")
	}
	def, err := p.instanceHead()
	if err != nil {
		return err
	}
	p.d.templated = true
	t, err := p.d.template(def)
	if err != nil {
		return p.errorf("%v", err)
	}
	n, err := p.valueCount()
	if err != nil {
		return err
	}
	if err := p.step(n); err != nil {
		return err
	}
	mark := len(p.d.valBuf)
	defer func() { p.d.valBuf = p.d.valBuf[:mark] }() // the nodes hold copies
	vals := p.d.newVals(n)
	desc := p.pos
	p.pos += 4 * n
	for i := range vals {
		if vals[i], err = p.substValue(desc, i); err != nil {
			return err
		}
	}
	return p.instantiate(t, t.root, vals, parent)
}

// The parts of a template instance (libyal, "Template instance"), read
// by the tree path (instance) and by the plan path (scanStream) alike.

// instanceHead reads a template instance's token, unknown byte, template
// identifier and definition offset, and goes past the definition when it
// follows here; it returns the offset.
func (p *parser) instanceHead() (uint32, error) {
	if err := p.need(10); err != nil {
		return 0, err
	}
	p.pos += 6 // token, unknown byte, template identifier
	def := p.u32()
	if int(def) == p.pos {
		if err := p.need(24); err != nil {
			return 0, err
		}
		size := int(binary.LittleEndian.Uint32(p.b[p.pos+20:]))
		if err := p.need(24 + size); err != nil {
			return 0, p.errorf("template definition of %d bytes runs past its record", size)
		}
		p.pos += 24 + size
	}
	return def, nil
}

// valueCount reads how many substitution values an instance has and
// checks that their descriptors are there, which p.pos is left at.
func (p *parser) valueCount() (int, error) {
	if err := p.need(4); err != nil {
		return 0, err
	}
	n := int(p.u32())
	if err := p.need(4 * n); err != nil {
		return 0, p.errorf("%d substitution values: descriptors run past the record", n)
	}
	return n, nil
}

// substValue reads substitution value i, at p.pos, of an instance whose
// value descriptors (size, type) are at desc, and checks it.
func (p *parser) substValue(desc, i int) (value, error) {
	size := int(binary.LittleEndian.Uint16(p.b[desc+4*i:]))
	typ := p.b[desc+4*i+2]
	if err := p.need(size); err != nil {
		return value{}, p.errorf("substitution value %d of %d bytes runs past the record", i, size)
	}
	raw := p.b[p.pos : p.pos+size] // its capacity runs to the chunk's end: see embedded
	if err := checkValue(typ, raw); err != nil {
		return value{}, p.errorf("substitution value %d: %v", i, err)
	}
	p.pos += size
	return value{typ: typ, raw: raw}, nil
}

// instantiate copies the children of template node tn under parent,
// with the substitutions replaced by vals; a binary XML value is read
// in place.
func (p *parser) instantiate(t *template, tn int32, vals []value, parent int32) error {
	for c := t.nodes[tn].first; c >= 0; c = t.nodes[c].next {
		if err := p.step(1); err != nil {
			return err
		}
		n := &t.nodes[c]
		if n.kind == nodeSubst {
			if int(n.sub) >= len(vals) {
				return p.errorf("substitution %d of %d values", n.sub, len(vals))
			}
			v := vals[n.sub]
			switch v.typ {
			case typeNull, typeEvtHandle, typeEvtXML:
				if n.flags&flagOptional != 0 {
					(*p.out)[parent].flags |= flagNulled
				}
				continue
			case typeBinXML:
				if err := p.embedded(v.raw, parent); err != nil {
					return err
				}
				continue
			}
			if _, err := p.add(parent, node{kind: nodeValue, val: v}); err != nil {
				return err
			}
			continue
		}
		if n.kind == nodeElem {
			if sub, ok := t.arrayIn(c, vals); ok {
				if err := p.expand(t, c, vals, sub, parent); err != nil {
					return err
				}
				continue
			}
		}
		i, err := p.add(parent, node{kind: n.kind, name: n.name, val: n.val})
		if err != nil {
			return err
		}
		if n.first >= 0 {
			if err := p.deeper(); err != nil {
				return err
			}
			err := p.instantiate(t, c, vals, i)
			p.attrDone(i, parent)
			p.depth--
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// arrayIn returns the substitution among element tn's content whose
// value is an array.
func (t *template) arrayIn(tn int32, vals []value) (uint16, bool) {
	for c := t.nodes[tn].first; c >= 0; c = t.nodes[c].next {
		n := &t.nodes[c]
		if n.kind == nodeSubst && int(n.sub) < len(vals) && vals[n.sub].typ&typeArray != 0 {
			return n.sub, true
		}
	}
	return 0, false
}

// expand instantiates element tn once per item of the array value
// vals[sub], with the item in the array's place (MS-EVEN6 3.1.4.7.5,
// "Array Types"; libevtx and evtx_dump do the same): each string of a
// string array is an element of its own.
func (p *parser) expand(t *template, tn int32, vals []value, sub uint16, parent int32) error {
	arr := vals[sub]
	mark := len(p.d.valBuf)
	defer func() { p.d.valBuf = p.d.valBuf[:mark] }()
	one := p.d.newVals(len(vals))
	copy(one, vals)
	var err error
	arr.eachItem(func(item value) {
		if err != nil {
			return
		}
		if item.empty() {
			item = value{typ: typeText} // an empty element, still there
		}
		one[sub] = item
		err = p.instantiate1(t, tn, one, parent)
	})
	return err
}

// instantiate1 copies template node tn itself (an element) and its
// children under parent.
func (p *parser) instantiate1(t *template, tn int32, vals []value, parent int32) error {
	n := &t.nodes[tn]
	i, err := p.add(parent, node{kind: n.kind, name: n.name, val: n.val})
	if err != nil {
		return err
	}
	if err := p.deeper(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	return p.instantiate(t, tn, vals, i)
}

// embedded reads a binary XML value, raw (a slice of the chunk), under
// parent. A template may use the value many times and each use parses it
// again, tokens that make no node (fragment headers, processing
// instructions) included: its bytes count towards the record's steps,
// one per embeddedBytesPerStep.
func (p *parser) embedded(raw []byte, parent int32) error {
	if p.depth >= p.d.lim.depth {
		return p.errorf("nested deeper than %d", p.d.lim.depth)
	}
	if err := p.step(len(raw) / embeddedBytesPerStep); err != nil {
		return err
	}
	start := cap(p.b) - cap(raw) // raw is p.b[start:start+len(raw)]
	q := parser{d: p.d, b: p.b, pos: start, end: start + len(raw), out: p.out, depth: p.depth + 1}
	return q.stream(parent)
}
