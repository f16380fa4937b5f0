package normalize

import (
	"bytes"
	"unsafe"

	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/jsonlex"
)

// Fill programs: most .evtx records are read by a plan (evtx.Record.Shape)
// and hand the filler the same calls, with the same keys, as the other
// records of their shape; what the filler does with them (which Key each
// member leads to, which values end a path, which arrays are kept) hangs
// on the calls and the Reader's record only. So the first time a Reader
// meets a shape, the filler walks the record as always and writes down
// what it did, a program; every later record of the shape runs the
// program over the record's values (evtx.Record.AppendValues), with no
// Visitor calls, no member look-ups and no objects opened or closed. A
// shape whose records the filler gives up on (Read of the JSON, or the
// event decoded: see ReadEVTX) keeps a program that says so, and its
// records are walked, as before. TestFillPrograms compares records filled
// by programs with records filled by walks, for every record of the
// corpus and of the fixtures.
//
// A program's memo also spares the record's keyword scan (the rule
// index's scan of the values' JSON for keyword searches) the values it
// knows clean: when the record's ruleset finds each value's keywords in
// its JSON alone (hooks.Filler.Keywords), a value that comes back is
// scanned alone once (Clean), and while it keeps coming back, holding no
// keyword, it is neither scanned nor written among the values: the
// record's text of all its values is made from the memos only if the
// record needs it (FillValuesLazy, for Each). Three values in four come
// back, most of them clean. A new value is scanned with the record (as
// is every value of a record filled by a walk and a value with no memo),
// but for one whose JSON is made of bytes no keyword is made of
// (hooks.Filler.Plain: a time, a number, a GUID), known clean at once.
// TestKeywordClean (package match) compares the keys found so with those
// found in the whole text, for every record of the corpus.
//
// With keywords, the values a program writes for the scan are not JSON:
// a string that changes from record to record (a path, a command line)
// is written as its text between quotes, rendered with no escaping
// (evtx.Value.AppendText), and the record's field is boxed from that
// text, with no unescaping; the scan reads it with
// matcher.Automaton.ScanText, which finds there the keys ScanJSON finds in
// the JSON (appendText). The values' JSON is made from their texts only
// if the record needs it (allValues). TestFillKeywordsText compares such
// records with records filled by walks, which write JSON.

// Limits on the fill programs a Reader keeps: at most maxFillPrograms
// programs of maxFillOps operations in all (one larger is kept alone);
// when either would be passed, all are dropped and made again as records
// need them (fillPrograms.evictions counts the times). A program holds no
// part of its plan, so that the plans an evtx.Decoder dropped are not
// kept alive; an evicted plan's Shape is never another plan's, so that
// its program, if still kept, runs for no other. The shared corpus, read
// by one Decoder, needs 358 programs (TestFillPrograms logs it).
//
// Each program keeps the last value at each place and its JSON, of
// values of at most maxMemoValue bytes, and the Reader's programs keep
// at most maxFillMemo bytes of them (past that, values are rendered each
// time, until the programs are dropped).
const (
	maxFillPrograms = 4096
	maxFillOps      = 1 << 20
	maxMemoValue    = 256
	maxFillMemo     = 8 << 20
)

// fillProgram is what the filler does with the records of one shape.
type fillProgram struct {
	ops    []fillOp
	values int  // the values it reads: as many as AppendValues gives
	walk   bool // the filler gives up on the shape's records: walk them
	// memo holds the last value at each place (evtx.Value.Raw) and its
	// JSON, made on the first run: most come back in the next record.
	memo []memoValue
	view viewTrace // the ECS view of the shape's records (evtxview.go)
	// format is the format Auto detects in the shape's records
	// (Reader.format), detected once; Auto until then.
	format Format
}

// memoValue is a value of the last record a program ran for, and its
// JSON; ok once it holds one. Its text is worked out on first use
// (texted): str, in json's memory or, a string's unescaped, in text's;
// or, when the memos had no room for an unescaped text (untext), read
// from the record's JSON each time, as a value with no memo is. box is
// str boxed in place as a string or a number (hooks.Filler.StringAt),
// made on first use: it holds whatever value str holds, so that the
// records a value comes back in are given that box, with no copy. kw is
// what the record's keyword scan finds in the value (scanned,
// hooks.Filler.Clean), learned the first time the value comes back: when
// it finds nothing, the records where the value comes back need not scan
// it.
//
// The fields a value that comes back clean reads come first, in one
// cache line: a program's memos are read one after the other, 26 a
// record of the shared corpus.
//
// With keywords (fillPrograms.keywords), a string's memo holds its text
// between quotes (textForm), rendered with no escaping, and no JSON: the
// keyword scan reads that (hooks.Filler.FillValuesLazy), and the JSON is
// made from the text only where it is read (allValues).
type memoValue struct {
	raw                          []byte
	box                          any
	ok, texted, untext, textForm bool
	kw                           uint8
	json, text                   []byte
	str                          string
}

// What a keyword scan finds in a memoValue's value as it reads it
// (scanned): not known yet, no key, some key.
const (
	kwUnknown = iota
	kwClean
	kwHeld
)

// fillOp is one step of a fill program.
type fillOp struct {
	op   uint8
	key  hooks.Key  // fillSet, fillObject, fillListSet: where
	slot hooks.Slot // fillSet: key's (hooks.Filler.SetSlot)
}

// Fill program steps. The three first read the record's next value and
// write its JSON among the values (FillValues).
const (
	fillValue    = iota // no more
	fillSet             // set it at key
	fillItem            // add it to the kept array open
	fillObject          // the event holds an object at key (SetObject)
	fillList            // open a kept array: one that ends a path, or an item of a kept one
	fillListSet         // close the kept array open and set it at key
	fillListItem        // close the kept array open and add it to the one around it
)

// fillPrograms are a Reader's fill programs, by Shape, for the record rec
// filled with userData as it was (a program holds rec's Keys).
type fillPrograms struct {
	rec       hooks.Filler
	userData  bool
	keywords  bool // rec.Keywords(): the programs learn which values are clean
	progs     map[uint64]*fillProgram
	ops       int // of progs, together
	memo      int // bytes of the programs' memos, together (maxFillMemo)
	evictions int // times progs were dropped, full
	runs      int // records filled by programs
	// The limits: maxFillPrograms and maxFillOps (0 until the first
	// program), others in tests; maxPrograms < 0: no programs.
	maxPrograms, maxOps, maxMemo int
	// For the record being filled: the program being written down while
	// it is walked, or nil; its values; the kept arrays open (where their
	// items start in filler.items).
	making *fillProgram
	values []evtx.Value
	lists  []int
	// written are, with keywords, the record's values written among
	// fl.vals, strings as their text, quoted; the others are in their memos
	// (allValues).
	written []valueEnd
	// last is the program the last record was filled by, with keywords,
	// and fresh the places of its memo whose value was written among the
	// record's values, not yet known clean or not (learn).
	last  *fillProgram
	fresh []int32
	all   []byte // allValues's
	// ran is the program that filled the record, or nil; viewSame says
	// that the values its view trace read came back (evtxview.go).
	ran      *fillProgram
	viewSame bool
	// The slots the view traced looked up, and as a set (viewDeps).
	looked    []hooks.Slot
	lookedSet []bool
	// Records whose view was traced, given from a trace.
	viewsTraced, viewsGiven int
	// allValues is the filler's allValues, made once.
	allValues func() []byte
}

// fill fills fl's record from er: by the program of er's shape, or by a
// walk, which writes down the shape's program the first time.
func (fl *filler) fill(er *evtx.Record) {
	shape := er.Shape()
	ps := &fl.progs
	ps.ran = nil
	if ps.last != nil {
		fl.learn()
	}
	if shape == 0 || ps.maxPrograms < 0 {
		er.Walk(fl)
		return
	}
	if ps.progs == nil || ps.rec != fl.rec || ps.userData != fl.userData {
		ps.rec, ps.userData, ps.progs, ps.ops, ps.memo = fl.rec, fl.userData, map[uint64]*fillProgram{}, 0, 0
		ps.keywords = fl.rec.Keywords()
		if ps.maxPrograms == 0 {
			ps.maxPrograms, ps.maxOps, ps.maxMemo = maxFillPrograms, maxFillOps, maxFillMemo
		}
	}
	if p := ps.progs[shape]; p != nil {
		if !p.walk {
			if ps.values = er.AppendValues(ps.values[:0]); len(ps.values) == p.values {
				fl.run(p)
				ps.runs++
				return
			}
		}
		er.Walk(fl)
		return
	}
	ps.making = &fillProgram{}
	er.Walk(fl)
	p := ps.making
	ps.making = nil
	if fl.failed {
		p.ops, p.walk = nil, true
	}
	if len(ps.progs) >= ps.maxPrograms || ps.ops+len(p.ops) > ps.maxOps {
		clear(ps.progs)
		ps.ops, ps.memo = 0, 0
		ps.evictions++
	}
	ps.progs[shape] = p
	ps.ops += len(p.ops)
}

// note writes down step op of the program being made, if one is.
func (fl *filler) note(op uint8, key hooks.Key) {
	if p := fl.progs.making; p != nil {
		slot := hooks.NoSlot
		if op == fillSet {
			slot = fl.rec.Slot(key) // Value notes fillSet where key Ends a path: a slot
		}
		p.ops = append(p.ops, fillOp{op: op, key: key, slot: slot})
		if op <= fillItem {
			p.values++
		}
	}
}

// run fills the record by program p from the values of the record
// (fl.progs.values): what the walk of such a record does, step by step.
// With keywords, a value that comes back clean is not written among the
// values (the keyword scan's text), and the values' text with it is made
// only if the record needs it (allValues). Such a value, most of them, is
// run's own work; any other is value's, and the steps that are not
// values are step's: the loop holds few variables across its calls.
func (fl *filler) run(p *fillProgram) {
	fl.rec.Fill(&fl.ev)
	if p.memo == nil {
		p.memo = make([]memoValue, p.values)
	}
	ps := &fl.progs
	ps.lists, ps.written, ps.fresh = ps.lists[:0], ps.written[:0], ps.fresh[:0]
	ps.viewSame, fl.lazy = p.view.ok, ps.keywords
	memo, vals, i := p.memo, ps.values[:len(p.memo)], 0
	for _, op := range p.ops {
		if op.op > fillItem {
			fl.step(op)
			continue
		}
		var box any
		if v, m := &vals[i], &memo[i]; fl.lazy && m.kw == kwClean && m.texted && m.ok && bytes.Equal(m.raw, v.Raw()) {
			// The value of the shape's last record, clean, its text in
			// m: neither written nor scanned.
			if box = m.box; box == nil && op.op != fillValue {
				box = fl.memoBox(v.Kind(), m)
			}
		} else {
			box = fl.value(p, i, op.op != fillValue)
		}
		i++
		switch op.op {
		case fillSet:
			fl.rec.SetSlot(op.slot, box)
		case fillItem:
			fl.items = append(fl.items, box)
		}
	}
	ps.ran = p
	if ps.keywords {
		ps.last = p
	}
}

// step runs op, a step of a fill program that is not a value.
func (fl *filler) step(op fillOp) {
	ps := &fl.progs
	switch op.op {
	case fillObject:
		fl.rec.SetObject(op.key)
	case fillList:
		ps.lists = append(ps.lists, len(fl.items))
	case fillListSet, fillListItem:
		start := ps.lists[len(ps.lists)-1]
		ps.lists = ps.lists[:len(ps.lists)-1]
		fl.endList(start, op.op == fillListItem, op.key)
	}
}

// value runs the step of program p that reads its i-th value, but for a
// clean value that comes back with its text (run's): it writes the
// value among the values unless it is clean, and returns it boxed when
// boxed (a step that sets it).
func (fl *filler) value(p *fillProgram, i int, boxed bool) any {
	ps := &fl.progs
	v, m, kind, kw := &ps.values[i], &p.memo[i], ps.values[i].Kind(), ps.keywords
	// same: the value of the shape's last record, which m holds with
	// what is known of it.
	same := m.ok && bytes.Equal(m.raw, v.Raw())
	if kw && same && fl.clean(kind, m) {
		if !boxed {
			return nil
		}
		return fl.memoBox(kind, m)
	}
	if !same {
		ps.viewSame = ps.viewSame && !p.view.dep[i]
	}
	mark := len(fl.vals)
	if mark > 1 {
		fl.vals = append(fl.vals, ',')
	}
	start := len(fl.vals)
	fl.appendJSON(v, m, same, kw)
	kept := same // m holds the value, for boxing
	switch {
	case !kw:
	case !same && m.ok && fl.rec.Plain(fl.vals[start:]) && fl.memoText(kind, m):
		// A new value no key can be found in (a time, a number): left
		// out of the scan's text, as a clean value that came back is.
		m.kw, kept, start = kwClean, true, -1
		fl.vals = fl.vals[:mark]
	default:
		ps.written = append(ps.written, valueEnd{i: int32(i), end: int32(len(fl.vals)), text: kind == evtx.KindString})
		if m.ok && m.kw == kwUnknown {
			ps.fresh = append(ps.fresh, int32(i))
		}
	}
	if !boxed {
		return nil
	}
	if !kept {
		m = nil
	}
	if kw && m == nil && kind == evtx.KindString {
		text := fl.vals[start+1 : len(fl.vals)-1] // a string's text, quoted, not its JSON (appendText)
		return fl.rec.String(unsafe.String(unsafe.SliceData(text), len(text)))
	}
	return fl.boxedMemo(kind, start, m)
}

// learn marks clean the values that the last record, filled by program
// ps.last, held and that were not known clean or not (ps.fresh), when
// the record's keyword scan found no key in the values it read
// (hooks.Filler.ScannedClean): most records hold no keyword, so that
// most values are known clean the first time they come back, with no
// scan of their own (clean). The record must be the one the program
// filled, matched since (ps.rec: the programs are dropped with it).
func (fl *filler) learn() {
	ps := &fl.progs
	if ps.rec == fl.rec && fl.rec.ScannedClean() {
		for _, i := range ps.fresh {
			ps.last.memo[i].kw = kwClean
		}
	}
	ps.last = nil
}

// clean reports whether the value m holds, of kind, which comes back,
// holds no keyword, learning it with a scan of its own when the record
// it was in did not tell (learn), and can be boxed from m alone
// (memoText). A value that changes from record to record is scanned with
// the record's values, never alone.
func (fl *filler) clean(kind evtx.Kind, m *memoValue) bool {
	if m.kw == kwUnknown {
		m.kw = kwHeld
		if fl.rec.Clean(m.scanned()) {
			m.kw = kwClean
		}
	}
	return m.kw == kwClean && fl.memoText(kind, m)
}

// valueEnd is a value of the record filled by a program with keywords
// that run wrote among the values (fl.vals): the i-th of the program, its
// JSON, or a string's text between quotes (text), ending at end.
type valueEnd struct {
	i, end int32
	text   bool
}

// allValues returns the JSON array of every value of the record that run
// filled with keywords: what FillValues would have been given
// (hooks.Filler.FillValuesLazy). A value is where run wrote it, or, not
// written, in its memo, which holds it until the program's next run.
func (fl *filler) allValues() []byte {
	ps := &fl.progs
	all, at, w := append(ps.all[:0], '['), int32(1), ps.written // at: the next written value's start in fl.vals
	for i := range ps.ran.memo {
		if i > 0 {
			all = append(all, ',')
		}
		if len(w) > 0 && int(w[0].i) == i {
			if v := fl.vals[at:w[0].end]; w[0].text {
				v = v[1 : len(v)-1]
				all = evtx.AppendStringJSON(all, unsafe.String(unsafe.SliceData(v), len(v)))
			} else {
				all = append(all, v...)
			}
			at, w = w[0].end+1, w[1:]
			continue
		}
		if m := &ps.ran.memo[i]; m.textForm {
			all = evtx.AppendStringJSON(all, m.str)
		} else {
			all = append(all, m.json...)
		}
	}
	ps.all = append(all, ']')
	return ps.all
}

// fillValues gives the record its values (hooks.Filler.FillValues), or,
// when run left clean values out of them, the values the keyword scan
// reads and the way to make them all (FillValuesLazy).
func (fl *filler) fillValues() {
	fl.vals = append(fl.vals, ']')
	if !fl.lazy {
		fl.rec.FillValues(fl.vals)
		return
	}
	ps := &fl.progs
	if ps.allValues == nil {
		ps.allValues = fl.allValues // once: a method value is made in memory
	}
	fl.rec.FillValuesLazy(fl.vals, ps.allValues)
}

// appendJSON writes v's JSON among the values, or, with text set (a
// program with keywords), a string's text between quotes (appendText): m's,
// when v is m's value again (same), else rendered and kept in m for the
// next record (within maxMemoValue and maxFillMemo).
func (fl *filler) appendJSON(v *evtx.Value, m *memoValue, same, text bool) {
	if same {
		fl.vals = append(fl.vals, m.scanned()...)
		return
	}
	str := text && v.Kind() == evtx.KindString
	raw, start := v.Raw(), len(fl.vals)
	if str {
		fl.appendText(v)
	} else {
		fl.vals = v.AppendJSON(fl.vals)
	}
	t, ps, held := fl.vals[start:], &fl.progs, m.json
	if str {
		held = m.text
	}
	grow := max(len(raw)-cap(m.raw), 0) + max(len(t)-cap(held), 0)
	if len(raw) > maxMemoValue || ps.memo+grow > ps.maxMemo {
		m.ok = false
		return
	}
	ps.memo += grow
	m.raw, m.ok, m.untext, m.textForm, m.texted = keep(m.raw, raw), true, false, str, str
	if str {
		m.text = keep(m.text, t)
		m.str = unsafe.String(unsafe.SliceData(m.text[1:]), len(m.text)-2)
	} else {
		m.json = keep(m.json, t)
	}
	// A real's kind changes with its value (a number, or null when it is
	// not finite: evtx.KindNull), in one shape: the box is made anew.
	m.kw, m.box = kwUnknown, nil
}

// appendText writes among the values v's text, a string's
// (evtx.Value.AppendText: no escaping), between quotes, which appendJSON
// keeps so in m with no JSON (textForm). The keyword scan
// (matcher.Automaton.ScanText) finds in the quoted text the keys ScanJSON
// finds in the JSON: it decodes an escape and steps on the character,
// which the text holds as it is, and steps on the quotes.
func (fl *filler) appendText(v *evtx.Value) {
	fl.vals = append(v.AppendText(append(fl.vals, '"')), '"')
}

// scanned returns m's value as the keyword scan reads it: a string's
// text between quotes (textForm), another value's JSON.
func (m *memoValue) scanned() []byte {
	if m.textForm {
		return m.text
	}
	return m.json
}

// boxedMemo is boxed for a value whose JSON appendJSON wrote from start
// (-1: not written), m's when m is not nil and its text is in m
// (memoText): memoBox.
func (fl *filler) boxedMemo(kind evtx.Kind, start int, m *memoValue) any {
	if m == nil || !fl.memoText(kind, m) {
		return fl.boxed(kind, start)
	}
	return fl.memoBox(kind, m)
}

// memoBox returns m's value, of kind, boxed from m's text (texted): a
// string or a number in place (m.box, made once): the box and the text
// live in m's memory, and change when a later record of the shape holds
// another value at m's place: the record is gone by then (run fills the
// record anew before it). A bool or null box holds its value, and is
// not kept.
func (fl *filler) memoBox(kind evtx.Kind, m *memoValue) any {
	switch {
	case kind == evtx.KindBool:
		return m.json[0] == 't'
	case m.box != nil || kind == evtx.KindNull:
	case kind == evtx.KindString:
		m.box = fl.rec.StringAt(&m.str)
	case kind == evtx.KindNumber:
		m.box = fl.rec.NumberAt(&m.str)
	}
	return m.box
}

// memoText reports whether m's value, of kind, can be boxed from m's
// memory alone (texted): a string's text is unescaped once for all the
// records the value comes back in (within maxFillMemo: past it, the text
// is not tried again until the value changes, so that a full memo costs
// no allocation a record, and the value is boxed from the values' text);
// another value's text is its JSON.
func (fl *filler) memoText(kind evtx.Kind, m *memoValue) bool {
	if m.texted {
		return true
	}
	if m.untext {
		return false
	}
	js := m.json
	if kind == evtx.KindString {
		js = js[1 : len(js)-1]
		if bytes.IndexByte(js, '\\') >= 0 {
			ps, before := &fl.progs, cap(m.text)
			if m.text = jsonlex.AppendUnquoted(m.text[:0], js); ps.memo+cap(m.text)-before > ps.maxMemo {
				m.text, m.untext = nil, true
				ps.memo -= before
				return false
			}
			ps.memo += cap(m.text) - before
			js = m.text
		}
	}
	m.str, m.texted = unsafe.String(unsafe.SliceData(js), len(js)), true
	return true
}

// keep copies b into buf's memory, grown to len(b) when it is shorter
// (exactly, as fillPrograms.memo counts it), and returns the copy.
func keep(buf, b []byte) []byte {
	if cap(buf) < len(b) {
		buf = make([]byte, 0, len(b))
	}
	return append(buf[:0], b...)
}

// ReaderStats counts what a Reader's fill programs did (ReadEVTX of
// records read by an evtx plan), so that a caller can report their
// evictions, which are otherwise silent: results stay the same, but
// records are walked again, more slowly, until the programs are made
// again. The counts run over the Reader's life: a caller that pools
// Readers counts a run's by the difference of two Stats.
type ReaderStats struct {
	FillPrograms  int // fill programs kept (one per record shape met since the last eviction)
	Filled        int // records filled by a program rather than walked
	FillEvictions int // times all the programs were dropped, full (too many programs or steps)
}

// Stats returns what rd's fill programs did so far.
func (rd *Reader) Stats() ReaderStats {
	ps := &rd.fill.progs
	return ReaderStats{FillPrograms: len(ps.progs), Filled: ps.runs, FillEvictions: ps.evictions}
}

// init lets the tests of packages that pool Readers give one tiny limits
// (internal/hooks.ReaderFillLimits).
func init() {
	hooks.ReaderFillLimits = func(r any, programs, ops int) {
		rd := r.(*Reader)
		rd.fill.progs = fillPrograms{maxPrograms: programs, maxOps: ops, maxMemo: maxFillMemo}
	}
}
