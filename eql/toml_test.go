package eql

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

func TestParseTOMLMofcomp(t *testing.T) {
	const file = "../testdata/execution_mofcomp.toml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseTOML(file, src)
	if err != nil {
		t.Fatal(err)
	}
	score := 21
	want := &ir.Rule{
		Meta: ir.Meta{
			ID:    "210d4430-b371-470e-b879-80b7182aa75e",
			Title: "Mofcomp Activity",
			Description: "Managed Object Format (MOF) files can be compiled locally or remotely through mofcomp.exe. " +
				"Attackers may leverage MOF\nfiles to build their own namespaces and classes into the Windows " +
				"Management Instrumentation (WMI) repository, or\nestablish persistence using WMI Event Subscription.",
			Severity: "low",
			Status:   "stable", // maturity = "production"
			Tags: []string{
				"Domain: Endpoint",
				"OS: Windows",
				"Use Case: Threat Detection",
				"Tactic: Execution",
				"Data Source: Elastic Defend",
				"Data Source: Microsoft Defender XDR",
				"Data Source: Elastic Endgame",
				"Data Source: Windows Security Event Logs",
				"Data Source: Crowdstrike",
				"Resources: Investigation Guide",
			},
			Attack:     []string{"TA0002", "T1047", "TA0003", "T1546", "T1546.003"},
			Author:     []string{"Elastic"},
			Tactics:    []ir.Tactic{{ID: "TA0002", Name: "Execution"}, {ID: "TA0003", Name: "Persistence"}},
			Techniques: []string{"T1047", "T1546", "T1546.003"},
		},
		RiskScore: &score,
		Index: []string{"endgame-*", "logs-crowdstrike.fdr*", "logs-endpoint.events.process-*",
			"logs-m365_defender.event-*", "logs-system.security*"},
		Lang:   ir.LangEQL,
		Source: ir.Pos{File: file, Offset: strings.Index(string(src), "process where"), Line: 44, Col: 1},
	}
	got := *r
	got.Expr = nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("ParseTOML metadata\n got %+v\nwant %+v", &got, want)
	}
	if r.Expr == nil {
		t.Fatal("no expression")
	}
}

// TestTOMLThreat checks the metadata read from [rule]: author, references,
// false_positives, index and the ATT&CK mapping of [[rule.threat]]
// (detection-rules, detection_rules/schemas/definitions.py: ThreatMapping
// with tactic {id, name, reference}, technique [{id, name, reference,
// subtechnique}]).
func TestTOMLThreat(t *testing.T) {
	const head = "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = 'any where true'\n"
	tests := []struct {
		name, src string
		want      ir.Rule
	}{
		{"none", head, ir.Rule{}},
		{"lists", head + "author = [\"A\", \"B\"]\nreferences = [\"https://x\"]\nfalse_positives = [\"Admins\"]\nindex = [\"logs-*\"]\n",
			ir.Rule{Meta: ir.Meta{Author: []string{"A", "B"}, References: []string{"https://x"}, FalsePositives: []string{"Admins"}}, Index: []string{"logs-*"}}},
		{"two threats, duplicates dropped", head + `[[rule.threat]]
framework = "MITRE ATT&CK"
[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
[[rule.threat.technique]]
id = "T1055"
[[rule.threat.technique.subtechnique]]
id = "T1055.001"
[[rule.threat]]
[rule.threat.tactic]
id = "TA0005"
name = "Defense Evasion"
[[rule.threat.technique]]
id = "T1055"
[[rule.threat]]
[rule.threat.tactic]
id = "TA0004"
name = "Privilege Escalation"
`, ir.Rule{
			Meta: ir.Meta{
				Attack:     []string{"TA0005", "T1055", "T1055.001", "TA0004"},
				Tactics:    []ir.Tactic{{ID: "TA0005", Name: "Defense Evasion"}, {ID: "TA0004", Name: "Privilege Escalation"}},
				Techniques: []string{"T1055", "T1055.001"},
			},
		}},
		{"tactic without id", head + "[[rule.threat]]\n[rule.threat.tactic]\nname = \"Execution\"\n",
			ir.Rule{Meta: ir.Meta{Tactics: []ir.Tactic{{Name: "Execution"}}}}},
	}
	for _, tt := range tests {
		r, err := ParseTOML("r.toml", []byte(tt.src))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		got := ir.Rule{
			Meta: ir.Meta{
				Attack:         r.Attack,
				Author:         r.Author,
				References:     r.References,
				FalsePositives: r.FalsePositives,
				Tactics:        r.Tactics,
				Techniques:     r.Techniques,
			},
			Index: r.Index,
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// tomlRule returns a minimal rule file around a query value as written in
// TOML (delimiters included).
func tomlRule(query string) string {
	return "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = " + query + "\n"
}

func TestParseTOMLQueryStrings(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // String() of the expression
		source    string // Source
	}{
		{"literal multi-line", tomlRule("'''\nany where a : \"C:\\\\x\"\n'''"), `a glob~ "C:\x"`, "r.toml:5:1"},
		{"literal", tomlRule(`'any where a == "x"'`), `a equal "x"`, "r.toml:4:10"},
		{"basic", tomlRule(`"any where a == \"C:\\\\x\""`), `a equal "C:\x"`, "r.toml:4:10"},
		{"basic multi-line", tomlRule("\"\"\"\n  any where \\\n    a == 1\n\"\"\""), `a equal 1`, "r.toml:5:3"},
	}
	for _, tt := range tests {
		r, err := ParseTOML("r.toml", []byte(tt.src))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := r.Expr.String(); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
		if got := r.Source.String(); got != tt.source {
			t.Errorf("%s: source %s, want %s", tt.name, got, tt.source)
		}
	}
}

func TestParseTOMLErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"toml syntax", "[rule]\nname = = 1\n", `r.toml:2:8: toml: expected value but found '=' instead`},
		{"toml at the end", "[\n", `r.toml:2:1: toml: expected '.' or ']' to end table name, but got '\n' instead`},
		{"toml past a line", "[rule]\nx = [1,\n", `r.toml:2:8: toml: unexpected EOF; expected value`},
		{"no rule", "[metadata]\nx = 1\n", `r.toml:1:1: missing [rule] table`},
		{"rule not a table", "rule = 1\n", `r.toml:1:1: unexpected integer for rule (expected a table)`},
		{"no language", "[rule]\nquery = 'any where true'\n", `r.toml:1:1: missing rule.language`},
		{"kuery", "[rule]\nrule_id = \"r1\"\nlanguage = \"kuery\"\nquery = 'a: b'\n",
			`r.toml:3:1: unsupported: language "kuery" (expected "eql")`},
		{"no rule_id", "[rule]\nlanguage = \"eql\"\nquery = 'any where true'\n", `r.toml:1:1: missing rule.rule_id`},
		{"no query", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\n", `r.toml:1:1: missing rule.query`},
		{"query type", tomlRule("1"), `r.toml:4:1: unexpected integer for rule.query (expected a string)`},
		{"risk_score type", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\n  risk_score = \"21\"\n",
			`r.toml:4:3: unexpected string for rule.risk_score (expected an integer)`},
		{"risk_score negative", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nrisk_score = -5\n",
			`r.toml:4:1: rule.risk_score -5 is out of range (expected 1 to 100)`},
		{"risk_score over 100", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nrisk_score = 101\n",
			`r.toml:4:1: rule.risk_score 101 is out of range (expected 1 to 100)`},
		{"tags type", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\ntags = [\"a\", 1]\n",
			`r.toml:4:1: unexpected integer for rule.tags (expected an array of strings)`},
		{"threat id type", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\n[[rule.threat]]\n[rule.threat.tactic]\nid = 2\n",
			`r.toml:6:1: unexpected integer for rule.threat.tactic.id (expected a string)`},
		{"threat name type", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\n[[rule.threat]]\n[rule.threat.tactic]\nname = 2\n",
			`r.toml:6:1: unexpected integer for rule.threat.tactic.name (expected a string)`},
		{"author type", "[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nauthor = \"Elastic\"\n",
			`r.toml:4:1: unexpected string for rule.author (expected an array of strings)`},
		{"literal multi-line query", tomlRule("'''\nprocess where\n  a == 'x'\n'''"),
			`r.toml:6:8: unexpected single quote (strings are written in double quotes)`},
		{"literal query", tomlRule(`'any where a =='`), `r.toml:4:24: unexpected end of query (expected a value)`},
		{"basic query escapes", tomlRule(`"any where a == \"\\q\""`),
			`r.toml:4:27: bad escape "\q" (expected one of \\ \" \' \t \n \r \b \f \u{…})`},
		{"basic query unicode escape", tomlRule(`"any where \u0061 == \"x\" b"`),
			`r.toml:4:36: unexpected "b" (expected an operator or end of query)`},
		{"basic multi-line query", tomlRule("\"\"\"\nany where \\\n   a == \"\\\\q\"\n\"\"\""),
			`r.toml:6:10: bad escape "\q" (expected one of \\ \" \' \t \n \r \b \f \u{…})`},
		{"sequence", tomlRule("'''\nsequence by host.id with maxspan=1m\n  [process where true]\n'''"),
			`r.toml:5:1: a sequence needs at least 2 stages (or with runs=2 or more)`},
	}
	for _, tt := range tests {
		_, err := ParseTOML("r.toml", []byte(tt.src))
		if err == nil {
			t.Errorf("%s: no error, want %s", tt.name, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%s:\n got error %s\nwant error %s", tt.name, got, tt.want)
		}
		checkError(t, tt.src, err)
	}
}

// TestParseTOMLMaturity checks that [metadata] maturity becomes Status in
// Sigma's words (production stable, development experimental), that
// other words are kept, and that a maturity that is no string is an
// error at its key.
func TestParseTOMLMaturity(t *testing.T) {
	const rule = "[rule]\nrule_id = \"x\"\nlanguage = \"eql\"\nquery = 'process where true'\n"
	for _, tt := range []struct{ meta, status, err string }{
		{"", "", ""},
		{"[metadata]\nintegration = [\"endpoint\"]\n", "", ""},
		{"[metadata]\nmaturity = \"production\"\n", "stable", ""},
		{"[metadata]\nmaturity = \"development\"\n", "experimental", ""},
		{"[metadata]\nmaturity = \"Deprecated\"\n", "deprecated", ""},
		{"[metadata]\nmaturity = \"beta\"\n", "beta", ""},
		{"[metadata]\nmaturity = 1\n", "", "r.toml:2:1: unexpected integer for metadata.maturity (expected a string)"},
	} {
		r, err := ParseTOML("r.toml", []byte(tt.meta+rule))
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: error %v, want %q", tt.meta, err, tt.err)
			}
			continue
		}
		if err != nil || r.Status != tt.status {
			t.Errorf("%q: status %q, error %v; want %q", tt.meta, r.Status, err, tt.status)
		}
	}
}
