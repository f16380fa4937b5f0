package normalize

import (
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/hooks"
)

// View traces: the ECS view of a record filled by a fill program
// (evtxprog.go) reads some of its values (slotSource's Lookups) and
// whether it holds values and objects at some paths (Holds), and adds
// fields. What a program's record holds where is the same for every
// record of its shape (the program sets the same Keys, marks the same
// objects); only the values change. So the view of a record whose values
// at the slots the view read are those of the record whose view was last
// worked out for the shape (the program's memo says which values came
// back) reads the same, decides the same and adds the same: the program
// keeps what that view added (a viewTrace) and gives it again, without
// running the view. Two records in three of the shared corpus get their
// view so (their event ids, channels, images and command lines come
// back; their times and record ids, which no SigmaHQ rule reads, do
// not).
//
// A trace is made (traced) each time a record's view read a value that
// changed, from the values that view read: those are the ones the next
// records must bring back. A shape whose view reads an object of the
// event (Event.UserData's child, looked up from the event on first use)
// or decodes the event (Reader.view's fallbacks) has its view worked
// out for every record. A trace's texts are copies, held in the memory
// of the program's memos (maxFillMemo); the trace goes with its program
// when the programs are evicted. TestFillPrograms compares every record
// filled so with the same record walked and viewed afresh;
// TestViewTraces checks that traces are given and made again where the
// values the view read change.

// viewTrace is the ECS view of the last record a fill program filled whose
// view was worked out.
type viewTrace struct {
	ok     bool // adds is the view of the record traced last, and dep what it read
	never  bool // the view of the shape's records is worked out each time
	f      Format
	adds   []viewAdd
	dep    []bool // by value of the program: the view read it
	text   []byte // the texts of adds, copied
	strs   []string
	bytes  int // of the memory above, counted in fillPrograms.memo
	misses int // traces in a row that were never given (maxViewMisses)
}

// maxViewMisses is the most traces in a row of a shape's view that are
// never given (the values its view reads change in every record: a
// Sysmon process creation's process id and command line) before the
// shape's view is no longer traced, its cost saved.
const maxViewMisses = 4

// viewAdd is one field the view added: a Slots.Add (a boolean or the
// view's shared empty object), AddString, AddInt or AddStrings at slot.
type viewAdd struct {
	op   uint8
	slot hooks.Slot
	n    int64
	s    string
	ss   []string // of viewTrace.strs
	v    any
}

// The kinds of viewAdd.
const (
	addAny = iota
	addString
	addInt
	addStrings
)

// add notes Add(s, val); only booleans and empty objects (the view's
// shared one, never written) are kept as they are: another value makes
// the trace one never given.
func (t *viewTrace) add(s hooks.Slot, val any) {
	switch x := val.(type) {
	case bool:
	case map[string]any:
		t.never = t.never || len(x) > 0
	default:
		t.never = true
	}
	t.adds = append(t.adds, viewAdd{op: addAny, slot: s, v: val})
}

// addString notes AddString(s, str), with a copy of str.
func (t *viewTrace) addString(s hooks.Slot, str string) {
	t.adds = append(t.adds, viewAdd{op: addString, slot: s, s: t.copy(str)})
}

// addInt notes AddInt(s, n).
func (t *viewTrace) addInt(s hooks.Slot, n int64) {
	t.adds = append(t.adds, viewAdd{op: addInt, slot: s, n: n})
}

// addStrings notes AddStrings(s, ss), with copies of ss.
func (t *viewTrace) addStrings(s hooks.Slot, ss []string) {
	start := len(t.strs)
	for _, str := range ss {
		t.strs = append(t.strs, t.copy(str))
	}
	t.adds = append(t.adds, viewAdd{op: addStrings, slot: s, ss: t.strs[start:len(t.strs):len(t.strs)]})
}

// copy returns a copy of s in t.text. A copy made before t.text grew
// stays where it was, in memory of its own.
func (t *viewTrace) copy(s string) string {
	if len(s) == 0 {
		return ""
	}
	start := len(t.text)
	t.text = append(t.text, s...)
	return unsafe.String(&t.text[start], len(s))
}

// size returns the bytes t's memory takes, as fillPrograms.memo counts
// them.
func (t *viewTrace) size() int {
	return cap(t.text) + cap(t.strs)*int(unsafe.Sizeof("")) + cap(t.adds)*int(unsafe.Sizeof(viewAdd{})) + cap(t.dep)
}

// give adds t's fields to rec, as the view traced did.
func (t *viewTrace) give(rec hooks.Slots) {
	for i := range t.adds {
		switch a := &t.adds[i]; a.op {
		case addAny:
			rec.Add(a.slot, a.v)
		case addString:
			rec.AddString(a.slot, a.s)
		case addInt:
			rec.AddInt(a.slot, a.n)
		case addStrings:
			rec.AddStrings(a.slot, a.ss)
		}
	}
}

// programView adds the ECS view, as format f, to the record fill program
// p filled: its trace, when the values the traced view read came back
// (fillPrograms.viewSame), else the view worked out, and traced unless
// the shape's views are not.
func (rd *Reader) programView(p *fillProgram, f Format) error {
	t, ps := &p.view, &rd.fill.progs
	switch {
	case t.ok && ps.viewSame && t.f == f:
		t.give(rd.slots)
		t.misses = 0
		ps.viewsGiven++
		return nil
	case t.never:
		return rd.view(f, true, rd.fill.ev.json)
	}
	if t.ok {
		t.misses++
	}
	t.ok, t.f, t.adds, t.text, t.strs = false, f, t.adds[:0], t.text[:0], t.strs[:0]
	ps.looked = ps.looked[:0]
	rd.out.trace, rd.src.looked = t, &ps.looked
	err := rd.view(f, true, rd.fill.ev.json)
	rd.out.trace, rd.src.looked = nil, nil
	if err != nil || rd.src.ud != nil || !t.never && !ps.viewDeps(p) {
		t.never = true // rd.decoded sets it too
	}
	grow := t.size() - t.bytes
	if t.never || t.misses >= maxViewMisses || ps.memo+grow > ps.maxMemo {
		ps.memo -= t.bytes
		*t = viewTrace{never: true}
		return err
	}
	ps.memo += grow
	t.bytes += grow
	t.ok = true
	ps.viewsTraced++
	return err
}

// viewDeps sets p.view.dep, by value of p, to whether the view read it
// (ps.looked): whether p sets it at a slot looked up, or in an array it
// sets at one. It reports false when the view looked up an object that p
// marks (SetObject), which the record looks up in the event: what the
// view read of it is not known.
func (ps *fillPrograms) viewDeps(p *fillProgram) bool {
	in := ps.lookedSet
	for _, s := range ps.looked {
		if s < 0 {
			continue
		}
		if int(s) >= len(in) {
			in = append(in, make([]bool, int(s)+1-len(in))...)
		}
		in[s] = true
	}
	ps.lookedSet = in
	read := func(k hooks.Key) bool {
		s := ps.rec.Slot(k)
		return s >= 0 && int(s) < len(in) && in[s]
	}
	t, lists, i, ok := &p.view, ps.lists[:0], 0, true
	t.dep = append(t.dep[:0], make([]bool, p.values)...)
	for _, op := range p.ops {
		switch op.op {
		case fillValue, fillItem:
			i++
		case fillSet:
			t.dep[i] = read(op.key)
			i++
		case fillObject:
			ok = ok && !read(op.key)
		case fillList:
			lists = append(lists, i)
		case fillListSet, fillListItem:
			start := lists[len(lists)-1]
			lists = lists[:len(lists)-1]
			if op.op == fillListSet && read(op.key) {
				for j := start; j < i; j++ {
					t.dep[j] = true
				}
			}
		}
	}
	ps.lists = lists
	for _, s := range ps.looked {
		if s >= 0 {
			in[s] = false
		}
	}
	return ok
}
