package match

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/matcher"
)

// scanIDs returns the distinct ids a's ScanJSON reports in each of texts.
func scanIDs(a *matcher.Automaton, texts ...[]byte) []int32 {
	var ids idSink
	for _, t := range texts {
		a.ScanJSON(t, &ids)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// valuesText returns the JSON of values, each as a filled record's text
// holds it, and the text of the array of them (no white space).
func valuesText(values []any) (jsons [][]byte, text []byte) {
	text = []byte{'['}
	for i, v := range values {
		js, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		if i > 0 {
			text = append(text, ',')
		}
		jsons = append(jsons, js)
		text = append(text, js...)
	}
	return jsons, append(text, ']')
}

// TestApartKeys checks which keys apartKeys lets a keyword scan skip
// clean values with: for keys it turns down, a text where a scan of the
// whole array finds a key that no scan of its values alone finds (so the
// condition is needed), and for the others that the scans agree.
func TestApartKeys(t *testing.T) {
	tests := []struct {
		keys   []string
		values []any
		apart  bool // apartKeys lets the keys through
		differ bool // the scans differ on values
	}{
		{[]string{"1,2"}, []any{json.Number("1"), json.Number("2")}, false, true},   // the comma between two values
		{[]string{`a","b`}, []any{"a", "b"}, false, true},                           // two strings: their quotes and the comma
		{[]string{"[tr"}, []any{true}, false, true},                                 // the array's start
		{[]string{"ll]"}, []any{nil}, false, true},                                  // its end
		{[]string{"x,y"}, []any{"x,y"}, false, false},                               // a comma within a value: turned down all the same
		{[]string{"[a"}, []any{"[a"}, false, false},                                 // a key starting with '[' in a value
		{[]string{"a[b]c", "b]c"}, []any{"a[b]c", "b"}, true, false},                // brackets within keys
		{[]string{`a"`, `"b`, "1"}, []any{"a", "b", json.Number("1")}, true, false}, // quotes: each value's own
		{[]string{`\`, `x"y`, "é"}, []any{`a\b`, `x"y`, "É"}, true, false},          // escapes, decoded within a value
		{[]string{"mimikatz", "sekurlsa::"}, []any{"sekurlsa::x", false}, true, false},
	}
	for _, tt := range tests {
		ids := make([]int32, len(tt.keys))
		for i := range ids {
			ids[i] = int32(i)
		}
		a := matcher.NewAutomaton(tt.keys, ids)
		if got := apartKeys(tt.keys); got != tt.apart {
			t.Errorf("apartKeys(%q) = %v, want %v", tt.keys, got, tt.apart)
		}
		jsons, text := valuesText(tt.values)
		whole, alone := scanIDs(a, text), scanIDs(a, jsons...)
		if differ := !slices.Equal(whole, alone); differ != tt.differ {
			t.Errorf("keys %q in %s: %v found in the whole text, %v in the values alone", tt.keys, text, whole, alone)
		}
	}
}

// TestScanApart checks, on random arrays of values and random keys that
// apartKeys lets through, that ScanJSON finds the same keys in the whole
// text as in its values each alone and as in random runs of whole values
// with their commas (what the record's keyword scan reads: hooks.Filler's
// ScanOnly): no key is found across two values.
func TestScanApart(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 95))
	const alphabet = `ab,[]"\ é0-.:{}` + "\x01\t"
	word := func(n int) string {
		var b strings.Builder
		for range n {
			r := []rune(alphabet)
			b.WriteRune(r[rng.IntN(len(r))])
		}
		return b.String()
	}
	value := func() any {
		switch rng.IntN(8) {
		case 0:
			return json.Number(fmt.Sprint(rng.IntN(2000) - 1000))
		case 1:
			return rng.IntN(2) == 0
		case 2:
			return nil
		case 3:
			return strings.ToUpper(word(rng.IntN(400))) // past matcher's minSplit, at times: scanned in two
		default:
			return strings.ToUpper(word(rng.IntN(12)))
		}
	}
	checked, found := 0, 0
	for range 3000 {
		values := make([]any, 1+rng.IntN(8))
		for i := range values {
			values[i] = value()
		}
		jsons, text := valuesText(values)
		// Keys: pieces of the text (across values, too) and random words,
		// folded, kept when apartKeys lets them through.
		var keys []string
		for range 1 + rng.IntN(6) {
			var k string
			switch v := jsons[rng.IntN(len(jsons))]; rng.IntN(3) {
			case 0:
				k = word(1 + rng.IntN(4))
			case 1:
				i := rng.IntN(len(text))
				k = string(text[i:min(len(text), i+1+rng.IntN(6))])
			default:
				i := rng.IntN(len(v))
				k = string(v[i:min(len(v), i+1+rng.IntN(6))])
			}
			k = strings.ToLower(strings.ReplaceAll(k, "É", "é"))
			if apartKeys([]string{k}) {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			continue
		}
		ids := make([]int32, len(keys))
		for i := range ids {
			ids[i] = int32(i)
		}
		a := matcher.NewAutomaton(keys, ids)
		whole := scanIDs(a, text)
		found += len(whole)
		if alone := scanIDs(a, jsons...); !slices.Equal(whole, alone) {
			t.Fatalf("keys %q in %s: %v found in the whole text, %v in the values alone", keys, text, whole, alone)
		}
		// Random runs: cut the values into runs, scan each with its commas.
		var runs [][]byte
		for i := 0; i < len(jsons); {
			j := i + 1 + rng.IntN(len(jsons)-i)
			runs = append(runs, []byte(string(joinJSON(jsons[i:j]))))
			i = j
		}
		if got := scanIDs(a, runs...); !slices.Equal(whole, got) {
			t.Fatalf("keys %q in %s: %v found in the whole text, %v in the runs %q", keys, text, whole, got, runs)
		}
		checked++
	}
	if checked < 1000 || found < checked {
		t.Fatalf("%d texts checked, %d keys found", checked, found)
	}
}

// joinJSON returns the values' JSON joined by commas.
func joinJSON(jsons [][]byte) []byte {
	var b []byte
	for i, js := range jsons {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, js...)
	}
	return b
}

// TestPlainBytes checks plainBytes on keys that leave out bytes of
// plainCandidates (as typed or folded, and keys that no plain text can
// hold, which leave out none), and that a raw automaton of the keys finds
// none of them in random texts made of the bytes kept, nor in the JSON of
// a time, a GUID, a hex number and a number, nor in the keys themselves,
// quoted or in upper case, when they are made of them.
func TestPlainBytes(t *testing.T) {
	tests := []struct {
		keys []string
		out  string // the candidates left out
	}{
		{nil, ""},
		{[]string{"mimikatz", "sekurlsa::", `\\`, "é"}, ""}, // a byte no candidate folds to: none left out
		{[]string{"0x1fffff"}, "0"},                         // a key of hex: its first byte
		{[]string{"deface", "cafe"}, "dDcC"},                // folded: both cases
		{[]string{"-enc", ":1", `"a`}, `:"`},                // "-enc": 'n' is no candidate
		{[]string{"2023-", "2024-"}, "2"},                   // the second finds '2' left out
	}
	for _, tt := range tests {
		plain := plainBytes(tt.keys)
		var out []byte
		for i := 0; i < len(plainCandidates); i++ {
			if c := plainCandidates[i]; !plain[c] {
				out = append(out, c)
			}
		}
		slices.Sort(out)
		want := []byte(tt.out)
		slices.Sort(want)
		if !slices.Equal(out, want) {
			t.Errorf("plainBytes(%q) leaves out %q, want %q", tt.keys, out, want)
		}
		for c := range plain {
			if plain[c] && !strings.ContainsRune(plainCandidates, rune(c)) {
				t.Errorf("plainBytes(%q) keeps %q, no candidate", tt.keys, byte(c))
			}
		}
		if len(tt.keys) == 0 {
			continue
		}
		ids := make([]int32, len(tt.keys))
		for i := range ids {
			ids[i] = int32(i)
		}
		a := matcher.NewAutomaton(tt.keys, ids)
		var kept []byte
		for c := range plain {
			if plain[c] {
				kept = append(kept, byte(c))
			}
		}
		texts := [][]byte{[]byte(`"2019-03-19T23:34:25.123456Z"`), []byte(`"0197231E-4A83-694D-9E0E-000000000800"`), []byte(`"0x1ffffe"`), []byte("-12.5e+3")}
		for _, k := range tt.keys {
			texts = append(texts, []byte(`"`+k+`"`), []byte(strings.ToUpper(k)))
		}
		rng := rand.New(rand.NewPCG(1, uint64(len(tt.keys))))
		for range 2000 {
			text := make([]byte, 1+rng.IntN(40))
			for i := range text {
				text[i] = kept[rng.IntN(len(kept))]
			}
			texts = append(texts, text)
		}
		for _, text := range texts {
			if !isPlain(&plain, text) {
				continue
			}
			if ids := scanIDs(a, text); len(ids) > 0 {
				t.Errorf("keys %q: plain text %q holds keys %v", tt.keys, text, ids)
			}
		}
	}
}

// isPlain reports whether text is made of the bytes of plain only.
func isPlain(plain *[256]bool, text []byte) bool {
	for _, c := range text {
		if !plain[c] {
			return false
		}
	}
	return true
}
