package matcher

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// Resuming a scan where the last text left off. Consecutive records of a
// log share long starts and ends: the evtx-JSON dumps' lines begin with
// the same event envelope, provider, event id, level, task and keywords,
// and part of the time, and often end alike; on the corpus's dumps a
// line shares 327 bytes of its start and 166 of its end with the line
// before it (of 1,210). A Resume keeps, for one automaton and one caller,
// the start of the last text ScanJSONResume scanned, checkpoints of that
// scan (a position, the state there and the keys reported before it) and
// whether it reported any key. A text that shares the bytes up to a
// checkpoint, and resumeMargin more, is scanned from the checkpoint, the
// keys reported before it fired again; after a text that held no key, it
// is scanned only up to a point in the end the two share (syncPoint). On
// the dumps, 303 bytes a line are skipped at the start and 131 at the
// end.
//
// Exactness: ScanJSON reads a text as units (a byte, an escape, a code
// point past ASCII) from its start, each decoded from its own bytes and at
// most maxUnitRead bytes from its start (jsonlex.Unescape reads twelve,
// a surrogate pair's two escapes; utf8.DecodeRune four). So where two
// texts share their first c+resumeMargin bytes and c is a unit's start in
// one, the units before c are the same in both, and so are the DFA's
// state at c and the keys that end before it, which the checkpoint holds.
// From c the scan goes on as ScanJSON's would (scanFrom). At the end, a
// run of plain bytes that both texts hold at the same distance from their
// ends puts both scans in step (syncPoint's argument); from there on the
// text to come is the same, so the scan of data would report what the
// scan of the last text reported from there: nothing, when that text held
// no key. The keys reported, those fired again and those found, are
// ScanJSON's, each at least once (TestScanJSONResume,
// TestScanJSONResumeSync, FuzzScanJSONResume, and in package match
// TestKeywordScanResume on the corpus's dumps).
//
// Skipping, after a text that held no key, the middle stretches too that
// a text shares with the last one at the same positions (past a run that
// puts the scans in step, as syncPoint's, up to a run of plain bytes
// where a scan from the root is back in step, as split's) was measured
// and rejected: on the dumps it skipped 226 of the 749 bytes a line that
// are scanned, yet BenchmarkKeywordScan's cpu-ns/dump-resumed rose 1.13
// times (three alternating runs, loaded machine): finding the stretches
// (8 bytes at a time) and their runs (byte by byte) and scanning the
// parts left in two lanes side by side cost more than the DFA steps on
// the bytes skipped (not analysed further).

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
	whole bool         // prev is the whole last text
	quiet bool         // the last text's scan reported no key
	rec   recorder
	heard Heard
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
	// maxUnitRead is the most bytes decoding a unit reads from its
	// start: a surrogate pair's two escapes, \uXXXX\uXXXX.
	maxUnitRead = 12
	// resumeMargin is how many bytes past a checkpoint a text must share
	// with the last one to resume there: at least maxUnitRead-1, the
	// most a unit before the checkpoint reads past it.
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
// with the last text scanned, and stopped, when that text held no key,
// where the end the two share puts the scans in step; it makes a
// checkpoint as far into data as data shares bytes with the last text,
// for the next one. It reports the keys ScanJSON reports, some more than
// once.
func (a *Automaton) ScanJSONResume(data []byte, x Sink, r *Resume) {
	if r.a != a {
		*r = Resume{a: a, prev: r.prev[:0], marks: r.marks[:0], found: r.found[:0]}
	}
	shared, stop := commonPrefix(r.prev, data), len(data)
	if r.quiet && r.whole {
		stop = a.syncPoint(data, r.prev)
	}
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
	}
	r.heard = Heard{X: x}
	if i < stop {
		a.scanFrom(data[i:stop], o, &plain, &r.heard)
	}
	r.quiet = len(r.found) == 0 && !r.rec.full && !r.heard.Any
	r.heard, r.rec = Heard{}, recorder{}
	n := min(len(data), maxResumeText)
	r.prev = append(r.prev[:shared], data[shared:n]...) // prev[:shared] is data's
	r.whole = n == len(data)
}

// syncPoint returns where a scan of data may stop when the last text,
// prev (whole), reported no key: the end of the first run of
// maxUnitRead+longest plain bytes (ASCII, no backslash) in the end data
// shares with prev, or len(data). From there on the scan would report
// what the scan of prev reported from the same place before the end:
// none. There both scans are at a unit's start (no escape that starts
// before the run reaches past its first maxUnitRead bytes; an ASCII byte
// ends any code point before it) and have read the same last longest
// units, which set the DFA's state (the longest suffix of the units read
// that starts a key), and the bytes to come are the same.
func (a *Automaton) syncPoint(data, prev []byte) int {
	run, need := 0, maxUnitRead+a.longest
	for i := len(data) - commonSuffix(prev, data); i < len(data); i++ {
		if c := data[i]; c >= utf8.RuneSelf || c == '\\' {
			run = 0
		} else if run++; run == need {
			return i + 1
		}
	}
	return len(data)
}

// Heard is a Sink that passes the keys on to X and notes whether one
// came (Any): ScanJSONResume's scan after its checkpoint, and match's
// keyword scan of a record's values, which must know whether they held a
// key.
type Heard struct {
	X   Sink
	Any bool
}

// Fire implements Sink.
func (h *Heard) Fire(id int32) {
	h.Any = true
	h.X.Fire(id)
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

// commonSuffix returns the length of the longest common suffix of a and
// b, eight bytes at a time.
func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	a, b = a[len(a)-n:], b[len(b)-n:]
	i := n
	for ; i >= 8; i -= 8 {
		if d := binary.BigEndian.Uint64(a[i-8:]) ^ binary.BigEndian.Uint64(b[i-8:]); d != 0 {
			return n - i + bits.TrailingZeros64(d)>>3
		}
	}
	for ; i > 0 && a[i-1] == b[i-1]; i-- {
	}
	return n - i
}

// prefixBlock is the block commonPrefix compares with bytes.Equal.
const prefixBlock = 64
