package match

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestResetJSONKeyOrderWords checks ResetJSON against ParseJSON (through
// checkResetJSON) on events whose key orders a keyOrder compares by
// words (orderKey.head, mask and tail): keys of 7, 8, 9, 15, 16 and 17
// bytes (text and quote: one word, a word and a byte, two words, two
// words and a byte), followed from event to event by keys that differ
// only in their last byte, their first, or their case, by the same keys
// escaped ("\u0067" for "g": equal to the plain key, as ParseJSON reads
// it), repeated, cut off right after the key or its quote (no word read
// past the text: the test runs under -race's checkptr), with a number
// and then a string at the same leaf, an eager or lazy slot holding an
// escaped string, and nested objects whose order changes.
func TestResetJSONKeyOrderWords(t *testing.T) {
	var keys []string
	for _, n := range []int{7, 8, 9, 15, 16, 17} {
		keys = append(keys, strings.Repeat("k", n-1)+"g")
	}
	variants := func(k string) []string {
		last, first := k[:len(k)-1]+"h", "j"+k[1:]
		upper := strings.ToUpper(k[:1]) + k[1:]
		esc := k[:len(k)-1] + `\u0067`
		return []string{k, last, first, upper, esc, k}
	}
	var paths []string
	for _, k := range keys {
		paths = append(paths, k, "n."+k, "n."+k+".v")
	}
	var events []string
	obj := func(members ...string) string { return "{" + strings.Join(members, ",") + "}" }
	m := func(k, v string) string { return fmt.Sprintf("%q:%s", k, v) }
	for i, k := range keys {
		other := keys[(i+1)%len(keys)]
		for _, v := range variants(k) {
			kv := strings.ReplaceAll(fmt.Sprintf("%q", v), `\\u0067`, `\u0067`)
			for _, val := range []string{`"x1"`, `12`, `"x\\y"`, `"é"`, `{"v":"x"}`, `"a\u0067"`} {
				same := obj(m(k, `"x0"`), m(other, `1`), `"n":`+obj(m(k, `"x"`), m(other, `2`)))
				events = append(events,
					same, same,
					obj(kv+":"+val, m(other, `1`), `"n":`+obj(kv+":"+val, m(other, `2`))),
					same,
					obj(m(other, `1`), kv+":"+val, `"n":`+obj(m(other, `2`), kv+":"+val)),
					obj(m(k, `"x0"`), kv+":"+val, m(other, `3`)), // a repeated key, or two alike
					same,
					`{"`+k, `{"`+k+`"`, `{"`+k+`":`, `{"`+k+`":1`, // cut right after the key, its quote, the colon, the value
					same,
					`{"n":{"`+k, `{"n":{"`+k+`"`, `{"n":{"`+k+`":"x"`,
				)
			}
		}
	}
	for _, keyword := range []bool{false, true} {
		rs, ps := jsonRuleset(t, paths, keyword)
		r := rs.NewRecord()
		for _, e := range events {
			// A fresh copy a byte longer than e, cut to e: a word
			// read past the event reads the extra byte, which
			// makes its key another.
			b := append([]byte(e), 'q')[:len(e)]
			checkResetJSON(t, rs, r, ps, b)
			checkItems(t, r, e)
			// And the event at the very end of its allocation.
			checkResetJSON(t, rs, r, ps, []byte(strings.Clone(e)))
		}
	}
	lazy := lazyRuleset(t, paths)
	r := lazy.NewRecord()
	_, ps := jsonRuleset(t, paths, false)
	for _, e := range events {
		checkResetJSON(t, lazy, r, ps, []byte(e))
	}
}

// FuzzResetJSONLines checks ResetJSON against ParseJSON (checkResetJSON)
// and checkItems on the lines of the input read in turn with one record,
// so that each line meets the key orders the lines before it left: keys
// of 7 to 17 bytes, reordered, changed in a byte, escaped, repeated or cut
// off. Seeds: testdata/fuzz/FuzzResetJSONLines.
func FuzzResetJSONLines(f *testing.F) {
	paths := []string{"kkkkkkg", "kkkkkkkg", "kkkkkkkkg", "kkkkkkkkkkkkkkg", "kkkkkkkkkkkkkkkg", "kkkkkkkkkkkkkkkkg", "n.kkkkkkkg", "n.kkkkkkkkkkkkkkkg.v", "a", "a.b"}
	rs, ps := jsonRuleset(f, paths, true)
	lazy := lazyRuleset(f, paths)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, l := rs.NewRecord(), lazy.NewRecord()
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			checkResetJSON(t, rs, r, ps, line)
			checkItems(t, r, string(line))
			checkResetJSON(t, lazy, l, ps, line)
		}
	})
}
