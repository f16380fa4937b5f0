package ruleforge_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

const whoamiRule = `title: Whoami
id: 11111111-2222-3333-4444-555555555555
logsource:
  category: process_creation
  product: windows
detection:
  sel:
    Image|endswith: '\whoami.exe'
  condition: sel
level: low
`

const adminFilter = `title: Admins may run whoami
logsource:
  category: process_creation
  product: windows
filter:
  rules:
    - 11111111-2222-3333-4444-555555555555
  selection:
    User|startswith: 'adm_'
  condition: not selection
`

// TestLoadFilters checks that a directory with a rule and a filter rule
// loads one rule, with the filter applied to it, and that Loader options
// reach the Sigma rules.
func TestLoadFilters(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"whoami.yml": whoamiRule, "filter.yml": adminFilter, "notes.txt": "not a rule"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		loader   ruleforge.Loader
		event    string
		want     bool
		scenario string
	}{
		{ruleforge.Loader{}, `{"EventID":1,"Image":"C:\\w\\whoami.exe","User":"bob"}`, true, "not an admin"},
		{ruleforge.Loader{}, `{"EventID":1,"Image":"C:\\w\\whoami.exe","User":"adm_bob"}`, false, "filtered out"},
		{ruleforge.Loader{}, `{"EventID":4625,"Image":"C:\\w\\whoami.exe","User":"bob"}`, false, "routed away"},
		{ruleforge.Loader{Sigma: []sigma.Option{sigma.Routing(false)}}, `{"EventID":4625,"Image":"C:\\w\\whoami.exe","User":"bob"}`, true, "routing off"},
	} {
		rules, errs := tt.loader.Load(dir)
		if len(errs) > 0 || len(rules) != 1 {
			t.Fatalf("%s: %d rules, errors %v", tt.scenario, len(rules), errs)
		}
		rs := compile.MustCompile(rules)
		ev, err := match.ParseJSON([]byte(tt.event))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rs.Match(ev, nil)) == 1; got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.scenario, got, tt.want)
		}
	}
}
