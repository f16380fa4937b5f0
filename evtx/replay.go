package evtx

import (
	"slices"
	"sync/atomic"
)

// The values of a record in the order Walk hands them out, and the
// identity of the plan a record was read by: for a program that reads
// many records of few shapes (normalize.Reader.ReadEVTX fills a rule
// set's record) and works out, once per shape, what to do with each of
// the record's values, then does it with the values alone, with no
// Visitor calls, keys or objects for each record.

// planIDs numbers the plans of every Decoder of the process (Shape).
var planIDs atomic.Uint64

// Shape returns the identity of the plan r was read by (plan.go), or 0
// when r was read into a tree. Two records with the same Shape hand a
// Visitor the same calls with the same keys, in the same order, and
// differ only in their values (their text, and a real that is not finite
// being null): what a Visitor decided from the calls and keys of one
// holds for the other. A Shape is never given to another plan in the
// process, even after its Decoder dropped the plan (MaxPlans), so that
// a caller may keep what it worked out by Shape for as long as it likes.
func (r *Record) Shape() uint64 {
	if pl := r.d.cur; pl != nil {
		return pl.id
	}
	return 0
}

// AppendValues appends to vs the scalar values Walk hands a Visitor
// whose Object always returns true, in the order it hands them (an
// array value's items one by one), each with the kind Walk gives it, and
// returns the extended slice. The values are valid until r's Decoder's
// next Next or Reset. For a record read by a plan (Shape not 0) it costs
// a fraction of a Walk.
func (r *Record) AppendValues(vs []Value) []Value {
	d := r.d
	pl := d.cur
	if pl == nil {
		c := valueCollector{vs: vs}
		r.Walk(&c)
		return c.vs
	}
	flat, vals := d.sc.flat, pl.vals
	start := len(vs)
	vs = slices.Grow(vs, len(vals))[:start+len(vals)]
	out := vs[start:]
	for i := range vals {
		// Never an array: a plan records an array value's items one by
		// one (the tree's walk hands them out so), each its own value of
		// the record.
		pv := &vals[i]
		v := &pv.val
		if pv.sub >= 0 {
			v = &flat[pv.sub]
		}
		kind := pv.kind
		if kind == 0 {
			kind = kindOf(*v)
		}
		// Field by field: a Value made whole on the stack and copied
		// costs several times as much (its fields are written narrow and
		// read back wide, which stalls).
		e := &out[i]
		e.d, e.n, e.val.typ, e.val.raw, e.kind = d, -1, v.typ, v.raw, kind
	}
	return vs
}

// valueCollector is the Visitor that AppendValues walks a tree with.
type valueCollector struct{ vs []Value }

func (c *valueCollector) Object(string) bool      { return true }
func (c *valueCollector) Array(string)            {}
func (c *valueCollector) End()                    {}
func (c *valueCollector) Value(_ string, v Value) { c.vs = append(c.vs, v) }

// Raw returns v's bytes as the record stores them (its binary XML
// value), or nil for a value whose text is made of several (Walk of a
// record read into a tree). It shares memory with the Decoder: it is
// valid until the Decoder's next Next or Reset, and is not to be changed.
// The values at one place of the records of one Shape (the i-th that
// AppendValues gives) have one type: where their Raw bytes are the same,
// so are their Kind, Text and AppendJSON. So a caller may keep the JSON
// of each place's last value and copy it rather than render the value
// again when it comes back, as most do: three values in four of a
// record of the shared corpus are those of the last record of its shape.
func (v Value) Raw() []byte {
	if v.n >= 0 {
		return nil
	}
	return v.val.raw
}
