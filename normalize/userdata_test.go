package normalize_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/sigma"
)

// TestUserDataChild checks that Sigma rules of product windows read the
// UserData element of every provider at normalize.UserDataChild, through a
// Reader and through Normalize alike, on real records of
// ../sigma/testdata/records: System 104 (LogFileCleared, where UserData's
// Channel, the cleared log, comes before System's, always "System") and
// Setup 8 (CbsUpdateChangeState of Microsoft-Windows-Servicing, a provider
// no Sigma service names), in rules that name no service. UserData with
// two elements, or with a "#child" key of its own, gives no alias.
func TestUserDataChild(t *testing.T) {
	const (
		windows   = "logsource:\n  product: windows\n"
		linux     = "logsource:\n  product: linux\n"
		cleared   = "detection:\n  sel:\n    EventID: 104\n    Channel: Security\n  condition: sel\n"
		servicing = "detection:\n  sel:\n    UpdateName: Windows-Defender-Default-Definitions\n" +
			"    PackageIdentifier|contains: Defender\n  condition: sel\n"
	)
	setup := "setup_8_cbs_update_change_state.json"
	cbs := []string{"Event", "UserData", "CbsUpdateChangeState"}
	tests := []struct {
		name, rule, file string
		reshape          func(ev map[string]any)
		want             bool
	}{
		{"104 as recorded: UserData Channel is System", windows + cleared, "system_104_log_cleared.json", nil, false},
		{"104 clearing Security: UserData before System", windows + cleared, "system_104_log_cleared.json",
			set("Security", "Event", "UserData", "LogFileCleared", "Channel"), true},
		{"104 clearing Security, linux rule", linux + cleared, "system_104_log_cleared.json",
			set("Security", "Event", "UserData", "LogFileCleared", "Channel"), false},
		{"Setup 8 as recorded", windows + servicing, setup, nil, true},
		{"Setup 8, another update", windows + servicing, setup, set("KB5005565", append(cbs, "UpdateName")...), false},
		{"Setup 8, linux rule", linux + servicing, setup, nil, false},
		{"Setup 8, two UserData elements", windows + servicing, setup,
			set(map[string]any{"UpdateName": "x"}, "Event", "UserData", "Other"), false},
		{"Setup 8, UserData's own #child", windows + servicing, setup,
			set(map[string]any{"UpdateName": "x"}, "Event", "UserData", "#child"), false},
		{"Setup 8, UserData's own #child holds the fields", windows + servicing, setup,
			set(map[string]any{"UpdateName": "Windows-Defender-Default-Definitions", "PackageIdentifier": "Defender"},
				"Event", "UserData", "#child"), true},
		{"Setup 8, attributes are no element", windows + servicing, setup,
			set(map[string]any{"xmlns": "x"}, "Event", "UserData", "#attributes"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Routing off: a linux rule reads the record too, without the alias.
			r, err := sigma.ParseRule("u.yml", []byte("title: u\n"+tt.rule), sigma.Routing(false))
			if err != nil {
				t.Fatal(err)
			}
			raw := readRecord(t, tt.file, tt.reshape)
			for _, keywords := range []bool{false, true} {
				rules := []*ir.Rule{r}
				if keywords {
					// Every value read: the Reader decodes UserData events.
					k, err := sigma.ParseRule("k.yml", []byte("title: k\nlogsource:\n  product: windows\ndetection:\n  k:\n    - nothing-like-this\n  condition: k\n"))
					if err != nil {
						t.Fatal(err)
					}
					rules = append(rules, k)
				}
				rs, err := compile.Compile(rules)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range []normalize.Format{normalize.Auto, normalize.WinEvent} {
					rec, err := normalize.NewReader(rs, f).Read(raw)
					if err != nil {
						t.Fatal(err)
					}
					doc, err := match.ParseJSON(raw)
					if err != nil {
						t.Fatal(err)
					}
					normalize.Normalize(doc.Map(), f)
					got, gotMap := slices.Contains(rs.MatchRecord(rec, nil), 0), slices.Contains(rs.Match(doc, nil), 0)
					if got != tt.want || gotMap != tt.want {
						t.Errorf("%v, keywords %v: Reader matched %v, Normalize %v, want %v", f, keywords, got, gotMap, tt.want)
					}
				}
			}
		})
	}
}

// readRecord returns a record of ../sigma/testdata/records as JSON text,
// its decoded form changed by reshape first unless reshape is nil.
func readRecord(t *testing.T, name string, reshape func(map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "sigma", "testdata", "records", name))
	if err != nil {
		t.Fatal(err)
	}
	if reshape == nil {
		return data
	}
	var ev map[string]any
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	reshape(ev)
	return compact(t, ev)
}

// set returns a reshape that sets v at a path of keys.
func set(v any, keys ...string) func(map[string]any) {
	return func(ev map[string]any) {
		m := ev
		for _, k := range keys[:len(keys)-1] {
			m = m[k].(map[string]any)
		}
		m[keys[len(keys)-1]] = v
	}
}
