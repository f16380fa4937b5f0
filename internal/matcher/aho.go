package matcher

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/jsonlex"
	"github.com/ruleforge/ruleforge/internal/swar"
)

// Automaton is an Aho–Corasick automaton compiled to a DFA: it finds, in
// one pass over a text, every occurrence of a set of byte strings (the
// rule index's substring keys, already folded). The transition table has
// one column per class of bytes: each ASCII byte that occurs in a key is
// a class (upper-case letters share their lower-case letter's), all
// bytes from 0x80 up are one class, and the remaining bytes another.
// Merging the non-ASCII bytes makes the automaton report a key wherever a
// text holds a byte string that differs from it only in those bytes: more
// candidates, never fewer, in a table a fraction of the size.
type Automaton struct {
	class   [256]uint16 // byte -> column
	columns int
	step    []uint32    // step[o+class]: the next state's offset o (state*columns), with emitBit
	starts  [256]bool   // the bytes that leave the root state
	pairs   []uint64    // bit class(c0)*columns+class(c1): at the root, c0 must be stepped on before c1 (rootPairs)
	out     []int32     // per state: where its keys start in outs, or -1
	outs    []int32     // key ids, each state's run ended by -1
	link    []int32     // the nearest proper suffix state with an output, or -1
	emit    []bool      // out or link set: the state reports something
	longest int         // the longest key's length
	sampler *sampler    // how ScanMarked samples the text, or nil (sample.go)
	deep    *deepStates // how ScanMarked steps a large table's deep states, or nil (deep.go)
}

// NewAutomaton builds the automaton for keys, reporting keys[i] as ids[i]
// (the same key may come with several ids). Keys must not be empty and
// must be folded; ASCII upper-case letters share their lower-case
// letter's column, so an ASCII text can be scanned without folding it.
// States are numbered breadth first, so the shallow states that most
// bytes of a text visit share cache lines.
func NewAutomaton(keys []string, ids []int32) *Automaton { return newAutomaton(keys, ids, true) }

// newAutomaton is NewAutomaton, with deep states (deep.go) for ScanMarked
// only when scans is set: a Set's automaton is only asked whether a key
// occurs (has).
func newAutomaton(keys []string, ids []int32, scans bool) *Automaton {
	a := &Automaton{}
	a.class, a.columns = byteClasses(keys)
	a.columns += a.columns % 2
	for _, k := range keys {
		a.longest = max(a.longest, len(k))
	}
	cols := a.columns
	tr := newKeyTrie(&a.class, keys, false)
	first, sibling, label := tr.first, tr.sibling, tr.label
	start, byNode := tr.outputs(ids)
	n := len(first)
	order := make([]int32, 0, n) // breadth first
	num := make([]int32, n)      // trie node -> state
	order = append(order, 0)
	for i := 0; i < len(order); i++ {
		for t := first[order[i]]; t >= 0; t = sibling[t] {
			num[t] = int32(len(order))
			order = append(order, t)
		}
	}
	// next[state*cols+class] is the next state; it becomes step in
	// place. Breadth first, a state's row is its fail state's (complete,
	// as that state is shallower) with its own edges over it, and a
	// kid's fail state is where the row led before the kid's edge.
	next := make([]uint32, n*cols)
	fail := make([]uint32, n)
	a.out = make([]int32, n)
	a.link = make([]int32, n)
	a.emit = make([]bool, n)
	for s, t := range order {
		a.out[s] = -1
		if l := byNode[start[t]:start[t+1]]; len(l) > 0 {
			a.out[s] = int32(len(a.outs))
			a.outs = append(append(a.outs, l...), -1)
		}
		a.link[s] = -1
		row := next[s*cols : (s+1)*cols]
		if s > 0 {
			f := fail[s]
			if a.out[f] >= 0 {
				a.link[s] = int32(f)
			} else {
				a.link[s] = a.link[f]
			}
			a.emit[s] = a.out[s] >= 0 || a.link[s] >= 0
			copy(row, next[int(f)*cols:(int(f)+1)*cols])
		}
		for k := first[t]; k >= 0; k = sibling[k] {
			c := label[k]
			if s > 0 {
				fail[num[k]] = row[c]
			}
			row[c] = uint32(num[k])
		}
	}
	for c := range 256 {
		a.starts[c] = next[a.class[c]] != 0
	}
	a.pairs = a.rootPairs(next)
	// Offsets instead of state numbers take a multiplication out of each
	// byte's step; columns are even, so an offset's low bit is free for
	// the emit flag.
	for i, t := range next {
		o := t * uint32(cols)
		if a.emit[t] {
			o |= emitBit
		}
		next[i] = o
	}
	a.step = next
	a.sampler = newSampler(keys, cols, func() []uint8 {
		depth := make([]uint8, n) // by state, breadth first
		for i, t := range order {
			for k := first[t]; k >= 0; k = sibling[k] {
				depth[num[k]] = min(depth[i], maxDepth-1) + 1
			}
		}
		return depth
	})
	if scans && a.sampler == nil {
		a.deep = newDeepStates(next, cols, order, first, sibling, label, num, fail, a.emit)
	}
	return a
}

// rootPairs returns the set of pairs of byte classes c0, c1 after which
// the automaton, from the root, may be in another state than after c1
// alone, or may report a key at c0, as bits c0*columns+c1: where a scan
// at the root must step on c0. Past any other c0 it can stay at the root:
// reading c1 from there leads where reading c0 then c1 does, and c0
// reports nothing. next is the transition table by state number.
func (a *Automaton) rootPairs(next []uint32) []uint64 {
	cols := a.columns
	p := make([]uint64, (cols*cols+63)/64)
	for c0 := range cols {
		s := int(next[c0])
		if s == 0 {
			continue // c0 leaves the root at once
		}
		for c1 := range cols {
			if a.emit[s] || next[s*cols+c1] != next[c1] {
				w := c0*cols + c1
				p[w/64] |= 1 << (w % 64)
			}
		}
	}
	return p
}

// States returns the number of states.
func (a *Automaton) States() int { return len(a.out) }

// emitBit flags, in a step, a state that reports keys.
const emitBit = 1

// Marks remembers the states of one Automaton whose keys a scan has
// reported in an epoch (the rule index's: an event): reached again, such
// a state reports nothing new, so neither its keys nor its suffix links'
// are walked again. A command line reaches the states of keys such as
// " " or "\\" at every occurrence: most of its reports were repeats.
type Marks struct {
	Epoch uint32   // the current epoch, not 0; states marked in another are unmarked
	at    []uint32 // per state: the epoch it last reported in, made on first use
}

// Reset unmarks every state, for when the caller's epochs wrap around.
func (m *Marks) Reset() { clear(m.at) }

// Scan reports to x every key of a occurring in text, which must be
// folded but for ASCII upper-case letters.
func (a *Automaton) Scan(text string, x Sink) { a.ScanMarked(text, x, nil) }

// ScanMarked is Scan reporting the keys of each state once per epoch of
// m (nil: at every occurrence); m must only ever be used with a. When
// every key is long it samples the text (sample.go); otherwise it steps
// the DFA on each byte but those the root state can skip (rootPairs).
func (a *Automaton) ScanMarked(text string, x Sink, m *Marks) {
	if a.sampler != nil {
		a.scanSampled(text, x, m)
		return
	}
	if a.deep != nil {
		a.scanDeep(text, x, m)
		return
	}
	o, class := uintptr(0), &a.class
	for i := 0; i < len(text); i++ {
		if o == 0 {
			if i = a.skipRoot(text, i); i < 0 {
				return
			}
		}
		if o = at(a.base(), class[text[i]], o); o&emitBit != 0 {
			o &^= emitBit
			a.report(int32(o/uintptr(a.columns)), x, m)
		}
	}
}

// skipRoot returns where a scan at the root from text[i] must step the
// DFA: past the bytes after which the root is where the next byte alone
// leads (rootPairs), or -1 when no key can start in the rest of text.
func (a *Automaton) skipRoot(text string, i int) int {
	cols, class, pairs := uint32(a.columns), &a.class, a.pairs
	for ; i+1 < len(text); i++ {
		if w := uint32(class[text[i]])*cols + uint32(class[text[i+1]]); pairs[w/64]&(1<<(w%64)) != 0 {
			return i
		}
	}
	if !a.starts[text[i]] {
		return -1
	}
	return i
}

// ScanJSON reports to x every key of a occurring in the text of a
// string, number or literal of data, a valid JSON text: it reads data as
// it would the values' folded texts, decoding escapes and folding code
// points past ASCII as it goes. It reads the keys and the syntax between
// values too, so it may report a key no value holds (more candidates,
// never fewer).
//
// Skipping the object keys (parsing the text to tell them from values and
// scanning each value apart) was measured and rejected: on the SigmaHQ
// Windows rules and the EVTX corpus (BenchmarkMatchRecords) it ran 9%
// fewer instructions but took 7-11% more CPU time than this one pass,
// whose two scans side by side keep the CPU busy: the parse's branches
// cost more than the key bytes. Four scans side by side instead of two
// gained nothing either: measured again with the text in four parts cut
// as split cuts (branch kwscan2-four), BenchmarkKeywordScan took 1.05 to
// 1.25 times the CPU time of two on dumps and values: the loop of four
// keeps 12 variables live and the compiler spills three of its pointers
// to the stack (go build -gcflags=-S), so its loads outnumber the two
// scans', and it leaves its loop at every escape or code point past
// ASCII in any of four parts; classes flagged for the bytes that are not
// plain, tested instead of a second table, did not help either (1.03 to
// 1.06 times with two). Nor did skipping bytes, measured on the same
// keyword automaton (119 keys of 4 to 17 bytes) with BenchmarkKeywordScan
// (package match), CPU time per record against this scan, on dumps and
// on the .evtx values' JSON: skipping in one scan, at the root, each
// plain byte that rootPairs allows before a plain byte (44% and 63% of
// the positions), 1.28 and 1.10 times slower; sampling every other
// position with three-byte grams (as ScanMarked samples, stepping the
// DFA over escapes and code points), 1.26 and 1.23 times slower: the
// keys start with common trigrams ("eve", "con", "tio"), so the DFA
// stepped some 70 times a record, each time after a mispredicted branch.
// (Those two against the scan before runTwo and at; with them, cutting
// runTwo's runs where a byte is not plain, found eight bytes at a time,
// so as to test no byte in its loop, took 1.3 times longer.) Nor did a
// Horspool skip scan (shifts by the class pair ending a window as long as
// the shortest key, the automaton stepped where the shift is 0 and over
// escapes and code points; branch kwskip-proto): 2.8 and 2.4 times this
// scan's CPU time on dumps and values with this automaton (its shortest
// keys have 4 bytes, "kali", "atk/": 285 windows and 560 DFA steps a
// dump line), and still 1.16 and 1.19 times with only its 30 keys of 16
// bytes or more: each window's shift waits on three loads that wait on
// the last shift, a longer chain than a DFA step's one load, and the
// scan switches mode at each escape. What does pay on dumps is not to
// scan again the start a line shares with the line before it
// (ScanJSONResume, resume.go).
func (a *Automaton) ScanJSON(data []byte, x Sink) { a.scanUnits(data, &plain, x) }

// ScanText reports to x every key of a occurring in data, UTF-8 text
// (not JSON: a backslash is a byte like any other), folding code points
// past ASCII as it goes, as ScanJSON does: on a string's text it reports
// the keys ScanJSON reports on the string's JSON but those that hold a
// quote of the JSON's syntax. It reads the text as ScanJSON reads a
// text, each run of ASCII bytes stepped on byte by byte, two scans side
// by side on a long text.
func (a *Automaton) ScanText(data []byte, x Sink) { a.scanUnits(data, &textPlain, x) }

// scanUnits is ScanJSON with p, its bytes stepped on as they are (plain
// or textPlain): every other byte starts a unit (unit).
func (a *Automaton) scanUnits(data []byte, p *[256]bool, x Sink) { a.scanFrom(data, 0, p, x) }

// scanFrom is scanUnits from state offset o, where the scan of a text
// that data ends is, at a unit's start: ScanJSONResume scans the rest of
// a text so.
func (a *Automaton) scanFrom(data []byte, o uint32, p *[256]bool, x Sink) {
	if q, m, ok := a.split(data, p); ok {
		a.scanTwo(data, q, m, o, p, x)
		return
	}
	a.scanOne(data, 0, len(data), o, p, x)
}

// scanOne scans data[i:end] from state offset o, as scanUnits does, and
// returns where it stopped, the first unit's start at end or past it, and
// the state's offset there.
func (a *Automaton) scanOne(data []byte, i, end int, o uint32, p *[256]bool, x Sink) (int, uint32) {
	class := &a.class
	for i < end {
		c := data[i]
		if !p[c] {
			i, o = a.unit(data, i, o, x)
			continue
		}
		i++
		if o = uint32(at(a.base(), class[c], uintptr(o))); o&emitBit != 0 {
			o &^= emitBit
			a.report(int32(o/uint32(a.columns)), x, nil)
		}
	}
	return i, o
}

// unit steps from state offset o on what data[i] starts (a byte, an
// escape or a code point past ASCII, decoded and folded), reporting the
// keys that end there, and returns the position after it and the next
// state's offset. Of a text scanned by ScanText, it is a code point.
func (a *Automaton) unit(data []byte, i int, o uint32, x Sink) (int, uint32) {
	c := data[i]
	if c == '\\' && data[i+1] != 'u' { // \\, \" and the like: one byte
		c, i = jsonlex.ShortEscapes[data[i+1]], i+1
	} else if c >= utf8.RuneSelf || c == '\\' {
		return a.decoded(data, i, o, x)
	}
	return i + 1, a.stepOn(o, c, x)
}

// split finds where scanTwo may cut data: a run of plain bytes (ASCII, no
// backslash) data[q:m], after the middle and long enough that a scan
// started at q is back in step, and has read enough to know every key
// ending at m or later, by m. A run starts past the body of any escape
// (the five bytes after a backslash hold the longest, \uXXXX): a scan
// started inside one would read its body as plain bytes and report keys
// that the text does not hold there ("u0001" in \u0001), and the keys a
// scan reports would hang on where the text was cut, not on the text
// alone (hooks.Filler.Clean scans a value alone to know what a scan of
// a text holding it finds there). It reports whether data is long enough
// and has one.
// A ScanText text has no escapes: a backslash is a plain byte (p).
func (a *Automaton) split(data []byte, p *[256]bool) (q, m int, ok bool) {
	if len(data) < max(minSplit, 8*a.longest) {
		return 0, 0, false
	}
	return a.cut(data, len(data)/2, len(data)*3/4, p)
}

// cut finds split's run data[q:m], as long as the longest key and past
// the body of any escape (the escapeBody bytes after a backslash), in
// data[from:to]: the first such run to end, found eight bytes at a time
// (split's loop over each byte took 9% of BenchmarkKeywordScan's CPU
// time: the dumps' paths, their backslashes escaped, have few runs).
// The bytes before from are not read: from may fall in an escape.
func (a *Automaton) cut(data []byte, from, to int, p *[256]bool) (q, m int, ok bool) {
	need, escapes := a.longest, !p['\\'] // a key ending at m or later starts at q or later
	last, esc := from-1, from-1          // the last byte before i that is not plain, and the last backslash
	i := from
	for ; need >= 8 && i+8 <= to; i += 8 { // no run fits between two bytes of a word
		w, b := binary.LittleEndian.Uint64(data[i:]), uint64(0)
		if escapes {
			b = swar.ZeroBits(w ^ swar.Ones*'\\')
		}
		end := max(last+1, esc+escapeBody+1) + need // where the first run ends, if it goes on
		np := w&swar.Highs | b
		if end <= i+bits.TrailingZeros64(np)>>3 {
			return end - need, end, true
		}
		if np != 0 {
			last = i + (63-bits.LeadingZeros64(np))>>3
		}
		if b != 0 {
			esc = i + (63-bits.LeadingZeros64(b))>>3
		}
	}
	for ; i < to; i++ {
		if c := data[i]; c >= utf8.RuneSelf || c == '\\' && escapes {
			last = i
			if c == '\\' {
				esc = i
			}
		} else if end := max(last+1, esc+escapeBody+1) + need; end <= i+1 {
			return end - need, end, true
		}
	}
	return 0, 0, false
}

// escapeBody is how many bytes after a backslash may be its escape's
// (\uXXXX).
const escapeBody = 5

// minSplit is the shortest text scanTwo scans in two: below it, the
// second scan's start and overlap cost more than they save.
const minSplit = 256

// scanTwo is scanJSON as two scans that run side by side, one from the
// start, in state offset o, to m and one from q, where split cut data, to
// the end: each byte step waits for the one before it, so two independent
// scans keep the CPU busier than one. Between q and m both find keys,
// which report twice, harmlessly. (The second scan's start at the root
// does not depend on o: split's run is as long as the longest key.)
func (a *Automaton) scanTwo(data []byte, q, m int, o uint32, p *[256]bool, x Sink) {
	i, j, n := 0, q, len(data)
	oi, oj := uintptr(o), uintptr(0)
	for i < m && j < n {
		if i, j, oi, oj = a.runTwo(data, i, j, m, oi, oj, p); (oi|oj)&emitBit != 0 {
			if oi&emitBit != 0 {
				oi &^= emitBit
				a.report(int32(oi/uintptr(a.columns)), x, nil)
			}
			if oj&emitBit != 0 {
				oj &^= emitBit
				a.report(int32(oj/uintptr(a.columns)), x, nil)
			}
			continue
		}
		if i < m && !p[data[i]] {
			var o uint32
			i, o = a.unit(data, i, uint32(oi), x)
			oi = uintptr(o)
		}
		if j < n && !p[data[j]] {
			var o uint32
			j, o = a.unit(data, j, uint32(oj), x)
			oj = uintptr(o)
		}
	}
	a.scanOne(data, i, m, uint32(oi), p, x)
	a.scanOne(data, j, n, uint32(oj), p, x)
}

// runTwo steps scanTwo's two scans, from data[i] with state offset oi
// and from data[j] with oj, on plain bytes, until one reaches m or the
// end, meets a byte that is not plain, or reaches a state that reports
// (its offset with emitBit), and returns where they are. It calls
// nothing, so that its loop keeps all it needs in registers.
func (a *Automaton) runTwo(data []byte, i, j, m int, oi, oj uintptr, p *[256]bool) (int, int, uintptr, uintptr) {
	base, class, first := a.base(), &a.class, data[:m]
	for i < len(first) && j < len(data) {
		c, d := first[i], data[j]
		if !p[c] || !p[d] {
			break
		}
		oi, oj = at(base, class[c], oi), at(base, class[d], oj)
		i, j = i+1, j+1
		if (oi|oj)&emitBit != 0 {
			break
		}
	}
	return i, j, oi, oj
}

// base returns the address of the step table, for at.
func (a *Automaton) base() unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(a.step)) }

// at returns step[o+class], the step from state offset o on a byte of
// class, from base, the step table's address: as the load of the address
// of the class's column, base+4*class, plus 4*o, so that the addition of
// class is off the dependency chain from one byte's step to the next,
// which keeps one load and no bounds check. With runTwo, the keyword scan
// took ~0.8 times the CPU time on the corpus (BenchmarkKeywordScan,
// package match). Safe as long as o is a state's offset without emitBit
// and class is below columns, as the tables make them.
func at(base unsafe.Pointer, class uint16, o uintptr) uintptr {
	return uintptr(*(*uint32)(unsafe.Add(unsafe.Add(base, uintptr(class)*4), o*4)))
}

// plain marks the bytes scanJSON steps on as they are: ASCII but the
// backslash.
var plain = func() (p [256]bool) {
	for c := range utf8.RuneSelf {
		p[c] = c != '\\'
	}
	return p
}()

// textPlain marks the bytes ScanText steps on as they are: ASCII.
var textPlain = func() (p [256]bool) {
	for c := range utf8.RuneSelf {
		p[c] = true
	}
	return p
}()

// decoded steps from state offset o on the code point at data[i], an
// escape or a byte past ASCII, folded, and returns the position after it
// and the state's offset.
func (a *Automaton) decoded(data []byte, i int, o uint32, x Sink) (int, uint32) {
	var r rune
	n := 0
	if data[i] == '\\' {
		r, n = jsonlex.Unescape(data[i:])
	} else {
		r, n = utf8.DecodeRune(data[i:]) // U+FFFD for an invalid byte, as the values have
	}
	if r >= utf8.RuneSelf {
		r = FoldRune(r)
	}
	if r < utf8.RuneSelf {
		return i + n, a.stepOn(o, byte(r), x)
	}
	for range utf8.RuneLen(r) {
		o = a.stepOn(o, utf8.RuneSelf, x) // bytes past ASCII share a column
	}
	return i + n, o
}

// stepOn steps from state offset o on byte c, reporting the keys that end
// there, and returns the next state's offset.
func (a *Automaton) stepOn(o uint32, c byte, x Sink) uint32 {
	if o = a.step[o+uint32(a.class[c])]; o&emitBit != 0 {
		o &^= emitBit
		a.report(int32(o/uint32(a.columns)), x, nil)
	}
	return o
}

// report fires the keys that end at state s and at its suffix links.
// With m, it marks each state it walks and stops at a marked one, whose
// keys and links' keys have fired in m's epoch: a command line reaches
// " " or "\\" both as states of their own and as links of longer keys,
// and each is walked once.
func (a *Automaton) report(s int32, x Sink, m *Marks) {
	if m == nil {
		for o := s; o >= 0; o = a.link[o] {
			a.fire(o, x)
		}
		return
	}
	if len(m.at) != len(a.out) {
		m.at = make([]uint32, len(a.out))
	}
	for o := s; o >= 0 && m.at[o] != m.Epoch; o = a.link[o] {
		m.at[o] = m.Epoch
		a.fire(o, x)
	}
}

// fire fires the keys that end at state s, not at its links.
func (a *Automaton) fire(s int32, x Sink) {
	if i := a.out[s]; i >= 0 {
		for ; a.outs[i] >= 0; i++ {
			x.Fire(a.outs[i])
		}
	}
}

// has reports whether a key occurs in text (folded but for ASCII
// upper-case letters). At the root it skips the bytes no key starts
// with, one test a byte: skipping as ScanMarked does (skipRoot, a pair of
// classes a byte) ran 1.35 times the instructions on the SigmaHQ Windows
// rules' sets over the corpus's records (cachegrind), with the same
// cache misses.
func (a *Automaton) has(text string) bool {
	o := uint32(0)
	for i := 0; i < len(text); i++ {
		if o == 0 {
			for i < len(text) && !a.starts[text[i]] {
				i++
			}
			if i == len(text) {
				return false
			}
		}
		if o = a.step[o+uint32(a.class[text[i]])]; o&emitBit != 0 {
			return true
		}
	}
	return false
}

// Sink receives the keys an Automaton or an Anchored trie finds, by id.
type Sink interface {
	Fire(id int32)
}
