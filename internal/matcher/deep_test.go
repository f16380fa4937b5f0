package matcher

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// withRowBytes builds automata with maxRowBytes set to n, as fn does.
func withRowBytes(n int, fn func()) {
	old := maxRowBytes
	maxRowBytes = n
	defer func() { maxRowBytes = old }()
	fn()
}

// TestScanDeep checks ScanMarked over deep states (deep.go) against
// refScan, which steps the DFA's table on every byte: the keys and texts
// of TestScanSkip and random keys over random texts of their bytes, with
// no rows but the root's and with a few, where keys branch and end in
// deep states.
func TestScanDeep(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	alpha := []rune(`abc\ "Xé.`)
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteRune(alpha[r.IntN(len(alpha))])
		}
		return b.String()
	}
	for _, rowBytes := range []int{0, 64, 1024} {
		for trial := range 300 {
			var keys []string
			for range 1 + r.IntN(30) {
				if k := Fold(word(1 + r.IntN(12))); k != "" {
					keys = append(keys, k)
				}
			}
			var a *Automaton
			withRowBytes(rowBytes, func() { a = NewAutomaton(keys, seqIDs(len(keys))) })
			if rowBytes == 0 && a.deep == nil && a.sampler == nil {
				t.Fatalf("rows of %d bytes, keys %q: no deep states", rowBytes, keys)
			}
			texts := []string{word(r.IntN(60)), word(r.IntN(200)), strings.Join(keys, word(2)), strings.ToUpper(strings.Join(keys, ""))}
			checkSkip(t, a, keys, texts...)
			if t.Failed() {
				t.Fatalf("rows of %d bytes, trial %d", rowBytes, trial)
			}
		}
	}
}

// FuzzScanDeep checks ScanMarked over deep states, with no rows but the
// root's, against refScan (as FuzzScanSkip checks the rows' scan): the
// keys of the first string (fuzzKeys) over the second and third strings,
// scanned in one epoch. Seeds: testdata/fuzz/FuzzScanDeep.
func FuzzScanDeep(f *testing.F) {
	f.Fuzz(func(t *testing.T, keyList, text, more string) {
		keys := fuzzKeys(keyList)
		if len(keys) == 0 || len(text)+len(more) > 4096 {
			return
		}
		var a *Automaton
		withRowBytes(0, func() { a = NewAutomaton(keys, seqIDs(len(keys))) })
		checkSkip(t, a, keys, text, more)
	})
}

// TestDeepOnlyForScans checks that a Set's automaton, only asked has,
// gets no deep states (they would cost it memory and nothing else:
// set.go), while the automata of NewTexts and NewAutomaton, scanned by
// Find and ScanMarked, do; and that the Set still matches.
func TestDeepOnlyForScans(t *testing.T) {
	texts := []string{"cmd", "net", "at", "sc"}
	var ms []Matcher
	var needs []Need
	for _, s := range texts {
		ms = append(ms, NewContains(s, true))
		needs = append(needs, NewContains(s, true).Needs()...)
	}
	withRowBytes(0, func() {
		if a := NewSet(ms).texts.sub; a == nil || a.deep != nil {
			t.Errorf("NewSet: the automaton %v has deep states, or is nil", a)
		}
		if a := NewTexts(needs, seqIDs(len(needs))).sub; a == nil || a.deep == nil {
			t.Errorf("NewTexts: the automaton %v has no deep states", a)
		}
		if a := NewAutomaton(texts, seqIDs(len(texts))); a.deep == nil {
			t.Error("NewAutomaton: no deep states")
		}
		if s := NewSet(ms); !s.Match("run net.exe") || s.Match("run ping.exe") {
			t.Error("NewSet: the set does not match as its members do")
		}
	})
}
