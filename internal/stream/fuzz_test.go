package stream

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader checks that the reader never panics, always ends, and hands
// out every byte of the input exactly once, in order, each value being
// the input's bytes at its offset, but for white space between values and
// the "[", "," and "]" that separate an array's elements.
func FuzzReader(f *testing.F) {
	f.Add([]byte("{\"a\":1}\n{\"b\":[1,2]}\n"))
	f.Add([]byte("{\n  \"a\": \"}\"\n}\n{\"b\":\n"))
	f.Add([]byte("garbage\n[1,{\"x\":\"\\\"\"}]"))
	f.Add([]byte("[\n{\"a\":1},\n{\"b\":\"x\n{\"c\":[1]}\n{\"d\":2}\n]\n[ 1 , \"a,]\" ,[2,3]]"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := NewReader(bytes.NewReader(in))
		end := 0 // where the last value ended
		if bytes.HasPrefix(in, []byte("\xEF\xBB\xBF")) {
			end = 3
		}
		gap := func(upto int) {
			for _, c := range in[end:upto] {
				if !isSpace(c) && c != '[' && c != ',' && c != ']' {
					t.Fatalf("byte %q at %d..%d left out of every value", c, end, upto)
				}
			}
		}
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
			if v.Err != nil {
				if !errors.Is(v.Err, ErrArray) || len(v.Data) != 0 || in[v.Offset] != '[' {
					t.Fatalf("value %d: %v with %q at %d", n, v.Err, v.Data, v.Offset)
				}
				continue
			}
			if len(v.Data) == 0 {
				t.Fatal("empty value")
			}
			if v.Offset < int64(end) || int(v.Offset)+len(v.Data) > len(in) || !bytes.Equal(in[v.Offset:int(v.Offset)+len(v.Data)], v.Data) {
				t.Fatalf("value %q is not the input's bytes at its offset %d (after %d)", v.Data, v.Offset, end)
			}
			gap(int(v.Offset))
			end = int(v.Offset) + len(v.Data)
		}
		gap(len(in))
	})
}
