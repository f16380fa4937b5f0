package normalize

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/hooks"
)

// TestMemoTextLimit: a memo's unescaped text that would pass maxFillMemo
// is not kept, the string is the record's own (boxed), and the bytes
// counted stay those the memos hold: what TestFillPrograms's limits
// cases seldom reach (a string with escapes met just under the limit).
func TestMemoTextLimit(t *testing.T) {
	rd := NewReader(compile.MustCompile(nil), Auto)
	fl := &rd.fill
	fl.rec = hooks.RecordFiller(rd.rec)
	fl.rec.Fill(&fl.ev)
	const js = `"C:\\Windows\\System32\\cmd.exe"`
	for _, c := range []struct {
		name  string
		room  int // memo bytes left for the text
		texts bool
	}{
		{"room for the text", 64, true},
		{"no room", 4, false},
	} {
		m := &memoValue{raw: []byte("raw"), json: []byte(js), text: make([]byte, 0, 2), ok: true}
		held := func() int { return cap(m.raw) + cap(m.json) + cap(m.text) }
		fl.progs.memo = held()
		fl.progs.maxMemo = held() + c.room
		fl.vals, fl.texts = append(fl.vals[:0], js...), fl.texts[:0]
		if v, _ := fl.boxedMemo(evtx.KindString, 0, m).(string); v != `C:\Windows\System32\cmd.exe` {
			t.Errorf("%s: value %q, want the unescaped string", c.name, v)
		}
		if fl.progs.memo != held() || fl.progs.memo > fl.progs.maxMemo {
			t.Errorf("%s: %d bytes counted, %d held, limit %d", c.name, fl.progs.memo, held(), fl.progs.maxMemo)
		}
		if (cap(m.text) > 0) != c.texts || m.texted != c.texts {
			t.Errorf("%s: text kept %q (texted %v), want kept %v", c.name, m.text, m.texted, c.texts)
		}
		// The value comes back: the same string, and no text made again
		// (and dropped) for each record when the memos have no room.
		allocs := testing.AllocsPerRun(10, func() {
			fl.texts = fl.texts[:0]
			if v, _ := fl.boxedMemo(evtx.KindString, 0, m).(string); v != `C:\Windows\System32\cmd.exe` {
				t.Errorf("%s: value %q again, want the unescaped string", c.name, v)
			}
		})
		if allocs > 0 {
			t.Errorf("%s: %v allocations a record when the value comes back", c.name, allocs)
		}
	}
}

// TestMemoBox: a value that comes back is given the box its memo keeps
// (boxed once, in place), and a memo that takes another value gives the
// new value, not the last one's, in the same box.
func TestMemoBox(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "planned.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := evtx.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.NextChunk()
	if err != nil {
		t.Fatal(err)
	}
	dec := evtx.NewDecoder()
	if err := dec.Reset(c); err != nil {
		t.Fatal(err)
	}
	er, err := dec.Next()
	if err != nil {
		t.Fatal(err)
	}
	// Two strings of the record, with different texts, one with an
	// escape (its text unescaped into the memo).
	var vals []evtx.Value
	for _, v := range er.AppendValues(nil) {
		if v.Kind() == evtx.KindString && v.Raw() != nil && (len(vals) == 0 || v.Text() != vals[0].Text()) {
			if vals = append(vals, v); len(vals) == 2 {
				break
			}
		}
	}
	if len(vals) < 2 {
		t.Fatalf("%d strings with raw bytes in the fixture's first record, want 2", len(vals))
	}
	rd := NewReader(compile.MustCompile(nil), Auto)
	fl := &rd.fill
	fl.rec = hooks.RecordFiller(rd.rec)
	fl.progs.maxMemo = maxFillMemo
	m := &memoValue{}
	var first unsafe.Pointer
	for i, v := range []evtx.Value{vals[0], vals[0], vals[1], vals[1], vals[0]} {
		fl.rec.Fill(&fl.ev)
		fl.vals = append(fl.vals[:0], '[')
		same := m.ok && bytes.Equal(m.raw, v.Raw())
		fl.appendJSON(&v, m, same, false)
		box := fl.boxedMemo(v.Kind(), 1, m)
		if got, _ := box.(string); got != v.Text() {
			t.Errorf("record %d: value %q, want %q", i, got, v.Text())
		}
		// The box's data word: where its string header is.
		at := (*[2]unsafe.Pointer)(unsafe.Pointer(&box))[1]
		if i == 1 && at != first {
			t.Errorf("record %d: the value came back boxed anew", i)
		}
		first = at
	}
}
