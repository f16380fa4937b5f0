package ruleforge_test

import (
	"fmt"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
)

// The README's example: load rules from files, compile them into one
// ruleset and match an event.
func Example() {
	rules, errs := ruleforge.Load("testdata/mofcomp_activity.eql", "testdata/proc_creation_win_mofcomp_execution.yml")
	if len(errs) > 0 {
		panic(errs)
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		panic(err)
	}
	line := []byte(`{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},
	  "process":{"name":"mofcomp.exe","executable":"C:\\Windows\\System32\\wbem\\mofcomp.exe",
	  "args":["mofcomp.exe","C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"],
	  "command_line":"mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"}}`)
	ev, err := match.ParseJSON(line)
	if err != nil {
		panic(err)
	}
	var hits []int
	hits = rs.Match(ev, hits[:0])
	for _, i := range hits {
		fmt.Println(rs.Rule(i).Lang, rs.Rule(i).Title)
	}
	// Output:
	// eql mofcomp_activity
	// sigma Potential Suspicious Mofcomp Execution
}
