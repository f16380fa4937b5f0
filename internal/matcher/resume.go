package matcher

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Resuming a scan where the last text left off. Consecutive records of a
// log share long prefixes: the evtx-JSON dumps' lines begin with the same
// event envelope, provider, event id, level, task and keywords, and part
// of the time; on the corpus's dumps a line shares 311 bytes past the
// first 16 (a quarter of its 1,210) with the line before it. A Resume
// keeps, for one automaton and one caller, the start of the last text
// ScanJSONResume scanned and checkpoints of that scan (a position, the
// state there and the keys reported before it); a text that shares the
// bytes up to a checkpoint, and resumeMargin more, is scanned from the
// checkpoint, the keys reported before it fired again.
//
// Exactness: ScanJSON reads a text as units (a byte, an escape, a code
// point past ASCII) from its start, each decoded from its own bytes and at
// most resumeMargin-1 bytes past its start (jsonlex.Unescape reads twelve,
// a surrogate pair's two escapes; utf8.DecodeRune four). So where two
// texts share their first c+resumeMargin bytes and c is a unit's start in
// one, the units before c are the same in both, and so are the DFA's
// state at c and the keys that end before it, which the checkpoint holds.
// From c the scan goes on as ScanJSON's would (scanFrom): the keys
// reported, those fired again and those found from c, are ScanJSON's,
// each at least once (TestScanJSONResume, FuzzScanJSONResume).

// Resume is the memory ScanJSONResume keeps between the scans of one
// caller (a record reader) with one automaton: the start of the last text
// scanned and checkpoints of its scan. Its zero value is ready to use; it
// must not be used by two goroutines at once. Its size is bounded:
// maxResumeText bytes of text, maxCheckpoints checkpoints and
// maxResumeFound key ids.
type Resume struct {
	a     *Automaton
	prev  []byte       // the last text's first maxResumeText bytes at most
	marks []checkpoint // by position, ascending, in prev
	found []int32      // the ids the scan of prev reported before its last checkpoint, in order
	rec   recorder
}

// checkpoint is a position of a scan: a unit's start, the DFA's state
// offset there and how many ids of Resume.found the scan reported before
// it.
type checkpoint struct {
	at, found int32
	state     uint32
}

// Limits of a Resume.
const (
	// resumeMargin is how many bytes past a checkpoint a text must share
	// with the last one to resume there: more than a unit reads past its
	// start (11).
	resumeMargin = 16
	// maxResumeText is the longest start of a text a Resume keeps: a
	// checkpoint lies before it.
	maxResumeText = 4096
	// maxCheckpoints is how many checkpoints a Resume keeps; past them
	// it keeps those it has until a text shares fewer bytes.
	maxCheckpoints = 8
	// maxResumeFound is how many key ids a Resume keeps; a scan that
	// reported more before a checkpoint does not make it.
	maxResumeFound = 64
	// minResumeStep is how far past the last checkpoint a new one must
	// lie: scanning up to it is one scan, not two side by side (scanTwo).
	minResumeStep = 64
)

// ScanJSONResume is ScanJSON, resumed from the checkpoint of r, the
// memory of the last scans with a, whose bytes and a margin data shares
// with the last text scanned; it then makes a checkpoint as far into data
// as data shares bytes with the last text, for the next one. It reports
// the keys ScanJSON reports, some more than once.
func (a *Automaton) ScanJSONResume(data []byte, x Sink, r *Resume) {
	if r.a != a {
		*r = Resume{a: a, prev: r.prev[:0], marks: r.marks[:0], found: r.found[:0]}
	}
	shared := commonPrefix(r.prev, data)
	k := len(r.marks)
	for k > 0 && int(r.marks[k-1].at)+resumeMargin > shared {
		k--
	}
	r.marks = r.marks[:k]
	i, o := 0, uint32(0)
	r.found = r.found[:0]
	if k > 0 {
		c := r.marks[k-1]
		r.found = r.found[:c.found]
		for _, id := range r.found {
			x.Fire(id)
		}
		i, o = int(c.at), c.state
	}
	if end := min(shared, maxResumeText) - resumeMargin; end >= i+minResumeStep && k < maxCheckpoints {
		r.rec = recorder{x: x, ids: r.found}
		i, o = a.scanOne(data, i, end, o, &plain, &r.rec)
		if r.found = r.rec.ids; !r.rec.full {
			r.marks = append(r.marks, checkpoint{at: int32(i), found: int32(len(r.found)), state: o})
		}
		r.rec = recorder{}
	}
	a.scanFrom(data[i:], o, &plain, x)
	n := min(len(data), maxResumeText)
	r.prev = append(r.prev[:shared], data[shared:n]...) // prev[:shared] is data's
}

// recorder is the Sink of a scan up to a checkpoint: it passes the keys
// on to x and keeps their ids, up to maxResumeFound (full: more came).
type recorder struct {
	x    Sink
	ids  []int32
	full bool
}

// Fire implements Sink.
func (r *recorder) Fire(id int32) {
	r.x.Fire(id)
	if len(r.ids) < maxResumeFound {
		r.ids = append(r.ids, id)
	} else {
		r.full = true
	}
}

// commonPrefix returns the length of the longest common prefix of a and
// b: by blocks of prefixBlock bytes (bytes.Equal, vector instructions),
// then eight bytes at a time.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+prefixBlock <= n && bytes.Equal(a[i:i+prefixBlock], b[i:i+prefixBlock]) {
		i += prefixBlock
	}
	for ; i+8 <= n; i += 8 {
		if d := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); d != 0 {
			return i + bits.TrailingZeros64(d)>>3
		}
	}
	for ; i < n && a[i] == b[i]; i++ {
	}
	return i
}

// prefixBlock is the block commonPrefix compares with bytes.Equal.
const prefixBlock = 64
