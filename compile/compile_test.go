package compile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// pat parses a test pattern: "*" and "?" are wildcards, everything else is
// literal.
func pat(s string) ir.Pattern {
	var p ir.Pattern
	for len(s) > 0 {
		_, n := utf8.DecodeRuneInString(s) // invalid bytes stay as they are
		switch s[0] {
		case '*':
			p = append(p, ir.Piece{Kind: ir.PieceStar})
		case '?':
			p = append(p, ir.Piece{Kind: ir.PieceOne})
		default:
			p = append(p, ir.Piece{Kind: ir.PieceLit, Text: s[:n]})
		}
		s = s[n:]
	}
	return p.Norm()
}

func pred(field string, cmp ir.Cmp, cs bool, vals ...string) *ir.Expr {
	p := &ir.Pred{Field: ir.F(field), Cmp: cmp, CaseSensitive: cs}
	for _, v := range vals {
		p.Values = append(p.Values, ir.Glob(pat(v)))
	}
	return ir.P(p)
}

func TestSimplify(t *testing.T) {
	a := pred("a", ir.CmpGlob, false, "x")
	b := pred("b", ir.CmpGlob, false, "y")
	tests := []struct {
		name string
		in   *ir.Expr
		want string
	}{
		{"flatten_and", ir.And(a, ir.And(b, a)), `(and a glob~ "x" b glob~ "y")`},
		{"flatten_or", ir.Or(ir.Or(a, b), b), `(or a glob~ "x" b glob~ "y")`},
		{"double_not", ir.Not(ir.Not(a)), `a glob~ "x"`},
		{"single_and", ir.And(a), `a glob~ "x"`},
		{"and_false", ir.And(a, ir.Const(false)), `false`},
		{"and_true_dropped", ir.And(a, ir.Const(true), b), `(and a glob~ "x" b glob~ "y")`},
		{"or_true", ir.Or(a, ir.Const(true)), `true`},
		{"or_false_dropped", ir.Or(ir.Const(false), a), `a glob~ "x"`},
		{"empty_and", ir.And(), `true`},
		{"empty_or", ir.Or(), `false`},
		{"not_const", ir.Not(ir.Const(true)), `false`},
		{"merge_values", ir.Or(pred("a", ir.CmpSuffix, false, "x"), b, pred("a", ir.CmpSuffix, false, "y", "x")), `(or a suffix~ ("x", "y") b glob~ "y")`},
		{"no_merge_across_case", ir.Or(pred("a", ir.CmpGlob, true, "x"), a), `(or a glob "x" a glob~ "x")`},
		{"no_merge_across_cmp", ir.Or(pred("a", ir.CmpPrefix, false, "x"), a), `(or a prefix~ "x" a glob~ "x")`},
		{"no_merge_under_and", ir.And(a, pred("a", ir.CmpGlob, false, "z")), `(and a glob~ "x" a glob~ "z")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.in.String()
			if got := Simplify(tt.in).String(); got != tt.want {
				t.Errorf("Simplify(%s) = %s, want %s", before, got, tt.want)
			}
			if tt.in.String() != before {
				t.Errorf("Simplify changed its input: %s", tt.in)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		pattern string
		want    string
	}{
		{"", `exact~ ""`},
		{"abc", `exact~ "abc"`},
		{"ABC", `exact~ "abc"`},
		{"*", `prefix~ ""`},
		{"**", `prefix~ ""`},
		{"ab*", `prefix~ "ab"`},
		{"*ab", `suffix~ "ab"`},
		{"*ab*", `contains~ "ab"`},
		{"a*b", `prefix+suffix~ "a" "b"`},
		{"?ab", `glob~ "?ab"`},
		{"a*b*c", `segments~ "a" * "b" * "c"`},
		{"*a*b*", `segments~ "" * "a" * "b" * ""`},
		{"a?*b", `glob~ "a?*b"`},
		{`*\x[y]{z}*`, `contains~ "\x[y]{z}"`},
		{`*\MSSQL\Binn\*.mof`, `segments~ "" * "\mssql\binn\" * ".mof"`},
		{`?:\x[y]{z}*.mof`, `glob~ "?:\x[y]{z}*.mof"`},
	}
	for _, tt := range tests {
		m, err := classify(pat(tt.pattern), true, true)
		if err != nil {
			t.Fatalf("classify(%q): %v", tt.pattern, err)
		}
		if got := m.String(); got != tt.want {
			t.Errorf("classify(%q) = %s, want %s", tt.pattern, got, tt.want)
		}
	}
}

// FuzzClassify checks every specialized matcher and the general glob
// against the reference matcher.
func FuzzClassify(f *testing.F) {
	f.Add("*.mof", `C:\x\a.MOF`, true)
	f.Add(`?:\Program Files\*.mof`, `C:\Program Files\x.mof`, true)
	f.Add("a*b", "ab", false)
	f.Add("???", "1ü0", true)
	f.Add("*k*", "\u212a", true)
	f.Add("a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaa", false)
	f.Add("*ab*ba*", "abba", true)
	f.Add("x*k*y", "X\u212aY", true)
	f.Add("[x]{y}\\", "[X]{Y}\\", true)
	f.Add("*\xff*", "a\xffb", true)
	f.Add("?\xff?", "a\xffb", true)
	f.Fuzz(func(t *testing.T, pattern, value string, fold bool) {
		if len(pattern) > 64 || len(value) > 256 {
			return
		}
		p := pat(pattern)
		want := refeval.Glob(ir.CmpGlob, p, value, fold)
		for _, spec := range []bool{true, false} {
			m, err := classify(p, fold, spec)
			if err != nil {
				t.Fatalf("classify(%q): %v", pattern, err)
			}
			if got := m.Match(value); got != want {
				t.Fatalf("%s (specialize=%v) .Match(%q) = %v, reference says %v", m, spec, value, got, want)
			}
		}
	})
}

// TestCompileErrors compiles each bad rule with a good one: the good one
// must compile (Compile leaves out only the rules that fail), and the
// error be an ir.ErrorList of one *ir.Error with the exact text, the
// rule's ID, and its cause within errors.As's reach (issue 15, point 2).
func TestCompileErrors(t *testing.T) {
	deep := pred("a", ir.CmpGlob, false, "x")
	for range 20 {
		deep = ir.Not(deep)
	}
	rule := func(x *ir.Expr) *ir.Rule {
		return &ir.Rule{Meta: ir.Meta{ID: "r1"}, Source: ir.Pos{File: "r.yml", Line: 3, Col: 1}, Expr: x}
	}
	tests := []struct {
		name string
		x    *ir.Expr
		opts []Option
		want string
	}{
		{"too_deep", deep, []Option{WithMaxDepth(10)}, `r.yml:3:1: rule "r1": expression nested deeper than 10`},
		{"wildcard_in_equal", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Glob(pat("x*"))}}), nil, `r.yml:3:1: rule "r1": field "a": wildcard pattern "x*" in an equality`},
		{"no_values", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpGlob}), nil, `r.yml:3:1: rule "r1": field "a": glob with no values`},
		{"null_value", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpEqual, Values: []ir.Value{{Kind: ir.KindNull}}}), nil, `r.yml:3:1: rule "r1": field "a": null value in a equal comparison`},
		{"bad_not", &ir.Expr{Op: ir.OpNot}, nil, `r.yml:3:1: rule "r1": not with 0 operands`},
		{"bad_regex", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpRegex, Values: []ir.Value{ir.Str("a(")}}), nil, `r.yml:3:1: rule "r1": field "a": bad regular expression "a(": error parsing regexp: missing closing ): ` + "`a(`"},
		{"bad_cidr", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpCIDR, Values: []ir.Value{ir.Str("10.0.0.0/33")}}), nil, `r.yml:3:1: rule "r1": field "a": bad CIDR range: netip.ParsePrefix("10.0.0.0/33"): prefix length out of range`},
		{"glob_in_cidr", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpCIDR, Values: []ir.Value{ir.Glob(pat("10.*"))}}), nil, `r.yml:3:1: rule "r1": field "a": cidr needs literal strings, not "10.*"`},
		{"bool_bound", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpLT, Values: []ir.Value{ir.Bool(true)}}), nil, `r.yml:3:1: rule "r1": field "a": bool value in a lt comparison`},
		{"too_many_values", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpEqual, Values: []ir.Value{ir.Str("x"), ir.Str("y"), ir.Str("z")}}), []Option{WithMaxValues(2)}, `r.yml:3:1: rule "r1": field "a": 3 values, more than the limit of 2`},
		{"pattern_too_long", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpGlob, Values: []ir.Value{ir.Glob(pat("abcdefghij*"))}}), []Option{WithMaxPatternLen(8)}, `r.yml:3:1: rule "r1": field "a": a value of 11 bytes, longer than the limit of 8`},
		{"regex_too_long", ir.P(&ir.Pred{Field: ir.F("a"), Cmp: ir.CmpRegex, Values: []ir.Value{ir.Str("(a|b)+c")}}), []Option{WithMaxPatternLen(4)}, `r.yml:3:1: rule "r1": field "a": a value of 7 bytes, longer than the limit of 4`},
		{"invalid_cmp", ir.P(&ir.Pred{Field: ir.F("a")}), nil, `r.yml:3:1: rule "r1": field "a": unsupported comparison invalid`},
	}
	good := &ir.Rule{Meta: ir.Meta{ID: "good"}, Expr: pred("a", ir.CmpGlob, false, "x")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Compile([]*ir.Rule{rule(tt.x), good}, tt.opts...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v\nwant    %s", err, tt.want)
			}
			if rs == nil || rs.Len() != 1 || rs.Rule(0) != good {
				t.Errorf("ruleset %v, want the good rule alone", rs)
			}
			var list ir.ErrorList
			if !errors.As(err, &list) || len(list) != 1 || list[0].Rule != "r1" {
				t.Errorf("error %#v, want an ir.ErrorList of one error about rule r1", err)
			}
			var se *syntax.Error
			if errors.As(err, &se) != (tt.name == "bad_regex") {
				t.Errorf("errors.As(%v, *syntax.Error) = %v", err, se)
			}
		})
	}
}

// TestDifferential compiles random expressions with and without the
// optimizer and classifier and checks both against the reference
// evaluation on random events.
func TestDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fields := []string{"a", "b", "c.d"}
	words := []string{"", "x", "X", "ab", "aB", "xab", "abx", "a*", "*b", "*a*", "a?", "?", "ü", "Ü*", "*.mof"}
	values := []any{"x", "X", "ab", "AB", "xab", "abx", "a", "ü", "Ü", "q.MOF", "", nil, 1.0, true, []any{"x", "ab"}, []any{},
		"10.1.2.3", "::ffff:10.0.0.1", "fe80::1%eth0", "192.168.1.1", "5", "-2.5", json.Number("3"), json.Number("12"), 7}
	var gen func(depth int) *ir.Expr
	gen = func(depth int) *ir.Expr {
		switch k := rng.IntN(10); {
		case depth > 3 || k < 4:
			cmps := []ir.Cmp{ir.CmpGlob, ir.CmpPrefix, ir.CmpSuffix, ir.CmpContains, ir.CmpEqual, ir.CmpExists,
				ir.CmpLT, ir.CmpLE, ir.CmpGT, ir.CmpGE, ir.CmpRegex, ir.CmpCIDR}
			cmp := cmps[rng.IntN(len(cmps))]
			p := &ir.Pred{Field: ir.F(fields[rng.IntN(len(fields))]), Cmp: cmp, CaseSensitive: rng.IntN(2) == 0}
			if rng.IntN(12) == 0 && cmp != ir.CmpExists {
				p.Field = ir.AnyField()
			}
			switch cmp {
			case ir.CmpLT, ir.CmpLE, ir.CmpGT, ir.CmpGE:
				bounds := []ir.Value{ir.Num(3), ir.Num(-1), ir.Num(7.5), ir.Str("ab"), ir.Str("x"), ir.Str("")}
				p.Values = []ir.Value{bounds[rng.IntN(len(bounds))]}
				return ir.P(p)
			case ir.CmpRegex:
				res := []string{"^a", "b$", "^(?:x|ab)$", "Ü", "[0-9]+", "^$"}
				p.Values = []ir.Value{ir.Str(res[rng.IntN(len(res))])}
				return ir.P(p)
			case ir.CmpEqual, ir.CmpPrefix, ir.CmpSuffix, ir.CmpContains:
				if rng.IntN(5) > 0 {
					break
				}
				f := fields[rng.IntN(len(fields))]
				terms := []*ir.Term{
					fnT(ir.FnLength, false, fieldT(f)),
					fnT(ir.FnAdd, false, fieldT(f), constT(ir.Num(1))),
					fnT(ir.FnConcat, false, fieldT(f), constT(ir.Str("x"))),
					fnT(ir.FnSubstring, false, fieldT(f), constT(ir.Num(-2))),
					fnT(ir.FnIndexOf, true, fieldT(f), constT(ir.Str("b"))),
				}
				p.Field = ir.F(f)
				if rng.IntN(2) == 0 {
					p.Left = terms[rng.IntN(len(terms))]
					p.Values = []ir.Value{ir.Num(float64(rng.IntN(4))), ir.Str("xx"), ir.Str("ab")}[rng.IntN(3):]
					if cmp != ir.CmpEqual {
						p.Values = []ir.Value{ir.Str("x")}
					}
				} else {
					p.Right = terms[rng.IntN(len(terms))]
					if rng.IntN(2) == 0 {
						p.Right = fieldT(fields[rng.IntN(len(fields))])
					}
				}
				return ir.P(p)
			case ir.CmpCIDR:
				nets := []string{"10.0.0.0/8", "192.168.1.1", "fe80::/10", "::ffff:10.0.0.0/104"}
				p.Values = []ir.Value{ir.Str(nets[rng.IntN(len(nets))]), ir.Str(nets[rng.IntN(len(nets))])}
				return ir.P(p)
			}
			if cmp != ir.CmpExists {
				for range 1 + rng.IntN(3) {
					w := words[rng.IntN(len(words))]
					if cmp == ir.CmpEqual {
						w = strings.NewReplacer("*", "", "?", "").Replace(w)
					}
					p.Values = append(p.Values, ir.Glob(pat(w)))
				}
			}
			return ir.P(p)
		case k < 6:
			return ir.Not(gen(depth + 1))
		case k < 8:
			return ir.And(gen(depth+1), gen(depth+1), gen(depth+1))
		case k < 9:
			return ir.Or(gen(depth+1), gen(depth+1), gen(depth+1))
		}
		return ir.Const(rng.IntN(2) == 0)
	}
	var rules []*ir.Rule
	for i := range 300 {
		rules = append(rules, &ir.Rule{Meta: ir.Meta{ID: fmt.Sprint(i)}, Expr: gen(0)})
	}
	opt := MustCompile(rules)
	plain := MustCompile(rules, switches(hooks.Switches{NoOptimize: true, NoSpecialize: true}))
	if hooks.RulesetShared(opt) == 0 {
		t.Error("300 random rules share no subtree: sharing is broken")
	}
	reordered := 0
	for i := range rules {
		reordered += runs(hooks.RulesetPlan(opt, i))
	}
	if reordered < 30 {
		t.Errorf("%d nodes of 300 random rules evaluate their operands in an order of their own: the test checks little of evalOrder", reordered)
	}
	for range 300 {
		ev := match.Map{}
		for _, f := range fields {
			if rng.IntN(4) > 0 {
				ev[f] = values[rng.IntN(len(values))]
			}
		}
		var want []int
		for i, r := range rules {
			if refeval.Eval(r.Expr, ev) {
				want = append(want, i)
			}
		}
		if got := opt.Match(ev, nil); fmt.Sprint(got) != fmt.Sprint(want) {
			for _, i := range want {
				if !slices.Contains(got, i) {
					keys, _ := opt.Gate(i)
					t.Errorf("rule %d missed; gate %q\nplan:\n%s", i, keys, opt.Plan(i))
				}
			}
			t.Fatalf("ruleset on %v: %v, reference %v", ev, got, want)
		}
		for i, r := range rules {
			want := refeval.Eval(r.Expr, ev)
			if got := hooks.RulesetPlan(opt, i).Eval(ev); got != want {
				t.Fatalf("optimized rule %s on %v = %v, reference %v\nrule: %s\nplan:\n%s", r.ID, ev, got, want, r.Expr, opt.Plan(i))
			}
			if got := hooks.RulesetPlan(plain, i).Eval(ev); got != want {
				t.Fatalf("unoptimized rule %s on %v = %v, reference %v\nrule: %s", r.ID, ev, got, want, r.Expr)
			}
		}
	}
}
