package main

import (
	"fmt"
	"os"
	"path/filepath"
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
	// A keyword rule visits every value (Record.Each), collected from the
	// text with the repeated key's earlier value dropped: 465 MiB (the
	// values of 2.3 million fields); 880 MiB when it decoded the event.
	keyword := filepath.Join(t.TempDir(), "keyword.yml")
	rule := "title: k\nid: 5f0a3c2e-1111-4222-8333-944455556666\nlogsource:\n  product: windows\ndetection:\n  keywords: ['zzzneverzzz']\n  condition: keywords\n"
	if err := os.WriteFile(keyword, []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	mib = maxRSS(t, ev.String(), "match", "-workers", "1", "-rules", keyword)
	t.Logf("peak RSS with a keyword rule %d MiB", mib)
	if mib > 650 {
		t.Errorf("peak RSS with a keyword rule %d MiB, want at most 650", mib)
	}
}

// TestMatchArrayColumn0 reads a JSON array whose elements open lines at
// column 0, as many exporters write it (issue 21: each element but the
// first gave a bad "," event), and one broken off, reported once.
func TestMatchArrayColumn0(t *testing.T) {
	ev := strings.TrimSpace(mofcomp)
	in := "[\n" + ev + ",\n{\"benign\":1},\n" + ev + "\n]\n[\n" + ev + "\n" + ev + "\n"
	code, stdout, stderr := runCLI(in, "match", "-rules", sigmaRule)
	bad := "-: event 5 (line 6): JSON array broken off"
	want := "ruleforge: 6 events, 4 matched, 4 hits, 1 bad events, 1 rules (0 bad), 1 unmatched\n"
	if code != exitBad || !strings.HasPrefix(stderr, bad) || !strings.HasSuffix(stderr, want) || strings.Count(stdout, "\n") != 4 {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q… and …%q", code, stdout, stderr, bad, want)
	}
}

// TestMatchMaxEvent checks -max-event: a larger event is reported with
// the limit and skipped, the next one read; nonsense is a usage error.
func TestMatchMaxEvent(t *testing.T) {
	in := `{"pad":"` + strings.Repeat("x", 400) + `"}` + "\n" + mofcomp
	code, stdout, stderr := runCLI(in, "match", "-max-event", "300", "-rules", sigmaRule)
	bad := "-: event 1 (line 1): larger than 300 bytes; skipped\n"
	if code != exitBad || !strings.HasPrefix(stderr, bad) || strings.Count(stdout, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q; want one hit and %q", code, stdout, stderr, bad)
	}
	code, _, stderr = runCLI(in, "match", "-max-event", "0", "-rules", sigmaRule)
	if want := "ruleforge match: -max-event 0: want a positive number of bytes\n"; code != exitUsage || stderr != want {
		t.Errorf("-max-event 0: exit %d, stderr %q; want %d, %q", code, stderr, exitUsage, want)
	}
}
