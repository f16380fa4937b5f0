package pipeline

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
)

// TestReadersGoWithRuleset: the pool of Readers that runs of a ruleset
// share keeps neither the ruleset nor its entry once the ruleset is no
// longer used (an embedder calling Engine.Stream after each reload of its
// rules kept every ruleset it ever had), while runs of a ruleset in use
// get their Readers back.
func TestReadersGoWithRuleset(t *testing.T) {
	rules := mustLoad(t, filepath.Join("..", "..", "testdata", "proc_creation_win_mofcomp_execution.yml"))
	paths := []*match.Path{match.NewPath("host.name")}
	const event = `{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe"}` + "\n"
	entries := func(wp weak.Pointer[match.Ruleset]) int {
		n := 0
		readers.Range(func(k, _ any) bool {
			if k.(readerKey).rs == wp {
				n++
			}
			return true
		})
		return n
	}
	wp := func() weak.Pointer[match.Ruleset] {
		rs := compile.MustCompile(rules)
		for _, workers := range []int{1, 2} {
			if _, err := Run(Config{Ruleset: rs, Workers: workers, Paths: paths}, strings.NewReader(event), func(*Result) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		wp := weak.Make(rs)
		if n := entries(wp); n != 1 {
			t.Fatalf("%d pools for one ruleset, format and paths, want 1", n)
		}
		return wp
	}()
	for i := 0; i < 50 && (wp.Value() != nil || entries(wp) > 0); i++ {
		runtime.GC()
		time.Sleep(time.Millisecond) // cleanups run on a goroutine of their own
	}
	if wp.Value() != nil {
		t.Fatal("a ruleset no longer used is kept by the pool of its Readers")
	}
	if n := entries(wp); n != 0 {
		t.Fatalf("%d pools kept for a ruleset collected", n)
	}
}

// TestPathsKey: the key of a run's paths is their addresses, in order,
// whatever slice holds them; the last one is remembered, so that runs
// with the same paths (the CLI's, a run per file) make none, and a
// different set of paths, or the same in another order, gets its own.
func TestPathsKey(t *testing.T) {
	a, b, c := match.NewPath("a"), match.NewPath("b"), match.NewPath("c")
	keys := map[string]string{}
	for _, tt := range []struct {
		name  string
		paths []*match.Path
	}{
		{"ab", []*match.Path{a, b}}, {"ba", []*match.Path{b, a}}, {"ac", []*match.Path{a, c}},
		{"abc", []*match.Path{a, b, c}}, {"a", []*match.Path{a}}, {"ab", []*match.Path{a, b}},
	} {
		key := pathsKey(tt.paths)
		if len(key) != 8*len(tt.paths) {
			t.Fatalf("%s: key of %d bytes, want %d", tt.name, len(key), 8*len(tt.paths))
		}
		if old, ok := keys[tt.name]; ok && old != key {
			t.Errorf("%s: key changed", tt.name)
		}
		for name, other := range keys {
			if name != tt.name && other == key {
				t.Errorf("%s and %s have the same key", name, tt.name)
			}
		}
		keys[tt.name] = key
		again := append([]*match.Path(nil), tt.paths...) // the same paths in another slice
		if pathsKey(again) != key {
			t.Errorf("%s: another slice of the same paths has another key", tt.name)
		}
	}
	if pathsKey(nil) != "" {
		t.Error("no paths: want the empty key")
	}
	paths := []*match.Path{a, b, c}
	pathsKey(paths)
	if n := testing.AllocsPerRun(100, func() { pathsKey(paths) }); n != 0 {
		t.Errorf("%v allocations per key of the last paths, want 0", n)
	}
}
