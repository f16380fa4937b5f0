package normalize_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// TestKeywordsSeeLoggedEvent checks that keyword searches see the values
// of a Windows event as logged and none of its ECS view, as the Sigma
// rules specification (v2.0.0, Detection, Lists) applies keywords "to the
// full log message": "Process creation" is the view's event.action of a
// Sysmon event 1, which the event does not hold, and WKSTN-042 is its
// Computer. It reads the event's JSON text (Read), the same event with a
// "process" that is no object, which Read decodes and normalizes, and
// the event decoded (ReadMap), in every format that reads it as Windows.
func TestKeywordsSeeLoggedEvent(t *testing.T) {
	rs := loadRules(t, filepath.Join("testdata", "keywords.yml"), filepath.Join("testdata", "keywords_logged.yml"))
	data := `"ProcessId": 14144, "Image": "C:\\Windows\\System32\\wbem\\mofcomp.exe", "CommandLine": "mofcomp.exe x.mof"`
	events := map[string]string{
		"record":         sysmonRecord(1, data),
		"record decoded": `{"process": "x", ` + sysmonRecord(1, data)[1:],
		"flat":           flatSysmon(1, `"Computer": "WKSTN-042", `+data),
	}
	for name, event := range events {
		for _, f := range []normalize.Format{normalize.Auto, normalize.WinEvent, normalize.Flat} {
			if (f == normalize.Flat) != (name == "flat") {
				continue
			}
			// A Reader whose caller reads event.action holds it, without
			// keyword searches seeing it; one for the rules alone does
			// not compute it.
			action := match.NewPath("event.action")
			rd := normalize.NewReaderWith(rs, f, []*match.Path{action})
			rec, err := rd.Read([]byte(event))
			if err != nil {
				t.Fatal(name, err)
			}
			if v, _ := rec.Lookup(action); v != "Process creation" {
				t.Fatalf("%s (%v): event.action %v, want the view's", name, f, v)
			}
			checkLogged(t, rs, name+" (Read, "+f.String()+")", rs.MatchRecord(rec, nil))
			if rec, _ := normalize.NewReader(rs, f).Read([]byte(event)); name != "record decoded" {
				if v, _ := rec.Lookup(action); v != nil {
					t.Fatalf("%s (%v): the record holds event.action %v, which no rule reads by path: the view is computed", name, f, v)
				}
			}
			doc, err := match.ParseJSON([]byte(event))
			if err != nil {
				t.Fatal(err)
			}
			checkLogged(t, rs, name+" (ReadMap, "+f.String()+")", rs.MatchRecord(rd.ReadMap(doc.Map()), nil))
			if v, _ := match.Map(doc.Map()).Lookup(match.NewPath("event.action")); v != "Process creation" {
				t.Fatalf("%s (%v): ReadMap left event.action %v, want the view's", name, f, v)
			}
		}
	}
}

// checkLogged checks that of the rules of TestKeywordsSeeLoggedEvent,
// hits are the one searching a value of the event as logged.
func checkLogged(t *testing.T, rs *match.Ruleset, name string, hits []int) {
	t.Helper()
	if ids := ruleIDs(rs, hits); !slices.Equal(ids, []string{"8d2f4b6a-0c1e-4a3b-9f5d-7e6c8b0a2d41"}) {
		t.Fatalf("%s: rules %v match, want only the keyword of the event as logged", name, ids)
	}
}
