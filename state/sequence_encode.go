package state

import (
	"fmt"
)

// encodingVersion is the version of the state Encode writes.
const encodingVersion = 1

// Encode writes the machine's state for the keys keep accepts.
func (m *sequenceMachine) Encode(e *Encoder, keep func(Key) bool) {
	e.Uint(encodingVersion)
	EncodeStore(e, m.s, keep, func(e *Encoder, ks *keyState) {
		n := 0
		for _, p := range ks.pend {
			if p != nil {
				n++
			}
		}
		e.Uint(uint64(n))
		for i, p := range ks.pend {
			if p != nil {
				e.Uint(uint64(i))
				encodePartial(e, p)
			}
		}
		e.Uint(uint64(len(ks.trail)))
		for _, p := range ks.trail {
			encodePartial(e, p)
		}
		e.Int(ks.lead.last)
		e.Int(ks.lead.prev)
		e.Uint(uint64(len(ks.sample)))
		for _, c := range ks.sample {
			e.Uint(uint64(len(c)))
			for _, o := range c {
				e.Int(o)
			}
		}
	})
}

// encodePartial writes one partial sequence.
func encodePartial(e *Encoder, p *partial) {
	for _, t := range []int64{p.start, p.last, p.middle, p.lead, p.deadline} {
		e.Int(t)
	}
	if p.discarded {
		e.Uint(1)
	} else {
		e.Uint(0)
	}
	e.Uint(uint64(len(p.ords)))
	for _, o := range p.ords {
		e.Int(o)
	}
}

// Decode adds the state Encode wrote.
func (m *sequenceMachine) Decode(d *Decoder) error {
	if v := d.Uint(); d.Err() == nil && v != encodingVersion {
		return fmt.Errorf("sequence state version %d, want %d", v, encodingVersion)
	}
	n := len(m.sp.Stages)
	bad := false
	err := DecodeStore(d, m.s, func(d *Decoder, ks *keyState) {
		ks.pend = make([]*partial, n)
		for range d.Len() {
			i := d.Uint()
			p := decodePartial(d, n)
			if i >= uint64(n) || p == nil {
				bad = true
				return
			}
			ks.pend[i] = p
		}
		for range d.Len() {
			p := decodePartial(d, n)
			if p == nil {
				bad = true
				return
			}
			ks.trail = append(ks.trail, p)
		}
		ks.lead = leadTimes{last: d.Int(), prev: d.Int()}
		if k := d.Len(); k > 0 {
			if k != n {
				bad = true
				return
			}
			ks.sample = make([][]int64, k)
			for i := range ks.sample {
				for range d.Len() {
					ks.sample[i] = append(ks.sample[i], d.Int())
				}
			}
		}
	})
	if err == nil && bad {
		err = fmt.Errorf("%w: sequence state of another shape", ErrCorrupt)
	}
	if err != nil {
		return err
	}
	return d.Done()
}

// decodePartial reads one partial sequence of n stages; nil when its
// shape is not n stages.
func decodePartial(d *Decoder, n int) *partial {
	p := &partial{start: d.Int(), last: d.Int(), middle: d.Int(), lead: d.Int(), deadline: d.Int()}
	p.discarded = d.Uint() == 1
	if d.Len() != n || d.Err() != nil {
		return nil
	}
	p.ords = make([]int64, n)
	for i := range p.ords {
		p.ords[i] = d.Int()
	}
	return p
}
