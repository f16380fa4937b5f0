package eql

import (
	"net/netip"
	"regexp"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/state"
)

// sequenceSeeds are sequence and sample queries for FuzzParse.
var sequenceSeeds = []string{
	`sequence by host.id with maxspan=1m [process where a == 1] by x ![file where true] by x [network where b : "c*"] by ?y with runs=2 until [process where c == 1] by x`,
	`sequence with maxspan=5s by user.id [any where true] [any where false] | tail 1`,
	`sequence [process where true] with runs=3`,
	`sample by host.id, process.pid [file where a == 1] [file where a == 2]`,
	`sequence by a [x where true] [y where true] by b`,
}

// FuzzParse checks that no query makes the parser panic, that every error
// is an *ir.Error at a position inside the query, and that every
// expression is well formed and compiles. It calls parse, not Parse, so
// that a panic is not turned into an error. Seeds are in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.query)
	}
	for _, tt := range errorTests {
		f.Add(tt.query)
	}
	for _, tt := range lowerTests {
		f.Add(tt.query)
	}
	for _, tt := range lowerErrorTests {
		f.Add(tt.query)
	}
	for _, q := range sequenceSeeds {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		x, st, _, err := parse("f.eql", query, newConfig(nil))
		if err != nil {
			if x != nil {
				t.Errorf("Parse(%q) returned both %s and error %v", query, x, err)
			}
			checkError(t, query, err)
			return
		}
		checkExpr(t, query, x)
		if st != nil {
			if _, err := state.Compile([]*ir.Rule{{Meta: ir.Meta{ID: "f"}, Expr: x, State: st}}); err != nil {
				t.Errorf("Parse(%q) = %s, which does not compile: %v", query, st.Kind(), err)
			}
			return
		}
		if _, err := compile.Compile([]*ir.Rule{{Meta: ir.Meta{ID: "f"}, Expr: x}}); err != nil {
			t.Errorf("Parse(%q) = %s, which does not compile: %v", query, x, err)
		}
	})
}

// checkExpr checks that x is a well-formed expression.
func checkExpr(t *testing.T, query string, x *ir.Expr) {
	t.Helper()
	if x == nil {
		t.Fatalf("Parse(%q) returned neither an expression nor an error", query)
	}
	ir.Walk(x, func(n *ir.Expr) bool {
		switch n.Op {
		case ir.OpAnd, ir.OpOr:
			if len(n.Args) < 2 {
				t.Errorf("Parse(%q): %s has %d arguments", query, n.Op, len(n.Args))
			}
		case ir.OpNot:
			if len(n.Args) != 1 {
				t.Errorf("Parse(%q): not has %d arguments", query, len(n.Args))
			}
		case ir.OpPred:
			if n.Pred == nil || n.Pred.Field.Name == "" || n.Pred.Cmp == ir.CmpInvalid {
				t.Errorf("Parse(%q): bad predicate %v", query, n.Pred)
				break
			}
			checkValues(t, query, n.Pred)
		case ir.OpTrue, ir.OpFalse:
		default:
			t.Errorf("Parse(%q): bad node %v", query, n.Op)
		}
		return true
	})
}

// checkValues checks that the values of regex and CIDR predicates are
// what the compiler expects: RE2 sources and addresses or prefixes.
func checkValues(t *testing.T, query string, p *ir.Pred) {
	t.Helper()
	for _, v := range p.Values {
		s, lit := v.Pat.Literal()
		switch {
		case p.Cmp != ir.CmpRegex && p.Cmp != ir.CmpCIDR:
		case v.Kind != ir.KindString || !lit:
			t.Errorf("Parse(%q): %s has a bad value %s", query, p, v)
		case p.Cmp == ir.CmpRegex:
			if _, err := regexp.Compile(s); err != nil {
				t.Errorf("Parse(%q): %s: %v", query, p, err)
			}
		case p.Cmp == ir.CmpCIDR:
			if _, err := netip.ParsePrefix(s); err != nil {
				if _, err := netip.ParseAddr(s); err != nil {
					t.Errorf("Parse(%q): %s: bad address %q", query, p, s)
				}
			}
		}
	}
}

// FuzzTranslateRegex checks that the translator never panics and that its
// every result is an RE2 expression Go compiles.
func FuzzTranslateRegex(f *testing.F) {
	for _, tt := range regexTests {
		f.Add(tt.lucene)
	}
	for _, tt := range regexErrorTests {
		f.Add(tt.lucene)
	}
	f.Fuzz(func(t *testing.T, pat string) {
		re, err := translateRegex(pat)
		if err != nil {
			if _, ok := err.(*regexError); !ok || re != "" {
				t.Fatalf("translateRegex(%q) = %q, %T %v", pat, re, err, err)
			}
			return
		}
		if _, err := regexp.Compile(re); err != nil {
			t.Fatalf("translateRegex(%q) = %q: %v", pat, re, err)
		}
	})
}
