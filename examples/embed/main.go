// Command embed shows ruleforge embedded in a program: it loads the two
// seed rules (one EQL, one Sigma), compiles them into one ruleset and
// matches a few events built in Go.
//
//	go run ./examples/embed
package main

import (
	"fmt"
	"log"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
)

func main() {
	rules, errs := ruleforge.Load("testdata/mofcomp_activity.eql", "testdata/proc_creation_win_mofcomp_execution.yml")
	if len(errs) > 0 {
		log.Fatal(errs)
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		log.Fatal(err)
	}
	events := []match.Map{
		// An ECS process start from Elastic Defend: both rules fire.
		{
			"event":   map[string]any{"category": []any{"process"}, "type": []any{"start"}},
			"host":    map[string]any{"os": map[string]any{"type": "windows"}},
			"process": map[string]any{"name": "mofcomp.exe", "executable": `C:\Windows\System32\wbem\mofcomp.exe`, "args": []any{"mofcomp.exe", `C:\Users\bob\AppData\Local\Temp\evil.mof`}, "command_line": `mofcomp.exe C:\Users\bob\AppData\Local\Temp\evil.mof`},
			"user":    map[string]any{"id": "S-1-5-21-1004336348-1177238915-682003330-1001"},
		},
		// A flat Sysmon event 1: only the Sigma rule reads these fields.
		{"EventID": 1, "Image": `C:\Windows\SysWOW64\wbem\mofcomp.exe`, "ParentImage": `C:\Windows\System32\cmd.exe`, "CommandLine": `mofcomp C:\x\a.mof`},
		// Something else entirely: no rule fires.
		{"event.category": "network", "destination.port": 443},
	}
	var hits []int
	for i, ev := range events {
		hits = rs.Match(ev, hits[:0])
		for _, h := range hits {
			r := rs.Rule(h)
			fmt.Printf("event %d: %s rule %q (%s)\n", i+1, r.Lang, r.Title, r.Severity)
		}
		if len(hits) == 0 {
			fmt.Printf("event %d: no match\n", i+1)
		}
	}
}
