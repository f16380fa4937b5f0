package ruleforge_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/state"
)

// corpusRoots are the rule folders of ../shared/corpus that fast start
// is measured on (issue 15, point 7): the three SigmaHQ folders and both
// Elastic folders.
var corpusRoots = []string{
	"sigmahq/rules", "sigmahq/rules-emerging-threats", "sigmahq/rules-threat-hunting",
	"elastic/rules", "elastic/rules_building_block",
}

// corpusPaths returns the paths of corpusRoots, skipping tb when the
// corpus is absent.
func corpusPaths(tb testing.TB) []string {
	var paths []string
	for _, r := range corpusRoots {
		p := filepath.Join("..", "shared", "corpus", r)
		if _, err := os.Stat(p); err != nil {
			tb.Skipf("corpus not found: %v", err)
		}
		paths = append(paths, p)
	}
	return paths
}

// BenchmarkStart loads and compiles every corpus rule into an Engine
// (what every CLI run does before reading an event), then each stage
// alone, on one CPU and on all of them: the ratio is what parallel
// loading and compiling gain (issue 15, point 7). cpu-s/op is the
// process's CPU time per op, which a loaded machine inflates less than
// the wall time.
//
// Each sub-benchmark sets GOMAXPROCS itself, inside its function: the
// testing package sets it to the -cpu value before running every
// benchmark, sub-benchmarks included (testing/benchmark.go,
// benchState.processBench), so a value set around b.Run is undone
// before the sub-benchmark runs.
func BenchmarkStart(b *testing.B) {
	paths := corpusPaths(b)
	rules, errs := ruleforge.Load(paths...)
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	stages := []struct {
		name string
		run  func(b *testing.B)
	}{
		{"load+compile", func(b *testing.B) {
			rules, _ := ruleforge.Load(paths...)
			if _, err := ruleforge.Compile(rules); err != nil {
				b.Fatal(err)
			}
		}},
		{"load", func(*testing.B) { ruleforge.Load(paths...) }},
		{"compile", func(b *testing.B) {
			if _, err := ruleforge.Compile(rules); err != nil {
				b.Fatal(err)
			}
		}},
	}
	for _, procs := range slices.Compact([]int{1, runtime.GOMAXPROCS(0)}) { // once on one CPU
		for _, st := range stages {
			b.Run(fmt.Sprintf("%s/procs=%d", st.name, procs), func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				defer reportCPU(b, cpuTime())
				for b.Loop() {
					st.run(b)
				}
			})
		}
	}
}

// reportCPU reports the CPU time used since start per op, as cpu-s/op.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

// TestLoadParallel checks that Load, which parses files in parallel,
// gives the rules that parsing the files one by one gives, in the same
// order, and that they compile (run it with -race: the parsers share
// their grammars, and Compile's goroutines its paths).
func TestLoadParallel(t *testing.T) {
	paths := corpusPaths(t)
	if raceEnabled || testing.Short() {
		// Both languages, a few hundred files: the whole corpus takes a
		// minute with the race detector.
		paths = []string{filepath.Join(paths[0], "cloud"), paths[4]}
	}
	rules, errs := ruleforge.Load(paths...)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var want []string
	for _, root := range paths {
		filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !ruleforge.IsRuleFile(path) {
				return err
			}
			r, err := ruleforge.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, r.Dump())
			return nil
		})
	}
	if _, err := state.Compile(rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != len(want) {
		t.Fatalf("Load gave %d rules, one by one %d", len(rules), len(want))
	}
	for i, r := range rules {
		if got := r.Dump(); got != want[i] {
			t.Fatalf("rule %d (%s) differs:\nLoad:\n%s\none by one:\n%s", i, r.Source.File, got, want[i])
		}
	}
}
