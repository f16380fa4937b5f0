package main

import (
	"strings"
	"testing"
	"unicode"
)

// naiveInputName is what isInputName said before it compared bytes in
// place: the path lower-cased (Unicode's lower case), a .gz cut off, then
// lower-cased again and compared with inputExts.
func naiveInputName(path string) bool {
	lower := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	for _, ext := range inputExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// TestIsInputName checks isInputName on names in every case, gzipped or
// not, against the naive lower-casing it replaces (naiveInputName):
// among them runes that Unicode folds to the extensions' letters but
// ToLower does not lower to them (the long s U+017F, the Kelvin sign
// U+212A), a dotted capital I that lowers to two runes, broken UTF-8, and
// names shorter than an extension.
func TestIsInputName(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"a.evtx", true}, {"A.EVTX", true}, {"logs/Security.Evtx", true}, {"x.json", true},
		{"x.JSON.gz", true}, {"x.ndjson.GZ", true}, {"x.jsonl.Gz", true}, {"x.evtx.gz", true},
		{"x.jsonl", true}, {"x.NDJSON", true}, {".json", true}, {"json", false}, {"", false},
		{"x.gz", false}, {"x.gz.json", true}, {"x.json.gz.gz", false}, {"x.jso", false}, {"x.evt", false},
		{"x.txt", false}, {"x.yml", false}, {"x.evtx.bak", false}, {"gz", false}, {".gz", false},
		{"x.j\u017Fon", false}, {"\u017F.json", true}, {"x.EVT\u212A", false}, {"x.json\u0130", false},
		{"\u0130.json", true}, {"x.json\xff", false}, {"x.\xffjson", false}, {"x\xff.json", true},
		{"x.JS\xc3N", false}, {"\u212A.evtx.GZ", true}, {"x.ev\u0074x", true},
	} {
		if got := isInputName(tc.path); got != tc.want {
			t.Errorf("isInputName(%q) = %v, want %v", tc.path, got, tc.want)
		}
		if naive := naiveInputName(tc.path); naive != tc.want {
			t.Errorf("naiveInputName(%q) = %v, want %v: the table is wrong", tc.path, naive, tc.want)
		}
	}
}

// FuzzIsInputName compares isInputName with naiveInputName on any name.
func FuzzIsInputName(f *testing.F) {
	for _, s := range []string{"a.evtx", "X.JSON.GZ", "x.j\u017Fon", "\u212A.ndjson", "x.json\u0130", "x.\xffjson"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		if got, want := isInputName(path), naiveInputName(path); got != want {
			t.Errorf("isInputName(%q) = %v, naive %v", path, got, want)
		}
	})
}

// TestInputExtsFold checks what hasSuffixFold assumes of the suffixes it
// is asked about (inputExts and ".gz"): lower-case ASCII, with no letter
// that a rune beyond ASCII lower-cases to (the Kelvin sign's "k", the
// dotted capital I's "i"), which strings.ToLower would have matched.
func TestInputExtsFold(t *testing.T) {
	for _, ext := range append([]string{".gz"}, inputExts...) {
		for _, c := range []byte(ext) {
			if c >= 0x80 || 'A' <= c && c <= 'Z' {
				t.Errorf("%q: %q is not lower-case ASCII", ext, c)
			}
		}
	}
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if l := unicode.ToLower(r); l < 0x80 {
			for _, ext := range append([]string{".gz"}, inputExts...) {
				if strings.ContainsRune(ext, l) {
					t.Errorf("%q holds %q, which %U lower-cases to", ext, l, r)
				}
			}
		}
	}
}
