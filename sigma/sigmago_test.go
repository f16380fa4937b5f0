package sigma_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
	"gopkg.in/yaml.v3"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// The causes of disagreements with sigma-go's evaluator; see the table in
// the package documentation.
const (
	causeWildcard = "sigma-go treats * and ? as text"
	causeEscape   = `sigma-go keeps the backslash of \\, \* and \?`
)

// processEvent is a Sysmon process creation event for both evaluators.
type processEvent struct {
	name string         // case folder and index
	doc  match.Event    // for ruleforge
	flat map[string]any // for sigma-go: the record's System and EventData fields at the top level
}

// processEvents reads the Sysmon event ID 1 records of the regression
// corpus.
func processEvents(t *testing.T) []processEvent {
	t.Helper()
	dirs, err := os.ReadDir(regressionDir)
	if err != nil {
		t.Skipf("no regression corpus at %s: %v", regressionDir, err)
	}
	var out []processEvent
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(regressionDir, d.Name(), "events.json"))
		if err != nil {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for i := 0; ; i++ {
			var raw json.RawMessage
			if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Event struct {
					System    map[string]any
					EventData map[string]any
				}
			}
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(m.Event.System["EventID"]) != "1" || m.Event.System["Channel"] != "Microsoft-Windows-Sysmon/Operational" {
				continue
			}
			flat := map[string]any{}
			for _, part := range []map[string]any{m.Event.System, m.Event.EventData} {
				for k, v := range part {
					if _, ok := v.(map[string]any); !ok {
						flat[k] = v
					}
				}
			}
			doc, err := match.ParseJSON(raw)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, processEvent{fmt.Sprintf("%s#%d", d.Name(), i), doc, flat})
		}
	}
	return out
}

// searchRule returns the rule's YAML with its condition replaced by one
// search's name, to evaluate that search alone.
func searchRule(t *testing.T, src []byte, search string) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "detection" {
			continue
		}
		det := root.Content[i+1]
		for j := 0; j+1 < len(det.Content); j += 2 {
			if det.Content[j].Value == "condition" {
				det.Content[j+1] = &yaml.Node{Kind: yaml.ScalarNode, Value: search}
			}
		}
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wildcard finds an unescaped * or ? in a Sigma string.
var wildcard = regexp.MustCompile(`(^|[^\\]|\\\\)[*?]`)

// searchCause explains why the two evaluators disagree on one search, from
// the values it holds, or returns "".
func searchCause(s sigmago.Search) string {
	var cause string
	for _, em := range s.EventMatchers {
		for _, fm := range em {
			if strings.Contains(strings.Join(fm.Modifiers, "|"), "re") {
				continue
			}
			for _, v := range fm.Values {
				str, ok := v.(string)
				switch {
				case !ok:
				case wildcard.MatchString(str):
					return causeWildcard
				case strings.Contains(str, `\\`) || strings.Contains(str, `\*`) || strings.Contains(str, `\?`):
					cause = causeEscape
				}
			}
		}
	}
	return cause
}

// TestSigmaGo compares ruleforge with sigma-go's evaluator on the SigmaHQ
// process_creation rules that both load and that sigma-go evaluates
// without an error, over the Sysmon process creation events of the
// regression corpus. Every disagreement must have a known cause, found by
// evaluating the searches one by one; the counts are logged and documented
// in the package documentation.
func TestSigmaGo(t *testing.T) {
	dir := filepath.Join(corpusDir, "windows", "process_creation")
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil || len(files) == 0 {
		t.Skipf("no process_creation rules at %s", dir)
	}
	events := processEvents(t)
	if len(events) == 0 {
		t.Skip("no process creation events")
	}
	// sigma-go expands placeholders without being asked; an identity
	// expander keeps %name% values as text, as Sigma means them.
	identity := evaluator.WithPlaceholderExpander(func(_ context.Context, name string) ([]string, error) {
		return []string{name}, nil
	})
	var (
		rules, noParse, noEval, oursFail int
		pairs, agree                     int
		causes                           = map[string]int{}
		causeRules                       = map[string]map[string]bool{}
		reasons                          = map[string]int{}
		matchesOurs, matchesGo           int
	)
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		gr, err := sigmago.ParseRule(src)
		if err != nil {
			noParse++
			reasons["parse: "+errorKind(err)]++
			continue
		}
		ev := evaluator.ForRule(gr, identity)
		r, err := sigma.ParseRule(file, src)
		if err != nil {
			oursFail++
			continue
		}
		rs, err := compile.Compile([]*ir.Rule{r})
		if err != nil {
			t.Fatal(err)
		}
		results := make([]evaluator.Result, len(events))
		ok := true
		for i, e := range events {
			if results[i], err = ev.Matches(context.Background(), e.flat); err != nil {
				reasons["evaluate: "+errorKind(err)]++
				ok = false
				break
			}
		}
		if !ok {
			noEval++
			continue
		}
		rules++
		for i, e := range events {
			pairs++
			ours := len(rs.Match(e.doc, nil)) > 0
			if ours {
				matchesOurs++
			}
			if results[i].Match {
				matchesGo++
			}
			if ours == results[i].Match {
				agree++
				continue
			}
			cause := ""
			for name, s := range gr.Detection.Searches {
				sr, err := sigma.ParseRule(file, searchRule(t, src, name), sigma.Routing(false))
				if err != nil {
					t.Fatal(err)
				}
				if refeval.Eval(sr.Expr, e.doc) != results[i].SearchResults[name] {
					if c := searchCause(s); c != "" && (cause == "" || c == causeWildcard) {
						cause = c
					}
				}
			}
			if cause == "" {
				t.Errorf("%s on %s: ruleforge %t, sigma-go %t, cause unknown", filepath.Base(file), e.name, ours, results[i].Match)
				cause = "unknown"
			}
			causes[cause]++
			if causeRules[cause] == nil {
				causeRules[cause] = map[string]bool{}
			}
			causeRules[cause][filepath.Base(file)] = true
		}
	}
	t.Logf("%d rules: sigma-go cannot parse %d, errors evaluating %d, ruleforge cannot load %d; %d evaluated", len(files), noParse, noEval, oursFail, rules)
	for _, r := range sortedKeys(reasons) {
		t.Logf("%5d rules: sigma-go %s", reasons[r], r)
	}
	t.Logf("%d events, %d rule-event pairs (%d matches for ruleforge, %d for sigma-go), %d agree, %d disagree",
		len(events), pairs, matchesOurs, matchesGo, agree, pairs-agree)
	names := make([]string, 0, len(causes))
	for c := range causes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		rs := make([]string, 0, len(causeRules[c]))
		for r := range causeRules[c] {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		t.Logf("%5d pairs, %3d rules: %s (%s)", causes[c], len(rs), c, strings.Join(rs, ", "))
	}
}

// errorKind reduces a sigma-go error to its kind, without the names and
// values it quotes.
func errorKind(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "expected scalar field matching value got: <nil>"):
		return "cannot evaluate null values"
	case strings.Contains(msg, "must be the last modifier"):
		return "needs contains/startswith/endswith last (contains|windash, contains|all|windash, ...)"
	case strings.Contains(msg, "unknown modifier"):
		return msg[strings.Index(msg, "unknown modifier"):]
	case strings.Contains(msg, "keywords unsupported"):
		return "keywords unsupported"
	case regexp.MustCompile(`^\d+:\d+:`).MatchString(msg):
		return "condition grammar: " + regexp.MustCompile(`^\d+:\d+: `).ReplaceAllString(msg, "")
	}
	return msg
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
