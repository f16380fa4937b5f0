package ruleforge_test

import (
	"fmt"
	"strings"

	"github.com/ruleforge/ruleforge"
)

// The README's example: load rules from files, compile them into an
// engine and match events: one given as JSON text, a stream of them, and
// one a program already decoded.
func Example() {
	rules, errs := ruleforge.Load("testdata/execution_mofcomp.toml", "testdata/proc_creation_win_mofcomp_execution.yml")
	for _, err := range errs { // a rule file that did not load; the others did
		fmt.Println(err)
	}
	eng, err := ruleforge.Compile(rules) // leaves out, and names, the rules that fail
	if err != nil {
		fmt.Println(err)
	}
	// A Sysmon process creation as Windows exports it: the EQL rule reads
	// its ECS view (process.name, process.args), the Sigma rule its Image.
	event := []byte(`{"Event":{"System":{"Provider":{"Name":"Microsoft-Windows-Sysmon"},"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},
	  "EventData":{"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe","ParentImage":"C:\\Windows\\System32\\cmd.exe",
	  "CommandLine":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"}}}`)
	hits, err := eng.Match(event, nil)
	if err != nil {
		fmt.Println(err)
	}
	for _, h := range hits {
		fmt.Println(h.Rule.Lang, h.Rule.Title, h.Rule.Severity, h.Rule.Tactics[0].Name)
	}
	// A stream: NDJSON or concatenated pretty-printed JSON, matched in
	// parallel, results in input order, bad events reported and counted.
	input := strings.NewReader(`{"process":{"name":"mofcomp.exe","args":["mofcomp.exe","x.mof"]},"event":{"category":"process","type":"start"},"host":{"os":{"type":"windows"}}}
not json
{"process":{"name":"notepad.exe"}}
`)
	st, err := eng.Stream(input, func(res *ruleforge.Result) error {
		switch {
		case res.Err != nil:
			fmt.Printf("event %d (line %d): %v\n", res.Ordinal, res.Line, res.Err)
		case len(res.Hits) > 0:
			fmt.Printf("event %d: %s\n", res.Ordinal, res.Hits[0].Rule.Title)
		}
		return nil
	})
	fmt.Printf("%d events, %d matched, %d bad, err %v\n", st.Events, st.Matched, st.Bad, err)
	// An event already decoded, such as from encoding/json.
	for _, h := range eng.MatchMap(map[string]any{"EventID": 1, "Image": `C:\x\MOFCOMP.EXE`, "ParentImage": `C:\Windows\System32\cmd.exe`}, nil) {
		fmt.Println(h.Rule.Title)
	}
	// Output:
	// eql Mofcomp Activity low Execution
	// sigma Potential Suspicious Mofcomp Execution high Stealth
	// event 1: Mofcomp Activity
	// event 2 (line 2): invalid character 'o' in literal null (expecting 'u')
	// 3 events, 1 matched, 1 bad, err <nil>
	// Potential Suspicious Mofcomp Execution
}
