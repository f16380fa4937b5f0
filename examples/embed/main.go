// Command embed shows ruleforge embedded in a program: it loads the
// seed rules (Elastic's "Mofcomp Activity" and SigmaHQ's "Potential
// Suspicious Mofcomp Execution"), compiles them into an engine and
// matches events given as JSON text, as a stream and as decoded maps.
//
//	go run ./examples/embed
package main

import (
	"fmt"
	"log"
	"strings"

	"github.com/ruleforge/ruleforge"
)

func main() {
	rules, errs := ruleforge.Load("testdata/execution_mofcomp.toml", "testdata/proc_creation_win_mofcomp_execution.yml")
	if len(errs) > 0 {
		log.Fatal(errs)
	}
	eng, err := ruleforge.Compile(rules)
	if err != nil {
		log.Fatal(err)
	}
	// A stream of events of three shapes, as a file or a socket gives
	// them: an ECS process start from Elastic Defend (both rules fire), a
	// flat Sysmon event 1 (only the Sigma rule reads these fields) and a
	// network event (no rule fires).
	events := `{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},
 "process":{"name":"mofcomp.exe","executable":"C:\\Windows\\System32\\wbem\\mofcomp.exe","args":["mofcomp.exe","C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"],"command_line":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"},
 "user":{"id":"S-1-5-21-1004336348-1177238915-682003330-1001"}}
{"EventID":1,"Image":"C:\\Windows\\SysWOW64\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe","CommandLine":"mofcomp C:\\x\\a.mof"}
{"event.category":"network","destination.port":443}
`
	st, err := eng.Stream(strings.NewReader(events), func(res *ruleforge.Result) error {
		if res.Err != nil {
			fmt.Printf("event %d (line %d): %v\n", res.Ordinal, res.Line, res.Err)
		}
		for _, h := range res.Hits {
			fmt.Printf("event %d: %s rule %q (%s)\n", res.Ordinal, h.Rule.Lang, h.Rule.Title, h.Rule.Severity)
		}
		if res.Err == nil && len(res.Hits) == 0 {
			fmt.Printf("event %d: no match\n", res.Ordinal)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d events, %d matched\n", st.Events, st.Matched)
	// An event the program already decoded.
	hits := eng.MatchMap(map[string]any{"EventID": 1, "Image": `C:\Windows\System32\wbem\mofcomp.exe`, "ParentImage": `C:\Windows\System32\cmd.exe`}, nil)
	for _, h := range hits {
		fmt.Printf("decoded event: %s rule %q, ATT&CK %v\n", h.Rule.Lang, h.Rule.Title, h.Rule.Attack)
	}
}
