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
