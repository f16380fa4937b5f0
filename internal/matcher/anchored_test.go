package matcher

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/randtext"
)

// walkIDs walks a over text with a fresh scratch and returns the ids it
// reported, ascending.
func walkIDs(a *Anchored, ids []int32, text string) []int32 {
	x := newFireScratch(maxID(ids))
	a.Walk(text, x)
	return firedIDs(x)
}

// anchoredHold returns the brute-force test of an anchored trie:
// strings.HasSuffix for a suffix trie, strings.HasPrefix otherwise.
func anchoredHold(suffix bool) func(s, k string) bool {
	if suffix {
		return strings.HasSuffix
	}
	return strings.HasPrefix
}

// checkAnchored compares what a reports for text, by walk and by has,
// with brute force: exactly the keys whose class view starts (or ends)
// the text's, which includes every key the ASCII-lowered text starts (or
// ends) with.
func checkAnchored(t *testing.T, a *Anchored, keys []string, ids []int32, text string) {
	t.Helper()
	hold := anchoredHold(a.suffix)
	got := walkIDs(a, ids, text)
	want := bruteIDs(keys, ids, text, classView, hold)
	if !slices.Equal(got, want) {
		t.Errorf("suffix=%v keys %q ids %v: walk(%q) = %v, want %v", a.suffix, keys, ids, text, got, want)
	}
	for _, id := range bruteIDs(keys, ids, text, lowerASCIIString, hold) {
		if !slices.Contains(got, id) {
			t.Errorf("suffix=%v keys %q ids %v: walk(%q) misses id %d, which holds", a.suffix, keys, ids, text, id)
		}
	}
	if h := a.has(text); h != (len(want) > 0) {
		t.Errorf("suffix=%v keys %q: has(%q) = %v, want %v", a.suffix, keys, text, h, len(want) > 0)
	}
}

// TestAnchored checks walk and has of prefix and suffix tries on
// hand-picked keys and texts.
func TestAnchored(t *testing.T) {
	tests := []struct {
		name   string
		keys   []string
		ids    []int32 // nil: 0, 1, …
		suffix bool
		text   string
		want   []int32
	}{
		{"prefix_one", []string{`c:\windows\`}, nil, false, `C:\Windows\System32`, []int32{0}},
		{"prefix_too_short", []string{`c:\windows\`}, nil, false, `C:\Win`, nil},
		{"prefix_not_at_start", []string{"ab"}, nil, false, "xab", nil},
		{"prefix_nested", []string{"a", "ab", "abc", "abd"}, nil, false, "ABCD", []int32{0, 1, 2}},
		{"prefix_whole_text", []string{"abc"}, nil, false, "abc", []int32{0}},
		{"prefix_empty_text", []string{"a"}, nil, false, "", nil},
		{"prefix_duplicates", []string{"ab", "a", "ab"}, []int32{4, 9, 2}, false, "abz", []int32{2, 4, 9}},
		{"prefix_stops_at_dead_end", []string{"abc", "x"}, nil, false, "abx", nil},
		{"prefix_high_class", []string{"é"}, nil, false, "äx", []int32{0}}, // superset: two high bytes
		{"prefix_high_class_short", []string{"é"}, nil, false, "\xc3x", nil},
		{"prefix_ascii_key_high_text", []string{"k"}, nil, false, "\u212a", nil},
		{"suffix_one", []string{".exe"}, nil, true, "CMD.EXE", []int32{0}},
		{"suffix_not_at_end", []string{".exe"}, nil, true, "a.exe.bak", nil},
		{"suffix_nested", []string{"e", "xe", ".exe", "a.exe"}, nil, true, "b.exe", []int32{0, 1, 2}},
		{"suffix_whole_text", []string{"abc"}, nil, true, "ABC", []int32{0}},
		{"suffix_duplicates", []string{"c", "bc", "c"}, []int32{1, 0, 2}, true, "abc", []int32{0, 1, 2}},
		{"suffix_high_class", []string{"ü.mof"}, nil, true, "x\xc3\xa4.MOF", []int32{0}},
		{"suffix_backslash", []string{`\mofcomp.exe`}, nil, true, "mofcomp.exe", nil},
		{"suffix_control_bytes", []string{"\x00", "\x01\x00"}, nil, true, "a\x01\x00", []int32{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := tt.ids
			if ids == nil {
				ids = seqIDs(len(tt.keys))
			}
			a := NewAnchored(tt.keys, ids, tt.suffix)
			if got := walkIDs(a, ids, tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("walk(%q) over %q = %v, want %v", tt.text, tt.keys, got, tt.want)
			}
			if got := a.has(tt.text); got != (len(tt.want) > 0) {
				t.Errorf("has(%q) over %q = %v, want %v", tt.text, tt.keys, got, len(tt.want) > 0)
			}
			checkAnchored(t, a, tt.keys, ids, tt.text)
		})
	}
}

// TestAnchoredStates checks the trie's size: one state per distinct
// prefix (or suffix) of the keys, the root included.
func TestAnchoredStates(t *testing.T) {
	tests := []struct {
		keys   []string
		suffix bool
		want   int
	}{
		{[]string{"ab", "ac"}, false, 4},
		{[]string{"ab", "ac"}, true, 5},
		{[]string{"ab", "ab"}, false, 3},
		{[]string{"é", "ä"}, false, 3},
	}
	for _, tt := range tests {
		if got := NewAnchored(tt.keys, seqIDs(len(tt.keys)), tt.suffix).States(); got != tt.want {
			t.Errorf("NewAnchored(%q, suffix=%v).States() = %d, want %d", tt.keys, tt.suffix, got, tt.want)
		}
	}
}

// TestAnchoredEveryByte builds tries with a key for each byte a folded
// key may hold and walks each byte, and a two-byte text, from both ends.
func TestAnchoredEveryByte(t *testing.T) {
	var keys []string
	for c := range 256 {
		if c < 'A' || c > 'Z' {
			keys = append(keys, string([]byte{byte(c)}))
		}
	}
	keys = append(keys, "\x00\xff", "z\x00")
	ids := seqIDs(len(keys))
	for _, suffix := range []bool{false, true} {
		a := NewAnchored(keys, ids, suffix)
		for c := range 256 {
			checkAnchored(t, a, keys, ids, string([]byte{byte(c)}))
			checkAnchored(t, a, keys, ids, string([]byte{byte(c), 0}))
		}
	}
}

// upperASCIIString raises the ASCII lower-case letters of s and leaves
// every other byte as it is.
func upperASCIIString(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// TestAnchoredRandom compares prefix and suffix tries with brute force
// over random keys and texts (a fixed seed).
func TestAnchoredRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		keys, ids := randKeys(r, 12)
		for _, suffix := range []bool{false, true} {
			a := NewAnchored(keys, ids, suffix)
			for range 10 {
				text := randtext.String(r, textPieces, 8, false)
				if r.IntN(2) == 0 { // make a hit likely
					k := upperASCIIString(keys[r.IntN(len(keys))])
					if suffix {
						text += k
					} else {
						text = k + text
					}
				}
				checkAnchored(t, a, keys, ids, text)
			}
		}
		if t.Failed() {
			return
		}
	}
}

// FuzzAnchored checks the prefix and suffix tries of the keys of the
// first string (fuzzKeys, each with its own id and the first again with
// a second id) against brute force over the second string, as
// checkAnchored does. Seeds: testdata/fuzz/FuzzAnchored.
func FuzzAnchored(f *testing.F) {
	f.Fuzz(func(t *testing.T, keyList, text string) {
		keys := fuzzKeys(keyList)
		if len(keys) == 0 || len(text) > 4096 {
			return
		}
		keys = append(keys, keys[0])
		ids := seqIDs(len(keys))
		for _, suffix := range []bool{false, true} {
			checkAnchored(t, NewAnchored(keys, ids, suffix), keys, ids, text)
		}
	})
}
