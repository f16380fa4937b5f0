package hitline

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/state"
)

// refHit is a hit line as cmd/ruleforge wrote it with encoding/json
// before this package: the reference Append must equal byte for byte.
type refHit struct {
	Input     string      `json:"input"`
	Event     int64       `json:"event"`
	RuleID    string      `json:"rule_id"`
	Title     string      `json:"title"`
	Language  string      `json:"language"`
	Severity  string      `json:"severity"`
	RiskScore *int        `json:"risk_score,omitempty"`
	RuleFile  string      `json:"rule_file,omitempty"`
	Timestamp string      `json:"timestamp,omitempty"`
	Computer  string      `json:"computer,omitempty"`
	Channel   string      `json:"channel,omitempty"`
	EventID   *int64      `json:"event_id,omitempty"`
	RecordID  *int64      `json:"record_id,omitempty"`
	Explain   []refReason `json:"explain,omitempty"`
}

// refReason is an explain reason as cmd/ruleforge wrote it.
type refReason struct {
	Field string `json:"field"`
	Path  string `json:"path,omitempty"`
	Value any    `json:"value"`
	Test  string `json:"test"`
}

// reference writes h's line with encoding/json: the struct, then Raw
// after the event's fields, then the stateful fields and the Kafka
// record, each pair marshalled alone (as stateful.go and kafka/alert.go
// appended them). It returns "" when Marshal fails.
func reference(h *Hit) string {
	r := h.Rule
	ref := refHit{Input: h.Input, Event: h.Event, RuleID: r.ID, Title: r.Title, Language: r.Lang.String(),
		Severity: r.Severity, RiskScore: r.RiskScore, RuleFile: r.Source.File, Timestamp: h.Timestamp,
		Computer: h.Computer, Channel: h.Channel, EventID: h.EventID, RecordID: h.RecordID}
	head, err := json.Marshal(ref)
	if err != nil {
		return ""
	}
	line := string(head[:len(head)-1])
	if len(h.Raw) > 0 {
		line += "," + string(h.Raw)
	}
	pair := func(name string, v any) {
		n, _ := json.Marshal(name)
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte("null")
		}
		line += "," + string(n) + ":" + string(b)
	}
	if len(h.Explain) > 0 {
		var rr []refReason
		for _, x := range h.Explain {
			rr = append(rr, refReason{x.Field, x.Path, x.Value, x.Test})
		}
		if _, err := json.Marshal(rr); err != nil {
			return "" // the CLI wrote an empty line; Append writes the value as null
		}
		pair("explain", rr)
	}
	for _, f := range h.State {
		pair(f.Name, f.Value)
	}
	if h.Record != nil {
		pair("topic", h.Record.Topic)
		pair("partition", h.Record.Partition)
		pair("offset", h.Record.Offset)
	}
	return line + "}"
}

// TestAppend checks hit lines byte for byte, as the CLI's goldens and
// kafka's alert values have them, and against the reference.
func TestAppend(t *testing.T) {
	risk, id, rec := 47, int64(4688), int64(-1)
	rule := &ir.Rule{Meta: ir.Meta{ID: "r1", Title: "T <1> & \u2028", Severity: "high"}, Lang: ir.LangSigma, RiskScore: &risk}
	rule.Source.File = "rules/r1.yml"
	eql := &ir.Rule{Meta: ir.Meta{ID: "s", Title: "S"}, Lang: ir.LangEQL}
	for _, tc := range []struct {
		name string
		hit  Hit
		want string
	}{
		{"plain", Hit{Input: "events.json", Event: 3, Rule: eql},
			`{"input":"events.json","event":3,"rule_id":"s","title":"S","language":"eql","severity":""}`},
		{"fields", Hit{Input: "a\"b", Event: 1, Rule: rule, Fields: Fields{Timestamp: "2024-05-14T10:41:16.512Z", Computer: "h1", Channel: "Security", EventID: &id, RecordID: &rec}},
			`{"input":"a\"b","event":1,"rule_id":"r1","title":"T \u003c1\u003e \u0026 \u2028","language":"sigma","severity":"high","risk_score":47,"rule_file":"rules/r1.yml","timestamp":"2024-05-14T10:41:16.512Z","computer":"h1","channel":"Security","event_id":4688,"record_id":-1}`},
		{"explain", Hit{Input: "x", Event: 2, Rule: eql, Fields: Fields{Computer: "h"}, Explain: []match.Reason{
			{Field: "Image", Path: "Event.EventData.Image", Value: `C:\a.exe`, Test: `suffix~ "\\a.exe"`},
			{Field: "*", Value: json.Number("12"), Test: "keyword"},
			{Field: "n", Path: "n", Value: math.Inf(1), Test: "exists"}}},
			`{"input":"x","event":2,"rule_id":"s","title":"S","language":"eql","severity":"","computer":"h","explain":[{"field":"Image","path":"Event.EventData.Image","value":"C:\\a.exe","test":"suffix~ \"\\\\a.exe\""},{"field":"*","value":12,"test":"keyword"},{"field":"n","path":"n","value":null,"test":"exists"}]}`},
		{"state", Hit{Input: "x", Event: 9, Rule: eql, State: []state.Field{{Name: "sequence", Value: []int64{2, 8}}, {Name: "join", Value: []any{"h1"}}, {Name: "bad", Value: func() {}}}},
			`{"input":"x","event":9,"rule_id":"s","title":"S","language":"eql","severity":"","sequence":[2,8],"join":["h1"],"bad":null}`},
		{"kafka", Hit{Input: "ev", Event: 8, Rule: eql, Raw: []byte(`"computer":"h1"`), State: []state.Field{{Name: "sequence", Value: []int64{2, 8}}}, Record: &Record{"ev", 3, 7}},
			`{"input":"ev","event":8,"rule_id":"s","title":"S","language":"eql","severity":"","computer":"h1","sequence":[2,8],"topic":"ev","partition":3,"offset":7}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Append([]byte("x"), &tc.hit))[1:]
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if ref := reference(&tc.hit); ref != "" && ref != got {
				t.Errorf("reference %s", ref)
			}
		})
	}
}

// TestAppendFields checks the fields kafka.Config.Describe returns for
// the CLI: the pairs without braces or a leading comma.
func TestAppendFields(t *testing.T) {
	id := int64(1)
	for _, tc := range []struct {
		f    Fields
		want string
	}{
		{Fields{}, ""},
		{Fields{RecordID: &id}, `"record_id":1`},
		{Fields{Computer: "h<", EventID: &id}, `"computer":"h\u003c","event_id":1`},
	} {
		if got := string(AppendFields(nil, &tc.f)); got != tc.want {
			t.Errorf("AppendFields(%+v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}

// TestSameAsMarshal compares Append, and a Writer's lines (rules and
// inputs drawn again, so that it writes them from what it remembers),
// with the reference on random hits
// whose texts mix ASCII, escapes, multi-byte and invalid UTF-8, and
// whose explain and stateful values are of every kind they hold.
func TestSameAsMarshal(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "Z9", " ", `"`, `\`, "<", ">", "&", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "日本", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "\ufffd"}
	text := func() string {
		var b strings.Builder
		for range rnd.IntN(6) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		return b.String()
	}
	// value is an explain or stateful field's value of any kind they hold:
	// texts, numbers as JSON text or Go numbers, bools, null, arrays and
	// objects (correlate's group), never a value Marshal cannot write.
	var value func(depth int) any
	value = func(depth int) any {
		switch k := rnd.IntN(10); {
		case k == 0:
			return rnd.Int64() - math.MaxInt64/2
		case k == 1:
			return []float64{0, -0.5, 1e20, 1e21, 1e-6, 1e-7, 3.14159, -123456789.125}[rnd.IntN(8)]
		case k == 2:
			return rnd.IntN(2) == 0
		case k == 3:
			return nil
		case k == 4:
			return json.Number([]string{"12", "-0.5", "1e300"}[rnd.IntN(3)])
		case k == 5:
			return []int64{rnd.Int64N(100), -rnd.Int64N(100)}
		case k == 6 && depth < 2:
			return []any{value(depth + 1), value(depth + 1)}
		case k == 7 && depth < 2:
			return map[string]any{text(): value(depth + 1), text(): value(depth + 1)}
		}
		return text()
	}
	var w Writer // its lines too, with rules and inputs drawn again, in and out of turn
	var rules []*ir.Rule
	var inputs []string
	for range 5000 {
		rule := &ir.Rule{Meta: ir.Meta{ID: text(), Title: text(), Severity: text()}, Lang: ir.Lang(rnd.IntN(3))}
		rule.Source.File = text()
		if rnd.IntN(2) == 0 {
			risk := rnd.IntN(200) - 100
			rule.RiskScore = &risk
		}
		if len(rules) > 0 && rnd.IntN(2) == 0 {
			rule = rules[rnd.IntN(len(rules))]
		} else {
			rules = append(rules, rule)
		}
		input := text()
		if len(inputs) > 0 && rnd.IntN(3) > 0 {
			input = inputs[len(inputs)-1-rnd.IntN(min(2, len(inputs)))] // the last input or the one before
		} else {
			inputs = append(inputs, input)
		}
		h := Hit{Input: input, Event: rnd.Int64(), Rule: rule, Fields: Fields{Timestamp: text(), Computer: text(), Channel: text()}}
		if rnd.IntN(2) == 0 {
			n := rnd.Int64() - math.MaxInt64/2
			h.EventID, h.RecordID = &n, &n
		}
		for range rnd.IntN(3) {
			h.Explain = append(h.Explain, match.Reason{Field: text(), Path: text(), Value: value(0), Test: text()})
			h.State = append(h.State, state.Field{Name: text(), Value: value(0)})
		}
		if rnd.IntN(2) == 0 {
			h.Record = &Record{text(), rnd.Int32(), rnd.Int64()}
		}
		got, want := string(Append(nil, &h)), reference(&h)
		if got != want {
			t.Fatalf("hit %+v\ngot  %q\nwant %q", h, got, want)
		}
		if got := string(w.Append([]byte("x"), &h)); got != "x"+want {
			t.Fatalf("Writer: hit %+v\ngot  %q\nwant %q", h, got, "x"+want)
		}
	}
}

// FuzzString checks that appendString writes what encoding/json writes
// for any string.
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", `a"b\c`, "<>&", "\x00\b\f\n\r\t\x1f\x7f", "é日😀", "\u2028\u2029", "\xff\xe2\x80", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkAppend writes a typical hit line (a Sigma rule, a Windows
// event's fields) with Append, with a Writer (which has written the
// input and the rule before: a hit of the same input and rule) and, as
// the baseline, with encoding/json's Marshal of the struct the CLI used
// before.
func BenchmarkAppend(b *testing.B) {
	id, rec := int64(4688), int64(1203391)
	rule := &ir.Rule{Meta: ir.Meta{ID: "5f4bf1e2-0a5d-4b66-93d8-0d3a4f4c1e2a", Title: "Suspicious Process Created From An Office Application", Severity: "high"}, Lang: ir.LangSigma}
	rule.Source.File = "../shared/corpus/sigmahq/rules/windows/process_creation/proc_creation_win_office_susp_child.yml"
	h := Hit{Input: "../shared/corpus/evtx/EVTX-ATTACK-SAMPLES/Execution/exec_sysmon_1_lolbin_pcalua.evtx", Event: 123456, Rule: rule, Fields: Fields{Timestamp: "2024-05-14T10:41:16.512Z", Computer: "WIN-DC01.corp.example.com", Channel: "Microsoft-Windows-Sysmon/Operational", EventID: &id, RecordID: &rec}}
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r := h.Rule
			if _, err := json.Marshal(refHit{Input: h.Input, Event: h.Event, RuleID: r.ID, Title: r.Title, Language: r.Lang.String(),
				Severity: r.Severity, RiskScore: r.RiskScore, RuleFile: r.Source.File, Timestamp: h.Timestamp,
				Computer: h.Computer, Channel: h.Channel, EventID: h.EventID, RecordID: h.RecordID}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = Append(buf[:0], &h)
		}
	})
	b.Run("writer", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		var w Writer
		for b.Loop() {
			buf = w.Append(buf[:0], &h)
		}
	})
}

// TestWriterRemembers: once a Writer has written a hit line of each rule
// and input, more lines of them cost no allocation (the rules' fields
// and the input's quoting are remembered, not made again), with rules
// and inputs in and out of turn.
func TestWriterRemembers(t *testing.T) {
	r1 := &ir.Rule{Meta: ir.Meta{ID: "r1", Title: "One <&>", Severity: "high"}, Lang: ir.LangSigma}
	r2 := &ir.Rule{Meta: ir.Meta{ID: "r2", Title: "Two \"quoted\"", Severity: "low"}, Lang: ir.LangEQL}
	r2.Source.File = "rules/two.toml"
	hits := []Hit{{Input: "a.evtx", Event: 1, Rule: r1}, {Input: "a.evtx", Event: 2, Rule: r2}, {Input: "b\tc.json", Event: 3, Rule: r1}}
	var w Writer
	buf := make([]byte, 0, 4096)
	for i := range hits {
		buf = w.Append(buf[:0], &hits[i])
	}
	if n := testing.AllocsPerRun(100, func() {
		for i := range hits {
			buf = w.Append(buf[:0], &hits[i])
		}
	}); n != 0 {
		t.Errorf("%v allocations per round of %d lines already written, want 0", n, len(hits))
	}
}
