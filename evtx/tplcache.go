package evtx

import (
	"bytes"
	"encoding/binary"
	"slices"
	"unsafe"
)

// Templates across chunks: every chunk defines the templates its records
// use again, the same bytes but for the chunk offsets of the names they
// refer to. A Decoder keeps the templates it compiled twice (known) and takes
// one for a chunk's definition of the same GUID and size when the
// definition holds the same bytes, its names refer to the same places in
// it (or, outside it, to the same names), and only the offsets that link
// a name to the chunk's next one differ: what compiling it would give,
// name for name and value for value. TestPlans compares records read so
// with records read with every template compiled (WithoutPlans).

// knownTemplate is a compiled template and the definition it was
// compiled from.
type knownTemplate struct {
	def   []byte    // the definition's binary XML, with zeros for the offsets at skips
	refs  []nameRef // its name references, in order
	skips []int32   // where def holds offsets that may differ (4 bytes each), in order
	t     *template // in its own memory
}

// nameRef is a name reference at def[at:at+4]: to def[target:] when
// target >= 0, else to name, a name outside the definition.
type nameRef struct {
	at, target int32
	name       string
}

// nameAt is a name reference read while compiling a template: the chunk
// offsets of the reference and of the name.
type nameAt struct{ at, off int }

// templateKey is a template's GUID and size.
type templateKey [20]byte

// knownKey returns the key of the template defined at chunk offset o.
func (d *Decoder) knownKey(o int) (k templateKey) {
	copy(k[:], d.b[o+4:o+24])
	return k
}

// known returns the compiled template that the definition of size bytes
// at chunk offset o would compile to, or nil.
func (d *Decoder) known(o, size int) *template {
	k := d.knowns[d.knownKey(o)]
	if k == nil || len(k.def) != size {
		return nil
	}
	base := o + 24
	def := d.b[base : base+size]
	for _, r := range k.refs {
		off := int(binary.LittleEndian.Uint32(def[r.at:]))
		if r.target >= 0 {
			if off != base+int(r.target) {
				return nil
			}
			continue
		}
		if off >= base && off < base+size {
			return nil
		}
		if s, _, err := d.name(uint32(off)); err != nil || s != r.name {
			return nil
		}
	}
	// The bytes but for the offsets, compared in one go: a copy with
	// zeros for them, as k.def has (a call a stretch between two offsets
	// cost several times as much: they are a few bytes apart).
	cmp := append(d.cmpBuf[:0], def...)
	d.cmpBuf = cmp
	for _, at := range k.skips {
		binary.LittleEndian.PutUint32(cmp[at:], 0)
	}
	if !bytes.Equal(cmp, k.def) {
		return nil
	}
	d.stats.Reused++
	return k.t
}

// remember keeps t, compiled from the definition of size bytes at chunk
// offset o with the name references d.refs, for the chunks to come.
func (d *Decoder) remember(o, size int, t *template) {
	if _, ok := d.knowns[d.knownKey(o)]; !ok {
		// Kept from the second definition on: a Decoder for one small
		// file copies few templates.
		d.keep(len(d.knowns), 0)
		d.knowns[d.knownKey(o)] = nil
		return
	}
	base := o + 24
	k := &knownTemplate{def: bytes.Clone(d.b[base : base+size])}
	var here []int // the names defined in the definition, in order
	for _, r := range d.refs {
		if r.off == r.at+4 {
			here = append(here, r.off)
		}
	}
	for _, r := range d.refs {
		ref := nameRef{at: int32(r.at - base), target: int32(r.off - base)}
		k.skips = append(k.skips, ref.at)
		switch {
		case r.off < base || r.off >= base+size:
			ref.target = -1
			ref.name, _, _ = d.name(uint32(r.off))
		case r.off == r.at+4: // defined here: its link to the next name
			k.skips = append(k.skips, ref.target)
		default:
			// A reference to a name defined elsewhere in the definition
			// reads bytes compared below; to any other place in it, it
			// might read a link that is not.
			if _, ok := slices.BinarySearch(here, r.off); !ok {
				return
			}
		}
		k.refs = append(k.refs, ref)
	}
	slices.Sort(k.skips)
	k.skips = slices.Compact(k.skips)
	for i, at := range k.skips {
		if i > 0 && at < k.skips[i-1]+4 || int(at)+4 > size {
			return // overlapping offsets: not a definition worth keeping
		}
		binary.LittleEndian.PutUint32(k.def[at:], 0)
	}
	k.t = t.own()
	d.keep(len(d.knowns), k.size())
	d.knowns[d.knownKey(o)] = k
}

// own returns a copy of t in memory of its own (a chunk's templates
// share the Decoder's, until its next Reset).
func (t *template) own() *template {
	nodes := slices.Clone(t.nodes[t.root:])
	rebase := func(i int32) int32 {
		if i < 0 {
			return i
		}
		return i - t.root
	}
	for i := range nodes {
		n := &nodes[i]
		n.first, n.last, n.next = rebase(n.first), rebase(n.last), rebase(n.next)
		n.val.raw = bytes.Clone(n.val.raw)
	}
	return &template{nodes: nodes, id: t.id, maxUse: t.maxUse, plannable: t.plannable}
}

// size returns roughly how many bytes k takes.
func (k *knownTemplate) size() int {
	n := len(k.def) + len(k.refs)*int(unsafe.Sizeof(nameRef{})) + 4*len(k.skips) + len(k.t.nodes)*int(unsafe.Sizeof(node{}))
	for i := range k.t.nodes {
		n += len(k.t.nodes[i].val.raw)
	}
	return n
}
