package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMatchInputWalk checks that an input directory is walked as a rules
// directory is (internal/files): a linked subdirectory is followed and a
// link back up walked once, hidden entries (a .git directory) are
// skipped, and a FIFO named like an event file is reported and skipped,
// not opened (opening it waited for a writer forever). It runs the CLI as
// a subprocess with a deadline, as the FIFO used to hang it.
func TestMatchInputWalk(t *testing.T) {
	base := t.TempDir()
	logs := filepath.Join(base, "logs")
	write := func(name, text string) {
		t.Helper()
		path := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	write("logs/a.json", mofcomp)
	write("logs/.git/objects/x.json", mofcomp)
	write("logs/.hidden.json", mofcomp)
	write("elsewhere/b.ndjson", mofcomp)
	must(os.Symlink(filepath.Join(base, "elsewhere"), filepath.Join(logs, "linked")))
	must(os.Symlink("..", filepath.Join(base, "elsewhere", "up"))) // a loop through the link
	must(syscall.Mkfifo(filepath.Join(logs, "pipe.json"), 0o644))

	cmd := command("match", "-rules", sigmaRule, logs)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	must(cmd.Start())
	err := waitFor(t, cmd, 30*time.Second, "(a FIFO in the input directory was opened?)", &stderr)
	if code := exitCode(t, err); code != exitBad {
		t.Errorf("exit %d, want %d (the FIFO is an input that could not be read)", code, exitBad)
	}
	var inputs []string
	for _, l := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var h hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		inputs = append(inputs, strings.TrimPrefix(h.Input, base+"/"))
	}
	// Each directory's entries in lexical order, depth first; "up" leads
	// back to base, whose logs directory is being walked already and
	// whose elsewhere was walked through "linked": nothing twice.
	want := "logs/a.json logs/linked/b.ndjson"
	if got := strings.Join(inputs, " "); got != want {
		t.Errorf("hits from %s, want %s", got, want)
	}
	if want := "ruleforge: " + logs + "/pipe.json: not a regular file (a named pipe); skipped\n"; !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr %q, want it to start with %q", stderr.String(), want)
	}
}
