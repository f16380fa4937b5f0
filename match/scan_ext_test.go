package match_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// corpus is ../shared/corpus, relative to this package.
const corpus = "../../shared/corpus"

// corpusRuleset compiles the rules under corpus/sub that compile, once
// per test binary, or skips when the corpus is absent.
func corpusRuleset(tb testing.TB, sub string) *match.Ruleset {
	tb.Helper()
	rulesets.Do(func() { rulesets.m = map[string]*match.Ruleset{} })
	rulesets.Lock()
	defer rulesets.Unlock()
	if rs, ok := rulesets.m[sub]; ok {
		return rs
	}
	dir := filepath.Join(corpus, sub)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("%s is absent: the shared corpus is not beside the repository", dir)
	}
	all, _ := ruleforge.Load(dir)
	var rules []*ir.Rule
	for _, r := range all {
		if _, err := compile.Compile([]*ir.Rule{r}); err == nil {
			rules = append(rules, r)
		}
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		tb.Fatal(err)
	}
	rulesets.m[sub] = rs
	return rs
}

// rulesets holds the rulesets corpusRuleset compiled, by folder.
var rulesets struct {
	sync.Once
	sync.Mutex
	m map[string]*match.Ruleset
}

// regressionTexts returns the events of corpus/sigma-regression as JSON
// texts: each as recorded (pretty-printed), compacted, and flattened
// (System and EventData merged into one object, the NDJSON shape).
func regressionTexts(tb testing.TB) [][]byte {
	tb.Helper()
	dir := filepath.Join(corpus, "sigma-regression")
	dirs, err := os.ReadDir(dir)
	if err != nil {
		tb.Skipf("%s is absent: the shared corpus is not beside the repository", dir)
	}
	var out [][]byte
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, d.Name(), "events.json"))
		if err != nil {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				tb.Fatalf("%s: %v", d.Name(), err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, raw); err != nil {
				tb.Fatal(err)
			}
			out = append(out, raw, compact.Bytes(), flatEvent(tb, raw))
		}
	}
	if len(out) == 0 {
		tb.Fatal("no regression event")
	}
	return out
}

// flatEvent merges a Windows event record's System and EventData into
// one object.
func flatEvent(tb testing.TB, raw []byte) []byte {
	var m map[string]map[string]map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return raw // not the usual shape: as it is
	}
	flat := map[string]any{}
	for _, part := range []string{"System", "EventData"} {
		for k, v := range m["Event"][part] {
			flat[k] = v
		}
	}
	out, err := json.Marshal(flat)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// checkCorpus checks that rs matches each event the same after
// ResetJSON as after ParseJSON, and reports how many events ResetJSON
// read itself and how many MatchRecord did not need decoded.
func checkCorpus(t *testing.T, rs *match.Ruleset, events [][]byte) {
	r := rs.NewRecord()
	fast, undecoded, hits := 0, 0, 0
	for _, data := range events {
		doc, err := match.ParseJSON(data)
		if err != nil {
			t.Fatalf("ParseJSON(%s): %v", data, err)
		}
		if err := r.ResetJSON(data); err != nil {
			t.Fatalf("ResetJSON(%s): %v", data, err)
		}
		if match.ScanReadItself(r) {
			fast++
		}
		got, want := rs.MatchRecord(r, nil), rs.Match(doc, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("rules %v match after ResetJSON, %v after ParseJSON: %s", got, want, data)
		}
		if match.ScanReadItself(r) {
			undecoded++
		}
		hits += len(got)
	}
	t.Logf("%d events, %d read by ResetJSON itself, %d of them matched without decoding them, %d hits", len(events), fast, undecoded, hits)
	if fast == 0 {
		t.Error("ResetJSON read no event itself")
	}
}

// ecsTexts returns ECS events as NDJSON lines, with a few variations.
func ecsTexts() [][]byte {
	ev := match.ScanECSEvent
	return [][]byte{
		[]byte(ev),
		[]byte(strings.ReplaceAll(ev, "mofcomp", "svchost")),
		[]byte(strings.Replace(ev, `"process":{`, `"dll":{"name":"x.dll","path":"C:\\x.dll"},"file":{"path":"C:\\Users\\Public\\a.exe","extension":"exe"},"process":{`, 1)),
		[]byte(`{"event":{"category":"network","action":"connection_attempted"},"destination":{"ip":"10.0.0.1","port":445},"process":{"name":"powershell.exe","args":["powershell.exe","-enc","SQBFAFgA"]}}`),
		[]byte(`{"event":{"category":["registry"]},"registry":{"path":"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x","data":{"strings":["C:\\x.exe"]}},"process":{"name":"reg.exe"}}`),
	}
}

// TestResetJSONSigmaHQ matches every SigmaHQ rule against the regression
// events after ResetJSON and after ParseJSON.
func TestResetJSONSigmaHQ(t *testing.T) {
	events := regressionTexts(t)
	rs := corpusRuleset(t, "sigmahq/rules")
	checkCorpus(t, rs, append(events, ecsTexts()...))
}

// TestResetJSONElastic matches Elastic's EQL rules against ECS events
// and the regression events after ResetJSON and after ParseJSON.
func TestResetJSONElastic(t *testing.T) {
	events := regressionTexts(t)
	rs := corpusRuleset(t, "elastic/rules")
	checkCorpus(t, rs, append(ecsTexts(), events...))
}

// BenchmarkResetJSONCorpus fills a record of the SigmaHQ ruleset from a
// Sysmon event and from an ECS event, and one of Elastic's rules from the
// ECS event, and matches
// it, with ResetJSON and with the baseline ParseJSON and Reset.
func BenchmarkResetJSONCorpus(b *testing.B) {
	for _, c := range []struct{ name, rules, event string }{
		{"sigmahq/sysmon", "sigmahq/rules", match.ScanSysmonEvent},
		{"sigmahq/ecs", "sigmahq/rules", match.ScanECSEvent},
		{"elastic/ecs", "elastic/rules", match.ScanECSEvent},
	} {
		rs := corpusRuleset(b, c.rules)
		data := []byte(c.event)
		run := func(name string, fill func(r *match.Record) error, matchToo bool) {
			b.Run(c.name+"/"+name, func(b *testing.B) {
				r := rs.NewRecord()
				var hits []int
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if err := fill(r); err != nil {
						b.Fatal(err)
					}
					if matchToo {
						hits = rs.MatchRecord(r, hits[:0])
					}
				}
			})
		}
		resetJSON := func(r *match.Record) error { return r.ResetJSON(data) }
		parseJSON := func(r *match.Record) error {
			d, err := match.ParseJSON(data)
			if err == nil {
				r.Reset(d)
			}
			return err
		}
		run("ResetJSON", resetJSON, false)
		run("ParseJSON+Reset", parseJSON, false)
		run("ResetJSON+MatchRecord", resetJSON, true)
		run("ParseJSON+Reset+MatchRecord", parseJSON, true)
	}
}

// lookedUp hides a Map's type from Record.Reset, which then looks every
// path up: how a Map was matched before Reset walked it (issue 15).
type lookedUp struct{ m match.Map }

func (l lookedUp) Lookup(p *match.Path) (any, bool) { return l.m.Lookup(p) }
func (l lookedUp) Each(fn func(v any) bool) bool    { return l.m.Each(fn) }

// BenchmarkMatchMap matches the SigmaHQ regression events (each as
// recorded, compacted and flattened) with every SigmaHQ Windows rule:
// from JSON text (ResetJSON, then MatchRecord), from events decoded
// before into map[string]any (Ruleset.Match on a match.Map, walked once
// against the rules' paths; and looked up path by path, as before), and
// from records filled before (MatchRecord alone). ns/op is per event.
func BenchmarkMatchMap(b *testing.B) {
	rs := corpusRuleset(b, "sigmahq/rules/windows")
	texts := regressionTexts(b)
	maps := make([]match.Map, len(texts))
	recs := make([]*match.Record, len(texts))
	for i, data := range texts {
		d, err := match.ParseJSON(data)
		if err != nil {
			b.Fatal(err)
		}
		maps[i] = match.Map(d.Map())
		recs[i] = rs.NewRecord()
		recs[i].Reset(d)
	}
	var hits []int
	each := func(b *testing.B, f func(i int)) {
		runtime.GC() // of compiling the rules, not of matching
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			f(n % len(texts))
			n++
		}
	}
	r := rs.NewRecord()
	b.Run("json", func(b *testing.B) {
		each(b, func(i int) {
			if err := r.ResetJSON(texts[i]); err != nil {
				b.Fatal(err)
			}
			hits = rs.MatchRecord(r, hits[:0])
		})
	})
	b.Run("map", func(b *testing.B) { each(b, func(i int) { hits = rs.Match(maps[i], hits[:0]) }) })
	b.Run("map-looked-up", func(b *testing.B) { each(b, func(i int) { hits = rs.Match(lookedUp{maps[i]}, hits[:0]) }) })
	b.Run("record", func(b *testing.B) { each(b, func(i int) { hits = rs.MatchRecord(recs[i], hits[:0]) }) })
}
