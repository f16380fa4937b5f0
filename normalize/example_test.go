package normalize_test

import (
	"encoding/json"
	"fmt"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// A Reader reads events of any format straight into a ruleset's record:
// here a Sysmon record as evtx dumped to JSON, which the EQL rule, written
// for ECS, matches through the ECS view the record holds.
func ExampleReader() {
	rules, errs := ruleforge.Load("../testdata/mofcomp_activity.eql", "../testdata/proc_creation_win_mofcomp_execution.yml")
	if len(errs) > 0 {
		panic(errs)
	}
	rs := compile.MustCompile(rules)
	rd := normalize.NewReader(rs, normalize.Auto)
	rec, err := rd.Read([]byte(`{"Event": {"System": {"Provider": {"#attributes": {"Name": "Microsoft-Windows-Sysmon"}},
		"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational"},
		"EventData": {"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe", "User": "CORP\\bob",
		"CommandLine": "mofcomp.exe C:\\Users\\bob\\AppData\\Local\\Temp\\evil.mof"}}}`))
	if err != nil {
		panic(err)
	}
	for _, i := range rs.MatchRecord(rec, nil) {
		fmt.Println(rs.Rule(i).Lang, rs.Rule(i).Title)
	}
	name, _ := rec.Lookup(match.NewPath("process.name"))
	fmt.Println(name)
	// Output:
	// eql mofcomp_activity
	// sigma Potential Suspicious Mofcomp Execution
	// mofcomp.exe
}

func ExampleNormalize() {
	var m map[string]any
	json.Unmarshal([]byte(`{"EventID": 1, "Channel": "Microsoft-Windows-Sysmon/Operational",
		"Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe",
		"CommandLine": "mofcomp.exe \"C:\\Users\\Public\\x y.mof\"", "User": "CORP\\bob"}`), &m)
	f := normalize.Normalize(m, normalize.Auto)
	process := m["process"].(map[string]any)
	fmt.Println(f)
	fmt.Println(m["event"].(map[string]any)["type"], process["name"])
	fmt.Printf("%q\n", process["args"])
	fmt.Println(m["user"].(map[string]any)["name"], m["Image"])
	// Output:
	// flat
	// [start] mofcomp.exe
	// ["mofcomp.exe" "C:\\Users\\Public\\x y.mof"]
	// bob C:\Windows\System32\wbem\mofcomp.exe
}

func ExampleSplitCommandLine() {
	for _, line := range []string{
		`"C:\Program Files\a.exe" -x "two words" C:\dir\`,
		`prog a\\\"b "c\\" "d""e f`,
	} {
		fmt.Printf("%q\n", normalize.SplitCommandLine(line))
	}
	// Output:
	// ["C:\\Program Files\\a.exe" "-x" "two words" "C:\\dir\\"]
	// ["prog" "a\\\"b" "c\\" "d\"e" "f"]
}

func ExampleParseFormat() {
	f, err := normalize.ParseFormat("winevent")
	fmt.Println(f, err)
	_, err = normalize.ParseFormat("xml")
	fmt.Println(err)
	// Output:
	// winevent <nil>
	// unknown event format "xml" (expected auto, ecs, flat or winevent)
}
