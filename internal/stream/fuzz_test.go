package stream

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader checks that the reader never panics, always ends, and hands
// out every non-blank byte of the input exactly once, in order, each value
// being the input's bytes at its offset.
func FuzzReader(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n{\"b\":[1,2]}\n"))
	f.Add([]byte("{\n  \"a\": \"}\"\n}\n{\"b\":\n"))
	f.Add([]byte("garbage\n[1,{\"x\":\"\\\"\"}]"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in))
		var got []byte
		for n := 0; ; n++ {
			if n > len(in)+1 {
				t.Fatal("more values than bytes")
			}
			v, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Data) == 0 {
				t.Fatal("empty value")
			}
			if !v.Truncated && (v.Offset < 0 || int(v.Offset)+len(v.Data) > len(in) || !bytes.Equal(in[v.Offset:int(v.Offset)+len(v.Data)], v.Data)) {
				t.Fatalf("value %q is not the input's bytes at its offset %d", v.Data, v.Offset)
			}
			got = append(got, v.Data...)
		}
		strip := func(b []byte) []byte {
			var out []byte
			for _, c := range b {
				if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
					out = append(out, c)
				}
			}
			return out
		}
		if !bytes.Equal(strip(got), strip(bytes.TrimPrefix(in, []byte("\xEF\xBB\xBF")))) {
			t.Fatalf("bytes lost or reordered:\n in  %q\n out %q", in, got)
		}
	})
}
