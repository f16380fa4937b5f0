package files

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWalk checks what Walk gives for a tree with every kind of entry: a
// linked directory followed, a link back up and a second link to one
// directory walked once, hidden entries skipped, a FIFO and a link to a
// device reported and skipped, a dangling link reported, names take
// refuses left out, and the order: each directory's entries in lexical
// order, depth first.
func TestWalk(t *testing.T) {
	base := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"root/b.json", "root/a/z.json", "root/a.json", "root/notes.txt",
		"root/.git/x.json", "root/.hidden.json", "other/c.json"} {
		path := filepath.Join(base, name)
		must(os.MkdirAll(filepath.Dir(path), 0o755))
		must(os.WriteFile(path, nil, 0o644))
	}
	root := filepath.Join(base, "root")
	must(os.Symlink(filepath.Join(base, "other"), filepath.Join(root, "l1")))
	must(os.Symlink(filepath.Join(base, "other"), filepath.Join(root, "l2")))
	must(os.Symlink("..", filepath.Join(root, "a", "up")))
	must(os.Symlink("missing.json", filepath.Join(root, "dangling.json")))
	must(os.Symlink("/dev/null", filepath.Join(root, "null.json")))
	must(syscall.Mkfifo(filepath.Join(root, "pipe.json"), 0o644))

	var got []string
	take := func(path string) bool { return strings.HasSuffix(path, ".json") }
	rel := func(s string) string { return strings.ReplaceAll(s, base+"/", "") }
	want := []string{
		"root/a/z.json",
		"root/a.json",
		"root/b.json",
		"error: root/dangling.json: stat: no such file or directory",
		"root/l1/c.json",
		"error: root/null.json: not a regular file (a device); skipped",
		"error: root/pipe.json: not a regular file (a named pipe); skipped",
	}
	// The root as given, or not clean: the entries' paths are clean, as
	// filepath.Join makes them (join's dir is the root cleaned once).
	for _, dir := range []string{root, root + "/", root + "//", filepath.Join(root, "a") + "/..", root + "/."} {
		got = got[:0]
		Walk(dir, take, func(path string) { got = append(got, rel(path)) }, func(err error) { got = append(got, "error: "+rel(err.Error())) })
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("walk of %q:\n%s\nwant:\n%s", rel(dir), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}

	got = got[:0]
	Walk(filepath.Join(base, "none"), take, func(path string) { got = append(got, path) }, func(err error) { got = append(got, rel(err.Error())) })
	if want := "none: stat: no such file or directory"; len(got) != 1 || got[0] != want {
		t.Errorf("walk of a missing directory: %q, want %q", got, want)
	}
}

// TestJoin checks that join, given the walk's root cleaned once, gives
// what filepath.Join gives for each entry of it, whatever the root's
// form.
func TestJoin(t *testing.T) {
	for _, dir := range []string{".", "./", "a/..", "/", "//", "..", "../..", "a/../..", "a/b", "a//b/", "../a",
		"/a/b/", "a/./b", "./a", "a/", "/.."} {
		for _, name := range []string{"x", "x.json", "..x", "x y", "\u00e9t\u00e9.evtx", "x\\y"} {
			if got, want := join(filepath.Clean(dir), name), filepath.Join(dir, name); got != want {
				t.Errorf("join(Clean(%q), %q) = %q, filepath.Join gives %q", dir, name, got, want)
			}
		}
	}
}
