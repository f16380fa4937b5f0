package normalize_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/normalize"
	"github.com/ruleforge/ruleforge/sigma"
)

// realsKeywords are keyword searches, one rule each, some of whose keys
// values of evtx's testdata/reals.evtx hold (made of digits, '-', ':',
// '.' or hex letters, or escaped in JSON), enough rules that the rule
// index scans the values' text for them (hooks.Filler.Keywords), so that
// fill programs leave the values known clean out of it.
var realsKeywords = []string{"2.5", "inf", "null", "-0", `c:\\x`, `a\"b`, `\t`, "0x", "e+3", ":5", "deadbeef", "1.50",
	"zzz", "yyy", "xxx", "www", "vvv", "uuu"}

// TestFillReals reads evtx's testdata/reals.evtx, records of one shape
// whose real is finite (a number) or not (null, evtx.KindNull) and whose
// string has escapes or not, from record to record, by fill programs and
// by walks, in every format, with a rule reading both values, alone and
// with keyword searches (realsKeywords), with the default limits and with
// room for few memos: a program must give a null where the walk does,
// not the box its memo made for the number before it.
func TestFillReals(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "evtx", "testdata", "reals.evtx"))
	if err != nil {
		t.Fatal(err)
	}
	rules, errs := ruleforge.Load(filepath.Join("testdata", "reals.yml"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, kw := range []bool{false, true} {
		rules := rules
		if kw {
			rules = append(rules, keywordRules(t, realsKeywords)...)
		}
		rs, err := compile.Compile(rules)
		if err != nil {
			t.Fatal(err)
		}
		if got := hooks.RecordFiller(normalize.NewReader(rs, normalize.Auto).ReadMap(nil)).Keywords(); got != kw {
			t.Fatalf("keywords %v: the record's Keywords is %v", kw, got)
		}
		c := newProgCase(fmt.Sprintf("keywords %v", kw), rs)
		// The default limits, and room for a few values' memos only
		// (the others rendered each time, and a string's unescaped
		// text read from the values' text).
		for _, memo := range []int{0, 48} {
			for _, f := range formats {
				prog, walk := normalize.NewReader(c.rs, f), normalize.NewReader(c.rs, f)
				if memo > 0 {
					normalize.FillProgramLimits(prog, 4096, 1<<20, memo)
				}
				normalize.FillProgramLimits(walk, -1, 0, 0)
				name := fmt.Sprintf("%s, memo limit %d, %v", c.name, memo, f)
				planned := fillBoth(t, c, name, prog, walk, [][]byte{data, data})
				if _, _, runs, _ := normalize.FillProgramStats(prog); runs != planned-1 || planned < 2*34-3 { // 34 records, twice; the first two are not read by plans
					t.Errorf("%s: %d of %d records read by plans filled by programs, want all but the first, of most records", name, runs, planned)
				}
				if counted, held := normalize.FillProgramMemo(prog); memo > 0 && counted > memo || counted != held {
					t.Errorf("%s: %d bytes of memos counted, %d held, want at most %d, counted exactly", name, counted, held, memo)
				}
			}
		}
	}
}

// keywordRules returns a Sigma keyword search for each of keys.
func keywordRules(t *testing.T, keys []string) []*ir.Rule {
	t.Helper()
	var rules []*ir.Rule
	for i, k := range keys {
		src := fmt.Sprintf("title: k%d\nlogsource:\n  product: windows\ndetection:\n  k:\n    - '%s'\n  condition: k\n", i, strings.ReplaceAll(k, "'", "''"))
		r, err := sigma.ParseRule(fmt.Sprintf("k%d.yml", i), []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	return rules
}
