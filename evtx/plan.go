package evtx

import (
	"encoding/binary"
	"slices"
	"strings"
	"unsafe"
)

// Record plans: most records are one template instance whose values
// differ from record to record but whose shape does not, and the same
// templates (Sysmon's, Security's) come back in every chunk of every
// file. A plan is what Walk hands a Visitor for one shape (a template,
// which of its values are null or empty, their types, and the same of
// the template instances inside binary XML values), with each value
// either a constant or "substitution value i of the record". It is made
// once, by walking the tree of the second record of its shape (a shape
// seen once is only noted, which costs a Decoder for one small file
// little), and then replayed for every record of that shape: Next reads
// only the record's substitution values, and Walk hands them out in the
// plan's order, with no tree built and none walked.
//
// An array value's items are values of the record too, and their number
// and emptiness part of its shape (each item of an array in an element's
// content makes an element). A record falls back to its tree when its
// shape holds what a plan cannot replay: binary XML values that are not
// one template instance, a Data element named by a substitution (its key
// is a value), or an element whose text is made of several values. The
// tree stays the reference: TestPlans compares the two on every record
// of the corpus and of the fixtures, and FuzzPlan on chunks it makes up.

// Limits on the plans a Decoder keeps.
const (
	// MaxPlans is the most plans (shapes), template identities and
	// compiled templates, of each, a Decoder keeps (WithMaxPlans), and
	// MaxPlanBytes the most bytes they may take together
	// (WithMaxPlanBytes, roughly counted; one larger than the limit is
	// kept alone until the next is); when either limit would be
	// passed, all are dropped and made again as records need them
	// (Stats counts the evictions). The shared corpus needs 673 shapes,
	// 291 template identities, 458 compiled templates and about 3.6 MB
	// (TestPlans logs the shapes and bytes).
	MaxPlans     = 4096
	MaxPlanBytes = 32 << 20
	// maxPlanOps is the most Visitor calls a plan may hold: the records
	// of a larger shape are read into trees.
	maxPlanOps = 1 << 14
	// maxPlanInstances is the most template instances one record's shape
	// may hold (binary XML values inside values): more go through the tree.
	maxPlanInstances = 16
)

// Plan operations.
const (
	opObject = iota // vis.Object(key); skip to end when it returns false
	opArray         // vis.Array(key)
	opEnd           // vis.End()
	opValue         // a value at key: sub >= 0 the record's, else val
	opNull          // a null at key
)

// planOp is one Visitor call of a plan.
type planOp struct {
	op  uint8
	sub int32 // opValue: the index among the record's values (scan.flat), or -1
	end int32 // opObject: the index of its opEnd
	key string
	val value // opValue with sub < 0: a constant, in the plan's memory
}

// plan is the Visitor calls of one shape of record, and what the tree of
// such a record would count against the Decoder's limits.
type plan struct {
	ops []planOp
	// vals are the ops' values alone (opValue, opNull), in their order,
	// for AppendValues.
	vals []planValue
	// steps, valueBytes: what the record the plan was made from counted;
	// maxUse: the most times the tree uses one substitution value (a
	// template may use it several times, nested templates multiply).
	// A record of the same shape counts at most steps + maxUse*size/2
	// steps and valueBytes + maxUse*size bytes of values (see fits).
	steps, valueBytes, maxUse int
	id                        uint64 // Record.Shape, from planIDs
}

// planValue is a value of a plan, as AppendValues gives it: substitution
// value sub of the record, or the constant val when sub < 0, of kind
// kind, or, for a record's real (0), of the kind its bytes say: a real
// that is not finite is null. The other kinds are their types', which
// are the shape's.
type planValue struct {
	sub  int32
	kind Kind
	val  value
}

// PlanStats counts how a Decoder read its records.
type PlanStats struct {
	Planned   int // records read by a plan, with no tree
	Tree      int // records read into a tree (no plan, or the first two of a shape)
	Plans     int // plans kept (shapes seen, plannable or not)
	Compiled  int // template definitions compiled
	Reused    int // template definitions taken from an earlier chunk's (tplcache.go)
	Evictions int // times the plans and templates were dropped, full (MaxPlans, MaxPlanBytes)
	Bytes     int // roughly, of the plans and templates kept
}

// Stats returns how d read its records so far.
func (d *Decoder) Stats() PlanStats {
	s := d.stats
	s.Plans, s.Bytes = len(d.plans), d.planBytes
	return s
}

// scan is the shape of the record being read, as Next's fast path finds
// it: the key of its plan and its substitution values.
type scan struct {
	shape     []byte  // template ids, value types and emptiness, nested shapes
	flat      []value // the values of every template instance, outer first
	instances int
	maxUse    int  // the product of the most uses of a value along the nesting
	plannable bool // no template names a Data element by a value
	inline    bool // written without templates (inline.go)
}

// planned tries to read the record whose binary XML is b[pos:end] by a
// plan, and returns the plan (set as the record's by Next: d.cur, with
// d.sc.flat its values), or nil when the record is to be read into a
// tree: no plan for its shape yet (build then says to make one from the
// tree), a shape no plan can replay, or anything unusual, which the tree
// path reads or reports as it always has.
func (d *Decoder) planned(pos, end, size int) (pl *plan, build bool) {
	sc := &d.sc
	sc.shape, sc.flat, sc.instances, sc.maxUse, sc.plannable, sc.inline = sc.shape[:0], sc.flat[:0], 0, 1, true, false
	if d.inlineStream(pos, end) {
		if !d.scanInline(pos, end) {
			return nil, false
		}
	} else if !d.scanStream(pos, end, 1) {
		return nil, false
	}
	if d.lastPlan != nil && d.lastEvict == d.stats.Evictions && string(d.lastShape) == string(sc.shape) {
		pl = d.lastPlan // a plan is only dropped with all the others, by an eviction
		if !pl.fits(d, size) {
			return nil, false
		}
		return pl, false
	}
	pl, seen := d.plans[string(sc.shape)]
	if seen && pl != nil && pl != seenOnce {
		d.lastShape, d.lastPlan, d.lastEvict = append(d.lastShape[:0], sc.shape...), pl, d.stats.Evictions
	}
	switch {
	case !seen: // a plan is made at the second record of a shape: a Decoder for one small file makes few
		d.keep(len(d.plans), len(sc.shape))
		d.plans[string(sc.shape)] = seenOnce
		return nil, false
	case pl == seenOnce:
		return nil, true
	case pl == nil || !pl.fits(d, size):
		return nil, false
	}
	return pl, false
}

// lastTpls is how many of a record's template instances, the first,
// planned remembers the templates of for the next record: the record's
// own instance and those of its binary XML values.
const lastTpls = 4

// tplAt is a template and the chunk offset of its definition.
type tplAt struct {
	off uint32
	t   *template
}

// seenOnce is the plan of a shape seen once: none yet.
var seenOnce = &plan{}

// fits reports whether a record of size bytes read by pl is sure to stay
// within d's limits, as its tree would: the nodes and depth are the
// shape's; the steps and bytes of values are bounded (see plan). When it
// is not sure, the tree path reads the record and says. A record
// written without templates fits: scanInline counted what its tree would.
func (pl *plan) fits(d *Decoder, size int) bool {
	return d.sc.inline || pl.steps+pl.maxUse*size/2 <= stepsPerNode*d.lim.nodes && pl.valueBytes+pl.maxUse*size <= d.lim.valueBytes
}

// scanStream reads the shape of a binary XML stream b[pos:end] that is
// one template instance (after an optional fragment header, before an
// optional end-of-file token); uses is how many times the tree uses it.
func (d *Decoder) scanStream(pos, end, uses int) bool {
	b, sc := d.b, &d.sc
	if sc.instances++; sc.instances > maxPlanInstances {
		return false
	}
	p := parser{d: d, b: b, pos: pos, end: end}
	if p.pos < end && b[p.pos] == tokFragmentHeader {
		p.pos += 4
	}
	if p.pos >= end || b[p.pos] != tokTemplate {
		return false
	}
	def, err := p.instanceHead()
	if err != nil {
		return false
	}
	var t *template
	if k := sc.instances - 1; k < lastTpls && d.lastTpls[k].t != nil && d.lastTpls[k].off == def {
		t = d.lastTpls[k].t
	} else {
		if t, err = d.template(def); err != nil {
			return false
		}
		d.templateID(t)
		if k < lastTpls {
			d.lastTpls[k] = tplAt{def, t}
		}
	}
	sc.plannable = sc.plannable && t.plannable
	if uses *= t.maxUse; uses > d.lim.nodes {
		return false // the tree says what it makes of that (and uses cannot overflow)
	}
	n, err := p.valueCount()
	if err != nil {
		return false
	}
	le := binary.LittleEndian
	desc, at := p.pos, p.pos+4*n
	first, key := len(sc.flat), len(sc.shape)+8
	sc.flat = slices.Grow(sc.flat, n)[:first+n]
	sc.shape = slices.Grow(sc.shape, 8+2*n)[:key+2*n]
	le.PutUint32(sc.shape[key-8:], t.id)
	le.PutUint32(sc.shape[key-4:], uint32(n))
	// valueCount checked that the descriptors are there.
	at, nested := values(b[:end], b[desc:desc+4*n], sc.flat[first:first+n], sc.shape[key:key+2*n], at)
	if at < 0 {
		return false
	}
	if at < end && b[at] != tokEOF {
		return false
	}
	if nested == n {
		sc.maxUse = max(sc.maxUse, uses)
		return true
	}
	// The items of array values, after the values: each item of an
	// array in an element's content makes an element of its own, which
	// uses the instance's other values once more. (Most records have
	// one binary XML value, their EventData, the last of their values.)
	for i := nested; i < n; i++ {
		if v := sc.flat[first+i]; v.typ&typeArray != 0 {
			count := len(sc.shape)
			sc.shape = append(sc.shape, 0, 0, 0, 0)
			k := 0
			v.eachItem(func(item value) {
				k++
				sc.shape = append(sc.shape, emptiness(item))
				sc.flat = append(sc.flat, item)
			})
			binary.LittleEndian.PutUint32(sc.shape[count:], uint32(k))
			if uses *= max(k, 1); uses > d.lim.nodes {
				return false
			}
		}
	}
	sc.maxUse = max(sc.maxUse, uses)
	for i := nested; i < n; i++ {
		if v := sc.flat[first+i]; v.typ == typeBinXML && !v.empty() {
			start := cap(b) - cap(v.raw)
			if !d.scanStream(start, start+len(v.raw), uses) {
				return false
			}
		}
	}
	return true
}

// values reads the substitution values of a template instance, at
// b[at:], whose descriptors (size, type) are desc, into flat, and their
// types and emptiness into shape, two bytes each, with substValue's
// checks. It returns where they end and the index of the first array or
// binary XML value (len(flat) for none), or -1 when the tree is to read
// the record. (A function of its own: in scanStream, whose other
// variables are many, the loop's were kept on the stack.)
func values(b, desc []byte, flat []value, shape []byte, at int) (end, nested int) {
	nested = len(flat)
	for i := range flat {
		vd := desc[4*i : 4*i+4 : 4*i+4]
		size, typ := int(vd[0])|int(vd[1])<<8, vd[2]
		if at+size > len(b) {
			return -1, 0
		}
		raw := b[at : at+size] // b[:end] of the chunk: its capacity runs to the chunk's end, see embedded
		at += size
		// checkValue and emptiness, with the commonest kinds of value
		// first: a number, time or GUID of its type's size (never
		// empty), a string, a null and binary XML (which checkValue
		// takes as they are).
		var empty byte
		switch fixed := fixedSizes[typ]; {
		case fixed != 0:
			if size != int(fixed) {
				return -1, 0
			}
		case typ == typeString:
			if size < 2 || raw[0]|raw[1] == 0 {
				empty = 1
			}
		case typ == typeNull:
			empty = 1
		case typ == typeBinXML:
			if size == 0 {
				empty = 1
			}
			nested = min(nested, i)
		default:
			if checkValue(typ, raw) != nil {
				return -1, 0
			}
			empty = emptiness(value{typ: typ, raw: raw})
			if typ&typeArray != 0 {
				nested = min(nested, i)
			}
		}
		flat[i] = value{typ: typ, raw: raw}
		shape[2*i], shape[2*i+1] = typ, empty
	}
	return at, nested
}

// emptiness is 1 for a value that renders as no text, else 0.
func emptiness(v value) byte {
	if v.empty() {
		return 1
	}
	return 0
}

// templateID gives t the number of its identity across chunks (its
// nodes, which name the same elements and use the same values in every
// chunk that defines it, whatever the chunk offsets of its names) and
// what plans need to know of it, worked out once per identity.
func (d *Decoder) templateID(t *template) {
	if t.id != 0 {
		return
	}
	key := t.appendKey(d.keyBuf[:0], t.root)
	d.keyBuf = key
	info, ok := d.tplIDs[string(key)]
	if !ok {
		d.keep(len(d.tplIDs), len(key))
		d.nextID++
		info = tplInfo{id: d.nextID, maxUse: t.maxUses(), plannable: !t.namedBySubst(t.root, false)}
		d.tplIDs[string(key)] = info
	}
	t.id, t.maxUse, t.plannable = info.id, info.maxUse, info.plannable
}

// tplInfo is what plans need to know of a template identity.
type tplInfo struct {
	id        uint32
	maxUse    int
	plannable bool
}

// maxUses returns the most times t uses one substitution value.
func (t *template) maxUses() int {
	uses := map[uint16]int{}
	most := 1
	for i := range t.nodes[t.root:] {
		if n := &t.nodes[int(t.root)+i]; n.kind == nodeSubst {
			uses[n.sub]++
			most = max(most, uses[n.sub])
		}
	}
	return most
}

// namedBySubst reports whether a Data element below template node n has
// a Name attribute with a substitution among its values.
func (t *template) namedBySubst(n int32, inName bool) bool {
	for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
		k := &t.nodes[c]
		switch {
		case k.kind == nodeSubst && inName:
			return true
		case k.kind == nodeAttr:
			if t.namedBySubst(c, inName || k.name == "Name" && t.nodes[n].name == "Data") {
				return true
			}
		case k.kind == nodeElem:
			if t.namedBySubst(c, false) {
				return true
			}
		}
	}
	return false
}

// appendKey appends the identity of template node n's children: kinds,
// names, constant values, substitutions and their types.
func (t *template) appendKey(b []byte, n int32) []byte {
	for c := t.nodes[n].first; c >= 0; c = t.nodes[c].next {
		k := &t.nodes[c]
		b = append(b, k.kind, k.flags&flagOptional, k.val.typ)
		b = binary.LittleEndian.AppendUint16(b, k.sub)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(k.name)))
		b = append(b, k.name...)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(k.val.raw)))
		b = append(b, k.val.raw...)
		if k.first >= 0 {
			b = append(b, '(')
			b = t.appendKey(b, c)
			b = append(b, ')')
		}
	}
	return b
}

// keep makes room for one more entry in a map of count entries and n
// more bytes of plans, template identities and compiled templates: when
// either would pass its limit, all are dropped. Template numbers go on
// from where they were, so that the templates of the chunk being read
// keep numbers no other template gets.
func (d *Decoder) keep(count, n int) {
	if count >= d.lim.plans || d.planBytes+n > d.lim.planBytes {
		clear(d.plans)
		clear(d.tplIDs)
		clear(d.knowns)
		clear(d.owned)
		d.planBytes = 0
		d.stats.Evictions++
	}
	d.planBytes += n
}

// makePlan records, from the tree of the record just read (whose shape
// is d.sc's, seen once before), the plan of its shape, or nil when the
// shape cannot be replayed; either way the shape is not looked at again.
func (d *Decoder) makePlan() {
	sc := &d.sc
	var pl *plan
	n := len(sc.shape)
	if sc.plannable {
		rec := recorder{d: d, pl: &plan{steps: d.steps, valueBytes: d.valueBytes, maxUse: sc.maxUse}, inline: sc.inline}
		if sc.inline {
			rec.subs = d.inlineSubs()
			rec.failed = rec.subs == nil
		} else {
			rec.subs = make(map[valueAt]int32, len(sc.flat))
			for i, v := range sc.flat {
				if k := d.valueAt(v); len(v.raw) > 0 && rec.subs[k] == 0 {
					rec.subs[k] = int32(i) + 1
				}
			}
		}
		d.keys = d.keys[:0]
		rec.Object("")
		d.walk(&rec, 0)
		rec.End()
		d.keys, d.out = d.keys[:0], d.out[:0]
		if !rec.failed && len(rec.pl.ops) <= maxPlanOps {
			pl = rec.pl
			pl.id = planIDs.Add(1)
			pl.vals = d.planValues(pl.ops)
			n += len(pl.ops)*int(unsafe.Sizeof(planOp{})) + len(pl.vals)*int(unsafe.Sizeof(planValue{}))
		}
	}
	d.keep(len(d.plans), n)
	d.plans[string(sc.shape)] = pl
}

// planValues returns the values of ops, a plan of the record just read
// (its values d.sc.flat).
func (d *Decoder) planValues(ops []planOp) []planValue {
	n := 0
	for i := range ops {
		if ops[i].op == opValue || ops[i].op == opNull {
			n++
		}
	}
	vals := make([]planValue, 0, n)
	for i := range ops {
		switch op := &ops[i]; op.op {
		case opNull:
			vals = append(vals, planValue{sub: -1, kind: KindNull})
		case opValue:
			pv := planValue{sub: op.sub, val: op.val, kind: kindOf(op.val)}
			if op.sub >= 0 {
				v := d.sc.flat[op.sub]
				pv.kind = kindOf(v)
				if v.typ == typeReal32 || v.typ == typeReal64 {
					pv.kind = 0
				}
			}
			vals = append(vals, pv)
		}
	}
	return vals
}

// recorder is the Visitor that makes a plan from a record's tree.
type recorder struct {
	d      *Decoder
	pl     *plan
	open   []int32 // the opObject of each object open, or -1 for an array
	failed bool
	// subs finds the record's values (d.sc.flat) by place, each the
	// first of its place, as index+1: one look-up a value, so that a
	// record of many values (an array's items) is planned in linear time.
	subs map[valueAt]int32
	// inline: the record was written without templates, its values
	// found by where their text is (inlineSubs).
	inline bool
}

// valueAt is where a value of the record is in the chunk, its size and
// type: two values of the record that are not empty differ in one of
// them (an array and its first item in the type).
type valueAt struct {
	off, size int
	typ       byte
}

// valueAt returns where v, a slice of the chunk, is.
func (d *Decoder) valueAt(v value) valueAt {
	return valueAt{off: cap(d.b) - cap(v.raw), size: len(v.raw), typ: v.typ}
}

// add appends an op, its key copied into the plan's memory.
func (r *recorder) add(op planOp) {
	op.key = r.d.own(op.key)
	r.pl.ops = append(r.pl.ops, op)
}

// own returns s in memory of its own, the same for every plan (keys and
// constants recur from plan to plan).
func (d *Decoder) own(s string) string {
	if o, ok := d.owned[s]; ok {
		return o
	}
	d.keep(0, len(s)+16)
	o := strings.Clone(s)
	d.owned[o] = o
	return o
}

// Object records an object.
func (r *recorder) Object(key string) bool {
	r.open = append(r.open, int32(len(r.pl.ops)))
	r.add(planOp{op: opObject, key: key, sub: -1})
	return true
}

// Array records an array.
func (r *recorder) Array(key string) {
	r.open = append(r.open, -1)
	r.add(planOp{op: opArray, key: key, sub: -1})
}

// End records the end of an object or array.
func (r *recorder) End() {
	if o := r.open[len(r.open)-1]; o >= 0 {
		r.pl.ops[o].end = int32(len(r.pl.ops))
	}
	r.open = r.open[:len(r.open)-1]
	r.add(planOp{op: opEnd, sub: -1})
}

// Value records a value: one of the record's substitution values, found
// by where its bytes are in the chunk, or a constant of the template.
func (r *recorder) Value(key string, v Value) {
	switch {
	case v.n >= 0: // several values make its text
		r.failed = true
	case len(v.val.raw) > 0 && r.inline:
		if i := r.subs[textAt(v.val)]; i > 0 {
			r.add(planOp{op: opValue, key: key, sub: i - 1})
			return
		}
		r.failed = true
	case len(v.val.raw) > 0 && inside(v.val.raw, r.d.b):
		// The record's value, even when it is null here (a real that
		// is not finite): scalar gives each record's its own kind.
		if i := r.subs[r.d.valueAt(v.val)]; i > 0 {
			r.add(planOp{op: opValue, key: key, sub: i - 1})
			return
		}
		r.failed = true
	case v.kind == KindNull:
		r.add(planOp{op: opNull, key: key, sub: -1})
	default:
		c := r.d.own(string(v.val.raw)) // never written to: values are only read
		r.add(planOp{op: opValue, key: key, sub: -1, val: value{typ: v.val.typ, raw: unsafe.Slice(unsafe.StringData(c), len(c))}})
	}
}

// inside reports whether p's bytes are in b's memory.
func inside(p, b []byte) bool {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(p)))
	return at >= start && at < start+uintptr(cap(b))
}

// replay hands vis the record read by plan pl, as walking its tree would.
func (d *Decoder) replay(vis Visitor, pl *plan) {
	ops, flat := pl.ops, d.sc.flat
	for i := 0; i < len(ops); i++ {
		op := &ops[i]
		switch op.op {
		case opObject:
			if !vis.Object(op.key) {
				i = int(op.end)
			}
		case opArray:
			vis.Array(op.key)
		case opEnd:
			vis.End()
		case opNull:
			vis.Value(op.key, Value{d: d, n: -1, kind: KindNull})
		case opValue:
			v := op.val
			if op.sub >= 0 {
				v = flat[op.sub]
			}
			d.scalar(vis, op.key, v)
		}
	}
}
