// Command throughput measures how fast rules run over a large NDJSON file:
// it writes a deterministic file of process starts (nine in ten benign,
// one in ten mofcomp abuse), as ECS events or, with -input winevent, as
// Sysmon event 1 records in the shape of evtx dumped to JSON
// (Event.System, Event.EventData), then streams it through ruleforge's
// pipeline (the one `ruleforge match` uses, event formats detected and
// Windows records normalized as with -format auto) with the two seed
// rules and with all SigmaHQ Windows rules, on 1 and on all CPUs, and
// through the equivalent sigma-go program (encoding/json into a map, then
// evaluator.ForRules; records have their System and EventData fields
// copied to the top level first, where sigma-go looks them up) in the
// same run. It prints MB/s, events/s and the peak heap for each, and the
// ratio to sigma-go.
//
//	go run ./bench/throughput -size 1GB
//	go run ./bench/throughput -size 1GB -input winevent
//
// sigma-go is far slower: it reads the file only for -sigmago-time (30 s
// by default) and its rate is that of the events it read. The seed and
// SigmaHQ rules come from ../shared (rules/ and corpus/sigmahq/rules).
// -rules elastic runs Elastic's EQL rules instead (corpus/elastic/rules),
// all of them against the single-event ones alone: what sequences and
// samples add.
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
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
	file := flag.String("file", "", "where to write the file (kept for reruns of the same size; default: ruleforge-throughput-INPUT.ndjson in the temporary folder)")
	input := flag.String("input", "ecs", "the events: ecs (ECS process events), ecs-dotted (the same with dotted keys) or winevent (Sysmon records as evtx JSON)")
	shared := flag.String("shared", "../shared", "the shared folder with rules/ and corpus/")
	sigmaTime := flag.Duration("sigmago-time", 30*time.Second, "how long sigma-go reads the file")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	only := flag.String("rules", "all", "the rule sets to run: seeds, sigmahq, all, or elastic (Elastic's EQL rules, all against the single-event ones)")
	runs := flag.Int("runs", 1, "run each ruleforge configuration this many times and report the median (by events/s), against the machine's noise")
	cpus := flag.String("cpus", "1,"+strconv.Itoa(runtime.NumCPU()), "the CPU counts to run ruleforge on, comma-separated")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var counts []int
	for _, c := range strings.Split(*cpus, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			fail(fmt.Errorf("-cpus %q: want CPU counts such as 1,2", *cpus))
		}
		counts = append(counts, n)
	}
	bytes, err := parseSize(*size)
	if err != nil {
		fail(err)
	}
	gen, ok := generators[*input]
	if !ok {
		fail(fmt.Errorf("-input %q: want ecs, ecs-dotted or winevent", *input))
	}
	if *file == "" {
		*file = filepath.Join(os.TempDir(), "ruleforge-throughput-"+*input+".ndjson")
	}
	if err := ensureFile(*file, bytes, gen); err != nil {
		fail(err)
	}
	if err := warm(*file); err != nil {
		fail(err)
	}
	fmt.Printf("file %s: %.0f MB; %d CPUs; %s\n", *file, float64(bytes)/1e6, runtime.NumCPU(), runtime.Version())
	fmt.Printf("%-44s %8s %11s %8s %8s %9s %11s\n", "run", "MB/s", "events/s", "heap MB", "matched", "CPU ns/ev", "vs sigma-go")
	if *only == "elastic" {
		runElastic(*shared, *file, counts, *runs)
		return
	}
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
		for _, workers := range counts {
			r := median(*runs, func() result { return runOurs(*file, rs, workers) })
			lines = append(lines, fmt.Sprintf("%-44s %8.0f %11.0f %8.1f %7.1f%% %9.0f", fmt.Sprintf("%s, ruleforge, %d CPU", name, workers), r.mbps(), r.eps(), r.heapMB, r.share(), r.nsPerEvent()))
			rates = append(rates, r.eps())
		}
		rs = nil
		base := runSigmaGo(*file, theirs, *sigmaTime)
		for i, l := range lines {
			fmt.Printf("%s %10.0fx\n", l, rates[i]/base.eps())
		}
		rates = rates[:0]
		fmt.Printf("%-44s %8.1f %11.0f %8.1f %7.1f%% %9.0f %11s\n", name+", sigma-go, 1 CPU", base.mbps(), base.eps(), base.heapMB, base.share(), base.nsPerEvent(), "1x")
	}
}

// rates holds the ruleforge rates of the rule set being measured.
var rates []float64

// result is one run's measurements.
type result struct {
	events  int
	matched int // events that a rule matched
	bytes   int64
	secs    float64
	cpu     float64 // CPU seconds the process used (user and system)
	heapMB  float64
}

// cpuTime returns the CPU seconds the process has used.
func cpuTime() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// nsPerEvent is the CPU time per event.
func (r result) nsPerEvent() float64 { return r.cpu * 1e9 / float64(max(r.events, 1)) }

func (r result) mbps() float64 { return float64(r.bytes) / 1e6 / r.secs }
func (r result) eps() float64  { return float64(r.events) / r.secs }

// share is the percentage of the events that a rule matched.
func (r result) share() float64 { return 100 * float64(r.matched) / float64(max(r.events, 1)) }

// median runs run n times (at least once) and returns the result with the
// median events/s.
func median(n int, run func() result) result {
	var rs []result
	for range max(n, 1) {
		rs = append(rs, run())
	}
	slices.SortFunc(rs, func(a, b result) int { return cmp.Compare(a.eps(), b.eps()) })
	return rs[len(rs)/2]
}

// runOurs streams the file through the pipeline on workers goroutines,
// with as many CPUs: reading, matching and collecting share them.
func runOurs(path string, rs *match.Ruleset, workers int) result {
	return measure(path, workers, func(f *os.File) (pipeline.Stats, int, error) {
		st, err := pipeline.Run(pipeline.Config{Ruleset: rs, Workers: workers}, f, func(*pipeline.Result) error { return nil })
		return st, 0, err
	})
}

// measure runs run over the file on workers CPUs and measures it; run
// returns the pipeline's counts and how many more results it found.
func measure(path string, workers int, run func(*os.File) (pipeline.Stats, int, error)) result {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(workers))
	f, err := os.Open(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	runtime.GC()
	peak := watchHeap()
	cpu0 := cpuTime()
	start := time.Now()
	st, more, err := run(f)
	if err != nil {
		fail(err)
	}
	secs := time.Since(start).Seconds()
	return result{events: st.Events, matched: st.Matched + more, bytes: st.Bytes, secs: secs, cpu: cpuTime() - cpu0, heapMB: peak()}
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
	cpu0 := cpuTime()
	start := time.Now()
	for sc.Scan() {
		var ev map[string]any
		if json.Unmarshal(sc.Bytes(), &ev) == nil {
			flatten(ev)
			if res, _ := bundle.Matches(ctx, evaluator.Event(ev)); anyMatch(res) {
				r.matched++
			}
		}
		r.events++
		r.bytes += int64(len(sc.Bytes()) + 1)
		if r.events%256 == 0 && time.Since(start) > limit {
			break
		}
	}
	r.secs = time.Since(start).Seconds()
	r.cpu = cpuTime() - cpu0
	r.heapMB = peak()
	return r
}

// flatten copies the System and EventData fields of a Windows event
// record to the top level, where sigma-go looks fields up.
func flatten(ev map[string]any) {
	rec, _ := ev["Event"].(map[string]any)
	for _, part := range []string{"System", "EventData"} {
		fields, _ := rec[part].(map[string]any)
		for k, v := range fields {
			ev[k] = v
		}
	}
}

// anyMatch reports whether a rule of sigma-go's results matched.
func anyMatch(res []evaluator.RuleResult) bool {
	for _, r := range res {
		if r.Match {
			return true
		}
	}
	return false
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

// warm reads the file once, so that every run finds it in the page cache
// rather than the first one reading it from the disk.
func warm(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(io.Discard, f)
	return err
}

// ensureFile writes the event file with gen unless one of that size is
// there.
func ensureFile(path string, size int64, gen func(*rand.Rand, int) string) error {
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
		line := gen(rng, i)
		w.WriteString(line)
		n += int64(len(line))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// generators write event i of a file, by -input.
var generators = map[string]func(*rand.Rand, int) string{"ecs": ecsEvent, "ecs-dotted": dottedEvent, "winevent": sysmonRecord}

// start is a process start: benign nine times in ten, mofcomp compiling a
// .mof from a public folder otherwise. Paths are JSON-escaped.
type start struct {
	name, dir, args, parent string // args is JSON text: a quoted string
	host, user, pid, ppid   int
	time                    time.Time
}

// newStart returns start i.
func newStart(rng *rand.Rand, i int) start {
	names := []string{"svchost.exe", "chrome.exe", "explorer.exe", "powershell.exe", "cmd.exe", "conhost.exe", "msedge.exe", "RuntimeBroker.exe", "git.exe", "node.exe"}
	s := start{name: names[rng.IntN(len(names))], dir: `C:\\Program Files\\App\\`, args: `"-k netsvcs -p"`, parent: "explorer.exe"}
	if rng.IntN(2) == 0 {
		s.dir = `C:\\Windows\\System32\\`
	}
	if i%10 == 9 {
		s.name, s.dir, s.args, s.parent = "mofcomp.exe", `C:\\Windows\\System32\\wbem\\`, `"C:\\Users\\Public\\evil.mof"`, "cmd.exe"
	}
	s.time = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Millisecond)
	s.host, s.pid, s.ppid, s.user = rng.IntN(100), 1000+rng.IntN(9000), 500+rng.IntN(500), rng.IntN(50)
	return s
}

// ecsEvent returns event i as an ECS process event on one line.
func ecsEvent(rng *rand.Rand, i int) string {
	s := newStart(rng, i)
	return `{"@timestamp":"` + s.time.Format(time.RFC3339Nano) + `","event":{"category":["process"],"type":["start"],"kind":"event"},"host":{"os":{"type":"windows","family":"windows"},"name":"ws-` + strconv.Itoa(s.host) + `"},` +
		`"process":{"pid":` + strconv.Itoa(s.pid) + `,"name":"` + s.name + `","executable":"` + s.dir + s.name + `","command_line":"` + s.dir + s.name + ` ` + strings.Trim(s.args, `"`) + `","args":["` + s.dir + s.name + `",` + s.args + `],` +
		`"pe":{"original_file_name":"` + s.name + `"},"parent":{"name":"` + s.parent + `","executable":"C:\\Windows\\` + s.parent + `","pid":` + strconv.Itoa(s.ppid) + `}},` +
		`"user":{"name":"user` + strconv.Itoa(s.user) + `","id":"S-1-5-21-1-2-3-1001"}}` + "\n"
}

// dottedEvent returns event i as an ECS process event on one line with
// flattened, dotted keys ("process.name"), as some exporters write ECS.
func dottedEvent(rng *rand.Rand, i int) string {
	s := newStart(rng, i)
	return `{"@timestamp":"` + s.time.Format(time.RFC3339Nano) + `","event.category":["process"],"event.type":["start"],"event.kind":"event","host.os.type":"windows","host.os.family":"windows","host.name":"ws-` + strconv.Itoa(s.host) + `",` +
		`"process.pid":` + strconv.Itoa(s.pid) + `,"process.name":"` + s.name + `","process.executable":"` + s.dir + s.name + `","process.command_line":"` + s.dir + s.name + ` ` + strings.Trim(s.args, `"`) + `","process.args":["` + s.dir + s.name + `",` + s.args + `],` +
		`"process.pe.original_file_name":"` + s.name + `","process.parent.name":"` + s.parent + `","process.parent.executable":"C:\\Windows\\` + s.parent + `","process.parent.pid":` + strconv.Itoa(s.ppid) + `,` +
		`"user.name":"user` + strconv.Itoa(s.user) + `","user.id":"S-1-5-21-1-2-3-1001"}` + "\n"
}

// sysmonRecord returns event i as a Sysmon event 1 record on one line, in
// the shape of SigmaHQ's regression events (evtx dumped to JSON).
func sysmonRecord(rng *rand.Rand, i int) string {
	s := newStart(rng, i)
	host := "ws-" + strconv.Itoa(s.host) + ".corp.example"
	guid := fmt.Sprintf("5AA13A44-%04X-68FC-%04X-000000004002", i&0xffff, s.pid)
	return `{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{` +
		`"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},` +
		`"EventID":1,"Version":5,"Level":4,"Task":1,"Opcode":0,"Keywords":"0x8000000000000000",` +
		`"TimeCreated":{"#attributes":{"SystemTime":"` + s.time.Format(time.RFC3339Nano) + `"}},"EventRecordID":` + strconv.Itoa(8000000+i) + `,"Correlation":null,` +
		`"Execution":{"#attributes":{"ProcessID":3308,"ThreadID":4008}},"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"` + host + `",` +
		`"Security":{"#attributes":{"UserID":"S-1-5-18"}}},"EventData":{"RuleName":"-","UtcTime":"` + s.time.Format("2006-01-02 15:04:05.000") + `",` +
		`"ProcessGuid":"` + guid + `","ProcessId":` + strconv.Itoa(s.pid) + `,"Image":"` + s.dir + s.name + `","FileVersion":"10.0.20348.1 (WinBuild.160101.0800)",` +
		`"Description":"Windows program","Product":"Microsoft® Windows® Operating System","Company":"Microsoft Corporation","OriginalFileName":"` + s.name + `",` +
		`"CommandLine":"` + s.dir + s.name + ` ` + strings.Trim(s.args, `"`) + `","CurrentDirectory":"C:\\Users\\user` + strconv.Itoa(s.user) + `\\",` +
		`"User":"CORP\\user` + strconv.Itoa(s.user) + `","LogonGuid":"5AA13A44-568F-68FB-E39A-520000000000","LogonId":"0x529ae3","TerminalSessionId":2,"IntegrityLevel":"High",` +
		`"Hashes":"SHA1=138CCC1346F17921DC1DF71C88F472ACCC24BC5F,MD5=8B20EBCF5A2C5410B43765B5CEA17E5B,SHA256=F71C08CB7630990EE46338937897C0A83C96DFB8F37DB70322CE7417C01157AA,IMPHASH=03AD7A1AF78BF7A500FB199CABE4C34A",` +
		`"ParentProcessGuid":"5AA13A44-0FEC-68FC-281E-000000004002","ParentProcessId":` + strconv.Itoa(s.ppid) + `,"ParentImage":"C:\\Windows\\` + s.parent + `",` +
		`"ParentCommandLine":"\"C:\\Windows\\` + s.parent + `\"","ParentUser":"CORP\\user` + strconv.Itoa(s.user) + `"}}}` + "\n"
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
