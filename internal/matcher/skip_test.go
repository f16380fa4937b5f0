package matcher

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// refScan is ScanMarked without skipping or sampling: the DFA steps on
// every byte from the root, the reference that TestScanSkip and
// FuzzScanSkip hold the skipping scans to.
func refScan(a *Automaton, text string, x Sink, m *Marks) {
	o := uint32(0)
	for i := 0; i < len(text); i++ {
		if o = a.step[o+uint32(a.class[text[i]])]; o&emitBit != 0 {
			o &^= emitBit
			a.report(int32(o/uint32(a.columns)), x, m)
		}
	}
}

// refScanJSON is ScanJSON in one scan that steps on every unit (a byte,
// an escape, a code point) with the bounds-checked table reads: the
// reference for scanTwo and runTwo.
func refScanJSON(a *Automaton, data []byte, x Sink) {
	o := uint32(0)
	for i := 0; i < len(data); {
		i, o = a.unit(data, i, o, x)
	}
}

// checkJSON compares the ids ScanJSON and refScanJSON report for data, a
// valid JSON text.
func checkJSON(t *testing.T, a *Automaton, keys []string, data string) {
	t.Helper()
	got, want := &countSink{n: map[int32]int{}}, &countSink{n: map[int32]int{}}
	a.ScanJSON([]byte(data), got)
	refScanJSON(a, []byte(data), want)
	if g, w := slices.Sorted(maps.Keys(got.n)), slices.Sorted(maps.Keys(want.n)); !slices.Equal(g, w) {
		t.Errorf("keys %q: ScanJSON(%s) = %v, want %v", keys, data, g, w)
	}
}

// TestScanJSONSame checks ScanJSON (two scans side by side, runTwo)
// against refScanJSON on texts long enough to be split, each key spelled
// plainly, in upper case, with escapes and with a code point that folds
// to ASCII, at every offset, among plain bytes, escapes and UTF-8.
func TestScanJSONSame(t *testing.T) {
	keys := []string{"mimikatz", `\mimilib.dll`, `-filepath "\\`, "kali", "sekurlsa::", "k"}
	split := 0
	for _, ks := range [][]string{keys, keys[:len(keys)-1]} {
		a := NewAutomaton(ks, seqIDs(len(ks)))
		forms := []string{"mimikatz", "MIMIKATZ", `mimi\u006batz`, "mimi\u212aatz", `\\mimilib.dll`, `-FilePath \"\\\\`, "sekurlsa::", "KALI"}
		fills := []string{"x", `\\`, `a\"b`, "é", `\u00e9`}
		for _, form := range forms {
			for _, fill := range fills {
				for at := 0; at < 300; at += 13 {
					left := strings.Repeat(fill, at/len(fill)+1)
					text := `{"a":"` + left + form + `","b":"` + strings.Repeat(fill, 40) + form + `"}`
					checkJSON(t, a, ks, text)
					if _, _, ok := a.split([]byte(text), &plain); ok {
						split++
					}
				}
			}
		}
	}
	if split == 0 {
		t.Fatal("no text was split: the test checks one scan only")
	}
}

// checkSkip compares what a reports for texts, scanned one after another
// in one epoch, by ScanMarked and by refScan, and for each text alone by
// Scan and refScan: the same ids, each as many times (Scan reports every
// occurrence once, however the sampling's steps overlap); and has with
// whether refScan reports any.
func checkSkip(t *testing.T, a *Automaton, keys []string, texts ...string) {
	t.Helper()
	scan := func(fn func(string, Sink, *Marks), marked bool) map[int32]int {
		x := &countSink{n: map[int32]int{}}
		var m *Marks
		if marked {
			m = &Marks{Epoch: 1}
		}
		for _, s := range texts {
			fn(s, x, m)
		}
		return x.n
	}
	ref := func(s string, x Sink, m *Marks) { refScan(a, s, x, m) }
	if got, want := scan(a.ScanMarked, true), scan(ref, true); !maps.Equal(got, want) {
		t.Errorf("keys %q: ScanMarked(%q) = %v, want %v", keys, texts, got, want)
	}
	for _, s := range texts {
		one := func(fn func(string, Sink, *Marks)) map[int32]int {
			x := &countSink{n: map[int32]int{}}
			fn(s, x, nil)
			return x.n
		}
		want := one(ref)
		if got := one(func(s string, x Sink, _ *Marks) { a.Scan(s, x) }); !maps.Equal(got, want) {
			t.Errorf("keys %q: Scan(%q) = %v, want %v", keys, s, got, want)
		}
		if got := a.has(s); got != (len(want) > 0) {
			t.Errorf("keys %q: has(%q) = %v, want %v", keys, s, got, len(want) > 0)
		}
	}
}

// hexKeys returns n keys as the SigmaHQ Hashes rules have them: a hash
// name, '=' and 32 or 64 hex digits, and some bare hex digits.
func hexKeys(r *rand.Rand, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		name, digits := "md5=", 32
		switch i % 4 {
		case 1:
			name, digits = "sha256=", 64
		case 2:
			name, digits = "", 16
		}
		b := []byte(name)
		for range digits {
			b = append(b, "0123456789abcdef"[r.IntN(16)])
		}
		keys[i] = string(b)
	}
	return keys
}

// TestScanSkip checks Scan and ScanMarked, which skip bytes at the root
// (rootPairs) or sample the text (sample.go), against refScan: keys of
// one, two and many bytes, keys that share prefixes and suffixes, keys
// with a backslash, a quote or bytes past ASCII, texts with upper-case
// letters and UTF-8, and long keys (sampled) at every offset of a text.
func TestScanSkip(t *testing.T) {
	// A key longer than maxDepth: a sampler's step cannot tell where its
	// match starts, and must not stop in it.
	deep := hexKeys(rand.New(rand.NewPCG(5, 6)), 3)[1] + hexKeys(rand.New(rand.NewPCG(7, 8)), 3)[1] + strings.Repeat("x", 200)
	tests := []struct {
		name  string
		keys  []string
		texts []string
	}{
		{"one byte", []string{"a", "\\", " "}, []string{"", "a", "xAx", `C:\Windows\cmd.exe /c a`}},
		{"two bytes", []string{"ab", "ba", `\\`, `"x`}, []string{"aab", "xbax", `a\\b`, `say "x"`, "AB", "a", "b"}},
		{"one and two", []string{"a", "ab", "bc"}, []string{"abc", "bbc", "cab", "b"}},
		{"pairs share", []string{"abcd", "bce", "cef", "e"}, []string{"abce", "abcef", "xbcex", "abcd", "e"}},
		{"nested", []string{"he", "she", "his", "hers"}, []string{"ushers", "USHERS", "hishe", "h"}},
		{"backslash", []string{`\temp\`, `\appdata\`, `.ps1`}, []string{`C:\Users\x\AppData\Local\Temp\a.PS1`, `\\temp\\`}},
		{"quote", []string{`"unsafe"};`, `-filepath "\\`}, []string{`x "unsafe"}; y`, `-FilePath "\\srv`}},
		{"past ASCII", []string{"é", "café", "\u00e4x"}, []string{"caf\u00e9", "caf\u00c4", "\u00e4X", "\xff\xfe", "caf\xff"}},
		{"long", []string{"sekurlsa::logonpasswords", "invoke-mimikatz", "lsadump::dcsync"}, []string{
			"mimikatz # sekurlsa::logonpasswords", "Invoke-Mimikatz -DumpCreds", "lsadump::dcsync /user:x", "sekurlsa::", "xinvoke-mimikat", "invoke-mimikatzinvoke-mimikatz",
		}},
		{"long past ASCII", []string{"caf\u00e9-au-lait-\u00e9t\u00e9", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}, []string{
			"un caf\u00e9-au-lait-\u00e9t\u00e9", "caf\u00c9-AU-LAIT-\u00c9T\u00c9", "caf\u00e8-au-lait-\u00e8t\u00e8", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
		}},
		{"long overlapping", []string{"abcabcabcabcx", "bcabcabcabcabcy", "cabcabcabcabcabc"}, []string{
			strings.Repeat("abc", 10) + "x", strings.Repeat("abc", 10) + "y", strings.Repeat("abc", 10), "ABCABCABCABCX",
		}},
		// The first step from "w0" reports "0123456789a" and stops at
		// "0123456789az", past the gram that hit; the next starts there
		// and reads "0123456789a" again.
		{"long stepped twice", []string{"0123456789a", "0123456789azzz", "w0123456789aq"}, []string{"w0123456789az", "w0123456789azw0123456789az"}},
		{"no keys", nil, []string{"", "abc", `"\u0041"`}},
		{"longer than maxDepth", []string{deep, deep[100:]}, []string{deep, "x" + deep + deep, deep[:len(deep)-1]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := NewAutomaton(tt.keys, seqIDs(len(tt.keys)))
			checkSkip(t, a, tt.keys, tt.texts...)
			for _, s := range tt.texts {
				checkAutomaton(t, a, tt.keys, seqIDs(len(tt.keys)), s)
			}
		})
	}
	// Long keys at every offset of a text, in and out of a run of other
	// hex digits, whole or cut short by one byte: what the sampling
	// must find wherever a key starts.
	r := rand.New(rand.NewPCG(1, 2))
	keys := hexKeys(r, 200)
	a := NewAutomaton(keys, seqIDs(len(keys)))
	if a.sampler == nil {
		t.Fatal("the hex keys are not sampled: the test checks the DFA only")
	}
	filler := hexKeys(r, 4)[1]
	for _, k := range []string{keys[0], keys[1], keys[2], strings.ToUpper(keys[3])} {
		for at := range 80 {
			for _, key := range []string{k, k[:len(k)-1]} {
				text := filler[:at%len(filler)] + strings.Repeat("x", at/len(filler)) + key + ",SHA1=" + filler
				checkSkip(t, a, keys, text)
			}
		}
	}
}

// TestRootPairs checks that the root skips what it should on keys whose
// pairs are known, so that TestScanSkip does not pass with no skipping.
func TestRootPairs(t *testing.T) {
	a := NewAutomaton([]string{"ab", "c", "abd"}, seqIDs(3))
	must := func(c0, c1 byte) bool {
		w := int(a.class[c0])*a.columns + int(a.class[c1])
		return a.pairs[w/64]&(1<<(w%64)) != 0
	}
	for _, tt := range []struct {
		c0, c1 byte
		want   bool
	}{
		{'a', 'b', true},  // "ab" starts there
		{'A', 'B', true},  // and so, folded
		{'a', 'c', false}, // after "ac" the root is where "c" leads
		{'a', 'a', false},
		{'c', 'x', true}, // "c" is a key
		{'b', 'd', false},
		{'x', 'a', false}, // x leaves the root at once
	} {
		if got := must(tt.c0, tt.c1); got != tt.want {
			t.Errorf("rootPairs has %q%q = %v, want %v", tt.c0, tt.c1, got, tt.want)
		}
	}
}

// FuzzScanSkip checks Scan and ScanMarked against refScan with the keys
// of the first string ('|'-separated, folded, empty ones dropped, at most
// 64 of at most 80 bytes) over the second and third strings, scanned in
// one epoch, and ScanJSON against refScanJSON over those that are valid
// JSON. Seeds: testdata/fuzz/FuzzScanSkip.
func FuzzScanSkip(f *testing.F) {
	f.Fuzz(func(t *testing.T, keyList, text, more string) {
		keys := fuzzKeys(keyList)
		if len(keys) == 0 || len(text)+len(more) > 4096 {
			return
		}
		a := NewAutomaton(keys, seqIDs(len(keys)))
		checkSkip(t, a, keys, text, more)
		for _, s := range []string{text, more} {
			if json.Valid([]byte(s)) {
				checkJSON(t, a, keys, s)
			}
		}
	})
}

// fuzzKeys returns the keys of a fuzz target's key list: '|'-separated,
// folded, empty ones dropped, at most 64 of at most 80 bytes.
func fuzzKeys(keyList string) []string {
	var keys []string
	for _, k := range strings.Split(keyList, "|") {
		if k = Fold(k); k != "" && len(k) <= 80 && len(keys) < 64 {
			keys = append(keys, k)
		}
	}
	return keys
}

// BenchmarkScanMarked scans a Sysmon Hashes value for 3,000 hash keys
// (sampled: a large automaton, as the SigmaHQ Windows rules' Hashes
// probe's) and a command line for path and tool keys of 2 to 12 bytes
// (skipped at the root), each with ScanMarked and, as the baseline, with
// refScan, which steps the DFA on every byte.
func BenchmarkScanMarked(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	hashes := hexKeys(r, 3000)
	cases := []struct {
		name string
		keys []string
		text string
	}{
		{"hashes", hashes, "SHA1=B4E581F173F782A2F1DA5D29C95946EE500EB2D0,MD5=42893ADBC36605EC79B5BD610759947E,SHA256=1A061C74619DE6AF8C02CBA0FA00754BDD9E3515C0E08CAD6350C7ADFC8CDD5B,IMPHASH=40BEC1A4A3BCB7D3089B5E1532386613"},
		{"commandline", []string{`\temp\`, `\appdata\`, ".ps1", " -enc", " /c ", "-nop", "bypass", "downloadstring", `\\`, "iex", "mimikatz", "rundll32"},
			`"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File C:\Users\IEUser\AppData\Local\Temp\a.ps1`},
	}
	for _, c := range cases {
		a := NewAutomaton(c.keys, seqIDs(len(c.keys)))
		x := newFireScratch(len(c.keys))
		m := &Marks{Epoch: 1}
		for _, v := range []struct {
			name string
			scan func(string, Sink, *Marks)
		}{{"skip", a.ScanMarked}, {"ref", func(s string, x Sink, m *Marks) { refScan(a, s, x, m) }}} {
			b.Run(c.name+"/"+v.name, func(b *testing.B) {
				b.SetBytes(int64(len(c.text)))
				b.ReportAllocs()
				for b.Loop() {
					m.Epoch++
					v.scan(c.text, x, m)
				}
			})
		}
	}
}

// TestScanJSONEscapes checks ScanJSON against refScanJSON with keys that
// the bodies of escapes spell (u0001, the n of \n), on texts long enough
// to be split whose middle runs through escapes at every offset: a scan
// started inside an escape's body would report them where the text holds
// none, and what ScanJSON reports would hang on where it cut the text.
func TestScanJSONEscapes(t *testing.T) {
	keys := []string{"u0001", "0001x", "nx", "tx", "k"}
	a := NewAutomaton(keys, seqIDs(len(keys)))
	split := 0
	for _, esc := range []string{`\u0001`, `\n`, `\t`, `\\`, `\"`} {
		for at := 0; at < 400; at += 3 {
			for _, tail := range []string{"x", "xxxxxxxxxxxxxxxxxxxx", "é"} {
				text := `["` + strings.Repeat("y", at) + strings.Repeat(esc+tail, 40) + `","` + strings.Repeat("z", 300) + `"]`
				checkJSON(t, a, keys, text)
				if _, _, ok := a.split([]byte(text), &plain); ok {
					split++
				}
			}
		}
	}
	if split == 0 {
		t.Fatal("no text was split: the test checks one scan only")
	}
}
