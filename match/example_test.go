package match_test

import (
	"fmt"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/match"
)

// mofcompRuleset compiles the seed EQL rule, which reads event.category,
// host.os.type, event.type, process.name, process.args, user.id and
// process.parent.name.
func mofcompRuleset() *match.Ruleset {
	rules, errs := ruleforge.Load("../testdata/mofcomp_activity.eql")
	if len(errs) > 0 {
		panic(errs)
	}
	return compile.MustCompile(rules)
}

// A Record read straight from JSON text, nested and dotted keys alike, and
// matched without a map.
func ExampleRecord_ResetJSON() {
	rs := mofcompRuleset()
	rec := rs.NewRecord()
	for _, line := range []string{
		`{"event":{"category":["process"],"type":["start"]},"host":{"os":{"type":"windows"}},"process":{"name":"mofcomp.exe","args":["mofcomp.exe","C:\\Temp\\x.mof"]}}`,
		`{"event.category":"process","event.type":"start","host.os.type":"windows","process.name":"MOFCOMP.EXE","process.args":["mofcomp","a.mof"]}`,
		`{"event.category":"process","event.type":"start","host.os.type":"windows","process.name":"notepad.exe"}`,
	} {
		if err := rec.ResetJSON([]byte(line)); err != nil {
			panic(err)
		}
		fmt.Println(rs.MatchRecord(rec, nil))
	}
	// Output:
	// [0]
	// [0]
	// []
}

// A Record that holds a path besides the rules' (NewRecordWith), and a
// value a caller adds to the event, which the rules then match as if the
// event held it.
func ExampleRuleset_NewRecordWith() {
	rs := mofcompRuleset()
	os, image := match.NewPath("host.os.type"), match.NewPath("Image")
	rec := rs.NewRecordWith([]*match.Path{image})
	err := rec.ResetJSON([]byte(`{"event":{"category":["process"],"type":["start"]},"Image":"C:\\Windows\\System32\\wbem\\mofcomp.exe",
		"process":{"name":"mofcomp.exe","args":["mofcomp.exe","x.mof"]}}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(rs.MatchRecord(rec, nil))
	v, _ := rec.Lookup(image)
	fmt.Println(v)
	fmt.Println(rec.Add(os, "windows"), rec.Add(os, "linux"))
	fmt.Println(rs.MatchRecord(rec, nil))
	// Output:
	// []
	// C:\Windows\System32\wbem\mofcomp.exe
	// true false
	// [0]
}

// The index gate of a rule: the events the rule is evaluated for must
// hold a key of every clause; the other events cost it nothing.
func ExampleRuleset_Gate() {
	rs := mofcompRuleset()
	clauses, ok := rs.Gate(0)
	fmt.Println(ok)
	for _, keys := range clauses {
		fmt.Println(keys)
	}
	// Output:
	// true
	// [process.name equals~ "mofcomp.exe"]
	// [event.category equals~ "process"]
	// [host.os.type equals~ "windows"]
}
