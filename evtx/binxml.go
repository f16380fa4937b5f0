package evtx

import (
	"encoding/binary"
	"fmt"
)

// Binary XML tokens (libyal, "Binary XML", token types). Tokens with the
// 0x40 bit set carry more data: an element with attributes, or one more
// attribute or value to follow.
const (
	tokEOF            = 0x00
	tokOpenStart      = 0x01
	tokCloseStart     = 0x02
	tokCloseEmpty     = 0x03
	tokEnd            = 0x04
	tokValue          = 0x05
	tokAttribute      = 0x06
	tokCDATA          = 0x07
	tokCharRef        = 0x08
	tokEntityRef      = 0x09
	tokPITarget       = 0x0a
	tokPIData         = 0x0b
	tokTemplate       = 0x0c
	tokSubstitution   = 0x0d
	tokOptionalSubst  = 0x0e
	tokFragmentHeader = 0x0f
	tokMore           = 0x40
)

// Limits on what one record may expand to.
const (
	// MaxDepth is the deepest nesting of elements and of binary XML
	// values inside values that a record may have.
	MaxDepth = 64
	// MaxNodes is the most elements, attributes and values one record
	// may expand to (templates instantiated inside values multiply); it
	// may go through stepsPerNode times as many template nodes and
	// substitution values, null values that add no node included.
	MaxNodes     = 1 << 17
	stepsPerNode = 8
	// embeddedBytesPerStep is how many bytes of a binary XML value
	// parsed count as one step: the smallest token that makes no node,
	// an empty processing instruction's data, is 3 bytes.
	embeddedBytesPerStep = 2
	// MaxValueBytes is the most bytes of values one record may expand to
	// (a template may use a value many times).
	MaxValueBytes = 16 << 20
)

// parser reads one binary XML stream of a chunk into a tree of nodes.
type parser struct {
	d     *Decoder
	b     []byte // the chunk: every offset in binary XML is from its start
	pos   int
	end   int
	inTpl bool    // a template definition: dependency ids, substitutions
	out   *[]node // where nodes go
	base  int     // the first of out's nodes that is this stream's
	depth int
}

// errorf returns an error at the parser's offset.
func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("binary XML at chunk offset 0x%x: %s", p.pos, fmt.Sprintf(format, args...))
}

// need checks that n more bytes are there (short small enough to be
// inlined: it is called for every token and value).
func (p *parser) need(n int) error {
	if n < 0 || p.pos+n > p.end {
		return p.short(n)
	}
	return nil
}

// short is need's error, kept out of need's body.
//
//go:noinline
func (p *parser) short(n int) error { return p.errorf("%d bytes needed, %d left", n, p.end-p.pos) }

func (p *parser) u8() byte    { c := p.b[p.pos]; p.pos++; return c }
func (p *parser) u16() uint16 { v := binary.LittleEndian.Uint16(p.b[p.pos:]); p.pos += 2; return v }
func (p *parser) u32() uint32 { v := binary.LittleEndian.Uint32(p.b[p.pos:]); p.pos += 4; return v }

// deeper enters one level of nesting (the caller leaves it), or says
// that it is one too many.
func (p *parser) deeper() error {
	if p.depth >= p.d.lim.depth {
		return p.errorf("nested deeper than %d", p.d.lim.depth)
	}
	p.depth++
	return nil
}

// step counts n template nodes or values gone through, and says when the
// record has gone through too many.
func (p *parser) step(n int) error {
	if p.d.steps += n; p.d.steps > stepsPerNode*p.d.lim.nodes {
		return p.errorf("more than %d template nodes and values to go through", stepsPerNode*p.d.lim.nodes)
	}
	return nil
}

// name reads a name reference: the offset of a name in the chunk, which
// follows at once when it is defined here (libyal, "Name").
func (p *parser) name() (string, error) {
	if err := p.need(4); err != nil {
		return "", err
	}
	off := p.u32()
	if p.inTpl {
		p.d.refs = append(p.d.refs, nameAt{at: p.pos - 4, off: int(off)})
	}
	s, size, err := p.d.name(off)
	if err != nil {
		return "", p.errorf("%v", err)
	}
	if int(off) == p.pos {
		if err := p.need(size); err != nil {
			return "", err
		}
		p.pos += size
	}
	return s, nil
}

// stream reads a binary XML fragment or stream of them under parent, to
// the end of the parser's data or an end-of-file token.
func (p *parser) stream(parent int32) error {
	for p.pos < p.end {
		switch tok := p.b[p.pos]; tok {
		case tokEOF:
			p.pos++
			return nil
		case tokFragmentHeader:
			if err := p.need(4); err != nil {
				return err
			}
			p.pos += 4
		case tokOpenStart, tokOpenStart | tokMore:
			if err := p.element(parent); err != nil {
				return err
			}
		case tokTemplate:
			if err := p.instance(parent); err != nil {
				return err
			}
		default:
			return p.errorf("token 0x%02x where an element or a template was expected", tok)
		}
	}
	return nil
}

// element reads an element (open start tag to end tag) under parent.
func (p *parser) element(parent int32) error {
	if err := p.deeper(); err != nil {
		return err
	}
	defer func() { p.depth-- }()
	hdr := 5
	if p.inTpl {
		hdr = 7 // and a dependency identifier
	}
	if err := p.need(hdr); err != nil {
		return err
	}
	tok := p.u8()
	p.pos += hdr - 1 // dependency identifier, data size
	name, err := p.name()
	if err != nil {
		return err
	}
	el, err := p.add(parent, node{kind: nodeElem, name: name})
	if err != nil {
		return err
	}
	if tok&tokMore != 0 {
		if err := p.need(4); err != nil {
			return err
		}
		p.pos += 4 // attribute list size
		for p.pos < p.end && p.b[p.pos]&^tokMore == tokAttribute {
			p.pos++
			aname, err := p.name()
			if err != nil {
				return err
			}
			at, err := p.add(el, node{kind: nodeAttr, name: aname})
			if err != nil {
				return err
			}
			if err := p.values(at); err != nil {
				return err
			}
			p.attrDone(at, el)
		}
	}
	if err := p.need(1); err != nil {
		return err
	}
	switch tok := p.u8(); tok {
	case tokCloseEmpty:
		return nil
	case tokCloseStart:
	default:
		p.pos--
		return p.errorf("token 0x%02x where the end of a start tag was expected", tok)
	}
	for {
		if err := p.need(1); err != nil {
			return err
		}
		switch tok := p.b[p.pos]; tok &^ tokMore {
		case tokEnd:
			p.pos++
			return nil
		case tokOpenStart:
			if err := p.element(el); err != nil {
				return err
			}
		case tokTemplate:
			if err := p.instance(el); err != nil {
				return err
			}
		case tokPITarget:
			p.pos++
			if _, err := p.name(); err != nil {
				return err
			}
		case tokPIData:
			p.pos++
			if err := p.need(2); err != nil {
				return err
			}
			n := int(p.u16()) * 2 // the data, which no JSON holds
			if err := p.need(n); err != nil {
				return err
			}
			p.pos += n
		default:
			n := p.pos
			if err := p.values(el); err != nil {
				return err
			}
			if p.pos == n {
				return p.errorf("token 0x%02x inside an element", tok)
			}
		}
	}
}

// utf16 reads a character count and that many UTF-16 characters, as
// UTF-8 in the decoder's text of the chunk (a template's) or of the
// record, which saves an allocation a value.
func (p *parser) utf16() ([]byte, error) {
	if err := p.need(2); err != nil {
		return nil, err
	}
	n := int(p.u16()) * 2
	if err := p.need(n); err != nil {
		return nil, err
	}
	text := &p.d.recText
	if p.inTpl {
		text = &p.d.tplText
	}
	start := len(*text)
	*text = appendUTF16JSON(*text, p.b[p.pos:p.pos+n], false)
	p.pos += n
	return (*text)[start:len(*text):len(*text)], nil
}

// values reads the value tokens that follow (text, CDATA, character and
// entity references, substitutions) as children of parent.
func (p *parser) values(parent int32) error {
	for p.pos < p.end {
		tok := p.b[p.pos] &^ tokMore
		var v node
		switch tok {
		case tokValue:
			if err := p.need(2); err != nil {
				return err
			}
			p.pos++
			if t := p.u8(); t != typeString {
				p.pos--
				return p.errorf("value token of type 0x%02x, want a string (0x01)", t)
			}
			s, err := p.utf16()
			if err != nil {
				return err
			}
			v = node{kind: nodeValue, val: value{typ: typeText, raw: s}}
		case tokCDATA:
			p.pos++
			s, err := p.utf16()
			if err != nil {
				return err
			}
			v = node{kind: nodeValue, val: value{typ: typeText, raw: s}}
		case tokCharRef:
			if err := p.need(3); err != nil {
				return err
			}
			p.pos++
			v = node{kind: nodeValue, val: textValue(string(rune(p.u16())))}
		case tokEntityRef:
			p.pos++
			name, err := p.name()
			if err != nil {
				return err
			}
			v = node{kind: nodeValue, val: textValue(entity(name))}
		case tokSubstitution, tokOptionalSubst:
			if !p.inTpl {
				return p.errorf("a substitution outside a template")
			}
			if err := p.need(4); err != nil {
				return err
			}
			p.pos++
			v = node{kind: nodeSubst, sub: p.u16()}
			if tok == tokOptionalSubst {
				v.flags = flagOptional
			}
			v.val.typ = p.u8()
		default:
			return nil
		}
		if _, err := p.add(parent, v); err != nil {
			return err
		}
	}
	return nil
}

// entity is the text of an XML entity reference.
func entity(name string) string {
	switch name {
	case "amp":
		return "&"
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "quot":
		return `"`
	case "apos":
		return "'"
	}
	return "&" + name + ";"
}
