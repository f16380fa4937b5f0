package match_test

import (
	"fmt"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// TestExplainKeywordOrder checks that a keyword search's reason quotes
// the same value however the event's values are visited: of the values
// that pass, the one whose text sorts first. An event given as a map
// (and a line ResetJSON decodes into maps: an escaped key) visits its
// values in Go's map order, which changes from call to call; the first
// value that passed used to be quoted, so -explain printed different
// values for the same line (review13 found it, line 78 of its hand-made
// input).
func TestExplainKeywordOrder(t *testing.T) {
	rs, err := compile.Compile([]*ir.Rule{sigmaRule(t, "  keywords:\n    - 'mimikatz'\n  condition: keywords\n")})
	if err != nil {
		t.Fatal(err)
	}
	const want = `a mimikatz.exe` // "a ..." < "c:\..." < "x ..." < "z ..."
	m := func() match.Map {
		return match.Map{"k1": "z mimikatz", "k2": `c:\mimikatz.exe`, "k3": want, "k4": map[string]any{"k5": "x mimikatz", "k6": 7.0}, "k7": []any{"mimikatz b", "q"}}
	}
	rec := rs.NewRecord()
	line := []byte(`{"k\u0031":"z mimikatz","k2":"c:\\mimikatz.exe","k3":"a mimikatz.exe","k4":{"k5":"x mimikatz"},"k7":["mimikatz b"]}`)
	for i := range 50 {
		for _, ev := range []match.Event{m(), match.NewDoc(m())} {
			if got := explainValue(t, rs, ev); got != want {
				t.Fatalf("pass %d, %T: quoted %q, want %q", i, ev, got, want)
			}
		}
		if err := rec.ResetJSON(line); err != nil {
			t.Fatal(err)
		}
		if got := explainValue(t, rs, rec); got != want {
			t.Fatalf("pass %d, record: quoted %q, want %q", i, got, want)
		}
	}
}

// explainValue returns the value rule 0's one reason quotes for ev.
func explainValue(t *testing.T, rs *match.Ruleset, ev match.Event) string {
	t.Helper()
	rr := rs.Explain(ev, 0)
	if len(rr) != 1 || rr[0].Field != "*" {
		t.Fatalf("reasons %v", rr)
	}
	return fmt.Sprint(rr[0].Value)
}
