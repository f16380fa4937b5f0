package evtx

// The tree a record is read into: its nodes (elements, attributes,
// values, and in templates substitutions), linked as children, and how
// the parser adds them.

// Node kinds of the tree a record is read into.
const (
	nodeDoc   = iota // the record: its children are the root element
	nodeElem         // an element: attributes first, then content
	nodeAttr         // an attribute: its children are value pieces
	nodeValue        // a piece of text or a typed value
	nodeSubst        // in a template: substitution sub (optional: opt)
)

// node is one node of a record's tree or of a template; children are
// linked through first/next, last is where the next child goes.
type node struct {
	kind              uint8
	flags             uint8
	sub               uint16
	name              string
	val               value
	first, last, next int32
}

// Node flags, set as children are added, so that writing JSON need not
// look through the children again.
const (
	flagOptional = 1 << iota // a substitution: an optional one
	flagNulled               // an element: an optional value of its was null
	flagText                 // a value with text among the children
	flagElems                // an element among the children
	flagAttrs                // an attribute with text among the children
)

// template is a compiled template definition: its nodes are those of the
// chunk's templates (Decoder.tplNodes as it was when it was compiled),
// root its fragment.
type template struct {
	nodes []node
	root  int32
	// For plans (templateID): its identity across chunks (0: not yet
	// known), the most times it uses one substitution value, and whether
	// no Data element of it is named by a value.
	id        uint32
	maxUse    int
	plannable bool
}

// add appends a node as the last child of parent and returns its index.
func (p *parser) add(parent int32, n node) (int32, error) {
	nodes := *p.out
	if len(nodes)-p.base >= p.d.lim.nodes {
		return 0, p.errorf("more than %d nodes", p.d.lim.nodes)
	}
	// A template's own text is no expansion (and is parsed once for
	// many records): only a record's values count.
	if !p.inTpl {
		if p.d.valueBytes += len(n.val.raw); p.d.valueBytes > p.d.lim.valueBytes {
			return 0, p.errorf("more than %d bytes of values", p.d.lim.valueBytes)
		}
	}
	n.first, n.last, n.next = -1, -1, -1
	i := int32(len(nodes))
	nodes = append(nodes, n)
	if parent >= 0 {
		switch {
		case n.kind == nodeElem:
			nodes[parent].flags |= flagElems
		case n.kind == nodeValue && !n.val.empty():
			nodes[parent].flags |= flagText
		}
		if l := nodes[parent].last; l >= 0 {
			nodes[l].next = i
		} else {
			nodes[parent].first = i
		}
		nodes[parent].last = i
	}
	*p.out = nodes
	return i, nil
}

// attrDone marks element el as having an attribute with text once node
// i, its child, is such an attribute.
func (p *parser) attrDone(i, el int32) {
	if nodes := *p.out; nodes[i].kind == nodeAttr && nodes[i].flags&flagText != 0 {
		nodes[el].flags |= flagAttrs
	}
}
