package state

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Encoder writes the binary form of state: uvarints, varints and
// length-prefixed strings. Machines write their state with it (see
// Machine.Encode); Engine.Snapshot frames each machine's part.
type Encoder struct {
	buf []byte
}

// Uint writes n.
func (e *Encoder) Uint(n uint64) { e.buf = binary.AppendUvarint(e.buf, n) }

// Int writes n.
func (e *Encoder) Int(n int64) { e.buf = binary.AppendVarint(e.buf, n) }

// String writes s.
func (e *Encoder) String(s string) {
	e.Uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// Bytes returns what was written.
func (e *Encoder) Bytes() []byte { return e.buf }

// ErrCorrupt is the error of a snapshot that does not decode.
var ErrCorrupt = errors.New("state snapshot is corrupt")

// Decoder reads what an Encoder wrote. After the first error every read
// returns a zero value and Err returns the error.
type Decoder struct {
	buf []byte
	err error
}

// NewDecoder returns a Decoder of b.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Uint reads an unsigned integer.
func (d *Decoder) Uint() uint64 { return varint(d, binary.Uvarint) }

// Int reads a signed integer.
func (d *Decoder) Int() int64 { return varint(d, binary.Varint) }

// varint reads one integer with read, binary.Uvarint or binary.Varint.
func varint[T uint64 | int64](d *Decoder, read func([]byte) (T, int)) T {
	if d.err != nil {
		return 0
	}
	n, k := read(d.buf)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[k:]
	return n
}

// Len reads a count of items that each take at least one byte, so that
// a corrupt count cannot make the reader allocate much.
func (d *Decoder) Len() int {
	n := d.Uint()
	if n > uint64(len(d.buf)) {
		d.fail()
		return 0
	}
	return int(n)
}

// String reads a string.
func (d *Decoder) String() string {
	n := d.Len()
	if d.err != nil {
		return ""
	}
	s := string(d.buf[:n])
	d.buf = d.buf[n:]
	return s
}

// Err returns the first error, or nil.
func (d *Decoder) Err() error { return d.err }

// Done returns the first error, or one when bytes are left over.
func (d *Decoder) Done() error {
	if d.err == nil && len(d.buf) > 0 {
		d.err = fmt.Errorf("%w: %d bytes left over", ErrCorrupt, len(d.buf))
	}
	return d.err
}

// fail records a decoding error.
func (d *Decoder) fail() {
	if d.err == nil {
		d.err = ErrCorrupt
	}
	d.buf = nil
}

// EncodeStore writes s's keys, least recently updated first, that keep
// accepts (all with a nil keep): each key, its deadline, and its state
// written by put.
func EncodeStore[T any](e *Encoder, s *Store[T], keep func(Key) bool, put func(*Encoder, *T)) {
	var n uint64
	s.Range(func(k Key, _ *T) bool {
		if keep == nil || keep(k) {
			n++
		}
		return true
	})
	e.Uint(n)
	s.Range(func(k Key, v *T) bool {
		if keep == nil || keep(k) {
			e.String(string(k))
			e.Int(s.m[k].deadline)
			e.Uint(uint64(s.m[k].size))
			put(e, v)
		}
		return true
	})
}

// DecodeStore reads what EncodeStore wrote into s, adding to its keys
// (restoring the parts of a state split by partition merges them) and
// replacing those it holds; get reads one state.
func DecodeStore[T any](d *Decoder, s *Store[T], get func(*Decoder, *T)) error {
	n := d.Len()
	for range n {
		k := Key(d.String())
		deadline := d.Int()
		size := int64(d.Uint())
		if d.Err() != nil {
			break
		}
		v := s.Put(k)
		var zero T
		*v = zero
		get(d, v)
		s.Resize(k, int(max(0, size-int64(len(k))-entryOverhead)))
		s.SetDeadline(k, deadline)
	}
	return d.Err()
}
