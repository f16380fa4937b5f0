package kafka

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// benchHosts is the hosts of the benchmark's script: 8 events each, and
// 2 bad records for every fifth host.
const benchHosts = 50000

// BenchmarkMembers measures events per second through 1, 2 and 4 members
// of a group (in this process, with the kfake cluster) from the start of
// the run to every partition committed to its end, and "ruleforge match"
// over the same events from a file (the CLI, built for the benchmark):
// the ratio is what Kafka costs per event. The cluster, the members and
// match share the machine's CPUs; cpu-µs/event is the CPU time of match's
// process, or of this one (members and cluster) per event.
//
//	go test ./kafka -run '^$' -bench Members -benchtime 1x
func BenchmarkMembers(b *testing.B) {
	evs := append(script(benchHosts, 1), script(benchHosts, 2)...)
	b.Run("match", func(b *testing.B) {
		bin := buildCLI(b)
		var file bytes.Buffer
		for _, e := range evs {
			file.WriteString(e.value)
			file.WriteByte('\n')
		}
		path := filepath.Join(b.TempDir(), "events.ndjson")
		if err := os.WriteFile(path, file.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
		var took, cpu time.Duration
		for b.Loop() {
			start := time.Now()
			cmd := exec.Command(bin, "match", "-rules", "testdata/rules", path)
			out, err := cmd.Output()
			took += time.Since(start)
			if len(out) == 0 {
				b.Fatalf("match found nothing: %v", err) // exit 1: the bad records
			}
			cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		report(b, len(evs)*b.N, took, cpu)
	})
	p := testProgram(b)
	for _, n := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			var took, cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				seeds := newCluster(b)
				produce(b, seeds, evs)
				b.StartTimer()
				t0, cpu0 := time.Now(), cpuTime()
				var ms []*member
				for range n {
					ms = append(ms, start(b, seeds, p))
				}
				waitCommitted(b, seeds, 5*time.Minute)
				took += time.Since(t0)
				cpu += cpuTime() - cpu0
				for _, m := range ms {
					m.stop(b)
				}
			}
			report(b, len(evs)*b.N, took, cpu)
		})
	}
}

// report reports events per second of wall time and CPU microseconds per
// event.
func report(b *testing.B, events int, took, cpu time.Duration) {
	b.ReportMetric(float64(events)/took.Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(events), "cpu-µs/event")
}

// cpuTime returns the CPU time this process has used (the cluster's, the
// members' and the test's).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
