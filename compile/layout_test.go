package compile

import (
	"fmt"
	"testing"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// TestLayout lays out again the plans of rules that share subtrees (a
// log source's route, a test) and checks the copies: each rule's new
// nodes one after another in evaluation order, the same trees (operators,
// tests, both operand orders, slots), shared nodes and tests still shared
// and nothing else merged, and the same result on events.
func TestLayout(t *testing.T) {
	route := func() *ir.Expr {
		return ir.Or(ir.And(pred("Channel", ir.CmpEqual, false, "security"), pred("EventID", ir.CmpEqual, false, "4688")),
			ir.Not(ir.P(&ir.Pred{Field: ir.F("Channel"), Cmp: ir.CmpExists})))
	}
	img := func(v string) *ir.Expr { return pred("Image", ir.CmpSuffix, false, v) }
	exprs := []*ir.Expr{
		ir.And(route(), img(`\cmd.exe`), pred("CommandLine", ir.CmpContains, false, "/c")),
		ir.And(route(), img(`\cmd.exe`), ir.Not(pred("User", ir.CmpEqual, false, "system"))),
		ir.And(img(`\mofcomp.exe`), route()),
		// An operand order of its own (TestEvalOrder's first case).
		ir.And(ir.P(&ir.Pred{Field: ir.F("CommandLine"), Cmp: ir.CmpRegex, Values: []ir.Value{ir.Str(`(?i)\sC:\\Windows\\`)}}),
			ir.Or(ir.And(pred("CommandLine", ir.CmpContains, false, "copy "), img(`\cmd.exe`)),
				ir.And(pred("CommandLine", ir.CmpContains, false, "copy-item"), img(`\powershell.exe`)))),
	}
	var rules []*ir.Rule
	for i, x := range exprs {
		rules = append(rules, &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint(i)}, Expr: x})
	}
	rs := MustCompile(rules)
	var plans []*plan.Node
	for i := range rules {
		plans = append(plans, hooks.RulesetPlan(rs, i))
	}
	copies := layout(plans)

	nodes, tests := map[*plan.Node]*plan.Node{}, map[*plan.Test]*plan.Test{}
	back := map[*plan.Node]*plan.Node{}
	var next uintptr // where the next new node must be
	size := unsafe.Sizeof(plan.Node{})
	var same func(a, c *plan.Node)
	same = func(a, c *plan.Node) {
		if prev, ok := nodes[a]; ok {
			if prev != c {
				t.Errorf("node %p copied twice: %p and %p", a, prev, c)
			}
			return
		}
		if b, ok := back[c]; ok {
			t.Errorf("nodes %p and %p merged into %p", a, b, c)
		}
		nodes[a], back[c] = c, a
		if at := uintptr(unsafe.Pointer(c)); next != 0 && at != next {
			t.Errorf("node %s placed at %#x, want %#x (right after the last)", c.Op, at, next)
		}
		next = uintptr(unsafe.Pointer(c)) + size
		if c == a || c.Op != a.Op || c.Slot != a.Slot || len(c.Kids) != len(a.Kids) || len(c.Run) != len(a.Run) || (a.Test == nil) != (c.Test == nil) {
			t.Errorf("node %p copied as %+v, from %+v", a, *c, *a)
			return
		}
		if a.Test != nil {
			if prev, ok := tests[a.Test]; ok && prev != c.Test || c.Test == a.Test || c.Test.String() != a.Test.String() {
				t.Errorf("test %s copied as %s (%p, before %p)", a.Test, c.Test, c.Test, prev)
			}
			tests[a.Test] = c.Test
		}
		run, crun := a.Run, c.Run
		if run == nil {
			run, crun = a.Kids, c.Kids
		}
		for i := range run {
			same(run[i], crun[i])
		}
		for i := range a.Kids {
			if nodes[a.Kids[i]] != c.Kids[i] {
				t.Errorf("operand %d of %s: %p, want the copy of %p", i, a.Op, c.Kids[i], a.Kids[i])
			}
		}
	}
	shared := 0
	for i := range plans {
		same(plans[i], copies[i])
		if copies[i].String() != plans[i].String() {
			t.Errorf("rule %d: copy\n%s\nwant\n%s", i, copies[i], plans[i])
		}
	}
	for _, c := range nodes {
		if c.Slot > 0 {
			shared++
		}
	}
	if shared < 2 || runs(plans[len(plans)-1]) == 0 {
		t.Errorf("%d shared nodes, %d operand orders of their own: the test checks little", shared, runs(plans[len(plans)-1]))
	}
	events := []match.Map{
		{"Channel": "Security", "EventID": "4688", "Image": `C:\x\cmd.exe`, "CommandLine": "cmd /c a b", "User": "bob"},
		{"Image": `C:\x\MOFCOMP.EXE`},
		{"Channel": "System", "Image": `C:\x\cmd.exe`, "CommandLine": "/c"},
		{"Channel": "security", "EventID": 4688, "Image": `c:\cmd.exe`, "User": "SYSTEM"},
		{"Image": `C:\x\cmd.exe`, "CommandLine": `copy a C:\Windows\System32\x`},
	}
	matched := 0
	for _, ev := range events {
		for i := range plans {
			want := plans[i].Eval(ev)
			if got := copies[i].Eval(ev); got != want {
				t.Errorf("rule %d on %v: copy %v, plan %v", i, ev, got, want)
			}
			if want {
				matched++
			}
		}
	}
	if matched < 3 {
		t.Errorf("%d matches: the test checks little", matched)
	}
}
