package normalize_test

import (
	"encoding/json"
	"fmt"

	"github.com/ruleforge/ruleforge/normalize"
)

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
