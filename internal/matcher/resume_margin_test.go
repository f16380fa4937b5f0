package matcher

import (
	"fmt"
	"strings"
	"testing"
)

// TestScanJSONResumeNearCheckpoint checks that a scan does not resume
// from a checkpoint when the text differs from the last one within
// resumeMargin bytes past it, where a unit before the checkpoint reads:
// a high surrogate's escape, read with the six bytes after it, is a
// pair of four bytes past ASCII with "\ude00" there and a lone U+FFFD of
// three with "\u0e00". The text before last differs from the last one
// at every distance after the pair, so that a checkpoint falls at every
// place around it (one falls right after the high surrogate); then the
// last text changes the pair's second half. TestScanJSONResume changes
// texts only where the checkpoint lies resumeMargin bytes before.
func TestScanJSONResumeNearCheckpoint(t *testing.T) {
	keys := []string{"-éé-", "-é\ufffd"}
	a := NewAutomaton(keys, seqIDs(len(keys)))
	pad, tail := strings.Repeat("ab", 50), strings.Repeat("cd", 20)
	text := func(pair, tail string) string { return `["` + pad + `-\ud83d` + pair + `-` + tail + `"]` }
	for _, pairs := range [][2]string{{`\u0e00`, `\ude00`}, {`\ude00`, `\u0e00`}} {
		for d := range len(tail) {
			other := tail[:d] + "x" + tail[d+1:]
			checkResume(t, a, keys, text(pairs[0], tail), text(pairs[0], other), text(pairs[1], other), text(pairs[0], other))
		}
	}
}

// TestResumeManyKeys checks a scan whose start reports more than
// maxResumeFound distinct keys: its checkpoint would not know them all,
// so the next text, which shares that start, must be scanned from
// before them.
func TestResumeManyKeys(t *testing.T) {
	var keys []string
	for i := range maxResumeFound + 10 {
		keys = append(keys, fmt.Sprintf("key%03d", i))
	}
	a := NewAutomaton(keys, seqIDs(len(keys)))
	start := `["` + strings.Join(keys, " ") + strings.Repeat("ab", 100)
	checkResume(t, a, keys, start+`x"]`, start+`y"]`, start+`z"]`, start+`zz"]`)
}
