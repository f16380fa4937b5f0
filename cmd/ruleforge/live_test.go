package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startLive starts the CLI with args as a subprocess whose stdin is the
// pipe in, each of whose output lines comes on lines (closed at the end
// of its output), and whose stderr collects in stderr.
func startLive(t *testing.T, args ...string) (cmd *exec.Cmd, in io.WriteCloser, lines <-chan string, stderr *strings.Builder) {
	t.Helper()
	cmd = command(args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	return cmd, in, ch, stderr
}

// waitFor waits for the started cmd to end, at most d, and returns what
// cmd.Wait does; past d it kills cmd and fails the test, saying that cmd
// did not end when, with its stderr.
func waitFor(t *testing.T, cmd *exec.Cmd, d time.Duration, when string, stderr *strings.Builder) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		t.Fatalf("no exit within %v %s; stderr %q", d, when, stderr.String())
		return nil
	}
}

// TestMatchSignalSilentInput sends SIGINT to a run whose input pipe stays
// open and silent: the first signal must end it with the summary and
// status 130. It used to wait, deaf to the signal, in the read of the
// first bytes that tell the input's format (gzip, .evtx, UTF-16), which
// comes before the pipeline's own stoppable reading.
func TestMatchSignalSilentInput(t *testing.T) {
	cmd, in, _, stderr := startLive(t, "match", "-rules", sigmaRule)
	defer in.Close()
	time.Sleep(time.Second) // the process must have started (under -race, on a loaded machine)
	cmd.Process.Signal(syscall.SIGINT)
	err := waitFor(t, cmd, 10*time.Second, "after SIGINT to a run waiting for its first input", stderr)
	if code := exitCode(t, err); code != 130 {
		t.Errorf("exit %d, want 130", code)
	}
	if want := "ruleforge: 0 events, 0 matched, 0 hits, 0 bad events, 1 rules (0 bad), 0 unmatched\n"; !strings.HasSuffix(stderr.String(), want) {
		t.Errorf("stderr %q, want it to end with %q", stderr.String(), want)
	}
}

// TestMatchShortFirstEvent writes a live stream's first event, "{}" and
// a newline (3 bytes), and nothing more for a while: its hit must come
// out during the pause. Telling the input's format used to wait for 8
// bytes (an .evtx signature's length), holding the event back until more
// input came.
func TestMatchShortFirstEvent(t *testing.T) {
	rule := filepath.Join(t.TempDir(), "any.eql")
	if err := os.WriteFile(rule, []byte("any where true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, in, lines, _ := startLive(t, "match", "-rules", rule)
	defer cmd.Wait()
	defer in.Close()
	io.WriteString(in, "{}\n")
	select {
	case l := <-lines:
		if !strings.Contains(l, `"event":1,`) {
			t.Errorf("hit %q, want event 1's", l)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("no hit within 10 s of a 3-byte first event while the input stays open")
	}
	in.Close()
	for range lines {
	}
}

// TestCheckSignal sends SIGINT to check while it compiles the SigmaHQ
// rules: the signal must end it at once, as usual. Catching the signal
// for every command (for match's summary) made check ignore it and
// exit 0 after compiling everything.
func TestCheckSignal(t *testing.T) {
	if _, err := os.Stat(sigmaHQDir); err != nil {
		t.Skip("no SigmaHQ corpus:", err)
	}
	cmd := command("check", sigmaHQDir, sigmaHQDir, sigmaHQDir)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	err := waitFor(t, cmd, 10*time.Second, "after SIGINT to check", &stderr)
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Fatalf("check ended with %v after SIGINT, want it killed by the signal", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("check ended with %v after SIGINT, want it killed by the signal", err)
	}
}
