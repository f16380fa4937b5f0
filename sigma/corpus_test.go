package sigma_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// The shared rule corpora, when present: SigmaHQ's rules folder, and the
// SigmaHQ rules that come with recorded events (one folder per rule).
const (
	corpusRoot    = "../../shared/corpus"
	corpusDir     = corpusRoot + "/sigmahq/rules"
	regressionDir = corpusRoot + "/sigma-regression"
)

// corpusDirs are the three rule folders of the SigmaHQ corpus: 3,754 rules.
var corpusDirs = []string{corpusDir, corpusRoot + "/sigmahq/rules-emerging-threats", corpusRoot + "/sigmahq/rules-threat-hunting"}

// allowedFailures reads testdata/allowed_failures.txt: corpus-relative
// paths and the reason each may fail.
func allowedFailures(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "allowed_failures.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		path, reason, _ := strings.Cut(line, " ")
		if strings.TrimSpace(reason) == "" {
			t.Fatalf("allowed_failures.txt: %s has no reason", path)
		}
		out[path] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// corpusKey is a path's key in allowed_failures.txt.
func corpusKey(t *testing.T, path string) string {
	rel, err := filepath.Rel(corpusRoot, path)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// TestCorpus loads every rule of the SigmaHQ corpus's three folders and
// compiles them into one ruleset. A rule that fails must be listed in
// allowed_failures.txt, and a listed rule must fail; every error must be an
// *ir.Error at a position in the rule's file. The only warnings are the
// two rules whose placeholder %known_cdcs% has no values.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("no rule corpus at %s: %v", corpusDir, err)
	}
	allowed := allowedFailures(t)
	var rules []*ir.Rule
	var warnings []string
	warn := sigma.Warnings(func(err error) {
		checkError(t, errPath(err), err)
		warnings = append(warnings, err.Error())
	})
	failed := map[string]bool{}
	walk := func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yml") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		key := corpusKey(t, path)
		r, err := sigma.ParseRule(path, src, warn)
		if err == nil {
			_, err = compile.Compile([]*ir.Rule{r})
		}
		if err == nil {
			rules = append(rules, r)
			return nil
		}
		failed[key] = true
		checkError(t, path, err)
		if _, ok := allowed[key]; !ok {
			t.Errorf("%v", err)
		}
		return nil
	}
	for _, dir := range corpusDirs {
		if err := filepath.WalkDir(dir, walk); err != nil {
			t.Fatal(err)
		}
	}
	if len(warnings) != 2 {
		t.Errorf("%d warnings, want 2 (%%known_cdcs%%): %q", len(warnings), warnings)
	}
	for _, w := range warnings {
		if !strings.HasSuffix(w, ": no values for placeholder %known_cdcs%: it matches nothing") {
			t.Errorf("warning %q", w)
		}
	}
	for key := range allowed {
		if strings.HasPrefix(key, "sigmahq/") && !failed[key] {
			t.Errorf("allowed_failures.txt lists %s, which loads", key)
		}
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatalf("compiling the corpus as one ruleset: %v", err)
	}
	t.Logf("%d of %d rules compiled (%d allowed to fail)", rs.Len(), rs.Len()+len(failed), len(failed))
}

// errPath returns the file an *ir.Error names.
func errPath(err error) string {
	var e *ir.Error
	if errors.As(err, &e) {
		return e.Pos.File
	}
	return ""
}

// checkError checks that err is an *ir.Error with a position in file.
func checkError(t *testing.T, file string, err error) {
	t.Helper()
	var e *ir.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %T is not an *ir.Error: %v", file, err, err)
		return
	}
	if !e.Pos.IsValid() || e.Pos.File != file {
		t.Errorf("%s: error without a position: %v", file, err)
	}
}

// regressionCase is one folder of the regression corpus.
type regressionCase struct {
	name   string
	rule   *ir.Rule
	events []match.Event
	min    int
}

// readEvents decodes a stream of JSON objects.
func readEvents(t *testing.T, path string) []match.Event {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []match.Event
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, match.NewDoc(m))
	}
}

// loadRegression reads every case of the regression corpus with the given
// options; cases whose rule does not load are reported to failed.
func loadRegression(t *testing.T, opts []sigma.Option, failed func(dir string, err error)) []regressionCase {
	t.Helper()
	if _, err := os.Stat(regressionDir); err != nil {
		t.Skipf("no regression corpus at %s: %v", regressionDir, err)
	}
	dirs, err := os.ReadDir(regressionDir)
	if err != nil {
		t.Fatal(err)
	}
	var cases []regressionCase
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(regressionDir, d.Name())
		src, err := os.ReadFile(filepath.Join(dir, "rule.yml"))
		if err != nil {
			t.Fatal(err)
		}
		var expect struct {
			MinMatches int `json:"min_matches"`
		}
		data, err := os.ReadFile(filepath.Join(dir, "expect.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &expect); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		r, err := sigma.ParseRule(filepath.Join(dir, "rule.yml"), src, opts...)
		if err != nil {
			failed(dir, err)
			continue
		}
		cases = append(cases, regressionCase{d.Name(), r, readEvents(t, filepath.Join(dir, "events.json")), expect.MinMatches})
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	return cases
}

// TestRegression checks that each rule of the regression corpus, compiled
// with log source routing, matches at least min_matches of its recorded
// events, both on its own and in one ruleset with all the others.
func TestRegression(t *testing.T) {
	allowed := allowedFailures(t)
	failed := map[string]bool{}
	cases := loadRegression(t, nil, func(dir string, err error) {
		key := corpusKey(t, dir)
		failed[key] = true
		if _, ok := allowed[key]; !ok {
			t.Errorf("%v", err)
		}
	})
	for key := range allowed {
		if strings.HasPrefix(key, "sigma-regression/") && !failed[key] {
			t.Errorf("allowed_failures.txt lists %s, which loads", key)
		}
	}
	rules := make([]*ir.Rule, len(cases))
	for i, c := range cases {
		rules[i] = c.rule
	}
	all, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for i, c := range cases {
		rs, err := compile.Compile([]*ir.Rule{c.rule})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		n, nAll := 0, 0
		for _, ev := range c.events {
			if len(rs.Match(ev, nil)) > 0 {
				n++
			}
			for _, j := range all.Match(ev, nil) {
				if j == i {
					nAll++
				}
			}
		}
		if n != nAll {
			t.Errorf("%s: %d matches alone, %d in the full ruleset", c.name, n, nAll)
		}
		if n < c.min {
			t.Errorf("%s: %d of %d events match, want at least %d", c.name, n, len(c.events), c.min)
			continue
		}
		passed++
	}
	t.Logf("%d of %d regression cases pass (%d allowed to fail)", passed, len(cases)+len(failed), len(failed))
}
