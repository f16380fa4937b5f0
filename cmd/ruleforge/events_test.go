package main

import (
	"fmt"
	"strings"
	"testing"
)

// TestMatchRepeatedKeyMemory matches a 60 MB Windows event of 2.3
// million event data fields whose Image key is repeated (issue 21: a
// repeated key sent the event to a full decode into maps, 880 MiB here;
// with the key handled in the pass over the text, 270 MiB, as without the
// repetition). The bound is generous: the event is held as read, in the
// stream reader's buffer (grown by doubling) and in its batch, 450 MiB.
// The last Image wins, as encoding/json decides: the rule matches.
func TestMatchRepeatedKeyMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a 60 MB event")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory is no measure")
	}
	var ev strings.Builder
	ev.WriteString(`{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\x\\a.exe","CommandLine":"mofcomp.exe %temp%\\x.mof",`)
	ev.WriteString(`"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe"`)
	for i := range 2_300_000 {
		fmt.Fprintf(&ev, `,"k%d":"value %d"`, i, i)
	}
	ev.WriteString("}}}\n")
	mib := maxRSS(t, ev.String(), "match", "-workers", "1", "-rules", sigmaRule)
	t.Logf("peak RSS %d MiB", mib)
	if mib > 450 {
		t.Errorf("peak RSS %d MiB, want at most 450", mib)
	}
	code, stdout, stderr := runCLI(ev.String(), "match", "-workers", "1", "-rules", sigmaRule)
	if code != exitOK || strings.Count(stdout, "\n") != 1 {
		t.Errorf("exit %d, stdout %.200q, stderr %q; want one hit", code, stdout, stderr)
	}
}
