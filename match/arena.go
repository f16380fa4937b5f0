package match

import (
	"encoding/json"
	"unsafe"
)

// chunks hands out slices of T that keep their place until reset: when
// its chunk is full it starts a bigger one and leaves the old one to what
// points into it.
type chunks[T any] struct{ buf []T }

// take returns the next n elements.
func (c *chunks[T]) take(n int) []T {
	if c.buf == nil || cap(c.buf)-len(c.buf) < n {
		c.grow(n)
	}
	l := len(c.buf)
	c.buf = c.buf[:l+n]
	return c.buf[l : l+n : l+n]
}

// one returns the next element: take(1), cheap enough to be inlined where
// a value is boxed (scanner.box).
func (c *chunks[T]) one() *T {
	if len(c.buf) == cap(c.buf) {
		c.grow(1)
	}
	c.buf = c.buf[:len(c.buf)+1]
	return &c.buf[len(c.buf)-1]
}

// grow starts a chunk of n elements or more, bigger than the last.
func (c *chunks[T]) grow(n int) { c.buf = make([]T, 0, max(2*cap(c.buf), n, 64)) }

// reset frees the current chunk for reuse, dropping what it held.
func (c *chunks[T]) reset() {
	clear(c.buf)
	c.buf = c.buf[:0]
}

// eface is the layout of an interface value without methods: its type
// word and a pointer to its value.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// The type words of the interface values the scanner makes by reference.
var (
	stringWord = typeWord("")
	numberWord = typeWord(json.Number(""))
	listWord   = typeWord([]any(nil))
	int64Word  = typeWord(int64(0))
)

// typeWord returns the type word of v.
func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// boxAt returns the interface value of the type of word whose value is
// at p, without copying it the way a conversion to any does (which
// allocates for strings and slices). The value must not change while the
// interface value is in use: the scanner's values point into its chunks,
// which are reused only by the next event.
func boxAt(word, p unsafe.Pointer) (v any) {
	*(*eface)(unsafe.Pointer(&v)) = eface{word, p}
	return v
}
