package state

import (
	"container/heap"
	"math"
)

// Never is the deadline of state that does not expire by time.
const Never = math.MaxInt64

// entryOverhead estimates the bytes of a store entry besides its key and
// the size its machine gives: the entry, its map slot and heap slot.
const entryOverhead = 96

// Store is the pending state of one stateful rule: a value of type T per
// join key, bounded by its Limits and its Engine's memory Budget, each
// with a deadline in event time. Keys are kept in order of their last
// update, so that a limit evicts the least recently updated key first;
// evictions and expiries are counted in Stats. A Store belongs to one
// goroutine.
type Store[T any] struct {
	lim    Limits
	budget *Budget
	m      map[Key]*entry[T]
	lru    entry[T] // sentinel: lru.next is the least recently updated
	dl     deadlines[T]
	stats  Stats
	last   *entry[T] // the entry found last: a machine reads and updates one key at a time
}

// entry is one key's state.
type entry[T any] struct {
	key        Key
	val        T
	size       int64 // estimated bytes, entryOverhead and the key included
	deadline   int64
	hi         int // index in the deadline heap; -1 when not in it
	prev, next *entry[T]
}

// Budget is the memory, estimated, that the stores of one Engine share.
type Budget struct {
	Max  int64 // the limit (Limits.MaxBytes)
	Used int64 // bytes held now
}

// Stats counts a stateful rule's state and what happened to it.
type Stats struct {
	Keys          int   // join keys held now
	Bytes         int64 // estimated bytes held now
	Evicted       int64 // keys evicted by the key limit (MaxKeys)
	EvictedMemory int64 // keys evicted by the memory limit (MaxBytes)
	Dropped       int64 // pending items dropped by the per-key limit (MaxPending)
	DroppedValues int64 // distinct values dropped by the per-key limit of value_count (MaxValues)
	Expired       int64 // keys whose state expired by event time
	Alerts        int64 // results reported
}

// Add returns the sum of s and t, Keys and Bytes included.
func (s Stats) Add(t Stats) Stats {
	return Stats{Keys: s.Keys + t.Keys, Bytes: s.Bytes + t.Bytes, Evicted: s.Evicted + t.Evicted,
		EvictedMemory: s.EvictedMemory + t.EvictedMemory, Dropped: s.Dropped + t.Dropped,
		DroppedValues: s.DroppedValues + t.DroppedValues,
		Expired:       s.Expired + t.Expired, Alerts: s.Alerts + t.Alerts}
}

// NewStore returns an empty store bounded by lim and sharing budget.
func NewStore[T any](lim Limits, budget *Budget) *Store[T] {
	s := &Store[T]{lim: lim, budget: budget, m: map[Key]*entry[T]{}}
	s.lru.prev, s.lru.next = &s.lru, &s.lru
	return s
}

// Limits returns the store's limits; a machine enforces MaxPending with
// them, counting each item it drops with Dropped.
func (s *Store[T]) Limits() Limits { return s.lim }

// Len returns the number of keys held.
func (s *Store[T]) Len() int { return len(s.m) }

// find returns k's entry, or nil.
func (s *Store[T]) find(k Key) *entry[T] {
	if e := s.last; e != nil && e.key == k {
		return e
	}
	e := s.m[k]
	if e != nil {
		s.last = e
	}
	return e
}

// Lookup returns the key whose bytes are b (AppendKey) and its state, or
// nil, without allocating: a hit that finds no state costs no Key.
func (s *Store[T]) Lookup(b []byte) (Key, *T) {
	e := s.last
	if e == nil || string(e.key) != string(b) {
		if e = s.m[Key(b)]; e == nil {
			return "", nil
		}
		s.last = e
	}
	return e.key, &e.val
}

// Get returns the state of k, or nil; it does not count as an update.
func (s *Store[T]) Get(k Key) *T {
	if e := s.find(k); e != nil {
		return &e.val
	}
	return nil
}

// Put returns the state of k, creating a zero one when k has none, and
// marks k most recently updated. A new key that the key limit or the
// memory budget has no room for evicts the least recently updated keys
// (counted); the new one itself is never evicted by its own Put.
func (s *Store[T]) Put(k Key) *T {
	if e := s.find(k); e != nil {
		s.unlink(e)
		s.pushBack(e)
		return &e.val
	}
	for len(s.m) >= s.lim.MaxKeys && len(s.m) > 0 {
		s.remove(s.lru.next)
		s.stats.Evicted++
	}
	e := &entry[T]{key: k, deadline: Never, hi: -1}
	s.m[k] = e
	s.last = e
	s.pushBack(e)
	s.Resize(k, 0)
	return &e.val
}

// Resize sets the estimated size of k's state, besides the key and the
// store's own overhead, and evicts the least recently updated other keys
// while the budget is exceeded (counted in EvictedMemory).
func (s *Store[T]) Resize(k Key, size int) {
	e := s.find(k)
	if e == nil {
		return
	}
	n := int64(size) + int64(len(k)) + entryOverhead
	s.budget.Used += n - e.size
	s.stats.Bytes += n - e.size
	e.size = n
	for s.budget.Used > s.budget.Max && s.lru.next != e && s.lru.next != &s.lru {
		s.remove(s.lru.next)
		s.stats.EvictedMemory++
	}
}

// SetDeadline sets the event time after which k's state expires (Expire);
// Never keeps it until a limit evicts it or the machine deletes it.
func (s *Store[T]) SetDeadline(k Key, t int64) {
	e := s.find(k)
	if e == nil {
		return
	}
	e.deadline = t
	switch {
	case t == Never && e.hi >= 0:
		heap.Remove(&s.dl, e.hi)
	case t != Never && e.hi >= 0:
		heap.Fix(&s.dl, e.hi)
	case t != Never:
		heap.Push(&s.dl, e)
	}
}

// Delete drops k's state.
func (s *Store[T]) Delete(k Key) {
	if e := s.find(k); e != nil {
		s.remove(e)
	}
}

// Deadline returns the earliest deadline of the store's keys, Never when
// none has one.
func (s *Store[T]) Deadline() int64 {
	if len(s.dl) == 0 {
		return Never
	}
	return s.dl[0].deadline
}

// Expire calls fn for each key whose deadline is before now (a deadline
// is the last time at which the state is still live: a window is
// inclusive at its bound), earliest first. fn returns the key's new
// deadline and whether to keep it; a key not kept is removed and counted
// in Expired.
func (s *Store[T]) Expire(now int64, fn func(k Key, v *T) (deadline int64, keep bool)) {
	for len(s.dl) > 0 && s.dl[0].deadline < now {
		e := s.dl[0]
		d, keep := fn(e.key, &e.val)
		if !keep {
			s.remove(e)
			s.stats.Expired++
			continue
		}
		if d <= e.deadline && d != Never {
			d = e.deadline + 1 // always progress
		}
		s.SetDeadline(e.key, d)
	}
}

// Range calls fn for every key, least recently updated first, until fn
// returns false. fn must not change the store.
func (s *Store[T]) Range(fn func(k Key, v *T) bool) {
	for e := s.lru.next; e != &s.lru; e = e.next {
		if !fn(e.key, &e.val) {
			return
		}
	}
}

// Stats returns the store's counts.
func (s *Store[T]) Stats() Stats {
	st := s.stats
	st.Keys = len(s.m)
	return st
}

// Count adds to the counts a machine keeps in its store's Stats: items
// dropped by MaxPending and alerts.
func (s *Store[T]) Count(dropped, alerts int64) {
	s.stats.Dropped += dropped
	s.stats.Alerts += alerts
}

// CountValues adds to the distinct values a machine dropped by MaxValues.
func (s *Store[T]) CountValues(dropped int64) { s.stats.DroppedValues += dropped }

// remove drops e from the map, the order, the heap and the budget.
func (s *Store[T]) remove(e *entry[T]) {
	delete(s.m, e.key)
	if s.last == e {
		s.last = nil
	}
	s.unlink(e)
	if e.hi >= 0 {
		heap.Remove(&s.dl, e.hi)
	}
	s.budget.Used -= e.size
	s.stats.Bytes -= e.size
}

// unlink takes e out of the order.
func (s *Store[T]) unlink(e *entry[T]) {
	e.prev.next, e.next.prev = e.next, e.prev
}

// pushBack makes e the most recently updated.
func (s *Store[T]) pushBack(e *entry[T]) {
	e.prev, e.next = s.lru.prev, &s.lru
	s.lru.prev.next = e
	s.lru.prev = e
}

// deadlines is a min-heap of entries by deadline (container/heap).
type deadlines[T any] []*entry[T]

// Len is the number of entries.
func (h deadlines[T]) Len() int { return len(h) }

// Less orders by deadline.
func (h deadlines[T]) Less(i, j int) bool { return h[i].deadline < h[j].deadline }

// Swap swaps two entries and their indices.
func (h deadlines[T]) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].hi, h[j].hi = i, j
}

// Push adds an entry.
func (h *deadlines[T]) Push(x any) {
	e := x.(*entry[T])
	e.hi = len(*h)
	*h = append(*h, e)
}

// Pop removes the last entry.
func (h *deadlines[T]) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.hi = -1
	*h = old[:len(old)-1]
	return e
}
