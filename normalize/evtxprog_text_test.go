package normalize_test

import (
	"fmt"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/normalize"
)

// textKeywords are keyword searches whose keys tell a string's text from
// its JSON: backslashes (a path's, and one a JSON escape would start),
// quotes at a value's ends and inside (a command line's), a control
// character, code points past ASCII; and keys the corpus's values hold
// often, so that records hold keywords and values change and come back.
var textKeywords = []string{`\windows\system32\`, `\\`, `\n`, `\u00`, `"c:\`, `exe"`, `" `, `"`, "\t", "é", "ü",
	"powershell", "svchost", "lsass", "-enc", "0x"}

// TestFillKeywordsText reads the fixtures and, unless short, the
// corpus, by fill programs, which write a string's text for the keyword
// scan rather than its JSON and make the JSON only for Each, and by
// walks, which write JSON, with keyword searches that tell the two apart
// (textKeywords): the same values, Each in the same order, the same rules
// matching with the same reasons (fillBoth); with the default limits and
// with room for few memos (values rendered each time), counted exactly.
func TestFillKeywordsText(t *testing.T) {
	files := progFiles(t)
	rs, err := compile.Compile(keywordRules(t, textKeywords))
	if err != nil {
		t.Fatal(err)
	}
	if !hooks.RecordFiller(normalize.NewReader(rs, normalize.Auto).ReadMap(nil)).Keywords() {
		t.Fatal("the keyword searches' record has no Keywords: the programs would write JSON")
	}
	c := newProgCase("text keywords", rs)
	for _, memo := range []int{0, 1 << 10} {
		prog, walk := normalize.NewReader(rs, normalize.Auto), normalize.NewReader(rs, normalize.Auto)
		if memo > 0 {
			normalize.FillProgramLimits(prog, 4096, 1<<20, memo)
		}
		normalize.FillProgramLimits(walk, -1, 0, 0)
		name := fmt.Sprintf("%s, memo limit %d", c.name, memo)
		planned := fillBoth(t, c, name, prog, walk, files)
		_, _, runs, _ := normalize.FillProgramStats(prog)
		if runs < planned*8/10 {
			t.Errorf("%s: %d of %d planned records filled by programs, want most", name, runs, planned)
		}
		if counted, held := normalize.FillProgramMemo(prog); memo > 0 && counted > memo || counted != held {
			t.Errorf("%s: %d bytes of memos counted, %d held, want at most %d, counted exactly", name, counted, held, memo)
		}
	}
}
