package matcher

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/internal/randtext"
)

// fireSink is a Sink that records, per key id, the epoch it last fired
// in, as the rule index's scratch memory does.
type fireSink struct {
	fired []uint32
	epoch uint32
}

// Fire records that id fired in the current epoch.
func (x *fireSink) Fire(id int32) { x.fired[id] = x.epoch }

// newFireScratch returns a sink for n key ids, in epoch 1.
func newFireScratch(n int) *fireSink {
	return &fireSink{fired: make([]uint32, n), epoch: 1}
}

// firedIDs returns the ids that fired in x's current epoch, ascending.
func firedIDs(x *fireSink) []int32 {
	var ids []int32
	for id, e := range x.fired {
		if e == x.epoch {
			ids = append(ids, int32(id))
		}
	}
	return ids
}

// maxID returns one more than the largest of ids (0 for none): the size
// of a fired table that holds them all.
func maxID(ids []int32) int {
	n := 0
	for _, id := range ids {
		n = max(n, int(id)+1)
	}
	return n
}

// seqIDs returns the ids 0, 1, …, n-1.
func seqIDs(n int) []int32 {
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
	}
	return ids
}

// lowerASCIIString lowers the ASCII upper-case letters of s and leaves
// every other byte as it is: how a text that is folded but for ASCII
// upper-case letters reads once they are folded too.
func lowerASCIIString(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	return string(b)
}

// classView returns s as the automata see it: ASCII upper-case letters
// lowered and every byte from 0x80 up replaced by 0x80, the one class
// they all share.
func classView(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 0x80:
			b[i] = 0x80
		default:
			b[i] = lowerASCII(c)
		}
	}
	return string(b)
}

// bruteIDs returns, ascending and without repeats, the ids[i] whose
// keys[i] hold(view(text), view(keys[i])) accepts.
func bruteIDs(keys []string, ids []int32, text string, view func(string) string, hold func(s, k string) bool) []int32 {
	var out []int32
	t := view(text)
	for i, k := range keys {
		if hold(t, view(k)) {
			out = append(out, ids[i])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// scanIDs runs a over text with a fresh scratch and returns the ids it
// reported, ascending.
func scanIDs(a *Automaton, ids []int32, text string) []int32 {
	x := newFireScratch(maxID(ids))
	a.Scan(text, x)
	return firedIDs(x)
}

// checkAutomaton compares what a reports for text, by scan and by has,
// with brute force: exactly the keys whose class view occurs in the
// text's, which includes every key the ASCII-lowered text contains.
func checkAutomaton(t *testing.T, a *Automaton, keys []string, ids []int32, text string) {
	t.Helper()
	got := scanIDs(a, ids, text)
	want := bruteIDs(keys, ids, text, classView, strings.Contains)
	if !slices.Equal(got, want) {
		t.Errorf("keys %q ids %v: scan(%q) = %v, want %v", keys, ids, text, got, want)
	}
	for _, id := range bruteIDs(keys, ids, text, lowerASCIIString, strings.Contains) {
		if !slices.Contains(got, id) {
			t.Errorf("keys %q ids %v: scan(%q) misses id %d, which occurs", keys, ids, text, id)
		}
	}
	if h := a.has(text); h != (len(want) > 0) {
		t.Errorf("keys %q: has(%q) = %v, want %v", keys, text, h, len(want) > 0)
	}
	checkMarked(t, a, ids, text, got)
}

// checkMarked checks ScanMarked against Scan's ids (want) for text: the
// same ids in a fresh epoch, each reported no more often than Scan does
// (once per state that reports it, not once per occurrence); none when
// text is scanned again in the same epoch; all again in the next.
func checkMarked(t *testing.T, a *Automaton, ids []int32, text string, want []int32) {
	t.Helper()
	all := &countSink{n: map[int32]int{}}
	a.Scan(text, all)
	x := &countSink{n: map[int32]int{}}
	m := &Marks{Epoch: 1}
	a.ScanMarked(text, x, m)
	got := slices.Sorted(maps.Keys(x.n))
	if !slices.Equal(got, want) {
		t.Errorf("ids %v: ScanMarked(%q) = %v, want %v", ids, text, got, want)
	}
	for id, n := range x.n {
		if n > all.n[id] {
			t.Errorf("ids %v: ScanMarked(%q) reports %d %d times, Scan %d", ids, text, id, n, all.n[id])
		}
	}
	clear(x.n)
	if a.ScanMarked(text, x, m); len(x.n) != 0 {
		t.Errorf("ids %v: ScanMarked(%q) again in its epoch reports %v, want none", ids, text, x.n)
	}
	m.Epoch++
	if a.ScanMarked(text, x, m); !slices.Equal(slices.Sorted(maps.Keys(x.n)), want) {
		t.Errorf("ids %v: ScanMarked(%q) in the next epoch = %v, want %v", ids, text, slices.Sorted(maps.Keys(x.n)), want)
	}
}

// countSink counts how often each id is reported.
type countSink struct{ n map[int32]int }

// Fire counts id.
func (x *countSink) Fire(id int32) { x.n[id]++ }

// TestAutomaton checks scan and has on hand-picked keys and texts: fail
// links, nested keys, duplicate keys, upper-case texts and high bytes.
func TestAutomaton(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		ids  []int32 // nil: 0, 1, …
		text string
		want []int32
	}{
		{"classic_ushers", []string{"he", "she", "his", "hers"}, nil, "ushers", []int32{0, 1, 3}},
		{"classic_his", []string{"he", "she", "his", "hers"}, nil, "ahishers", []int32{0, 1, 2, 3}},
		{"none", []string{"he", "she"}, nil, "hoshi", nil},
		{"empty_text", []string{"a"}, nil, "", nil},
		{"key_is_text", []string{"abc"}, nil, "abc", []int32{0}},
		{"at_start", []string{"abc"}, nil, "abcxx", []int32{0}},
		{"at_end", []string{"abc"}, nil, "xxabc", []int32{0}},
		{"nested_suffixes", []string{"abcd", "bcd", "cd", "d"}, nil, "xabcdx", []int32{0, 1, 2, 3}},
		{"nested_suffixes_partial", []string{"abcd", "bcd", "cd", "d"}, nil, "xbcd", []int32{1, 2, 3}},
		{"nested_prefixes", []string{"a", "ab", "abc"}, nil, "ab", []int32{0, 1}},
		{"runs", []string{"a", "aa", "aaa", "aaaa"}, nil, "aaa", []int32{0, 1, 2}},
		{"fail_link_chain", []string{"aab", "ab", "b"}, nil, "aaab", []int32{0, 1, 2}},
		{"fail_back_to_mid", []string{"abcx", "bcy"}, nil, "abcy", []int32{1}},
		{"restart_after_miss", []string{"abab"}, nil, "abaabab", []int32{0}},
		{"upper_case_text", []string{"mofcomp.exe", `\temp\`}, nil, `C:\TEMP\MOFCOMP.EXE`, []int32{0, 1}},
		{"mixed_case_text", []string{"powershell"}, nil, "PowerShell.exe", []int32{0}},
		{"upper_letter_not_in_keys", []string{"ab"}, nil, "XAB", []int32{0}},
		{"duplicate_keys", []string{"ab", "ab", "b"}, []int32{7, 3, 5}, "xab", []int32{3, 5, 7}},
		{"duplicate_keys_absent", []string{"ab", "ab"}, []int32{1, 0}, "ba", nil},
		{"ids_permuted", []string{"x", "y", "z"}, []int32{2, 0, 1}, "zy", []int32{0, 1}},
		{"punctuation", []string{`c:\`, "-enc ", "|"}, nil, `C:\x -ENC  a|b`, []int32{0, 1, 2}},
		{"control_bytes", []string{"\x00", "\x7f\x01"}, nil, "a\x00b\x7f\x01", []int32{0, 1}},
		{"non_ascii_key_same", []string{"é"}, nil, "café", []int32{0}},
		{"non_ascii_key_other_bytes", []string{"é"}, nil, "ä", []int32{0}}, // superset: both are two high bytes
		{"non_ascii_key_not_ascii", []string{"é"}, nil, "e", nil},
		{"non_ascii_key_one_high_byte", []string{"é"}, nil, "a\xc3a", nil},
		{"ascii_key_in_non_ascii_text", []string{"k"}, nil, "\u212a", nil}, // texts are folded: the Kelvin sign is "k" by then
		{"ascii_keys_skip_high_bytes", []string{"ab"}, nil, "a\xffb", nil},
		{"ascii_keys_around_high_bytes", []string{"ab"}, nil, "\xffab\xff", []int32{0}},
		{"invalid_byte_key", []string{"a\xff"}, nil, "a\x80", []int32{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := tt.ids
			if ids == nil {
				ids = seqIDs(len(tt.keys))
			}
			a := NewAutomaton(tt.keys, ids)
			if got := scanIDs(a, ids, tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("scan(%q) over %q = %v, want %v", tt.text, tt.keys, got, tt.want)
			}
			if got := a.has(tt.text); got != (len(tt.want) > 0) {
				t.Errorf("has(%q) over %q = %v, want %v", tt.text, tt.keys, got, len(tt.want) > 0)
			}
			checkAutomaton(t, a, tt.keys, ids, tt.text)
		})
	}
}

// TestAutomatonStates checks the trie's size: one state per distinct
// prefix of the keys, the root included, with upper-case letters and
// high bytes merged.
func TestAutomatonStates(t *testing.T) {
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"a"}, 2},
		{[]string{"he", "she", "his", "hers"}, 10},
		{[]string{"ab", "ab"}, 3},
		{[]string{"é", "ä"}, 3}, // both are two bytes of the high class
	}
	for _, tt := range tests {
		if got := NewAutomaton(tt.keys, seqIDs(len(tt.keys))).States(); got != tt.want {
			t.Errorf("NewAutomaton(%q).States() = %d, want %d", tt.keys, got, tt.want)
		}
	}
}

// TestAutomatonEveryByte builds an automaton with a key for each byte a
// folded key may hold (all but ASCII upper case) and scans each byte.
func TestAutomatonEveryByte(t *testing.T) {
	var keys []string
	for c := range 256 {
		if c < 'A' || c > 'Z' {
			keys = append(keys, string([]byte{byte(c)}))
		}
	}
	keys = append(keys, "\x00\xff", "z\x00", "\x7f\x80")
	ids := seqIDs(len(keys))
	a := NewAutomaton(keys, ids)
	for c := range 256 {
		checkAutomaton(t, a, keys, ids, string([]byte{byte(c)}))
	}
	checkAutomaton(t, a, keys, ids, "Z\x00\xff\x7f\x80")
}

// TestAutomatonReuse scans many texts with one scratch, an epoch each,
// as a ruleset does: nothing from an earlier text may show in a later one.
func TestAutomatonReuse(t *testing.T) {
	keys := []string{"abc", "bc", "x"}
	ids := seqIDs(len(keys))
	a := NewAutomaton(keys, ids)
	x := newFireScratch(len(keys))
	for i, text := range []string{"ABC", "xx", "", "abx", "zbc"} {
		x.epoch = uint32(i + 1)
		a.Scan(text, x)
		want := bruteIDs(keys, ids, text, classView, strings.Contains)
		if got := firedIDs(x); !slices.Equal(got, want) {
			t.Errorf("text %d %q: fired %v, want %v", i, text, got, want)
		}
	}
}

// keyPieces and textPieces are what random keys and texts are made of:
// few distinct letters, so keys overlap and occur often, and high bytes,
// valid and not, that only match as one class.
var (
	keyPieces  = []string{"a", "b", "c", "ab", "é", "\xc3", "\xff", "-", "\x00"}
	textPieces = []string{"a", "b", "c", "A", "B", "C", "é", "É", "ä", "\u212a", "\xc3", "\xff", "-", "\x00", "\\"}
)

// randKeys returns up to n random non-empty folded keys, some repeated,
// and distinct ids for them in random order.
func randKeys(r *rand.Rand, n int) ([]string, []int32) {
	keys := make([]string, 1+r.IntN(n))
	for i := range keys {
		if i > 0 && r.IntN(8) == 0 {
			keys[i] = keys[r.IntN(i)] // a duplicate, as keys of two fields on one path are
			continue
		}
		keys[i] = randtext.String(r, keyPieces, 4, true)
	}
	ids := seqIDs(len(keys))
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	return keys, ids
}

// TestAutomatonRandom compares the automaton with brute force over random
// keys and texts (a fixed seed).
func TestAutomatonRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		keys, ids := randKeys(r, 12)
		a := NewAutomaton(keys, ids)
		for range 10 {
			checkAutomaton(t, a, keys, ids, randtext.String(r, textPieces, 24, false))
		}
		if t.Failed() {
			return
		}
	}
}

// TestAutomatonRandomASCII checks that for ASCII keys and texts the
// automaton reports exactly the keys that occur, with a wider alphabet.
func TestAutomatonRandomASCII(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alpha = "abcdxyz.\\ 0"
	word := func(n int, upper bool) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
			if upper && r.IntN(3) == 0 && b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			}
		}
		return string(b)
	}
	for range 1000 {
		keys := make([]string, 1+r.IntN(30))
		for i := range keys {
			keys[i] = word(1+r.IntN(5), false)
		}
		ids := seqIDs(len(keys))
		a := NewAutomaton(keys, ids)
		for range 10 {
			text := word(r.IntN(60), true)
			got := scanIDs(a, ids, text)
			want := bruteIDs(keys, ids, text, lowerASCIIString, strings.Contains)
			if !slices.Equal(got, want) {
				t.Fatalf("keys %q: scan(%q) = %v, want %v", keys, text, got, want)
			}
		}
	}
}

// FuzzAutomaton splits its first input on "|" into keys (folded, empty
// ones dropped, at most 64 of at most 16 bytes, as the index makes them)
// and scans the second, comparing with brute force.
func FuzzAutomaton(f *testing.F) {
	f.Add("he|she|his|hers", "ushers")
	f.Add("abcd|bcd|cd|d", "xABCDx")
	f.Add("ab|ab|b", "aab")
	f.Add("é|\u212a|\xff", "caf\xc3\xa4 \xff")
	f.Add(`\appdata\|\temp\|.ps1`, `C:\Users\x\AppData\Local\Temp\a.PS1`)
	f.Fuzz(func(t *testing.T, keyList, text string) {
		var keys []string
		for _, k := range strings.Split(keyList, "|") {
			if k = Fold(k); k != "" && len(k) <= 16 && len(keys) < 64 {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 || len(text) > 1024 {
			return
		}
		ids := seqIDs(len(keys))
		checkAutomaton(t, NewAutomaton(keys, ids), keys, ids, text)
	})
}

// FuzzScanJSON checks that scanning a JSON text finds every key that
// scanning its values' folded texts one by one finds (it may find more,
// in the keys and across values).
func FuzzScanJSON(f *testing.F) {
	f.Add("mimikatz|sekurlsa::|\\temp\\", `{"a":"C:\\Temp\\MIMIKATZ.exe","b":["sekurlsa::logonpasswords",1]}`)
	f.Add("\"q|a\nb|é", `{"x":"say \"q\"","y":"a\nb","z":"caf\u00c9","w":"\ud83d\ude00"}`)
	f.Add("k|s|\ufffd", "{\"1\":\"\\u212a\",\"2\":\"\\u017f\",\"3\":\"\xff\",\"4\":\"\\udc00x\",\"5\":\"\u212a\"}")
	f.Add("4688|true|1e5", `{"n":4688,"b":true,"e":1e5,"z":null}`)
	f.Add("ab|\"|:", `{"ab":[{"ab":"x\"ab"},"a\\",["b"]],"c\\":{"":"ab"}}`)
	f.Fuzz(func(t *testing.T, keyList, text string) {
		var keys []string
		for _, k := range strings.Split(keyList, "|") {
			if k = Fold(k); k != "" && len(k) <= 16 && len(keys) < 64 {
				keys = append(keys, k)
			}
		}
		d := json.NewDecoder(strings.NewReader(text))
		d.UseNumber()
		var doc map[string]any
		// ScanJSON reads a valid JSON text only: json.Valid rejects what
		// follows the first value (d.More reports false before a '}').
		if len(keys) == 0 || len(text) > 4096 || !json.Valid([]byte(text)) || d.Decode(&doc) != nil || doc == nil {
			return
		}
		ids := seqIDs(len(keys))
		a := NewAutomaton(keys, ids)
		want := newFireScratch(len(keys))
		eachScalar(doc, func(v any) {
			var s string
			switch v := v.(type) {
			case string:
				s = v
			case json.Number:
				s = string(v)
			case bool:
				s = strconv.FormatBool(v)
			default:
				t.Fatalf("eachScalar visited %T", v)
			}
			a.Scan(Fold(s), want)
		})
		got := newFireScratch(len(keys))
		a.ScanJSON([]byte(text), got)
		for _, id := range firedIDs(want) {
			if got.fired[id] != got.epoch {
				t.Errorf("scanJSON(%q) misses key %q, which a value holds", text, keys[id])
			}
		}
	})
}

// eachScalar calls fn on each string, number and boolean in v, decoded
// JSON, as match's Doc.Each visits an event's values.
func eachScalar(v any, fn func(any)) {
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			eachScalar(e, fn)
		}
	case []any:
		for _, e := range x {
			eachScalar(e, fn)
		}
	case nil:
	default:
		fn(v)
	}
}

// TestScanJSONSplit checks that scanJSON, which scans a long text as two
// scans side by side (split, scanTwo), finds a key wherever it lies: one
// of several keys, spelled plainly, with escapes or with a code point
// that folds to ASCII, at every offset of a value in texts long enough to
// be split, with runs of escapes and of plain bytes around the middle.
func TestScanJSONSplit(t *testing.T) {
	keys := []string{"mimikatz", `c:\windows\temp\`, "sekurlsa::logonpasswords"[:16], "k"}
	ids := seqIDs(len(keys))
	a := NewAutomaton(keys, ids)
	spellings := map[string][]string{
		"mimikatz":          {"mimikatz", "MimiKatz", `mimi\u006batz`, "mimi\u212aatz"},
		`c:\windows\temp\`:  {`C:\\Windows\\Temp\\`, `c:\u005cwindows\\temp\\`},
		"sekurlsa::logonpa": {"sekurlsa::logonpasswords", `SEKURLSA::LOGON\u0050asswords`},
	}
	fillers := []string{strings.Repeat("x", 40), strings.Repeat(`\\`, 40), strings.Repeat(`a\"b`, 12), strings.Repeat("é", 20)}
	split := 0
	for key, forms := range spellings {
		want := slices.Index(keys, key)
		if want < 0 {
			want = 2
		}
		for _, form := range forms {
			for _, fill := range fillers {
				for at := 0; at < 700; at += 7 {
					left := strings.Repeat(fill, at/len(fill)+1)[:at]
					if strings.HasSuffix(left, `\`) || !utf8.ValidString(left) {
						continue // the filler cut inside an escape or a code point
					}
					text := `{"before":"` + left + form + `","after":"` + strings.Repeat("y", 300) + `"}`
					if _, _, ok := a.split([]byte(text), &plain); ok {
						split++
					}
					x := newFireScratch(len(keys))
					a.ScanJSON([]byte(text), x)
					if x.fired[want] != x.epoch {
						t.Fatalf("scanJSON misses %q spelled %q at %d in %s", keys[want], form, at, text)
					}
				}
			}
		}
	}
	if split == 0 {
		t.Fatal("no text was split: the test checks one scan only")
	}
}

// BenchmarkScanJSON scans an ECS event for 200 keyword keys with
// scanJSON (two scans side by side, for a text this long) and, as the
// baseline, with one scan from start to end (scanOne).
func BenchmarkScanJSON(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 7))
	var keys []string
	for range 200 {
		k := make([]byte, 6+rng.IntN(10))
		for i := range k {
			k[i] = "abcdefghijklmnopqrstuvwxyz.-_:/"[rng.IntN(31)]
		}
		keys = append(keys, string(k))
	}
	a := NewAutomaton(keys, seqIDs(len(keys)))
	data := []byte(ecsEvent)
	if _, _, ok := a.split(data, &plain); !ok {
		b.Fatal("the event is not split")
	}
	x := newFireScratch(len(keys))
	b.Run("two", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			a.ScanJSON(data, x)
		}
	})
	b.Run("one", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			a.scanOne(data, 0, len(data), 0, &plain, x)
		}
	})
}

// ecsEvent is an ECS process event, as match's tests use.
const ecsEvent = `{"@timestamp":"2026-11-25T00:00:00.009Z","event":{"category":["process"],"type":["start"],"kind":"event"},"host":{"os":{"type":"windows","family":"windows"},"name":"ws-17"},"process":{"pid":4242,"name":"mofcomp.exe","executable":"C:\\Windows\\System32\\wbem\\mofcomp.exe","command_line":"C:\\Windows\\System32\\wbem\\mofcomp.exe C:\\Users\\Public\\evil.mof","args":["C:\\Windows\\System32\\wbem\\mofcomp.exe","C:\\Users\\Public\\evil.mof"],"pe":{"original_file_name":"mofcomp.exe"},"parent":{"name":"cmd.exe","executable":"C:\\Windows\\cmd.exe","pid":777}},"user":{"name":"user17","id":"S-1-5-21-1-2-3-1001"}}`

// TestScanMarkedOnce checks that a key found at one state many times is
// reported once per epoch: the spaces and backslashes of a command line.
func TestScanMarkedOnce(t *testing.T) {
	a := NewAutomaton([]string{" ", `\`, `\windows\`}, []int32{0, 1, 2})
	text := `C:\Windows\System32\cmd.exe /c echo a b c`
	all, once := &countSink{n: map[int32]int{}}, &countSink{n: map[int32]int{}}
	a.Scan(text, all)
	a.ScanMarked(text, once, &Marks{Epoch: 7})
	if want := map[int32]int{0: 5, 1: 3, 2: 1}; !maps.Equal(all.n, want) {
		t.Errorf("Scan reports %v, want %v", all.n, want)
	}
	// `\` is reported at its own state, and not again through
	// `\windows\`'s link: the walk of links stops at a marked state.
	if want := map[int32]int{0: 1, 1: 1, 2: 1}; !maps.Equal(once.n, want) {
		t.Errorf("ScanMarked reports %v, want %v", once.n, want)
	}
}

// refCut is cut's reference: the first m in (from, to] such that
// data[m-longest:m] is all plain (p) and no backslash that is not plain
// lies in data[m-longest-escapeBody:m-longest] or before from within it.
func refCut(data []byte, from, to, longest int, p *[256]bool) (q, m int, ok bool) {
	for m = from + 1; m <= to; m++ {
		q = m - longest
		if q < from+escapeBody {
			continue
		}
		good := true
		for i := q - escapeBody; i < m && good; i++ {
			c := data[i]
			good = i < q && (c != '\\' || p[c]) || i >= q && p[c]
		}
		if good {
			return q, m, true
		}
	}
	return 0, 0, false
}

// FuzzCut checks cut, eight bytes at a time, against refCut, byte by
// byte, on any bytes, for JSON (plain) and text (textPlain), to the end
// and to the middle of the rest. (FuzzScanJSON and FuzzScanText check the
// scans that cut where split does.) Seeds: escaped paths, runs just long
// enough, bytes past ASCII around a run, a backslash five bytes before
// one.
func FuzzCut(f *testing.F) {
	path := `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -nop -w hidden",`
	f.Add(strings.Repeat(path, 8), uint16(3), uint16(17))
	f.Add(`\u0041abcdefghijklmnopqrstuvwxyz`, uint16(0), uint16(4))
	f.Add("ab\\cdefg\xc3\xa9hijklmnopqrstuvwxyz0123\\\\456789abcdefghijklmnop", uint16(1), uint16(8))
	f.Add(`\abcde`+strings.Repeat("x", 40), uint16(0), uint16(12))
	f.Fuzz(func(t *testing.T, s string, from, longest uint16) {
		data := []byte(s)
		if len(data) > 4096 || longest == 0 || longest > 64 {
			return
		}
		fr := int(from) % (len(data) + 1)
		a := &Automaton{longest: int(longest)}
		for _, p := range []*[256]bool{&plain, &textPlain} {
			for _, to := range []int{len(data), fr + (len(data)-fr)/2} {
				q, m, ok := a.cut(data, fr, to, p)
				wq, wm, wok := refCut(data, fr, to, int(longest), p)
				if q != wq || m != wm || ok != wok {
					t.Fatalf("cut(%q, %d, %d, longest %d, text %v) = %d, %d, %v; want %d, %d, %v", data, fr, to, longest, p == &textPlain, q, m, ok, wq, wm, wok)
				}
			}
		}
	})
}

// TestCutWords checks cut against refCut, deterministically (FuzzCut's
// seeds alone miss most of its word loop's cases), on random texts of 0
// to 80 bytes, cut to their length (a read past the slice panics), of
// bytes that matter to it: \\ runs of odd and even length, \u escapes
// and a surrogate pair's across word boundaries, bytes past ASCII (é,
// 0x80, 0xff) and not (DEL, NUL), for every from, both ends, keys of 1 to
// 20 bytes, JSON and text.
func TestCutWords(t *testing.T) {
	parts := []string{"a", "b", "\\", "\\\\", "\\u00e9", "\\ud83d\\ude00", "\xc3\xa9", "\x00", "\x7f", "\x80", "\xff", "xyzxyzxy"}
	r := rand.New(rand.NewPCG(12, 13))
	for range 20000 {
		var b []byte
		for n := r.IntN(81); len(b) < n; {
			b = append(b, parts[r.IntN(len(parts))]...)
		}
		data := b[:len(b):len(b)]
		longest := 1 + r.IntN(20)
		a := &Automaton{longest: longest}
		for from := range len(data) + 1 {
			for _, p := range []*[256]bool{&plain, &textPlain} {
				for _, to := range []int{len(data), from + (len(data)-from)/2} {
					q, m, ok := a.cut(data, from, to, p)
					wq, wm, wok := refCut(data, from, to, longest, p)
					if q != wq || m != wm || ok != wok {
						t.Fatalf("cut(%q, %d, %d, longest %d, text %v) = %d, %d, %v; want %d, %d, %v", data, from, to, longest, p == &textPlain, q, m, ok, wq, wm, wok)
					}
				}
			}
		}
	}
}

// TestScanJSONCutBody checks ScanJSON against refScanJSON where split may
// cut just past an escape: each key is the end of an escape's body (its
// last hex digits, or the low half of a surrogate pair) and the plain
// bytes after it, which a scan started inside the body would report
// (escapeBody one byte short does), the escapes at every offset around
// the middle of texts long enough to be split.
func TestScanJSONCutBody(t *testing.T) {
	keys := []string{"1xxxxxxx", "01xxxxxx", "e9xxxxxx", "9xxxxxxx", "de00xxxx", "0xxxxxxx", "nxxxxxxx"}
	a := NewAutomaton(keys, seqIDs(len(keys)))
	split := 0
	for _, esc := range []string{`\u0001`, `\u00e9`, `\ud83d\ude00`, `\n`, `\\`} {
		for at := 300; at < 420; at++ {
			text := `["` + strings.Repeat("y", at) + esc + strings.Repeat("x", 40) + `","` + strings.Repeat("z", 300) + `"]`
			checkJSON(t, a, keys, text)
			if _, _, ok := a.split([]byte(text), &plain); ok {
				split++
			}
		}
	}
	if split == 0 {
		t.Fatal("no text was split: the test checks one scan only")
	}
}
