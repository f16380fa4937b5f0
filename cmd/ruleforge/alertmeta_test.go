package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// TestAlertMetadata checks the rule metadata in -output alert for both
// seed rules: rule.author, rule.references, rule.false_positives and the
// ECS threat.* fields.
func TestAlertMetadata(t *testing.T) {
	_, stdout, _ := runCLI("", "match", "-output", "alert", "-rules", tomlRule, "-rules", sigmaRule, sample)
	type meta struct {
		Rule struct {
			Author         []string `json:"author"`
			References     []string `json:"references"`
			FalsePositives []string `json:"false_positives"`
		} `json:"rule"`
		Threat *alertThreat `json:"threat"`
	}
	want := map[string]string{
		"210d4430-b371-470e-b879-80b7182aa75e": `{"rule":{"author":["Elastic"]},"threat":{"framework":"MITRE ATT&CK",` +
			`"tactic":{"id":["TA0002","TA0003"],"name":["Execution","Persistence"]},` +
			`"technique":{"id":["T1047","T1546"],"subtechnique":{"id":["T1546.003"]}}}}`,
		"1dd05363-104e-4b4a-b963-196a534b03a1": `{"rule":{"author":["Nasreddine Bencherchali (Nextron Systems)"],` +
			`"references":["https://thedfirreport.com/2022/07/11/select-xmrig-from-sqlserver/",` +
			`"https://github.com/The-DFIR-Report/Sigma-Rules/blob/75260568a7ffe61b2458ca05f6f25914efb44337/win_mofcomp_execution.yml",` +
			`"https://learn.microsoft.com/en-us/windows/win32/wmisdk/mofcomp"],"false_positives":["Unknown"]},` +
			`"threat":{"framework":"MITRE ATT&CK","tactic":{"id":["TA0005"],"name":["Stealth"]},"technique":{"id":["T1218"]}}}`,
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var a struct {
			Rule struct {
				ID string `json:"id"`
			} `json:"rule"`
		}
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		var got, exp meta
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(want[a.Rule.ID]), &exp); err != nil {
			t.Fatalf("rule %s: %v", a.Rule.ID, err)
		}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("rule %s:\n got %+v\nwant %s", a.Rule.ID, got, want[a.Rule.ID])
		}
		seen[a.Rule.ID] = true
	}
	if len(seen) != len(want) {
		t.Errorf("alerts of rules %v, want both seed rules", seen)
	}
}

// TestAlertThreat checks the ECS threat.* form of a rule's ATT&CK mapping.
func TestAlertThreat(t *testing.T) {
	tests := []struct {
		tactics    []ir.Tactic
		techniques []string
		want       string // JSON as json.Marshal writes it (& as \u0026); "null" for no threat
	}{
		{nil, nil, `null`},
		{[]ir.Tactic{{ID: "TA0002", Name: "Execution"}}, nil,
			`{"framework":"MITRE ATT\u0026CK","tactic":{"id":["TA0002"],"name":["Execution"]}}`},
		// A sub-technique alone lists its parent technique too.
		{nil, []string{"T1055.001", "T1055.002", "T1047"},
			`{"framework":"MITRE ATT\u0026CK","technique":{"id":["T1055","T1047"],"subtechnique":{"id":["T1055.001","T1055.002"]}}}`},
		{[]ir.Tactic{{Name: "Execution"}, {ID: "TA0005", Name: "Stealth"}}, []string{"T1218"},
			`{"framework":"MITRE ATT\u0026CK","tactic":{"id":["TA0005"],"name":["Execution","Stealth"]},"technique":{"id":["T1218"]}}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(newAlertThreat(&ir.Rule{Meta: ir.Meta{Tactics: tt.tactics, Techniques: tt.techniques}}))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("%v %v:\n got %s\nwant %s", tt.tactics, tt.techniques, b, tt.want)
		}
	}
}
