package evtx

import (
	"bytes"
	"testing"
)

// textChecker is a Visitor that checks each Value's text forms against
// its JSON (checkText).
type textChecker struct {
	t    *testing.T
	name string
	n    int
}

func (c *textChecker) Object(string) bool { return true }
func (c *textChecker) Array(string)       {}
func (c *textChecker) End()               {}
func (c *textChecker) Value(_ string, v Value) {
	c.t.Helper()
	c.n++
	checkText(c.t, c.name, v)
}

// checkText fails t unless AppendText writes v's Text, after what b
// held, and, for a string, AppendStringJSON of the text writes v's
// AppendJSON: what package normalize's fill programs rely on when they
// keep a string's text and make its JSON only when it is read.
func checkText(t *testing.T, name string, v Value) {
	t.Helper()
	text := v.Text()
	if got := v.AppendText([]byte("x")); string(got) != "x"+text {
		t.Fatalf("%s: AppendText %q, want x%q", name, got, text)
	}
	js := v.AppendJSON(nil)
	if v.Kind() == KindString {
		if got := AppendStringJSON(nil, text); !bytes.Equal(got, js) {
			t.Fatalf("%s: AppendStringJSON(Text) %s, want AppendJSON %s", name, got, js)
		}
	} else if v.Kind() != KindNull && text != string(js) {
		t.Fatalf("%s: %v value's Text %q, want its JSON %s", name, v.Kind(), text, js)
	}
}

// TestStringJSON checks every value of the fixtures and of the corpus, as
// Walk and as AppendValues hand them over (checkText), and strings with
// every character JSON escapes.
func TestStringJSON(t *testing.T) {
	for _, s := range []string{"", `C:\Windows\x "q"`, "a\x00b\x01\x1f\t\n\r\b\f\x7f", "é€😀\ufffd"} {
		v := textValue(s)
		checkText(t, s, Value{val: v, n: -1, kind: kindOf(v)})
	}
	files := testFiles(t, "planned.evtx", "reals.evtx", "dotted.evtx")
	c := &textChecker{t: t}
	eachFileRecord(t, files, func(name string, rec *Record) {
		c.name = name
		rec.Walk(c)
		if rec.Shape() != 0 {
			for _, v := range rec.AppendValues(nil) {
				checkText(t, name, v)
				c.n++
			}
		}
	})
	t.Logf("%d values", c.n)
}
