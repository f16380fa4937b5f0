package match

import (
	"hash/maphash"
	"slices"
	"unsafe"
)

// The keys a probe's texts find in a string depend on the probe and the
// string only, and most of a Windows event's strings recur from record to
// record: Provider_Name, Channel, Keywords, SubjectUserSid, AccessMask,
// the same few images. probeCache remembers, for short strings, the text
// keys a probe found in them, so that a string seen before fires them
// without its look-ups (the exact texts' map, the prefix and suffix
// tries, the automaton). It is a fixed table, each entry overwritten by
// the next string that hashes to it: its memory does not grow with the
// events.
type probeCache struct {
	seed    maphash.Seed
	entries []cacheEntry
	rec     recorder // collects the keys of a string being cached
}

// The probe cache's limits: entries in the table, the longest string
// cached, and the most keys an entry holds (a string with more is not
// cached).
const (
	cacheEntries = 1024 // a power of 2
	maxCachedLen = 80
	maxCachedIDs = 8
)

// cacheEntry is a string a probe was probed with and the text keys found.
type cacheEntry struct {
	probe int32 // the probe's id plus one; 0: empty
	n     uint8 // the string's length
	nids  uint8
	ids   [maxCachedIDs]int32
	s     [maxCachedLen]byte
}

// recorder is the Sink of a probe whose result is being cached: it fires
// each key and keeps it.
type recorder struct {
	x    *scratch
	ids  []int32
	full bool // more keys than an entry holds
}

// Fire fires id and records it.
func (r *recorder) Fire(id int32) {
	r.x.Fire(id)
	if !slices.Contains(r.ids, id) {
		if len(r.ids) == maxCachedIDs {
			r.full = true
			return
		}
		r.ids = append(r.ids, id)
	}
}

// newProbeCache returns an empty cache for x's probes.
func newProbeCache(x *scratch) *probeCache {
	c := &probeCache{seed: maphash.MakeSeed(), entries: make([]cacheEntry, cacheEntries)}
	c.rec = recorder{x: x, ids: make([]int32, 0, maxCachedIDs)}
	return c
}

// entry returns the entry string s probed at f would be kept in.
func (c *probeCache) entry(f *ixProbe, s string) *cacheEntry {
	h := maphash.String(c.seed, s) ^ uint64(f.id)*0x9e3779b97f4a7c15
	return &c.entries[h&(cacheEntries-1)]
}

// holds reports whether e is s probed at f.
func (e *cacheEntry) holds(f *ixProbe, s string) bool {
	return e.probe == f.id+1 && int(e.n) == len(s) && string(e.s[:e.n]) == s
}

// find probes f's text keys with s through the cache: the keys of a
// string found in it are fired again; another string is looked up, and
// cached when short enough. A longer string is looked up with the
// probe's automaton states marked for the event (matcher.Marks: a state
// reached again reports nothing); a string to cache, with them marked for
// its own scan only, since the event's marks would hide the keys of
// states an earlier string reached.
func (c *probeCache) find(x *scratch, f *ixProbe, s string) {
	m := &x.marks[f.id]
	if len(s) > maxCachedLen {
		m.Epoch = x.eventMark
		f.texts.Find(s, &x.buf, x, m)
		return
	}
	e := c.entry(f, s)
	if e.holds(f, s) {
		for _, id := range e.ids[:e.nids] {
			x.Fire(id)
		}
		return
	}
	r := &c.rec
	r.ids, r.full = r.ids[:0], false
	m.Epoch = x.nextMark()
	f.texts.Find(s, &x.buf, r, m)
	if r.full {
		return
	}
	e.probe, e.n, e.nids = f.id+1, uint8(len(s)), uint8(len(r.ids))
	copy(e.ids[:], r.ids)
	copy(e.s[:], unsafe.Slice(unsafe.StringData(s), len(s)))
}
