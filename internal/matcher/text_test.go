package matcher

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScanText: ScanText of a text reports the keys Scan of the folded
// text reports, no more, no fewer; and ScanJSON of the text's JSON
// reports them too, and no other but keys holding a quote (the JSON's
// own, around the text); and ScanText of the text between quotes
// reports exactly what ScanJSON does. Keys with backslashes, quotes, control
// characters and code points past ASCII are the cases that tell a text
// from its JSON; texts past minSplit are scanned in two.
func FuzzScanText(f *testing.F) {
	path := `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe -nop -w hidden -enc "SQBFAFgA" `
	f.Add(`\system32\|\\|"-enc|exe"|"c:|\u0041|hidden`, path)
	f.Add("\\x|\"q\"|\x01|\t|\u212a|é", "say \"q\" \\x \x01\t K É "+strings.Repeat(path, 4))
	f.Add(`\|a\b|\n|u0001`, "a\\b\\n\\u0001\n\x01")
	f.Add("k|s|\ufffd", "\u212a\u017f\ufffd"+strings.Repeat(`\\"x`, 100))
	f.Fuzz(func(t *testing.T, keyList, text string) {
		var keys []string
		for _, k := range strings.Split(keyList, "|") {
			if k = Fold(k); k != "" && len(k) <= 16 && len(keys) < 64 {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 || len(text) > 4096 || !utf8.ValidString(text) {
			return
		}
		a := NewAutomaton(keys, seqIDs(len(keys)))
		want, got, js := newFireScratch(len(keys)), newFireScratch(len(keys)), newFireScratch(len(keys))
		a.Scan(Fold(text), want)
		a.ScanText([]byte(text), got)
		quoted, err := json.Marshal(text)
		if err != nil {
			t.Fatal(err)
		}
		a.ScanJSON(quoted, js)
		q := newFireScratch(len(keys))
		a.ScanText([]byte(`"`+text+`"`), q) // as package normalize writes a string for the keyword scan
		for id, k := range keys {
			w, g, j := want.fired[id] == want.epoch, got.fired[id] == got.epoch, js.fired[id] == js.epoch
			if g != w {
				t.Errorf("ScanText(%q): key %q found %v, Scan of the folded text %v", text, k, g, w)
			}
			if g && !j || j && !g && !strings.Contains(k, `"`) {
				t.Errorf("ScanText(%q): key %q found %v, ScanJSON(%s) %v", text, k, g, quoted, j)
			}
			if qf := q.fired[id] == q.epoch; qf != j {
				t.Errorf("ScanText of %q quoted: key %q found %v, ScanJSON(%s) %v", text, k, qf, quoted, j)
			}
		}
	})
}
