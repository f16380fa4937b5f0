package main

import (
	"encoding/json"
	"fmt"
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
		if strings.HasSuffix(h.Input, ".evtx") && h.RecordID == 0 {
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
