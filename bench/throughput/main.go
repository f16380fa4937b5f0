// Command throughput measures how fast rules run over a large NDJSON file:
// it writes a deterministic file of ECS process events (nine in ten benign
// process starts, one in ten mofcomp abuse), then streams it through
// ruleforge's pipeline (the one `ruleforge match` uses) with the two seed
// rules and with all SigmaHQ Windows rules, on 1 and on all CPUs, and
// through the equivalent sigma-go program (encoding/json into a map, then
// evaluator.ForRules) in the same run. It prints MB/s, events/s and the
// peak heap for each, and the ratio to sigma-go.
//
//	go run ./bench/throughput -size 1GB
//
// sigma-go is far slower: it reads the file only for -sigmago-time (30 s
// by default) and its rate is that of the events it read. The seed and
// SigmaHQ rules come from ../shared (rules/ and corpus/sigmahq/rules).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/pipeline"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

func main() {
	size := flag.String("size", "1GB", "size of the generated file (e.g. 200MB, 1GB)")
	file := flag.String("file", filepath.Join(os.TempDir(), "ruleforge-throughput.ndjson"), "where to write the file (kept for reruns of the same size)")
	shared := flag.String("shared", "../shared", "the shared folder with rules/ and corpus/")
	sigmaTime := flag.Duration("sigmago-time", 30*time.Second, "how long sigma-go reads the file")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	only := flag.String("rules", "all", "the rule sets to run: seeds, sigmahq or all")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	bytes, err := parseSize(*size)
	if err != nil {
		fail(err)
	}
	if err := ensureFile(*file, bytes); err != nil {
		fail(err)
	}
	fmt.Printf("file %s: %.0f MB; %d CPUs; %s\n", *file, float64(bytes)/1e6, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%-44s %8s %11s %8s %11s\n", "run", "MB/s", "events/s", "heap MB", "vs sigma-go")
	// Each rule set is loaded just before it runs and dropped after, so
	// that one set's heap does not slow the garbage collector in another's.
	loads := map[string][]func(string) (string, []*ir.Rule, []sigmago.Rule){
		"seeds":   {loadSeeds},
		"sigmahq": {loadSigmaHQ},
		"all":     {loadSeeds, loadSigmaHQ},
	}[*only]
	if loads == nil {
		fail(fmt.Errorf("-rules %q: want seeds, sigmahq or all", *only))
	}
	for _, load := range loads {
		name, rules, theirs := load(*shared)
		rs, err := compile.Compile(rules)
		if err != nil {
			fail(err)
		}
		var lines []string
		for _, workers := range []int{1, runtime.NumCPU()} {
			r := runOurs(*file, rs, workers)
			lines = append(lines, fmt.Sprintf("%-44s %8.0f %11.0f %8.1f", fmt.Sprintf("%s, ruleforge, %d CPU", name, workers), r.mbps(), r.eps(), r.heapMB))
			rates = append(rates, r.eps())
		}
		rs = nil
		base := runSigmaGo(*file, theirs, *sigmaTime)
		for i, l := range lines {
			fmt.Printf("%s %10.0fx\n", l, rates[i]/base.eps())
		}
		rates = rates[:0]
		fmt.Printf("%-44s %8.1f %11.0f %8.1f %11s\n", name+", sigma-go, 1 CPU", base.mbps(), base.eps(), base.heapMB, "1x")
	}
}

// rates holds the ruleforge rates of the rule set being measured.
var rates []float64

// result is one run's measurements.
type result struct {
	events int
	bytes  int64
	secs   float64
	heapMB float64
}

func (r result) mbps() float64 { return float64(r.bytes) / 1e6 / r.secs }
func (r result) eps() float64  { return float64(r.events) / r.secs }

// runOurs streams the file through the pipeline on workers goroutines,
// with as many CPUs: reading, matching and collecting share them.
func runOurs(path string, rs *match.Ruleset, workers int) result {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	runtime.GC()
	peak := watchHeap()
	start := time.Now()
	st, err := pipeline.Run(pipeline.Config{Ruleset: rs, Workers: workers}, f, func(*pipeline.Result) error { return nil })
	if err != nil {
		fail(err)
	}
	secs := time.Since(start).Seconds()
	return result{events: st.Events, bytes: st.Bytes, secs: secs, heapMB: peak()}
}

// runSigmaGo is the sigma-go program: each line decoded with
// encoding/json into a map and matched with evaluator.ForRules, for at
// most limit.
func runSigmaGo(path string, rules []sigmago.Rule, limit time.Duration) result {
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	bundle := evaluator.ForRules(rules)
	ctx := context.Background()
	runtime.GC()
	peak := watchHeap()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var r result
	start := time.Now()
	for sc.Scan() {
		var ev map[string]any
		if json.Unmarshal(sc.Bytes(), &ev) == nil {
			bundle.Matches(ctx, evaluator.Event(ev))
		}
		r.events++
		r.bytes += int64(len(sc.Bytes()) + 1)
		if r.events%256 == 0 && time.Since(start) > limit {
			break
		}
	}
	r.secs = time.Since(start).Seconds()
	r.heapMB = peak()
	return r
}

// watchHeap samples the heap in use every 10 ms until the returned
// function is called, which returns the peak in MB.
func watchHeap() func() float64 {
	stop := make(chan struct{})
	peak := make(chan float64)
	go func() {
		var m runtime.MemStats
		top := 0.0
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			top = max(top, float64(m.HeapInuse)/1e6)
			select {
			case <-stop:
				peak <- top
				return
			case <-tick.C:
			}
		}
	}()
	return func() float64 { close(stop); return <-peak }
}

// loadSeeds loads the two seed rules, and sigma-go's reading of the Sigma
// one (sigma-go has no EQL).
func loadSeeds(shared string) (string, []*ir.Rule, []sigmago.Rule) {
	dir := filepath.Join(shared, "rules")
	var ours []*ir.Rule
	for _, name := range []string{"mofcomp_activity.eql", "proc_creation_win_mofcomp_execution.yml"} {
		r, err := ruleforge.ReadFile(filepath.Join(dir, name))
		if err != nil {
			fail(err)
		}
		ours = append(ours, r)
	}
	return "seed rules", ours, []sigmago.Rule{parseSigmaGo(filepath.Join(dir, "proc_creation_win_mofcomp_execution.yml"))}
}

// loadSigmaHQ loads the SigmaHQ Windows rules that both engines load.
func loadSigmaHQ(shared string) (string, []*ir.Rule, []sigmago.Rule) {
	dir := filepath.Join(shared, "corpus", "sigmahq", "rules", "windows")
	var ours []*ir.Rule
	var theirs []sigmago.Rule
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yml") {
			return nil
		}
		r, err := ruleforge.ReadFile(p)
		if err != nil {
			return nil
		}
		src, _ := os.ReadFile(p)
		t, err := sigmago.ParseRule(src)
		if err != nil {
			return nil
		}
		ours, theirs = append(ours, r), append(theirs, t)
		return nil
	})
	if len(ours) == 0 {
		fail(fmt.Errorf("no rule under %s", dir))
	}
	return fmt.Sprintf("SigmaHQ Windows (%d rules)", len(ours)), ours, theirs
}

// parseSigmaGo parses a Sigma rule with sigma-go.
func parseSigmaGo(path string) sigmago.Rule {
	src, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	r, err := sigmago.ParseRule(src)
	if err != nil {
		fail(err)
	}
	return r
}

// ensureFile writes the event file unless one of that size is there.
func ensureFile(path string, size int64) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() >= size && fi.Size() < size+4096 {
		return nil
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	var n int64
	for i := 0; n < size; i++ {
		line := event(rng, i)
		w.WriteString(line)
		n += int64(len(line))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// event returns event i as an NDJSON line: an ECS process start, benign
// nine times in ten, mofcomp compiling a .mof from a temporary folder
// otherwise.
func event(rng *rand.Rand, i int) string {
	names := []string{"svchost.exe", "chrome.exe", "explorer.exe", "powershell.exe", "cmd.exe", "conhost.exe", "msedge.exe", "RuntimeBroker.exe", "git.exe", "node.exe"}
	name := names[rng.IntN(len(names))]
	dir := `C:\\Program Files\\App\\`
	if rng.IntN(2) == 0 {
		dir = `C:\\Windows\\System32\\`
	}
	args := `"-k netsvcs -p"`
	parent := "explorer.exe"
	if i%10 == 9 {
		name, dir, args, parent = "mofcomp.exe", `C:\\Windows\\System32\\wbem\\`, `"C:\\Users\\Public\\evil.mof"`, "cmd.exe"
	}
	ts := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano)
	return `{"@timestamp":"` + ts + `","event":{"category":["process"],"type":["start"],"kind":"event"},"host":{"os":{"type":"windows","family":"windows"},"name":"ws-` + strconv.Itoa(rng.IntN(100)) + `"},` +
		`"process":{"pid":` + strconv.Itoa(1000+rng.IntN(9000)) + `,"name":"` + name + `","executable":"` + dir + name + `","command_line":"` + dir + name + ` ` + strings.Trim(args, `"`) + `","args":["` + dir + name + `",` + args + `],` +
		`"pe":{"original_file_name":"` + name + `"},"parent":{"name":"` + parent + `","executable":"C:\\Windows\\` + parent + `","pid":` + strconv.Itoa(500+rng.IntN(500)) + `}},` +
		`"user":{"name":"user` + strconv.Itoa(rng.IntN(50)) + `","id":"S-1-5-21-1-2-3-1001"}}` + "\n"
}

// parseSize reads "1GB", "200MB", "64KB" or a byte count.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}} {
		if strings.HasSuffix(strings.ToUpper(s), u.suffix) {
			s, mult = s[:len(s)-2], u.n
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("-size %q: want a size such as 1GB or 200MB", s)
	}
	return int64(n * float64(mult)), nil
}

// fail reports err and exits.
func fail(err error) {
	fmt.Fprintln(os.Stderr, "throughput:", err)
	os.Exit(1)
}
