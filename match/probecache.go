package match

import (
	"hash/maphash"
	"unsafe"
)

// The keys a probe finds in a string depend on the probe and the string
// only, and most of a Windows event's strings recur from record to
// record: Provider_Name, Channel, Keywords, SubjectUserSid, AccessMask,
// the same few images. probeCache remembers, for short strings, the keys
// a probe found in them, so that a string seen before fires them without
// its look-ups (the exact texts' map, the prefix and suffix tries, the
// automaton, the number a string spells). It is a fixed table, each entry
// overwritten by the next string that hashes to it, and a ring of the
// entries' keys, each entry's valid until the ring comes round to it: its
// memory does not grow with the events.
type probeCache struct {
	seed    maphash.Seed
	entries []cacheEntry
	ids     []int32 // the ring of the entries' keys (cacheIDs)
	next    uint32  // where the next key goes, counted from the start: ids[next%cacheIDs]
	rec     recorder
}

// The probe cache's limits: entries in the table, the key ids in its
// ring, the longest string cached, and the most keys an entry holds (a
// string with more is not cached). An image path fires 8 to 16 keys at
// the SigmaHQ Windows rules (its folders, its name, its extension).
const (
	cacheEntries = 1024 // a power of 2
	cacheIDs     = 8192 // a power of 2
	maxCachedLen = 80
	maxCachedIDs = 32
)

// cacheEntry is a string a probe was probed with and where the text keys
// found are in the ring.
type cacheEntry struct {
	probe int32  // the probe's id plus one; 0: empty
	at    uint32 // where its keys start in the ring (probeCache.next then)
	n     uint8  // the string's length
	nids  uint8
	s     [maxCachedLen]byte
}

// recorder is the Sink of a probe whose result is being cached: it fires
// each key and keeps it.
type recorder struct {
	x    *scratch
	ids  []int32
	full bool // more keys than an entry holds
}

// Fire fires id and records it. A scan reports a key once (the
// automaton's marks are the scan's own): no key is kept twice.
func (r *recorder) Fire(id int32) {
	r.x.Fire(id)
	if len(r.ids) == maxCachedIDs {
		r.full = true
		return
	}
	r.ids = append(r.ids, id)
}

// newProbeCache returns an empty cache for x's probes.
func newProbeCache(x *scratch) *probeCache {
	c := &probeCache{seed: maphash.MakeSeed(), entries: make([]cacheEntry, cacheEntries), ids: make([]int32, cacheIDs)}
	c.rec = recorder{x: x, ids: make([]int32, 0, maxCachedIDs)}
	return c
}

// entry returns the entry string s probed at f would be kept in.
func (c *probeCache) entry(f *ixProbe, s string) *cacheEntry {
	h := maphash.String(c.seed, s) ^ uint64(f.id)*0x9e3779b97f4a7c15
	return &c.entries[h&(cacheEntries-1)]
}

// holds reports whether e is s probed at f, with its keys still in c's
// ring.
func (c *probeCache) holds(e *cacheEntry, f *ixProbe, s string) bool {
	return e.probe == f.id+1 && int(e.n) == len(s) && c.next-e.at <= cacheIDs && string(e.s[:e.n]) == s
}

// find probes f's keys with the string s (scratch.lookup) through the
// cache: the keys of a string found in it are fired again; another string
// is looked up, and cached when short enough. A longer string is looked
// up with the probe's automaton states marked for the event
// (matcher.Marks: a state reached again reports nothing); a string to
// cache, with them marked for its own scan only, since the event's marks
// would hide the keys of states an earlier string reached.
func (c *probeCache) find(x *scratch, f *ixProbe, s string) {
	m := &x.marks[f.id]
	if len(s) > maxCachedLen {
		m.Epoch = x.eventMark
		x.lookup(f, s, x, m)
		return
	}
	e := c.entry(f, s)
	if c.holds(e, f, s) {
		for i := range uint32(e.nids) {
			x.Fire(c.ids[(e.at+i)&(cacheIDs-1)])
		}
		return
	}
	r := &c.rec
	r.ids, r.full = r.ids[:0], false
	m.Epoch = x.nextMark()
	x.lookup(f, s, r, m)
	if r.full {
		return
	}
	c.keep(e, f, s, r.ids)
}

// keep makes e the entry of s probed at f, which found ids, and puts them
// in the ring. When the ring's count would wrap around, every entry is
// emptied first: an entry's count from before could pass for a recent
// one.
func (c *probeCache) keep(e *cacheEntry, f *ixProbe, s string, ids []int32) {
	if c.next > maxRingCount {
		clear(c.entries)
		c.next = 0
	}
	e.probe, e.at, e.n, e.nids = f.id+1, c.next, uint8(len(s)), uint8(len(ids))
	for _, id := range ids {
		c.ids[c.next&(cacheIDs-1)] = id
		c.next++
	}
	copy(e.s[:], unsafe.Slice(unsafe.StringData(s), len(s)))
}

// maxRingCount is the count of keys past which keep starts the ring's
// count again.
const maxRingCount = 1<<32 - 1 - maxCachedIDs
