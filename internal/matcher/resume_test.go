package matcher

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// resumeIDs returns the distinct ids ScanJSONResume reports for data with
// r, ascending.
func resumeIDs(a *Automaton, data []byte, r *Resume) []int32 {
	x := &countSink{n: map[int32]int{}}
	a.ScanJSONResume(data, x, r)
	return slices.Sorted(maps.Keys(x.n))
}

// refIDs returns the distinct ids refScanJSON reports for data,
// ascending.
func refIDs(a *Automaton, data []byte) []int32 {
	x := &countSink{n: map[int32]int{}}
	refScanJSON(a, data, x)
	return slices.Sorted(maps.Keys(x.n))
}

// checkResume scans texts, valid JSON, in turn with one Resume and
// checks each scan's ids against refScanJSON's. It returns the Resume.
func checkResume(t *testing.T, a *Automaton, keys []string, texts ...string) *Resume {
	t.Helper()
	r := &Resume{}
	for i, s := range texts {
		if g, w := resumeIDs(a, []byte(s), r), refIDs(a, []byte(s)); !slices.Equal(g, w) {
			t.Fatalf("keys %q: text %d of %d, ScanJSONResume(%s) = %v, want %v (texts %q)", keys, i, len(texts), s, g, w, texts)
		}
	}
	return r
}

// resumeKeys are keys of the hard cases of a resumed scan: long and
// short, with backslashes, quotes and JSON syntax, one that the body of
// an escape spells, one that the Kelvin sign spells.
var resumeKeys = []string{"mimikatz", `\mimilib.dll`, `-filepath "\\`, `x import export"`, "sekurlsa::", `":"c`, "u0041", "kali", "atk/", "k", "-éé-"}

// TestScanJSONResume checks ScanJSONResume against refScanJSON on texts
// scanned in turn that share a start with the text before them, so that
// the scan resumes from a checkpoint: a base text with each key spelled
// plainly, in upper case, escaped, through the Kelvin sign and across
// string boundaries, followed by the base text changed at one position
// (every position, so the checkpoint and its margin fall everywhere: in
// an escape, a surrogate pair whose second half differs, a key, a
// "\\u" that is not an escape), then by the base text again. (The key
// "-éé-" is found in "-\ud83d\ude00-", a pair's four bytes past ASCII,
// and not where the pair's second half differs: "-\ud83d\u0e00-" has
// six; with a margin of 2 a scan would resume after the first half.)
func TestScanJSONResume(t *testing.T) {
	a := NewAutomaton(resumeKeys, seqIDs(len(resumeKeys)))
	head := `{"Event":{"System":{"Provider":"Microsoft-Windows-Sysmon","EventID":1,"Level":4},"EventData":{`
	bases := []string{
		head + `"Image":"C:\\users\\Mimikatz\\mimilib.dll","CommandLine":"mimi\u006Batz -FilePath \"\\\\x","Note":"\ud83d\ude00 \u212Aali","U":"\u0041 u0041"}}}`,
		head + `"A":"sekurlsa::logonpasswords","B":"mimi` + "\u212a" + `atz","C":"x import export\"","D":"c","E":"atk/"}}}`,
		head + `"Image":"D:\\users\\mimi_atz\\mimilib_dll","Cmd":"-FilePath \"\\x import expor","Note":"\ud83d\ude00 al_ atz \\u0040","Z":"` + strings.Repeat("ab", 40) + `"}}}`,
		head + `"Path":"C:\\users\\u0041\\ATK/","W":"-\ud83d\ude00-","X":"\ud83d\ude00\ud83d\ude00","Y":"\\\\\\\"","Z":"` + strings.Repeat("ab", 150) + `kali"}}}`,
	}
	changes := []string{"x", "0", "K", ".", `\\`, `\"`, `\u0041`, `\ud83d\ude01`, "é", "\u212a"}
	for _, base := range bases {
		if !json.Valid([]byte(base)) {
			t.Fatalf("invalid base %s", base)
		}
		if r := checkResume(t, a, resumeKeys, base, base, base); len(r.marks) == 0 || r.quiet != (len(refIDs(a, []byte(base))) == 0) {
			t.Fatalf("%s scanned thrice: checkpoints %v, quiet %v: want some, and quiet when it holds no key", base, r.marks, r.quiet)
		}
		for i := len(head); i < len(base); i++ {
			for _, c := range changes {
				for _, next := range []string{base[:i] + c + base[i+1:], base[:i] + c + base[i:]} {
					if json.Valid([]byte(next)) {
						checkResume(t, a, resumeKeys, base, next, base, next)
					}
				}
			}
		}
	}
}

// TestScanJSONResumeAutomata checks that a Resume used with one automaton
// and then another starts afresh: the second's scan of a text that shares
// its start with the first's must not take the first's checkpoints.
func TestScanJSONResumeAutomata(t *testing.T) {
	a := NewAutomaton([]string{"mimikatz"}, []int32{1})
	b := NewAutomaton([]string{"event", "mimi"}, []int32{2, 3})
	text := []byte(`{"Event":{"Data":"` + strings.Repeat("mimikatz ", 40) + `"}}`)
	var r Resume
	for _, c := range []struct {
		a    *Automaton
		want []int32
	}{{a, []int32{1}}, {a, []int32{1}}, {b, []int32{2, 3}}, {b, []int32{2, 3}}, {a, []int32{1}}} {
		if got := resumeIDs(c.a, text, &r); !slices.Equal(got, c.want) {
			t.Errorf("ScanJSONResume = %v, want %v", got, c.want)
		}
	}
}

// TestResumeBounded checks a Resume's limits: a text longer than
// maxResumeText is kept only to it, checkpoints stop at maxCheckpoints,
// and a scan that reports more than maxResumeFound keys before its
// checkpoint makes none; the keys reported stay refScanJSON's.
func TestResumeBounded(t *testing.T) {
	keys := []string{"k", "mimikatz"}
	a := NewAutomaton(keys, seqIDs(len(keys)))
	long := `["` + strings.Repeat("abcdefgh", 1000) + `mimikatz"]`
	many := `["` + strings.Repeat("k", 1000) + `","mimikatz"]`
	var texts []string
	for i := range 2 * maxCheckpoints {
		texts = append(texts, `["`+strings.Repeat("abcdefgh", 8*(i+1))+`","x`+strings.Repeat("k", i)+`"]`)
	}
	checkResume(t, a, keys, append(texts, long, long, many, many, long)...)
	var r Resume
	for _, s := range append(texts, long, long) {
		a.ScanJSONResume([]byte(s), &countSink{n: map[int32]int{}}, &r)
		if len(r.prev) > maxResumeText || len(r.marks) > maxCheckpoints || len(r.found) > maxResumeFound {
			t.Fatalf("after %.40s…: %d bytes kept, %d checkpoints, %d ids", s, len(r.prev), len(r.marks), len(r.found))
		}
	}
	if len(r.marks) == 0 {
		t.Errorf("no checkpoint after two long texts alike")
	}
}

// FuzzScanJSONResume checks ScanJSONResume against refScanJSON with the
// keys of the first string ('|'-separated, folded, empty ones dropped)
// over a sequence of texts that share starts: the JSON of the second
// string, of its first cut bytes followed by the third string, the
// second string itself when it is valid JSON, and the first again, all
// scanned with one Resume. Seeds: testdata/fuzz/FuzzScanJSONResume.
func FuzzScanJSONResume(f *testing.F) {
	f.Fuzz(func(t *testing.T, keyList, text, tail string, cut uint16) {
		keys := fuzzKeys(keyList)
		if len(keys) == 0 || len(text)+len(tail) > 8192 {
			return
		}
		a := NewAutomaton(keys, seqIDs(len(keys)))
		first, _ := json.Marshal([]string{text, text})
		n := int(cut) % (len(text) + 1)
		second, _ := json.Marshal([]string{text, text[:n] + tail})
		texts := []string{string(first), string(second)}
		if json.Valid([]byte(text)) {
			texts = append(texts, text, text)
		}
		checkResume(t, a, keys, append(texts, string(first))...)
	})
}

// TestScanJSONResumeSync checks where a resumed scan stops after a text
// that held no key (syncPoint), on texts that differ in one byte before
// an end they share, where that byte makes the shared bytes after it an
// escape's body in one text and plain units in the other: "\\u0041" and
// "x\u0041", "\\n" and "x\n". The key ends 12 bytes past the run of
// plain bytes syncPoint looks for would start: a scan that stopped after
// the key's length of plain bytes would miss it.
func TestScanJSONResumeSync(t *testing.T) {
	pad := strings.Repeat("ab", 40)
	for _, c := range []struct {
		keys       []string
		prev, next string
	}{
		{[]string{"0041cdefghij"}, `["` + pad + `","x\u0041cdefghijklmnopqrstuvwxyz` + pad + `"]`, `["` + pad + `","\\u0041cdefghijklmnopqrstuvwxyz` + pad + `"]`},
		{[]string{"ncdefghijklm"}, `["` + pad + `","x\ncdefghijklmnopqrstuvwxyz` + pad + `"]`, `["` + pad + `","\\ncdefghijklmnopqrstuvwxyz` + pad + `"]`},
		{[]string{"u0041cdefghi"}, `["` + pad + `","x\u0041cdefghijklmnopqrstuvwxyz` + pad + `"]`, `["` + pad + `","\\u0041cdefghijklmnopqrstuvwxyz` + pad + `"]`},
	} {
		a := NewAutomaton(c.keys, seqIDs(len(c.keys)))
		if len(refIDs(a, []byte(c.prev))) != 0 || len(refIDs(a, []byte(c.next))) == 0 {
			t.Fatalf("keys %q: want none in %s, some in %s", c.keys, c.prev, c.next)
		}
		checkResume(t, a, c.keys, c.prev, c.next, c.prev, c.prev, c.next)
	}
}
