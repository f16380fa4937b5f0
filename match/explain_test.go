package match_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/eql"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/sigma"
)

// sigmaRule is a Sigma rule with the given detection, routing off.
func sigmaRule(t *testing.T, detection string) *ir.Rule {
	t.Helper()
	src := "title: t\nid: s\nlogsource:\n  product: windows\ndetection:\n" + detection
	r, err := sigma.ParseRule("r.yml", []byte(src), sigma.Routing(false))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// eqlRule is an EQL rule of a query.
func eqlRule(t *testing.T, query string) *ir.Rule {
	t.Helper()
	r, err := eql.ParseRule("q.eql", []byte(query))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestExplain checks Ruleset.Explain on rules of both languages: the
// positive tests that decided a match, with the path each value was read
// at, the value (an array's element that passed) and the comparison (a
// Set's member); an or gives its first true operand, a not nothing; a rule
// that does not match gives nil.
func TestExplain(t *testing.T) {
	const sysmon = `{"Event":{"System":{"EventID":1},"EventData":{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe",` +
		`"CommandLine":"mofcomp C:\\Users\\bob\\AppData\\Local\\Temp\\x.mof","ParentImage":"C:\\Windows\\explorer.exe"}}}`
	const ecs = `{"event":{"category":["process"],"type":["start"]},"process":{"name":"MOFCOMP.EXE","executable":"MOFCOMP.EXE","args":["mofcomp.exe","x.mof"],"pid":42}}`
	for _, tt := range []struct {
		name  string
		rule  func(t *testing.T) *ir.Rule
		event string
		want  []string
	}{
		{"sigma and, or", func(t *testing.T) *ir.Rule {
			return sigmaRule(t, "  img:\n    Image|endswith: '\\mofcomp.exe'\n  cmd:\n    CommandLine|contains:\n      - '\\AppData\\Local\\Temp'\n      - '\\Windows\\Temp'\n      - '%temp%'\n      - '%tmp%'\n      - '\\Users\\Public'\n  parent:\n    ParentImage|endswith: '\\wmiprvse.exe'\n  condition: img and cmd and not parent\n")
		}, sysmon, []string{
			`Image Event.EventData.Image "C:\Windows\System32\wbem\mofcomp.exe" suffix~ "\mofcomp.exe"`,
			`CommandLine Event.EventData.CommandLine "mofcomp C:\Users\bob\AppData\Local\Temp\x.mof" contains~ "\appdata\local\temp"`,
		}},
		{"sigma or: the first that holds", func(t *testing.T) *ir.Rule {
			return sigmaRule(t, "  a:\n    EventID: 1\n  b:\n    Image|contains: 'wbem'\n  condition: a or b\n")
		}, sysmon, []string{`EventID Event.System.EventID 1 number 1`}},
		{"sigma keyword", func(t *testing.T) *ir.Rule {
			return sigmaRule(t, "  keywords:\n    - 'explorer.exe'\n  condition: keywords\n")
		}, sysmon, []string{`* - "C:\Windows\explorer.exe" contains~ "explorer.exe"`}},
		{"sigma no match", func(t *testing.T) *ir.Rule {
			return sigmaRule(t, "  a:\n    Image|endswith: '\\cmd.exe'\n  condition: a\n")
		}, sysmon, nil},
		{"eql", func(t *testing.T) *ir.Rule {
			return eqlRule(t, `process where event.type == "start" and process.name : "mofcomp.exe" and process.args : "*.mof" and not process.pid == 4`)
		}, ecs, []string{
			`event.category event.category "process" exact "process"`,
			`event.type event.type "start" exact "start"`,
			`process.name process.name "MOFCOMP.EXE" exact~ "mofcomp.exe"`,
			`process.args process.args "x.mof" suffix~ ".mof"`,
		}},
		{"eql function", func(t *testing.T) *ir.Rule {
			return eqlRule(t, `any where length(process.name) > 5`)
		}, ecs, []string{`length(process.name) process.name 11 gt 5`}},
		{"eql function over an array: the element that passed", func(t *testing.T) *ir.Rule {
			return eqlRule(t, `any where length(process.args) == 5`)
		}, ecs, []string{`length(process.args) process.args 5 number 5`}},
		{"eql two fields", func(t *testing.T) *ir.Rule {
			return eqlRule(t, `any where process.name == process.executable`)
		}, ecs, []string{`process.name process.name "MOFCOMP.EXE" process.name equal process.executable`}},
	} {
		rs, err := compile.Compile([]*ir.Rule{tt.rule(t)})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		rec := rs.NewRecord()
		if err := rec.ResetJSON([]byte(tt.event)); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rs.Explain(rec, 0) {
			path := r.Path
			if path == "" {
				path = "-"
			}
			v := fmt.Sprint(r.Value)
			if s, ok := r.Value.(string); ok {
				v = `"` + s + `"`
			}
			got = append(got, strings.Join([]string{r.Field, path, v, r.Test}, " "))
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
		if matched := len(rs.MatchRecord(rec, nil)) > 0; matched != (tt.want != nil) {
			t.Errorf("%s: matched %v, explained %q", tt.name, matched, got)
		}
	}
	rs, _ := compile.Compile(nil)
	if r := rs.Explain(match.Map{}, 3); r != nil {
		t.Errorf("rule out of range: %v", r)
	}
}

// Why a rule matched an event: the fields, the paths they were read at,
// the values and the comparisons that made it true.
func ExampleRuleset_Explain() {
	rs := mofcompRuleset()
	rec := rs.NewRecord()
	err := rec.ResetJSON([]byte(`{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},` +
		`"process":{"name":"mofcomp.exe","args":["mofcomp.exe","C:\\Temp\\x.mof"]}}`))
	if err != nil {
		panic(err)
	}
	for _, r := range rs.Explain(rec, 0) {
		fmt.Printf("%s = %v: %s\n", r.Path, r.Value, r.Test)
	}
	// Output:
	// event.category = process: exact "process"
	// host.os.type = windows: exact "windows"
	// event.type = start: exact "start"
	// process.name = mofcomp.exe: exact~ "mofcomp.exe"
	// process.args = C:\Temp\x.mof: suffix~ ".mof"
}

// TestExplainCorpus checks Explain against Match on real rules and events:
// the SigmaHQ Windows rules and Elastic's EQL rules over the SigmaHQ
// regression records (with their ECS view, so that EQL rules match too).
// Explain gives reasons exactly for the rules MatchRecord reports, and
// each reason's value is what the event holds at its path (or an element
// of it).
func TestExplainCorpus(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "corpus")
	files, _ := filepath.Glob(filepath.Join(shared, "sigma-regression", "*", "events.json"))
	if len(files) == 0 {
		t.Skipf("%s is absent", shared)
	}
	rules, _ := ruleforge.Load(filepath.Join(shared, "sigmahq", "rules", "windows"), filepath.Join(shared, "elastic", "rules", "windows"))
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	rd := normalize.NewReader(rs, normalize.Auto)
	hits, reasons, langs := 0, 0, map[ir.Lang]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			var raw json.RawMessage
			if dec.Decode(&raw) != nil {
				break
			}
			rec, err := rd.Read(raw)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			matched := rs.MatchRecord(rec, nil)
			for i := range rs.Len() {
				rr := rs.Explain(rec, i)
				if (rr != nil) != slices.Contains(matched, i) {
					t.Errorf("%s: rule %s: matched %v, explained %v", f, rs.Rule(i).ID, slices.Contains(matched, i), rr)
					continue
				}
				if rr != nil {
					hits++
					langs[rs.Rule(i).Lang]++
				}
				for _, r := range rr {
					reasons++
					if r.Path == "" {
						continue
					}
					v, ok := rec.Lookup(match.NewPath(r.Path))
					if !ok || !holds(v, r.Value) {
						t.Errorf("%s: rule %s: %+v, but the event holds %v at %s", f, rs.Rule(i).ID, r, v, r.Path)
					}
				}
			}
		}
	}
	if langs[ir.LangSigma] == 0 || langs[ir.LangEQL] == 0 {
		t.Errorf("hits by language: %v; want some of both", langs)
	}
	t.Logf("%d hits explained by %d reasons (%v)", hits, reasons, langs)
}

// holds reports whether v is want or an array (at any depth) holding it.
func holds(v, want any) bool {
	if a, ok := v.([]any); ok {
		return slices.ContainsFunc(a, func(e any) bool { return holds(e, want) }) || reflect.DeepEqual(v, want)
	}
	return reflect.DeepEqual(v, want)
}

// FuzzExplain checks Explain on any event with rules of both languages
// (the three seed rules and a keyword search): no panic, and reasons
// exactly for the rules MatchRecord reports.
func FuzzExplain(f *testing.F) {
	f.Add([]byte(`{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},"process":{"name":"mofcomp.exe","args":["mofcomp.exe","C:\\Temp\\x.mof"]}}`))
	f.Add([]byte(`{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","CommandLine":"mofcomp %temp%\\a.mof","ParentImage":"C:\\Windows\\System32\\cmd.exe"}`))
	f.Add([]byte(`{"Event":{"System":{"EventID":1},"EventData":{"Image":"x\\mofcomp.exe","CommandLine":["a","\\AppData\\Local\\Temp"]}}}`))
	f.Add([]byte(`{"a":[1,{"b":"evil.mof"}],"process.name":"MOFCOMP.EXE"}`))
	rules, errs := ruleforge.Load("../testdata")
	if len(errs) > 0 {
		f.Fatal(errs)
	}
	kw, err := sigma.ParseRule("kw.yml", []byte("title: kw\nid: kw\nlogsource:\n  product: windows\ndetection:\n  k:\n    - 'mof'\n  condition: k\n"), sigma.Routing(false))
	if err != nil {
		f.Fatal(err)
	}
	rs, err := compile.Compile(append(rules, kw))
	if err != nil {
		f.Fatal(err)
	}
	rec := rs.NewRecord()
	f.Fuzz(func(t *testing.T, data []byte) {
		if rec.ResetJSON(data) != nil {
			return
		}
		matched := rs.MatchRecord(rec, nil)
		for i := range rs.Len() {
			if rr := rs.Explain(rec, i); (rr != nil) != slices.Contains(matched, i) {
				t.Fatalf("rule %s: matched %v, explained %v", rs.Rule(i).ID, matched, rr)
			}
		}
	})
}
