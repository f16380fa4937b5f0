package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Shared corpora, relative to this package.
const (
	evtxCorpus  = "../../../shared/corpus/evtx"
	sigmaHQDir  = "../../../shared/corpus/sigmahq/rules"
	sigmaHQProc = "../../../shared/corpus/sigmahq/rules/windows/process_creation"
)

// hitKeys returns each hit line of stdout as "file event rule_id", the
// file without its extension and relative to dir.
func hitKeys(t *testing.T, stdout, dir string) []string {
	t.Helper()
	var keys []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if l == "" {
			continue
		}
		var h hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if strings.HasSuffix(h.Input, ".evtx") && h.RecordID == nil {
			t.Errorf("hit without record_id: %s", l)
		}
		rel, err := filepath.Rel(dir, h.Input)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, fmt.Sprintf("%s %d %s", strings.TrimSuffix(rel, filepath.Ext(rel)), h.Event, h.RuleID))
	}
	slices.Sort(keys)
	return keys
}

// TestMatchEVTXAsJSON runs the SigmaHQ rules over the shared .evtx corpus
// as it is and as dumped to NDJSON by ruleforge dump: the hits, ordinals
// included, are the same (with the race detector: the process_creation
// rules over every fifth file).
func TestMatchEVTXAsJSON(t *testing.T) {
	if _, err := os.Stat(evtxCorpus); err != nil {
		t.Skipf("no .evtx corpus: %v", err)
	}
	rules := sigmaHQDir
	if raceEnabled {
		rules = sigmaHQProc
	}
	evtxDir, jsonDir := t.TempDir(), t.TempDir()
	n := 0
	err := filepath.WalkDir(evtxCorpus, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".evtx") {
			return err
		}
		if n++; raceEnabled && n%5 != 0 {
			return nil
		}
		name := fmt.Sprintf("f%03d", n) // the corpus's names hold spaces and brackets
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(evtxDir, name+".evtx"), data, 0o644); err != nil {
			return err
		}
		code, stdout, stderr := runCLI("", "dump", path)
		if code != exitOK {
			t.Errorf("dump %s: exit %d: %s", path, code, stderr)
		}
		return os.WriteFile(filepath.Join(jsonDir, name+".ndjson"), []byte(stdout), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	code, evtxOut, evtxErr := runCLI("", "match", "-rules", rules, evtxDir)
	if code != exitOK {
		t.Fatalf(".evtx: exit %d: %s", code, evtxErr)
	}
	code, jsonOut, jsonErr := runCLI("", "match", "-rules", rules, jsonDir)
	if code != exitOK {
		t.Fatalf("JSON: exit %d: %s", code, jsonErr)
	}
	got, want := hitKeys(t, evtxOut, evtxDir), hitKeys(t, jsonOut, jsonDir)
	if len(want) == 0 {
		t.Fatal("no hits on the JSON dumps")
	}
	if !slices.Equal(got, want) {
		t.Errorf("%d hits on .evtx, %d on the JSON dumps; first differences: %v", len(got), len(want), firstDiff(got, want))
	}
	summary := func(s string) string { return s[strings.LastIndex(s[:len(s)-1], "\n")+1:] }
	if summary(evtxErr) != summary(jsonErr) {
		t.Errorf("summaries differ: .evtx %q, JSON %q", summary(evtxErr), summary(jsonErr))
	}
	t.Logf("%d hits; %s", len(got), summary(evtxErr))
}

// firstDiff returns a few keys in one list and not the other.
func firstDiff(got, want []string) []string {
	var d []string
	for _, k := range got {
		if !slices.Contains(want, k) && len(d) < 5 {
			d = append(d, "+"+k)
		}
	}
	for _, k := range want {
		if !slices.Contains(got, k) && len(d) < 10 {
			d = append(d, "-"+k)
		}
	}
	return d
}

// fixtureEVTX is a hand-made .evtx file of three records (package evtx's
// TestFixtures): two Sysmon process accesses with GrantedAccess 0x1010
// and 0x1fffff, record ids 1 and 2, and a record without a template.
const fixtureEVTX = "../../evtx/testdata/fixture.evtx"

// accessRule matches the first of them.
const accessRule = `title: Fixture access
id: 11111111-2222-3333-4444-555555555555
logsource: {product: windows, category: process_access}
detection:
  sel: {GrantedAccess: '0x1010'}
  condition: sel
level: high
`

// evtxInputs writes the rule and a directory of inputs: the fixture under
// another name, gzipped, its dump gzipped, and a file a walk skips.
func evtxInputs(t *testing.T) (rule, dir string) {
	t.Helper()
	tmp := t.TempDir()
	rule = filepath.Join(tmp, "rule.yml")
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	_, dump, _ := runCLI("", "dump", fixtureEVTX)
	dir = filepath.Join(tmp, "logs")
	files := map[string][]byte{rule: []byte(accessRule), filepath.Join(dir, "a.evtx.gz"): gz(t, data),
		filepath.Join(dir, "sub", "b.json.gz"): gz(t, []byte(dump)), filepath.Join(dir, "notes.txt"): []byte("not events"),
		filepath.Join(tmp, "renamed.log"): data}
	for name, b := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rule, dir
}

// gz compresses b.
func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMatchEVTXInputs: an .evtx file is told by its signature (a .log
// name, gzipped), a directory is walked for event files, and hits carry
// the record's ordinal and EventRecordID.
func TestMatchEVTXInputs(t *testing.T) {
	rule, dir := evtxInputs(t)
	renamed := filepath.Join(filepath.Dir(dir), "renamed.log")
	code, stdout, stderr := runCLI("", "match", "-routing=false", "-rules", rule, renamed, dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var h hit
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %d %s %s", filepath.Base(h.Input), h.Event, optInt(h.RecordID), h.Title))
	}
	// The JSON dump's hit carries the record id too, read from
	// Event.System.EventRecordID as for any event.
	want := []string{"renamed.log 1 1 Fixture access", "a.evtx.gz 1 1 Fixture access", "b.json.gz 1 1 Fixture access"}
	if !slices.Equal(got, want) {
		t.Errorf("hits %q, want %q", got, want)
	}
	if !strings.HasSuffix(stderr, "ruleforge: 9 events, 3 matched, 3 hits, 0 bad events, 1 rules (0 bad), 6 unmatched\n") {
		t.Errorf("stderr %q", stderr)
	}
}

// TestMatchEVTXAlert: an alert quotes the record as evtx-JSON and names
// both of its ids. The fixture's first record is renumbered 7 in its
// header (checksums fixed), as logs saved from a filtered view are: its
// EventRecordID, 1, stays the hit's record_id and the alert's
// winlog.record_id; input.record_id is the header's 7.
func TestMatchEVTXAlert(t *testing.T) {
	rule, _ := evtxInputs(t)
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	const chunk = 4096
	le := binary.LittleEndian
	le.PutUint64(data[chunk+512+8:], 7) // the first record's header id (libyal, "Event record")
	free := le.Uint32(data[chunk+48:])
	le.PutUint32(data[chunk+52:], crc32.ChecksumIEEE(data[chunk+512:chunk+free]))
	le.PutUint32(data[chunk+124:], crc32.Update(crc32.ChecksumIEEE(data[chunk:chunk+120]), crc32.IEEETable, data[chunk+128:chunk+512]))
	renumbered := filepath.Join(t.TempDir(), "renumbered.evtx")
	if err := os.WriteFile(renumbered, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("", "match", "-routing=false", "-output", "alert", "-rules", rule, renumbered)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var a alert
	if err := json.Unmarshal([]byte(stdout), &a); err != nil {
		t.Fatal(err)
	}
	if a.Input.RecordID != 7 || a.Input.Event != 1 || a.Winlog == nil || a.Winlog.RecordID == nil || *a.Winlog.RecordID != 1 ||
		!strings.Contains(a.Event.Original, `"GrantedAccess":"0x1010"`) {
		t.Errorf("alert %s", stdout)
	}
	_, stdout, _ = runCLI("", "match", "-routing=false", "-rules", rule, renumbered)
	if !strings.Contains(stdout, `"event":1,`) || !strings.HasSuffix(stdout, `"record_id":1}`+"\n") {
		t.Errorf("hit %s", stdout)
	}
}

// TestMatchEVTXDamaged: a chunk with a bad checksum is one bad event,
// reported with the chunk, and the run exits 1.
func TestMatchEVTXDamaged(t *testing.T) {
	rule, _ := evtxInputs(t)
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	data[4096+1000] ^= 0xff // in the first record
	bad := filepath.Join(t.TempDir(), "bad.evtx")
	if err := os.WriteFile(bad, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("", "match", "-routing=false", "-rules", rule, bad)
	if code != exitBad || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, "bad.evtx: event 1: chunk 0 (offset 0x1000): records checksum") ||
		!strings.HasSuffix(stderr, "ruleforge: 1 events, 0 matched, 0 hits, 1 bad events, 1 rules (0 bad), 0 unmatched\n") {
		t.Errorf("stderr %q", stderr)
	}
	code, _, stderr = runCLI("", "dump", bad)
	if code != exitBad || !strings.Contains(stderr, "records checksum") || !strings.HasSuffix(stderr, "ruleforge: 0 records, 1 bad\n") {
		t.Errorf("dump: exit %d, stderr %q", code, stderr)
	}
}

// TestDump writes each record as one line of evtx-JSON, of files and of
// the .evtx files of directories; no file is a usage error, a file that
// is not .evtx an error.
func TestDump(t *testing.T) {
	code, stdout, stderr := runCLI("", "dump", fixtureEVTX)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != exitOK || len(lines) != 3 || stderr != "ruleforge: 3 records, 0 bad\n" {
		t.Fatalf("exit %d, %d lines, stderr %q", code, len(lines), stderr)
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("invalid JSON %q", l)
		}
	}
	if !strings.Contains(lines[1], `"GrantedAccess":"0x1fffff"`) || !strings.Contains(lines[2], `"EventID":"1149"`) {
		t.Errorf("lines %q", lines)
	}
	dir := t.TempDir()
	data, err := os.ReadFile(fixtureEVTX)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.evtx", "sub/b.EVTX", "c.json"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, stdout, stderr := runCLI("", "dump", dir); code != exitOK || strings.Count(stdout, "\n") != 6 {
		t.Errorf("directory: exit %d, %d lines, stderr %q; want the 6 records of its two .evtx files", code, strings.Count(stdout, "\n"), stderr)
	}
	if code, _, _ := runCLI("", "dump"); code != exitUsage {
		t.Errorf("no file: exit %d, want %d", code, exitUsage)
	}
	code, _, stderr = runCLI("", "dump", sample)
	if code != exitBad || !strings.Contains(stderr, "not an .evtx file") {
		t.Errorf("JSON input: exit %d, stderr %q", code, stderr)
	}
}
