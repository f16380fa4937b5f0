package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/evtx"
	"github.com/ruleforge/ruleforge/internal/cputime"
	"github.com/ruleforge/ruleforge/internal/evtxtest"
	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/sigma"
)

// lazyEvents are events where the hit fields' fallbacks matter: Windows
// records missing a System field, or holding it as an object, a number,
// "-", "" or the zero GUID; records that also hold ECS fields of their
// own (nested, dotted, or under a non-object prefix); flat events with
// and without the System names; ECS (Winlogbeat) events, whole and
// partial; an event with none of the fields.
var lazyEvents = []string{
	`{"Event":{"System":{"EventID":{"#text":"4688","#attributes":{"Qualifiers":""}},"EventRecordID":"77","Channel":"Security","Computer":"dc1","TimeCreated":{"@SystemTime":"2024-01-02T03:04:05.6Z"}},"EventData":{"NewProcessName":"C:\\x.exe","SubjectUserName":"-","TargetUserName":"bob"}}}`,
	`{"Event":{"System":{"EventID":4688,"EventRecordID":78,"Channel":"Security","TimeCreated":{"#attributes":{"SystemTime":"2024-01-02T03:04:06Z"}}}}}`,
	`{"Event":{"System":{"EventID":"1","Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"-","EventRecordID":"-"},"EventData":{"UtcTime":"2024-01-02 03:04:07.000"}}}`,
	`{"Event":{"System":{"EventID":"1","Channel":"Microsoft-Windows-Sysmon/Operational","Computer":{"#text":"obj-host"},"TimeCreated":{"SystemTime":"2024-01-02T03:04:08Z"}}},"host":{"name":"own-host","hostname":"hn"}}`,
	`{"Event":{"System":{"Channel":"System","Computer":""}},"host.name":"dotted-host","winlog.channel":"own","event.code":"7045","winlog.record_id":"5","@timestamp":"2024-01-02T03:04:09Z"}`,
	`{"Event":{"System":{"EventID":{"#text":{"#text":"9"}},"Computer":"{00000000-0000-0000-0000-000000000000}","TimeCreated":{"#attributes":{"SystemTime":"-"}}}},"UtcTime":"2024-01-02 03:04:10"}`,
	`{"Event":{"System":{"EventID":"4624","Channel":"Security","Computer":"dc2","TimeCreated":{"@SystemTime":12345}},"EventData":{"SubjectUserName":"-","TargetUserName":"carol","LogonType":3}}}`,
	`{"Event":{"System":{"EventID":"4624","Channel":"Security","Computer":"dc2"}},"host":"string-host","winlog":"string-winlog"}`,
	`{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing"}},"EventID":"4688"}}}`,
	`{"Event":{"System":{"EventID":"4688","Channel":"Security","Computer":"c5","EventRecordID":{"#text":"100"},"TimeCreated":{"#attributes":{"SystemTime":"2024-01-02T03:04:15Z"},"SystemTime":"2020-01-01T00:00:00Z"}}},"@timestamp":"2024-02-02T00:00:00Z"}`,
	`{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws","EventRecordID":9,"UtcTime":"2024-01-02 03:04:05.000","Image":"C:\\a.exe"}`,
	`{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","UtcTime":"2024-01-02 03:04:05.000","Image":"C:\\a.exe"}`,
	`{"EventID":"-","Channel":"-","Computer":"-","EventRecordID":"-","host":{"hostname":"fallback-hn"}}`,
	`{"EventID":4625,"Computer":"flat2","SystemTime":"2024-01-02T03:04:11Z","TargetUserName":"dave","SubjectUserName":"-"}`,
	`{"EventID":1,"Computer":"flat3","host":{"name":"own-h3"},"winlog":{"channel":"ownch","event_id":"11","record_id":"12","computer_name":"cn3"},"event":{"code":"13"},"@timestamp":"2024-01-02T03:04:12Z"}`,
	`{"@timestamp":"2024-01-02T05:04:05+02:00","host":{"name":"h","hostname":"hh"},"winlog":{"channel":"System","event_id":"7045","record_id":"12","computer_name":"wc"},"event":{"code":"7045"},"service":{"name":"evil"}}`,
	`{"@timestamp":"2024-01-02T03:04:13Z","host":{"hostname":"only-hostname"},"winlog":{"computer_name":"wc2","event_id":4104},"event":{"code":"4104"}}`,
	`{"@timestamp":"soon","host.name":"h2","event.code":"x1"}`,
	`{"winlog":{"channel":"Microsoft-Windows-Sysmon/Operational","event_id":1,"record_id":3,"computer_name":"wb","event_data":{"Image":"C:\\w.exe"}},"host":{"name":"wbh"},"event":{"code":"1"},"@timestamp":"2024-01-02T03:04:14Z"}`,
	`{"message":"nothing"}`,
}

// lazyRulesets are the rulesets the records are read for: one that reads
// none of the hit fields' viewPaths, whose records then hold none of
// them, and one that reads them all, whose records hold them.
func lazyRulesets(t *testing.T) map[string]*match.Ruleset {
	t.Helper()
	none, err := compile.Compile(nil)
	if err != nil {
		t.Fatal(err)
	}
	var sel []string
	for p := range viewPaths {
		sel = append(sel, "    '"+p+"|contains': '1'")
	}
	src := "title: view\nlogsource: {product: windows}\ndetection:\n  sel:\n" + strings.Join(sel, "\n") + "\n  condition: 1 of sel\n"
	f, err := sigma.ParseFile("view.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	all, err := compile.Compile([]*ir.Rule{f.Rules[0]})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*match.Ruleset{"no rule": none, "view rule": all}
}

// TestHitFieldsLazy checks that the fields of events read from records
// without the hit fields' viewPaths (as the CLI reads them) are those
// read with every path held and filled by normalize's view, on
// lazyEvents, the .evtx fixtures, and the shared corpus's .evtx files
// and regression events when it is there. It also checks that the
// records differ where they should (the view's values are not in the
// lazy ones), so that the comparison is not vacuous.
func TestHitFieldsLazy(t *testing.T) {
	var jsonEvents [][]byte
	for _, e := range lazyEvents {
		jsonEvents = append(jsonEvents, []byte(e))
	}
	regression, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "sigma-regression", "*", "events.json"))
	for _, file := range regression {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data)) // one or more events, each written over lines
		for {
			var e json.RawMessage
			if err := dec.Decode(&e); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			jsonEvents = append(jsonEvents, e)
		}
	}
	evtxFiles, _ := filepath.Glob(filepath.Join("..", "..", "evtx", "testdata", "*.evtx"))
	var corpus []string // the corpus's .evtx files, every eighth under -race (all: 0.5 s, 8 s under -race)
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "evtx")
	if _, err := os.Stat(dir); err == nil {
		walked := 0
		files.Walk(dir, func(p string) bool { return strings.HasSuffix(p, ".evtx") }, func(p string) {
			if walked++; !raceEnabled || walked%8 == 1 {
				corpus = append(corpus, p)
			}
		}, func(e error) { t.Fatal(e) })
	}
	if len(corpus) == 0 || len(regression) == 0 {
		t.Log("no shared corpus: lazyEvents and the fixtures only")
	}
	evtxFiles = append(evtxFiles, corpus...)

	for name, rs := range lazyRulesets(t) {
		t.Run(name, func(t *testing.T) {
			full, lazy := newFieldReader(true, false), newFieldReader(true, true)
			fullRd := normalize.NewReaderWith(rs, normalize.Auto, full.filled)
			lazyRd := normalize.NewReaderWith(rs, normalize.Auto, lazy.filled)
			n, skipped := 0, 0
			compare := func(what string, want, got *match.Record) {
				t.Helper()
				if w, g := full.read(want), lazy.read(got); !reflect.DeepEqual(w, g) {
					t.Fatalf("%s: lazy %+v, want %+v", what, g, w)
				}
				for i, p := range lazy.computer {
					if viewPaths[computerPaths[i]] {
						w, wok := want.Lookup(p)
						g, gok := got.Lookup(p)
						if wok != gok || !reflect.DeepEqual(w, g) {
							skipped++ // the view's value, not the event's
						}
					}
				}
				n++
			}
			for i, e := range jsonEvents {
				want, err := fullRd.Read(e)
				if err != nil {
					t.Fatal(err)
				}
				got, err := lazyRd.Read(e)
				if err != nil {
					t.Fatal(err)
				}
				compare("JSON event "+string(jsonEvents[i]), want, got)
			}
			for _, file := range evtxFiles {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				evtxtest.EachRecord(t, data, func(er *evtx.Record) {
					want, err := fullRd.ReadEVTX(er)
					if err != nil {
						t.Fatal(err)
					}
					got, err := lazyRd.ReadEVTX(er)
					if err != nil {
						t.Fatal(err)
					}
					compare(file, want, got)
				})
			}
			t.Logf("%d events, %d lookups of host.name or winlog.computer_name where the view's value was left out", n, skipped)
			if name == "no rule" && skipped == 0 {
				t.Error("the lazy records held the view's host fields: nothing was compared")
			}
			if name == "view rule" && skipped > 0 {
				t.Error("records of rules that read the view's fields left them out")
			}
		})
	}
}

// BenchmarkHitFieldPaths measures what the hit fields' paths cost a
// Reader of the SigmaHQ Windows rules reading the shared corpus's .evtx
// files and their dumps: told every path ("full"), all but the
// viewPaths ("lazy", as the CLI tells them) and none, alternating in one
// loop, each Reader made and warmed (its .evtx fill programs made) once,
// the .evtx files read with one Decoder, as pipeline.RunEVTX reads them.
// It reports CPU time a record of each and the ratios. It reads no
// fields: the CLI reads them of the events that matched only.
func BenchmarkHitFieldPaths(b *testing.B) {
	c, err := loadCLICorpus(b.TempDir())
	if err != nil || c == nil {
		b.Skipf("no .evtx corpus (%v)", err)
	}
	rs := c.prog.Ruleset()
	for _, kind := range []string{"evtx", "dump"} {
		b.Run(kind, func(b *testing.B) {
			_, data := c.files(b, kind)
			rds := []*normalize.Reader{
				normalize.NewReaderWith(rs, normalize.Auto, newFieldReader(false, false).filled),
				normalize.NewReaderWith(rs, normalize.Auto, newFieldReader(false, true).filled),
				normalize.NewReader(rs, normalize.Auto),
			}
			var dec *evtx.Decoder
			if kind == "evtx" {
				dec = evtx.NewDecoder()
			}
			pass := func(rd *normalize.Reader) {
				n := 0
				for _, d := range data {
					n += readAll(b, rd, dec, d)
				}
				if n != c.records {
					b.Fatalf("%d records, want %d", n, c.records)
				}
			}
			for _, rd := range rds {
				pass(rd)
			}
			var cpu [3]time.Duration // full, lazy, none
			for b.Loop() {
				for _, k := range []int{0, 1, 2, 2, 1, 0} {
					start := cputime.Used()
					pass(rds[k])
					cpu[k] += cputime.Used() - start
				}
			}
			per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(2*b.N*c.records) }
			b.ReportMetric(per(cpu[0]), "cpu-ns/full-record")
			b.ReportMetric(per(cpu[1]), "cpu-ns/lazy-record")
			b.ReportMetric(per(cpu[2]), "cpu-ns/none-record")
			b.ReportMetric(per(cpu[1])/per(cpu[0]), "cpu-lazy/full")
			b.ReportMetric(per(cpu[2])/per(cpu[0]), "cpu-none/full")
		})
	}
}

// readAll reads the records of one file (.evtx, or JSON lines) with rd,
// an .evtx file's chunks with dec, as pipeline.RunEVTX does, and returns
// how many it read.
func readAll(b *testing.B, rd *normalize.Reader, dec *evtx.Decoder, data []byte) int {
	n := 0
	if dec == nil {
		for line := range bytes.Lines(data) {
			if _, err := rd.Read(line); err != nil {
				b.Fatal(err)
			}
			n++
		}
		return n
	}
	r, err := evtx.NewReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	for {
		c, err := r.NextChunk()
		if err == io.EOF {
			return n
		} else if err != nil {
			b.Fatal(err)
		}
		if err := dec.Reset(c); err != nil {
			b.Fatal(err)
		}
		for {
			er, err := dec.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			if _, err := rd.ReadEVTX(er); err != nil {
				b.Fatal(err)
			}
			n++
		}
		c.Release()
	}
}

// files returns the names of the corpus's files of kind ("evtx" or
// "dump") and their contents.
func (c *cliCorpus) files(b *testing.B, kind string) ([]string, [][]byte) {
	names := c.evtx
	if kind == "dump" {
		names = c.dumps
	}
	data := make([][]byte, len(names))
	for i, name := range names {
		var err error
		if data[i], err = os.ReadFile(name); err != nil {
			b.Fatal(err)
		}
	}
	return names, data
}
