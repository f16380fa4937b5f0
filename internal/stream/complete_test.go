package stream

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// errBlocked stands for a read that would wait for input not yet
// written.
var errBlocked = errors.New("blocked")

// TestComplete checks Reader.Complete against reading on: at every
// value's start, with only the first k bytes of the rest arrived (each k),
// Complete reports true exactly when Next returns without asking for
// more, and then returns the value that reading the whole input gives
// (the contract pipeline's live framing relies on: issue 21 review).
func TestComplete(t *testing.T) {
	inputs := []string{
		"{\"a\":1}\n{\"b\":2}\n",
		"{\n  \"a\": {\n    \"b\": 1\n  }\n}\n{\n  \"c\": 2\n}\n",
		"not json\n{\"a\":\n{\"b\":2}\n",
		"[\n  {\"n\":\"hit\"},\n  {\"n\":\"miss\"},\n  3, \"x,]\"\n]\n{\"c\":3}\n",
		"[{\"a\":1} {\"b\":2}]\n[1,\n{\"a\":\"x}\n{\"b\":1}\n",
		"[[{\"a\":1}],[]]\n[\n{\"a\":1},\n{\"b\":2}\n]\n",
	}
	for _, in := range inputs {
		whole := NewReader(strings.NewReader(in))
		var want []Value
		for {
			v, err := whole.Next()
			if err != nil {
				break
			}
			v.Data = bytes.Clone(v.Data)
			want = append(want, v)
		}
		for k := 0; k <= len(in); k++ {
			// A reader that has seen in[:k], then waits.
			r := NewReader(io.MultiReader(strings.NewReader(in[:k]), errReader{}))
			r.r.Peek(1) // all of in[:k] is read ahead
			for i := 0; ; i++ {
				complete := r.Complete(strings.NewReader(""))
				v, err := r.Next()
				if ended := err == nil && !r.open; complete != ended {
					t.Fatalf("%q, value %d, %d bytes arrived: Complete %v, Next %q, %v (open %v)", in, i, k, complete, v.Data, err, r.open)
				}
				if !complete {
					break
				}
				if i >= len(want) {
					t.Fatalf("%q, %d bytes arrived: value %d %q, more than reading it whole", in, k, i, v.Data)
				}
				if w := want[i]; string(v.Data) != string(w.Data) || v.Line != w.Line || v.Err != w.Err {
					t.Fatalf("%q, value %d, %d bytes arrived: Next %q at %d, want %q at %d", in, i, k, v.Data, v.Line, w.Data, w.Line)
				}
			}
		}
	}
}

// errReader is input that has not arrived: each read fails.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBlocked }
