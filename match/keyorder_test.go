package match

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestResetJSONKeyOrder reads events whose members come in the order of
// the last one, or nearly, into one record, and checks each against
// ParseJSON and Reset (checkResetJSON): a key that starts like the key
// at its place ("ab" for "a"), the same key escaped or with dots, keys
// that lead nowhere, repeated keys, and objects of more members and
// longer keys than a keyOrder keeps.
func TestResetJSONKeyOrder(t *testing.T) {
	var long, many strings.Builder
	long.WriteString(`{"zz":1`)
	many.WriteString(`{"zz":1`)
	for i := range maxOrderKeys + 10 {
		fmt.Fprintf(&many, `,"k%d":%d`, i, i)
		if i < 40 {
			fmt.Fprintf(&long, `,"%s%d":%d`, strings.Repeat("k", 300), i, i)
		}
	}
	long.WriteString(`,"a":{"b":"last"}}`)
	many.WriteString(`,"a":{"b":"last"}}`)
	events := []string{
		`{"a":{"b":{"c":"1","d":2}},"x":"3","zz":4,"y":"5","s":"6"}`,
		`{"a":{"b":{"c":"1","d":2}},"x":"3","zz":4,"y":"5","s":"6"}`,
		`{"ab":{"b":{"c":"1","d":2}},"xy":"3","z":4,"yy":"5","s ":"6"}`,
		`{"a":{"b":{"c":"1","d":2}},"x":"3","zz":4,"y":"5","s":"6"}`,
		`{"\u0061":{"b":{"c":"7","d":8}},"x":"9","z\u007a":{"y":1},"y":"5","s":"6"}`,
		`{"\u0061":{"b":{"c":"7","d":8}},"x":"9","z\u007a":{"y":1},"y":"5","s":"6"}`,
		`{"a":{"b":{"c":"1","d":2}},"x":"3","zz":4,"y":"5","s":"6"}`,
		`{"a.b":{"c":"10"},"x":"11","zz":4,"y":"5"}`,
		`{"a.b":{"c":"10"},"x":"11","zz":4,"y":"5"}`,
		`{"a":{"b.c":"12"},"x":"13"}`,
		`{"a":{"b.c":"12"},"x":"13"}`,
		`{"x":"1","y":"2","x":"3","y":"4"}`,
		`{"x":"1","y":"2","x":"3","y":"4"}`,
		`{"y":"2","x":"1"}`,
		`{"zz":{"a":1},"x":"1","zz":{"a":{"b":2}},"y":"2"}`,
		`{"process":{"name":"a.exe","pid":1,"parent":{"name":"b.exe"}},"event":{"category":"process"}}`,
		`{"process":{"name":"a.exe","pid":1,"parent":{"name":"b.exe"}},"event":{"category":"process"}}`,
		`{"process":{"pid":1,"name":"a.exe","parent":{"name":"b.exe"}},"event":{"category":"process"}}`,
		`{"process":{"pid":1,"name":"a.exe","parent":{"name":"b.exe"}},"event":{"category":"process"}}`,
		`{"process":{"pid":1,"name":"a.exe","parent":{"name":"b.exe","pid":2}},"event":{"category":"process"}}`,
		`{"process":{"pid":1,"name":"a.exe","parent":{"name":"b.exe","pid":2}},"event":{"category":"process"}}`,
		`{"process":{"pid":1,"name":"a.exe","parent":{"name":"b.exe","pid":2}},"event":{"category":"process"},`,
		`{"process":{"pid":1,"name":"a.exe","parent":{"name":"b.exe","pid":2}},"event":{"category":"process"}}`,
		`{"k\"q":1,"a":{"b":{"c":"1"}}}`,
		`{"k\"q":1,"a":{"b":{"c":"1"}}}`,
		`{"é":"1","tab\tkey":"2","a":{"b":{"c":"3"}}}`,
		`{"é":"1","tab\tkey":"2","a":{"b":{"c":"3"}}}`,
		`{"a":{"b":{"c":"1"}},"x":"3"}`,
		`{"a":{"b":{"c":"1"}},"x":"3`,
		`{"a":{"b":{"c":"1"}},"x`,
		long.String(), long.String(),
		many.String(), many.String(),
	}
	var paths []*Path
	for _, keyword := range []bool{false, true} {
		var rs *Ruleset
		rs, paths = jsonRuleset(t, jsonPaths, keyword)
		r := rs.NewRecord()
		for _, e := range events {
			checkResetJSON(t, rs, r, paths, []byte(e))
		}
	}
	lazy := lazyRuleset(t, jsonPaths)
	r := lazy.NewRecord()
	for _, e := range events {
		checkResetJSON(t, lazy, r, paths, []byte(e))
	}
}

// TestKeyOrderGuess checks keyOrder's guesses: a key matches only up to
// its closing quote, and learning a member drops those after it.
func TestKeyOrderGuess(t *testing.T) {
	x, y := &keySlot{key: "x"}, &keySlot{key: "yy"}
	var o keyOrder
	o.learn(0, []byte("x"), x, true)
	o.learn(1, []byte("unknown"), nil, true)
	o.learn(2, []byte("yy"), y, true)
	o.learn(3, []byte(`e\"`), nil, false)
	o.learn(5, []byte("z"), nil, true) // member 4 is not kept: nor is 5
	for _, tc := range []struct {
		data string
		k    int
		sl   *keySlot
		j    int
		ok   bool
	}{
		{`x":1`, 0, x, 1, true},
		{`xy":1`, 0, nil, 0, false},
		{`x`, 0, nil, 0, false},
		{`unknown"`, 1, nil, 7, true},
		{`unknow"`, 1, nil, 0, false},
		{`yy"`, 2, y, 2, true},
		{`yy"`, 0, nil, 0, false},
		{`e\""`, 3, nil, 0, false},
		{`z"`, 5, nil, 0, false},
	} {
		sl, j, ok := o.guess([]byte(tc.data), 0, tc.k)
		if ok != tc.ok || ok && (sl != tc.sl || j != tc.j) {
			t.Errorf("guess(%q, %d) = %v, %d, %v, want %v, %d, %v", tc.data, tc.k, sl, j, ok, tc.sl, tc.j, tc.ok)
		}
	}
	o.learn(1, []byte("w"), nil, true)
	if _, _, ok := o.guess([]byte(`yy"`), 0, 2); ok {
		t.Errorf("member 2 kept after member 1 changed")
	}
	if _, j, ok := o.guess([]byte(`w"`), 0, 1); !ok || j != 1 {
		t.Errorf("guess(w) = %d, %v after learning it", j, ok)
	}
}

// TestKeyOrderGuessWords checks the comparison by words of guess against
// the bytes themselves: for keys of every length around the words' (up
// to three words), followed by any number of bytes, the key matches, and
// a change of any one byte of it or of its quote does not.
func TestKeyOrderGuessWords(t *testing.T) {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	for n := 1; n <= 26; n++ {
		key := letters[:n]
		sl := &keySlot{key: key}
		var o keyOrder
		o.learn(0, []byte("first"), nil, true)
		o.learn(1, []byte(key), sl, true)
		for pad := 0; pad <= 10; pad++ {
			data := []byte(`{"first":1,"` + key + `"` + strings.Repeat(":", pad))
			at := len(`{"first":1,"`)
			if got, j, ok := o.guess(data, at, 1); !ok || got != sl || j != at+n {
				t.Errorf("guess(%q) = %v, %d, %v, want the key, %d", data, got, j, ok, at+n)
			}
			for k := at; k <= at+n; k++ {
				changed := slices.Clone(data)
				changed[k] ^= 0x20
				if _, _, ok := o.guess(changed, at, 1); ok {
					t.Errorf("guess(%q) matched %q", changed, key)
				}
			}
			if _, _, ok := o.guess(data[:at+n], at, 1); ok {
				t.Errorf("guess(%q) matched %q without its quote", data[:at+n], key)
			}
		}
	}
}
