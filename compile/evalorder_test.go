package compile

import (
	"math"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// TestEvalOrder checks the order evalOrder gives and/or operands
// (plan.Node.Run): cheap and decisive tests before a regular expression
// or a keyword search, whatever order the plan prints them in, while Kids
// keep the plan's order, which Explain reports reasons in; and that the
// rule's result is the same.
func TestEvalOrder(t *testing.T) {
	re := func(src string) *ir.Expr {
		return ir.P(&ir.Pred{Field: ir.F("CommandLine"), Cmp: ir.CmpRegex, Values: []ir.Value{ir.Str(src)}})
	}
	img := func(v ...string) *ir.Expr { return pred("Image", ir.CmpSuffix, false, v...) }
	tests := []struct {
		name string
		x    *ir.Expr
		kids string // the top node's operands in evaluation order, each's first line
		kept bool   // the plan's order is that order: no Run
	}{
		// Suspicious Copy From or To System Directory: the or of image
		// names costs more in all than the regular expression by order's
		// sums (which print it second), and goes first here.
		{"and: regex after an or of names", ir.And(re(`(?i)\s['"]?C:\\Windows\\(?:System32|SysWOW64)`),
			ir.Or(ir.And(pred("CommandLine", ir.CmpContains, false, "copy "), img(`\cmd.exe`)),
				ir.And(pred("CommandLine", ir.CmpContains, false, "copy-item"), img(`\powershell.exe`)),
				ir.And(pred("CommandLine", ir.CmpContains, false, "/e"), img(`\robocopy.exe`)))),
			"or | CommandLine [regex", false},
		{"or: the likelier and cheaper first", ir.Or(re(`a.*b`), pred("EventID", ir.CmpEqual, false, "1"), pred("Image", ir.CmpContains, false, `\temp\`)),
			`Image [contains~ "\temp\"] | EventID [exact~ "1"] | CommandLine [regex`, false},
		{"and: a keyword search last", ir.And(ir.P(&ir.Pred{Field: ir.AnyField(), Cmp: ir.CmpContains, Values: []ir.Value{ir.Glob(pat("mimikatz"))}}),
			pred("CommandLine", ir.CmpGlob, false, "*a?b*"), img(`\cmd.exe`)),
			`Image [suffix~ "\cmd.exe"] | CommandLine [glob~ "*a?b*"] | * (any value)`, true},
		{"and: presence after what rarely holds", ir.And(ir.P(&ir.Pred{Field: ir.F("User"), Cmp: ir.CmpExists}), img(`\cmd.exe`)),
			`Image [suffix~ "\cmd.exe"] | User exists`, false},
	}
	for _, tc := range tests {
		// Without the index, which moves the operands a rule's gate
		// implies last (match's TestDeferImplied): evalOrder's order alone.
		rs := MustCompile([]*ir.Rule{{Meta: ir.Meta{ID: "r"}, Expr: tc.x}}, switches(hooks.Switches{NoIndex: true}))
		n := hooks.RulesetPlan(rs, 0)
		if (n.Run == nil) != tc.kept {
			t.Errorf("%s: Run %v, want one %v\nplan:\n%s", tc.name, n.Run != nil, !tc.kept, n)
			continue
		}
		run := runOf(n)
		if s := firstLines(run); !strings.HasPrefix(s, tc.kids) || len(run) != len(n.Kids) {
			t.Errorf("%s: Run %q, want %q\nplan:\n%s", tc.name, s, tc.kids, n)
		}
		for _, k := range n.Kids { // Run is a permutation of Kids
			if c := count(run, k); c != count(n.Kids, k) {
				t.Errorf("%s: Run holds %s %d times, Kids %d", tc.name, k, c, count(n.Kids, k))
			}
		}
		ev := match.Map{"Image": `C:\x\cmd.exe`, "CommandLine": `copy a C:\Windows\System32\x`, "User": "bob", "EventID": "2"}
		want := n.Eval(ev)
		n.Run = nil
		if got := n.Eval(ev); got != want {
			t.Errorf("%s: %v in Run's order, %v in Kids'", tc.name, want, got)
		}
		if !tc.kept {
			n.Run = run
		}
	}
}

// count returns how many times ns holds n.
func count(ns []*plan.Node, n *plan.Node) int {
	c := 0
	for _, x := range ns {
		if x == n {
			c++
		}
	}
	return c
}

// runs counts the nodes under n (n included, shared ones as often as
// they are reached) with an evaluation order of their own.
func runs(n *plan.Node) int {
	c := 0
	if n.Run != nil {
		c++
	}
	for _, k := range n.Kids {
		c += runs(k)
	}
	return c
}

// TestTestOdds checks the odds evalOrder guesses for tests: a short text
// a value ends with or holds is common, a long one or an exact value rare,
// and sums of values are capped.
func TestTestOdds(t *testing.T) {
	str := func(ms ...matcher.Matcher) *plan.Test { return &plan.Test{Name: "Image", Strings: ms} }
	re, err := matcher.NewRegex(`a.*b`, true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		t    *plan.Test
		want float64
	}{
		{"exists", &plan.Test{Name: "Image", Exists: true}, existsOdds},
		{"exact", str(matcher.NewExact("cmd.exe", true)), exactOdds},
		{".exe", str(matcher.NewSuffix(".exe", true)), 0.25},
		{`\`, str(matcher.NewContains(`\`, true)), 0.5},
		{`\cmd.exe`, str(matcher.NewSuffix(`\cmd.exe`, true)), 1.0 / 64},
		{"long", str(matcher.NewContains(`\windows\system32\tasks\`, true)), exactOdds},
		{"set of suffixes", str(matcher.Merge([]matcher.Matcher{matcher.NewSuffix(".exe", true), matcher.NewSuffix(".com", true),
			matcher.NewSuffix(".scr", true), matcher.NewSuffix(".bin", true)})...), maxOdds},
		{"regex", str(re), patternOdds},
		{"numbers", &plan.Test{Name: "EventID", Numbers: []ir.Number{ir.Int(1), ir.Int(4688)}}, 2 * exactOdds},
	}
	for _, tc := range tests {
		if got := testOdds(tc.t); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: testOdds(%s) = %v, want %v", tc.name, tc.t, got, tc.want)
		}
	}
}

// runOf returns n's operands in evaluation order.
func runOf(n *plan.Node) []*plan.Node {
	if n.Run == nil {
		return n.Kids
	}
	return n.Run
}

// firstLines returns the first line of each node, joined by " | ".
func firstLines(nodes []*plan.Node) string {
	var got []string
	for _, k := range nodes {
		got = append(got, strings.TrimSpace(strings.SplitN(k.String(), "\n", 2)[0]))
	}
	return strings.Join(got, " | ")
}

// TestDeferImplied checks that a rule's top and evaluates the operands its
// gate implies last (package match's deferImplied): "System File
// Execution Location Anomaly" tests the image suffixes its gate found
// after the negated folder prefixes that decide it; operands the gate
// does not stand for (a glob needs more than its longest literal, a
// negation has no gate) go first, each group in evalOrder's order; a rule
// whose operands the gate implies all keeps evalOrder's order. The result
// is the same in either order (Kids', which Explain follows, are
// unchanged), and the same as the unindexed ruleset's.
func TestDeferImplied(t *testing.T) {
	suffixes := pred("Image", ir.CmpSuffix, false, `\cmd.exe`, `\dllhost.exe`, `\wscript.exe`)
	folders := ir.Not(pred("Image", ir.CmpPrefix, false, `C:\Windows\System32\`, `C:\Windows\SysWOW64\`))
	tests := []struct {
		name string
		x    *ir.Expr
		run  string // the top and's operands in evaluation order, each's first line ("": evalOrder's)
	}{
		{"suffixes after the negated prefixes", ir.And(suffixes, folders), `not | Image [suffix~`},
		{"a glob's literal implies nothing", ir.And(pred("Image", ir.CmpSuffix, false, `\cmd.exe`), pred("CommandLine", ir.CmpGlob, false, "*/c*copy?x*")),
			`CommandLine [glob~ "*/c*copy?x*"] | Image [suffix~ "\cmd.exe"]`},
		{"all implied: evalOrder's order", ir.And(pred("Image", ir.CmpSuffix, false, `\cmd.exe`), pred("EventID", ir.CmpEqual, false, "4688")), ""},
		{"an or of implied tests", ir.And(ir.Or(pred("Image", ir.CmpSuffix, false, `\cmd.exe`), pred("OriginalFileName", ir.CmpEqual, false, "cmd.exe")), folders),
			`not | or`},
	}
	events := []match.Map{
		{"Image": `C:\Windows\System32\cmd.exe`, "CommandLine": "cmd /c copy x", "EventID": "4688"},
		{"Image": `C:\Temp\cmd.exe`, "CommandLine": "cmd /c copyxx", "EventID": "4688", "OriginalFileName": "CMD.EXE"},
		{"Image": `C:\Temp\dllhost.exe`, "CommandLine": "x"},
		{"OriginalFileName": "cmd.exe"},
	}
	for _, tc := range tests {
		rules := []*ir.Rule{{Meta: ir.Meta{ID: "r"}, Expr: tc.x}}
		rs := MustCompile(rules)
		plain := MustCompile(rules, switches(hooks.Switches{NoIndex: true}))
		n := hooks.RulesetPlan(rs, 0)
		want := tc.run
		if want == "" {
			want = firstLines(runOf(hooks.RulesetPlan(plain, 0)))
		}
		if s := firstLines(runOf(n)); !strings.HasPrefix(s, want) {
			t.Errorf("%s: evaluation order %q, want %q\nplan:\n%s", tc.name, s, want, n)
		}
		for _, ev := range events {
			kids := &plan.Node{Op: n.Op, Kids: n.Kids}
			want := kids.Eval(ev)
			if got := n.Eval(ev); got != want {
				t.Errorf("%s: %v in the evaluation order, %v in Kids' for %v", tc.name, got, want, ev)
			}
			if got, plainHits := rs.Match(ev, nil), plain.Match(ev, nil); len(got) != len(plainHits) || (len(got) == 1) != want {
				t.Errorf("%s: Match gives %v, unindexed %v, want a hit %v for %v", tc.name, got, plainHits, want, ev)
			}
		}
	}
}
