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
		rs := MustCompile([]*ir.Rule{{Meta: ir.Meta{ID: "r"}, Expr: tc.x}})
		n := hooks.RulesetPlan(rs, 0)
		if (n.Run == nil) != tc.kept {
			t.Errorf("%s: Run %v, want one %v\nplan:\n%s", tc.name, n.Run != nil, !tc.kept, n)
			continue
		}
		run := n.Run
		if run == nil {
			run = n.Kids
		}
		var got []string
		for _, k := range run {
			got = append(got, strings.TrimSpace(strings.SplitN(k.String(), "\n", 2)[0]))
		}
		if s := strings.Join(got, " | "); !strings.HasPrefix(s, tc.kids) || len(run) != len(n.Kids) {
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
