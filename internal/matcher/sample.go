package matcher

import (
	"encoding/binary"
	"math/bits"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/swar"
)

// Sampling: how ScanMarked scans for keys that are all long. Stepping the
// DFA costs a dependent load per byte, and in a large automaton (the
// SigmaHQ Windows rules' Hashes field: 76,099 states, 5.5 MB, for keys of
// 16 bytes and more) most of those loads miss the cache. With keys of at
// least m bytes, the scan instead looks at every stride-th position only
// (stride = m-gramLen+1), where it tests the gramLen bytes there (a gram)
// against a hashed set of the grams that start at the keys' first stride
// offsets: a key that occurs at p holds, at the one position j in
// [p, p+stride) that the scan looks at, its gram at offset j-p. Where the
// set may hold the gram, the DFA steps from the root at j-stride+1, the
// first position such a key can start, until the match its state stands
// for (the longest suffix of the text read that a key starts with)
// starts past j: then every key that started before that match has been
// reported, and the sampling resumes where it starts. Grams compare as the
// DFA compares bytes, by class (gramWord): more grams hit the set, never
// fewer.

// gramLen is the length of the grams the sampling tests: one 64-bit
// load. Four bytes were too few: the Hashes keys' grams covered most of
// the 65,536 grams of four hex digits, and sampling a Hashes value took
// as long as stepping the DFA on it.
const gramLen = 8

// minStride is the shortest stride sampling is used with (keys of 11
// bytes and more): at a stride of 2, with three-byte grams, sampling the
// keyword automaton's scan was slower than stepping the DFA (see
// ScanJSON); strides of 2 and 3 with these grams were not measured.
const minStride = 4

// The hashed gram set has 16 bits per gram, rounded up to a power of two
// from minGramBits to maxGramBits: a few percent of the positions looked
// at hit it by a collision.
const (
	minGramBits = 1 << 12
	maxGramBits = 1 << 20
)

// sampler is what an Automaton samples with when its keys are long.
type sampler struct {
	grams  []uint64 // the hashed gram set, a bit per hash
	shift  uint     // 64 minus the hash's bits
	stride int
	depth  []uint8 // per state: the length of its match, maxDepth for maxDepth or more
	tz     uint    // state offsets divide by columns as (o >> tz) * inv
	inv    uint32
}

// maxDepth is the depth from which a sampler's depth stops counting: a
// match that long is not known to start past a position looked at, and
// the DFA steps on.
const maxDepth = 255

// newSampler returns the sampler of an automaton with keys and columns
// columns, whose states' depths (capped at maxDepth) depths returns, or
// nil when there are no keys or the shortest is too short for a stride
// of minStride.
func newSampler(keys []string, columns int, depths func() []uint8) *sampler {
	if len(keys) == 0 {
		return nil
	}
	m := len(keys[0])
	for _, k := range keys {
		m = min(m, len(k))
	}
	stride := m - gramLen + 1
	if stride < minStride {
		return nil
	}
	size := max(minGramBits, min(maxGramBits, 1<<bits.Len(uint(16*stride*len(keys)))))
	sp := &sampler{grams: make([]uint64, size/64), shift: uint(64 - bits.Len(uint(size-1))), stride: stride, depth: depths()}
	sp.tz = uint(bits.TrailingZeros(uint(columns)))
	sp.inv = inverse(uint32(columns) >> sp.tz)
	var g [gramLen]byte
	for _, k := range keys {
		for t := range stride {
			copy(g[:], k[t:])
			sp.add(binary.LittleEndian.Uint64(g[:]))
		}
	}
	return sp
}

// inverse returns the inverse of d, odd, modulo 2^32 (Newton's
// iteration doubles the bits that are right, from 3: d*d = 1 modulo 8):
// an exact multiple of d times it is the quotient.
func inverse(d uint32) uint32 {
	x := d
	for range 4 {
		x *= 2 - d*x
	}
	return x
}

// gramWord maps the eight bytes of w to what their classes have in common
// (classes never split them): every byte past ASCII to 0xa0, every other
// to itself with bit 0x20 set, which lowers ASCII upper-case letters.
func gramWord(w uint64) uint64 {
	const highs, lows = swar.Highs, swar.Ones * 0x20
	h := w & highs
	return w&^(h>>7*0xff) | h | lows
}

// hash returns the bit of the gram w in the set.
func (sp *sampler) hash(w uint64) uint64 { return gramWord(w) * 0x9e3779b97f4a7c15 >> sp.shift }

// add adds the gram w to the set.
func (sp *sampler) add(w uint64) {
	h := sp.hash(w)
	sp.grams[h/64] |= 1 << (h % 64)
}

// scanSampled is ScanMarked by sampling; a.sampler is set.
//
// Invariant of the loop: the keys that start before i have been
// reported, and so have those that end by done, where the last verify
// stopped: the next verify, which may read some of them again, does not
// report them twice (Scan reports each occurrence once).
func (a *Automaton) scanSampled(text string, x Sink, m *Marks) {
	sp := a.sampler
	s, n := sp.stride, len(text)
	done := 0
	for i := 0; i < n; {
		j := i
		for ; j+gramLen <= n; j += s {
			w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(text[j:]), gramLen))
			if h := sp.hash(w); sp.grams[h/64]&(1<<(h%64)) != 0 {
				break
			}
		}
		if j+gramLen > n {
			// A key that starts at j-s+1 or later would end past n:
			// it is at least s+gramLen-1 bytes long.
			return
		}
		i, done = a.verify(text, max(i, j-s+1), j, done, x, m)
	}
}

// verify steps the DFA from the root at text[p], reporting the keys that
// end past done (once per epoch of m), until the match its state stands
// for starts past j, and returns where it starts and where it stopped:
// the keys it has not reported start at the first or later, or end by
// the second (reported by an earlier verify, which started at p or
// before).
func (a *Automaton) verify(text string, p, j, done int, x Sink, m *Marks) (int, int) {
	class, sp := &a.class, a.sampler
	o := uintptr(0)
	for k := p; k < len(text); {
		if o = at(a.base(), class[text[k]], o); o&emitBit != 0 {
			o &^= emitBit
			if k >= done { // the keys end at k+1
				a.report(int32(o/uintptr(a.columns)), x, m)
			}
		}
		k++
		if d := int(sp.depth[uint32(o>>sp.tz)*sp.inv]); k-d > j && d < maxDepth {
			return k - d, k
		}
	}
	return len(text), len(text)
}
