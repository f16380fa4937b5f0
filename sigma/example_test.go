package sigma_test

import (
	"fmt"
	"strings"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

func ExampleParseRule() {
	src := `title: Mofcomp from a shell
id: 00000000-0000-4000-8000-000000000000
level: high
tags:
  - attack.t1218
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\mofcomp.exe'
    ParentImage|endswith: ['\cmd.exe', '\powershell.exe']
  filter:
    CommandLine|contains: '%temp%'
  condition: selection and not filter
`
	r, err := sigma.ParseRule("mofcomp.yml", []byte(src), sigma.Routing(false))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Title, r.Severity, r.Attack, r.Source)
	fmt.Println(r.Expr)
	fmt.Println(strings.Join(r.Expr.Args[0].Args[0].Pred.Field.Lookup(), "\n"))
	// Output:
	// Mofcomp from a shell high [T1218] mofcomp.yml:9:1
	// (and (and Image suffix~ "\mofcomp.exe" ParentImage suffix~ ("\cmd.exe", "\powershell.exe")) (not CommandLine contains~ "%temp%"))
	// Image
	// Event.EventData.Image
	// Event.UserData.#child.Image
	// Event.System.Image
	// process.executable
	// NewProcessName
	// Event.EventData.NewProcessName
}

func ExampleParseRule_error() {
	src := `title: Encoded command
detection:
  selection:
    CommandLine|re: 'IEX(?=\()'
  condition: selection
`
	_, err := sigma.ParseRule("encoded.yml", []byte(src))
	fmt.Println(err)
	// Output:
	// encoded.yml:4:21: search "selection": field "CommandLine": regular expression "IEX(?=\\()": invalid or unsupported Perl syntax: `(?=` (RE2 syntax: no lookaround, no backreferences)
}

// Log source routing, on by default: a process_creation rule applies to
// Sysmon event 1 and Security event 4688 records (whose NewProcessName is
// the rule's Image), not to a Sysmon file event with the same field;
// Routing(false) tests it against every event.
func ExampleRouting() {
	src := `title: Mofcomp
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '\mofcomp.exe'
  condition: selection
`
	events := []string{
		`{"Event":{"System":{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1},"EventData":{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe"}}}`,
		`{"Event":{"System":{"Channel":"Security","EventID":4688},"EventData":{"NewProcessName":"C:\\Windows\\System32\\wbem\\mofcomp.exe"}}}`,
		`{"Event":{"System":{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":11},"EventData":{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe"}}}`,
	}
	for _, routing := range []bool{true, false} {
		r, err := sigma.ParseRule("mofcomp.yml", []byte(src), sigma.Routing(routing))
		if err != nil {
			fmt.Println(err)
			return
		}
		rs := compile.MustCompile([]*ir.Rule{r})
		var hits []string
		for _, e := range events {
			ev, _ := match.ParseJSON([]byte(e))
			hits = append(hits, fmt.Sprint(len(rs.Match(ev, nil)) > 0))
		}
		fmt.Println(strings.Join(hits, " "))
	}
	// Output:
	// true true false
	// true true true
}

// Placeholders gives the values of the expand modifier's %name%
// placeholders.
func ExamplePlaceholders() {
	src := `title: Admin logon
detection:
  selection:
    User|expand: '%Admins%'
  condition: selection
`
	r, err := sigma.ParseRule("admins.yml", []byte(src), sigma.Placeholders(map[string][]string{
		"Admins": {"adm_*", "root"},
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Expr)
	// Without values the placeholder matches nothing, with a warning.
	r, _ = sigma.ParseRule("admins.yml", []byte(src), sigma.Routing(false), sigma.Warnings(func(err error) { fmt.Println(err) }))
	fmt.Println(r.Expr)
	// Output:
	// User glob~ ("adm_*", "root")
	// admins.yml:4:18: no values for placeholder %Admins%: it matches nothing
	// false
}

// A filter rule tunes the rules it names; its condition is ANDed into
// theirs.
func ExampleParseFilter() {
	filter := `title: Not the backup agent
logsource:
  product: windows
filter:
  rules:
    - 5c7f3e8a-2b41-4d0e-9a6c-1f2e3d4c5b6a
  selection:
    ParentImage: 'C:\Program Files\Veeam\VeeamAgent.exe'
  condition: not selection
`
	rule := `title: Shadow copy deletion
id: 5c7f3e8a-2b41-4d0e-9a6c-1f2e3d4c5b6a
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    CommandLine|contains|all: [vssadmin, delete, shadows]
  condition: selection
`
	f, err := sigma.ParseFilter("mf_veeam.yml", []byte(filter))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := sigma.ParseRule("vss.yml", []byte(rule), sigma.Routing(false))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Apply(r))
	fmt.Println(r.Expr)
	// Output:
	// true
	// (and (and CommandLine contains~ "vssadmin" CommandLine contains~ "delete" CommandLine contains~ "shadows") (not ParentImage glob~ "C:\Program Files\Veeam\VeeamAgent.exe"))
}

// A processing pipeline maps Sigma's field names to a custom schema's and
// adds the schema's event type to every rule it applies to.
func ExampleParsePipeline() {
	p, err := sigma.ParsePipeline("edr.yml", []byte(`
name: custom EDR
transformations:
  - type: field_name_mapping
    mapping:
      Image: proc_path
  - type: add_condition
    conditions:
      event_type: process_start
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := sigma.ParseRule("whoami.yml", []byte(`title: whoami
detection:
  selection:
    Image|endswith: '\whoami.exe'
  condition: selection
`), sigma.Routing(false), sigma.WithPipelines(p))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Expr)
	_, err = sigma.ParsePipeline("bad.yml", []byte("transformations:\n  - type: add_field\n    field: x\n"))
	fmt.Println(err)
	// Output:
	// (and proc_path suffix~ "\whoami.exe" event_type glob~ "process_start")
	// bad.yml:2:11: unsupported transformation type "add_field"
}
