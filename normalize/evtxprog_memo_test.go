package normalize

import (
	"testing"

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
