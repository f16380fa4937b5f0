package ruleforge_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ruleforge/ruleforge"
)

// write writes text to dir/name, making the directories it needs.
func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadWalk checks how Load walks a rules tree (issue 21): a root
// given through a symbolic link and linked subdirectories are followed,
// a link back up is not walked twice, hidden directories (a git
// checkout's .github/workflows/*.yml) are skipped, and a file that is no
// regular file (a FIFO named like a rule, a link to /dev/zero) or a huge
// one is reported and skipped without reading it whole.
func TestLoadWalk(t *testing.T) {
	base := t.TempDir()
	tree := filepath.Join(base, "rules")
	write(t, tree, "a/whoami.yml", whoamiRule)
	write(t, tree, ".github/workflows/ci.yml", "on: push\njobs: {}\n")
	write(t, base, "elsewhere/other.eql", "process where process.name == \"x\"\n")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Symlink(filepath.Join(base, "elsewhere"), filepath.Join(tree, "linked")))
	must(os.Symlink("..", filepath.Join(tree, "a", "up"))) // a loop
	must(os.Symlink(tree, filepath.Join(base, "link")))
	for _, root := range []string{tree, filepath.Join(base, "link")} {
		rules, errs := ruleforge.Load(root)
		if len(errs) > 0 || len(rules) != 2 {
			t.Errorf("%s: %d rules, errors %v; want 2 and none", root, len(rules), errs)
		}
	}

	odd := t.TempDir()
	must(syscall.Mkfifo(filepath.Join(odd, "fifo.yml"), 0o644))
	must(os.Symlink("/dev/zero", filepath.Join(odd, "zero.yml")))
	big, err := os.Create(filepath.Join(odd, "sparse.yml"))
	must(err)
	must(big.Truncate(2 << 30)) // 2 GiB, no blocks
	big.Close()
	rules, errs := ruleforge.Load(odd, filepath.Join(odd, "fifo.yml"))
	var got []string
	for _, err := range errs {
		got = append(got, strings.TrimPrefix(err.Error(), odd+"/"))
	}
	want := []string{
		"fifo.yml: not a regular file (a named pipe); skipped",
		"sparse.yml: larger than 67108864 bytes; skipped",
		"zero.yml: not a regular file (a device); skipped",
		"fifo.yml: not a regular file (a named pipe); skipped",
	}
	if len(rules) != 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%d rules, errors:\n%s\nwant:\n%s", len(rules), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDuplicateIDs checks the warning for two rule files with one id.
func TestDuplicateIDs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.yml", whoamiRule)
	write(t, dir, "b.yml", whoamiRule)
	rules, errs := ruleforge.Load(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	dups := ruleforge.DuplicateIDs(rules)
	want := filepath.Join(dir, "b.yml") + ": warning: rule id 11111111-2222-3333-4444-555555555555 is also the id of " + filepath.Join(dir, "a.yml")
	if len(dups) != 1 || dups[0].Error() != want {
		t.Errorf("warnings %v, want %q", dups, want)
	}
}
