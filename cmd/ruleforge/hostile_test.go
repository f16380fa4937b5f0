package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"
)

// TestMain runs the command itself, not the tests, when the environment
// says so: the tests of signals, pipes and devices run the CLI as a real
// subprocess (this test binary).
func TestMain(m *testing.M) {
	if os.Getenv("RULEFORGE_TEST_MAIN") == "1" {
		if path := os.Getenv("RULEFORGE_TEST_STATUS"); path != "" {
			// Run as main does, then leave /proc/self/status (VmHWM: the
			// peak RSS of this program, not of the test that started it).
			catchSignals = true
			code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
			if status, err := os.ReadFile("/proc/self/status"); err == nil {
				os.WriteFile(path, status, 0o644)
			}
			os.Exit(code)
		}
		main()
		return
	}
	os.Exit(m.Run())
}

// command returns the CLI as a subprocess with args.
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "RULEFORGE_TEST_MAIN=1")
	return cmd
}

// mofcomp is an event the Sigma seed rule matches.
const mofcomp = `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe","CommandLine":"mofcomp x.mof"}` + "\n"

// exitCode returns a finished command's exit status.
func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Fatal(err)
	}
	return ee.ExitCode()
}

// TestMatchWriteError writes the hits to /dev/full: the run must fail
// with status 1 and say so, not claim its hits were written (issue 21).
func TestMatchWriteError(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	cmd := command("match", "-rules", sigmaRule)
	cmd.Stdin = strings.NewReader(strings.Repeat(mofcomp, 2000))
	cmd.Stdout = full
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if code := exitCode(t, cmd.Run()); code != exitBad {
		t.Errorf("exit %d, want %d; stderr %q", code, exitBad, stderr.String())
	}
	if !strings.Contains(stderr.String(), "ruleforge: writing output: write /dev/stdout: no space left on device\n") {
		t.Errorf("stderr %q", stderr.String())
	}
}

// TestMatchLiveAndSignal feeds events through a pipe that stays open, as
// "tail -f log | ruleforge match" does: each hit must come out while the
// input pauses, not at the end; SIGINT then stops the run with the
// summary of what was read and status 130, SIGTERM with 143 (issue 21).
func TestMatchLiveAndSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		cmd, in, lines, stderr := startLive(t, "match", "-rules", sigmaRule)
		for i := 1; i <= 3; i++ {
			io.WriteString(in, `{"benign":1}`+"\n"+mofcomp)
			select {
			case l := <-lines:
				if want := fmt.Sprintf(`"event":%d,`, 2*i); !strings.Contains(l, want) {
					t.Fatalf("hit %q, want %s", l, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%v: no hit within 10 s of event %d while the input stays open", sig, 2*i)
			}
		}
		io.WriteString(in, `{"half":`) // an event cut by the signal: not read
		time.Sleep(200 * time.Millisecond)
		cmd.Process.Signal(sig)
		for range lines {
		}
		code := exitCode(t, cmd.Wait())
		in.Close()
		if code != 128+int(sig) {
			t.Errorf("%v: exit %d, want %d", sig, code, 128+int(sig))
		}
		if want := "ruleforge: 6 events, 3 matched, 3 hits, 0 bad events, 1 rules (0 bad), 3 unmatched\n"; !strings.HasSuffix(stderr.String(), want) {
			t.Errorf("%v: stderr %q, want %q", sig, stderr.String(), want)
		}
	}
}

// TestMatchCommandLine checks what issue 21 found wrong with the command
// line: flags after file names, help, nonsense -workers, no rules.
func TestMatchCommandLine(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"match", "-rules", sigmaRule, sample, "-workers", "2", "-count"}, exitOK, "ruleforge: 7 events"},
		{[]string{"match", "-rules", sigmaRule, "--", sample}, exitOK, "ruleforge: 7 events"},
		{[]string{"match", "-h"}, exitOK, "-workers int"},
		{[]string{"check", "-h"}, exitOK, "-routing"},
		{[]string{"match", "-workers", "-1", "-rules", sigmaRule}, exitUsage, "ruleforge match: -workers -1: want 0 (one per CPU) to 256\n"},
		{[]string{"match", "-workers", "1000000", "-rules", sigmaRule}, exitUsage, "ruleforge match: -workers 1000000: want 0 (one per CPU) to 256\n"},
		{[]string{"match", "-rules", empty}, exitUsage, "ruleforge match: no rules to run in " + empty + "\n"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI("", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.err)
		}
	}
	code, stdout, _ := runCLI("", "match", "-rules", sigmaRule, sample, "-count")
	if code != exitOK || !strings.Contains(stdout, `"events":`) {
		t.Errorf("-count after the file: exit %d, stdout %q", code, stdout)
	}
}

// TestMatchIndentedNDJSON reads NDJSON whose lines are indented: one
// truncated event must not swallow the events after it (issue 21).
func TestMatchIndentedNDJSON(t *testing.T) {
	for _, indent := range []string{"", " ", "\t", "    "} {
		var in strings.Builder
		in.WriteString(indent + `{"truncated":` + "\n")
		for range 1000 {
			in.WriteString(indent + mofcomp)
		}
		code, stdout, stderr := runCLI(in.String(), "match", "-rules", sigmaRule)
		want := "ruleforge: 1001 events, 1000 matched, 1000 hits, 1 bad events, 1 rules (0 bad), 0 unmatched\n"
		if code != exitBad || !strings.HasSuffix(stderr, want) || strings.Count(stdout, "\n") != 1000 {
			t.Errorf("indent %q: exit %d, %d hits, stderr ends %q; want %q", indent, code, strings.Count(stdout, "\n"), stderr[max(0, len(stderr)-200):], want)
		}
	}
}

// TestQuotedNames checks that a file name with a newline is printed
// quoted: it cannot forge a line of the report (issue 21).
func TestQuotedNames(t *testing.T) {
	name := filepath.Join(t.TempDir(), "x\nruleforge: 0 events.ndjson")
	if err := os.WriteFile(name, []byte("not json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runCLI("", "match", "-rules", sigmaRule, name)
	if !strings.HasPrefix(stderr, quote(name)+": event 1 (line 1):") || strings.Count(stderr, "\n") != 2 {
		t.Errorf("stderr %q", stderr)
	}
	// An input that cannot be opened: the os error's own copy of the name
	// must not reach stderr unquoted either (it did, forging a line).
	missing := filepath.Join(t.TempDir(), "y\nruleforge: forged")
	_, _, stderr = runCLI("", "match", "-rules", sigmaRule, missing)
	if want := "ruleforge: " + quote(missing) + ": open: no such file or directory\n"; !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 2 {
		t.Errorf("stderr %q, want it to start with %q", stderr, want)
	}
}

// maxRSS runs the CLI with stdin and returns its peak resident memory in
// MiB: VmHWM of /proc/self/status, which the subprocess leaves in a file
// (ru_maxrss would count the pages of the test process that started it,
// shared until exec).
func maxRSS(t *testing.T, stdin string, args ...string) int64 {
	t.Helper()
	path := filepath.Join(t.TempDir(), "status")
	cmd := command(args...)
	cmd.Env = append(cmd.Env, "RULEFORGE_TEST_STATUS="+path)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil && exitCode(t, err) > exitBad {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	status, err := os.ReadFile(path)
	if err != nil {
		t.Skip("no /proc/self/status here")
	}
	for _, line := range strings.Split(string(status), "\n") {
		if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
			if err != nil {
				t.Fatal(line, err)
			}
			return n >> 10
		}
	}
	t.Skip("no VmHWM in /proc/self/status")
	return 0
}

// TestMatchHugeCommandLineMemory matches a Sysmon event whose CommandLine
// is 20 MB of "a a a …" (issue 21: 680-900 MB, the ECS view split it into
// ten million arguments). The bound is generous (the event itself is
// 20 MB and is held as read, as decoded and as a record): 300 MiB.
func TestMatchHugeCommandLineMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20 MB event")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory is no measure")
	}
	rule := filepath.Join(t.TempDir(), "args.eql")
	if err := os.WriteFile(rule, []byte(`process where process.args : "zzz" and process.args_count > 3`), 0o644); err != nil {
		t.Fatal(err)
	}
	ev := `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\x\\a.exe","CommandLine":"` + strings.Repeat("a ", 10_000_000) + `"}` + "\n"
	mib := maxRSS(t, ev, "match", "-workers", "1", "-rules", rule)
	t.Logf("peak RSS %d MiB", mib)
	if mib > 300 {
		t.Errorf("peak RSS %d MiB, want at most 300", mib)
	}
}

// TestMatchEncodings reads the same events gzip-compressed, in UTF-16
// with a byte order mark either way, and in UTF-16 without one, which is
// reported as such (issue 21: gzip gave nonsense bad events and UTF-16
// made every line one).
func TestMatchEncodings(t *testing.T) {
	plain := `{"x":"é😀"}` + "\n" + mofcomp + mofcomp
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(plain))
	zw.Close()
	wide := func(bom []byte, order binary.AppendByteOrder) string {
		b := bom
		for _, u := range utf16.Encode([]rune(plain)) {
			b = order.AppendUint16(b, u)
		}
		return string(b)
	}
	want := "ruleforge: 3 events, 2 matched, 2 hits, 0 bad events, 1 rules (0 bad), 1 unmatched\n"
	for _, tt := range []struct {
		name, in string
		code     int
		stderr   string
	}{
		{"gzip", gz.String(), exitOK, want},
		{"UTF-16LE", wide([]byte{0xFF, 0xFE}, binary.LittleEndian), exitOK, want},
		{"UTF-16BE", wide([]byte{0xFE, 0xFF}, binary.BigEndian), exitOK, want},
		{"UTF-16LE without BOM", wide(nil, binary.LittleEndian), exitBad,
			"ruleforge: -: input is UTF-16 without a byte order mark (convert it to UTF-8, e.g. iconv -f UTF-16LE -t UTF-8)\n" +
				"ruleforge: 0 events, 0 matched, 0 hits, 0 bad events, 1 rules (0 bad), 0 unmatched\n"},
	} {
		code, stdout, stderr := runCLI(tt.in, "match", "-rules", sigmaRule)
		if code != tt.code || !strings.HasSuffix(stderr, tt.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tt.name, code, stderr, tt.code, tt.stderr)
		}
		if tt.code == exitOK && strings.Count(stdout, "\n") != 2 {
			t.Errorf("%s: stdout %q", tt.name, stdout)
		}
	}
}

// TestMatchJSONArray reads events written as one JSON array, pretty-printed
// as exporters write it: each element is an event, at its own line
// (issue 21: the array was one bad event).
func TestMatchJSONArray(t *testing.T) {
	in := "[\n  " + strings.TrimSpace(mofcomp) + ",\n  {\"benign\": [1, \"]\"]},\n  7,\n  " + strings.TrimSpace(mofcomp) + "\n]\n[]\n"
	code, stdout, stderr := runCLI(in, "match", "-rules", sigmaRule)
	bad := "-: event 3 (line 4): event is a JSON number, not an object; skipped\n"
	want := "ruleforge: 4 events, 2 matched, 2 hits, 1 bad events, 1 rules (0 bad), 1 unmatched\n"
	if code != exitBad || !strings.HasPrefix(stderr, bad) || !strings.HasSuffix(stderr, want) || !strings.Contains(stdout, `"event":1,`) || !strings.Contains(stdout, `"event":4,`) {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q and %q", code, stdout, stderr, bad, want)
	}
}
