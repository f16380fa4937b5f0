package sigma_test

import (
	"errors"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

const filterRule = `title: Whoami
id: 11111111-2222-3333-4444-555555555555
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    CommandLine|contains: whoami
  condition: selection
`

const adminFilter = `title: Filter admin accounts
description: Administrators run whoami.
logsource:
  category: process_creation
  product: windows
filter:
  rules:
    - 11111111-2222-3333-4444-555555555555
    - Some other rule
  selection:
    User|startswith: 'adm_'
  condition: not selection
`

// matches compiles r and reports whether it matches the JSON event.
func matches(t *testing.T, r *ir.Rule, event string) bool {
	t.Helper()
	rs, err := compile.Compile([]*ir.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := match.ParseJSON([]byte(event))
	if err != nil {
		t.Fatal(err)
	}
	return len(rs.Match(ev, nil)) > 0
}

// TestFilter loads a filter, applies it to the rule it names and checks
// that it suppresses the matches it describes.
func TestFilter(t *testing.T) {
	f, err := sigma.ParseFilter("mf_admins.yml", []byte(adminFilter))
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Filter admin accounts" || len(f.Rules) != 2 || f.Logsource != (sigma.Logsource{Category: "process_creation", Product: "windows"}) {
		t.Errorf("filter metadata: %+v", f)
	}
	if got, want := f.Expr.String(), `(not User prefix~ "adm_")`; got != want {
		t.Errorf("filter expression %s, want %s", got, want)
	}
	if got, want := f.Source.String(), "mf_admins.yml:6:1"; got != want {
		t.Errorf("filter source %s, want %s", got, want)
	}
	admin := `{"CommandLine":"whoami /all","User":"adm_bob"}`
	user := `{"CommandLine":"whoami /all","User":"bob"}`

	r, err := sigma.ParseRule("whoami.yml", []byte(filterRule))
	if err != nil {
		t.Fatal(err)
	}
	if !matches(t, r, admin) || !matches(t, r, user) {
		t.Fatal("the rule does not match before filtering")
	}
	if !f.Apply(r) {
		t.Fatal("Apply: the filter does not name the rule")
	}
	if matches(t, r, admin) || !matches(t, r, user) {
		t.Errorf("after Apply: admin %t (want false), user %t (want true)", matches(t, r, admin), matches(t, r, user))
	}

	// At load time, with the log source checked.
	r, err = sigma.ParseRule("whoami.yml", []byte(filterRule), sigma.WithFilters(f))
	if err != nil {
		t.Fatal(err)
	}
	if matches(t, r, admin) || !matches(t, r, user) {
		t.Errorf("WithFilters: admin %t (want false), user %t (want true)", matches(t, r, admin), matches(t, r, user))
	}
}

// TestFilterSelection checks which rules a filter applies to: by id,
// title or file name, "any", and only rules of a covered log source with
// WithFilters.
func TestFilterSelection(t *testing.T) {
	filter := func(rules, logsource string) *sigma.Filter {
		src := "title: f\nlogsource:\n" + logsource + "filter:\n  rules: " + rules + "\n  sel:\n    User: x\n  condition: not sel\n"
		f, err := sigma.ParseFilter("f.yml", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v", rules, err)
		}
		return f
	}
	win := "  product: windows\n"
	tests := []struct {
		name  string
		f     *sigma.Filter
		apply bool // Apply names the rule
		load  bool // WithFilters applies it
	}{
		{"by id", filter("[11111111-2222-3333-4444-555555555555]", win), true, true},
		{"by title", filter("Whoami", win), true, true},
		{"by file name", filter("[whoami]", win), true, true},
		{"another rule", filter("[other]", win), false, false},
		{"any", filter("any", win), true, true},
		{"all", filter("ALL", win), true, true},
		{"other log source", filter("any", "  product: linux\n"), true, false},
		{"narrower log source", filter("any", "  category: process_creation\n  product: windows\n  service: sysmon\n"), true, false},
		{"no log source", filter("any", "  {}\n"), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := sigma.ParseRule("rules/whoami.yml", []byte(filterRule), sigma.Routing(false))
			if err != nil {
				t.Fatal(err)
			}
			before := r.Expr.String()
			if got := tt.f.Apply(r); got != tt.apply || (r.Expr.String() != before) != tt.apply {
				t.Errorf("Apply = %t (expression changed %t), want %t", got, r.Expr.String() != before, tt.apply)
			}
			r, err = sigma.ParseRule("rules/whoami.yml", []byte(filterRule), sigma.Routing(false), sigma.WithFilters(tt.f))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Expr.String() != before; got != tt.load {
				t.Errorf("WithFilters applied %t, want %t: %s", got, tt.load, r.Expr)
			}
		})
	}
}

// TestFilterErrors checks the errors of ParseFilter and of ParseRule on
// filters and correlations.
func TestFilterErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		rule            bool // load with ParseRule instead
	}{
		{"no rules", "title: f\nfilter:\n  sel:\n    U: x\n  condition: not sel\n", `f.yml:2:1: filter has no "rules" (name the rules, or write "rules: any")`, false},
		{"rules is an empty list", "title: f\nfilter:\n  rules: []\n  sel:\n    U: x\n  condition: not sel\n", `f.yml:3:10: filter rules is an empty list (name at least one rule, or write "rules: any")`, false},
		{"rules is a mapping", "title: f\nfilter:\n  rules: {a: b}\n  sel:\n    U: x\n  condition: not sel\n", `f.yml:3:10: filter rules is a YAML mapping, not a list of rule ids`, false},
		{"no condition", "title: f\nfilter:\n  rules: any\n  sel:\n    U: x\n", `f.yml:2:1: filter has no condition`, false},
		{"bad search", "title: f\nfilter:\n  rules: any\n  sel:\n    U|re: '('\n  condition: not sel\n", "f.yml:5:11: search \"sel\": field \"U\": regular expression \"(\": missing closing ): `(`", false},
		{"undefined search", "title: f\nfilter:\n  rules: any\n  sel:\n    U: x\n  condition: not other\n", `f.yml:6:18: condition references undefined search "other"`, false},
		{"a detection rule", filterRule, `f.yml:6:1: detection rule: load it with ParseRule`, false},
		{"a correlation", "title: c\ncorrelation:\n  type: event_count\n", `f.yml:2:1: correlation rule: load it with ParseFile`, false},
		{"filter with ParseRule", adminFilter, `f.yml:6:1: filter rule: load it with ParseFilter`, true},
		{"correlation with ParseRule", "title: c\ncorrelation:\n  type: event_count\n  rules: [a]\n", `f.yml:2:1: correlation rule: load it with ParseFile`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.rule {
				_, err = sigma.ParseRule("f.yml", []byte(tt.src))
			} else {
				_, err = sigma.ParseFilter("f.yml", []byte(tt.src))
			}
			var e *ir.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *ir.Error: %v", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}
