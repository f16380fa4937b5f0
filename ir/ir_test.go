package ir

import (
	"math"
	"testing"
)

func TestPatternNorm(t *testing.T) {
	star, one := Piece{Kind: PieceStar}, Piece{Kind: PieceOne}
	lit := func(s string) Piece { return Piece{Kind: PieceLit, Text: s} }
	tests := []struct {
		in   Pattern
		want string
		n    int
	}{
		{Pattern{lit("a"), lit("b"), star, star, lit(""), one}, "ab*?", 3},
		{Pattern{star, star}, "*", 1},
		{Pattern{lit("")}, "", 0},
		{Pattern{}, "", 0},
	}
	for _, tt := range tests {
		got := tt.in.Norm()
		if got.String() != tt.want || len(got) != tt.n {
			t.Errorf("Norm(%v) = %q (%d pieces), want %q (%d)", tt.in, got, len(got), tt.want, tt.n)
		}
	}
}

func TestPatternString(t *testing.T) {
	lit := func(s string) Piece { return Piece{Kind: PieceLit, Text: s} }
	tests := []struct {
		in   Pattern
		want string
	}{
		{Pattern{lit(`C:\Windows\`)}, `C:\Windows\\`},
		{Pattern{lit(`C:\Windows\`), {Kind: PieceStar}}, `C:\Windows\\*`},
		{Pattern{lit(`a\b`)}, `a\b`},
		{Pattern{lit(`a\\b`)}, `a\\\b`},
		{Pattern{lit(`say "hi"`)}, `say \"hi\"`},
		{Pattern{lit(`?*`)}, `\?\*`},
		{Pattern{lit(`x\`), lit(`*`)}, `x\\\*`},
		{Pattern{lit(`x\`), lit(`y`)}, `x\y`},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("String(%#v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestLiteral(t *testing.T) {
	if s, ok := (Pattern{{Kind: PieceLit, Text: "a"}, {Kind: PieceLit, Text: "b"}}).Literal(); !ok || s != "ab" {
		t.Errorf("Literal = %q, %v", s, ok)
	}
	if _, ok := (Pattern{{Kind: PieceOne}}).Literal(); ok {
		t.Error("a pattern with ? is not literal")
	}
}

func TestClone(t *testing.T) {
	x := And(P(&Pred{Field: Field{Name: "a", Paths: []string{"a", "b"}}, Cmp: CmpGlob, Values: []Value{Str("x")}}), Not(Const(true)))
	y := x.Clone()
	y.Args[0].Pred.Values[0] = Str("changed")
	y.Args[0].Pred.Field.Paths[0] = "changed"
	if x.String() != `(and a glob~ "x" (not true))` || x.Args[0].Pred.Field.Paths[0] != "a" {
		t.Errorf("Clone shares state: %s %v", x, x.Args[0].Pred.Field.Paths)
	}
}

func TestEnumsString(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{OpInvalid.String(), "invalid"}, {OpAnd.String(), "and"}, {OpFalse.String(), "false"},
		{CmpInvalid.String(), "invalid"}, {CmpExists.String(), "exists"},
		{KindInvalid.String(), "invalid"}, {KindNull.String(), "null"},
		{LangInvalid.String(), "invalid"}, {LangSigma.String(), "sigma"}, {LangEQL.String(), "eql"},
		{Pos{}.String(), "-"}, {Pos{File: "f"}.String(), "f"}, {Pos{File: "f", Line: 2, Col: 3}.String(), "f:2:3"},
		{Errorf(Pos{File: "f", Line: 1, Col: 5}, "bad %s", "x").Error(), "f:1:5: bad x"},
		{(&Error{Msg: "no position"}).Error(), "no position"},
		{Num(1.5).String(), "1.5"}, {Bool(true).String(), "true"}, {Value{Kind: KindNull}.String(), "null"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestCmpHolds(t *testing.T) {
	for _, tt := range []struct {
		c    Cmp
		want [3]bool // for -1, 0, 1
	}{
		{CmpEqual, [3]bool{false, true, false}},
		{CmpLT, [3]bool{true, false, false}},
		{CmpLE, [3]bool{true, true, false}},
		{CmpGT, [3]bool{false, false, true}},
		{CmpGE, [3]bool{false, true, true}},
		{CmpGlob, [3]bool{}},
	} {
		for i, r := range []int{-1, 0, 1} {
			if got := tt.c.Holds(r); got != tt.want[i] {
				t.Errorf("%s.Holds(%d) = %v", tt.c, r, got)
			}
		}
	}
}

// TestNeed checks Correlation.Need, the fewest events or distinct values
// a group must hold for the condition to hold, for each operator at and
// around its bound.
func TestNeed(t *testing.T) {
	b := func(op Cmp, not bool, v float64) Bound { return Bound{Op: op, Not: not, Value: v} }
	tests := []struct {
		typ  CorrType
		cond []Bound
		want int
	}{
		{CorrEventCount, []Bound{b(CmpGE, false, 10)}, 10},
		{CorrEventCount, []Bound{b(CmpGE, false, 9.5)}, 10},
		{CorrEventCount, []Bound{b(CmpGT, false, 10)}, 11},
		{CorrEventCount, []Bound{b(CmpGT, false, 9.5)}, 10},
		{CorrEventCount, []Bound{b(CmpEqual, false, 7)}, 7},
		{CorrEventCount, []Bound{b(CmpEqual, false, 7.5)}, 8}, // never holds: its lower bound
		{CorrEventCount, []Bound{b(CmpLT, false, 5)}, 1},
		{CorrEventCount, []Bound{b(CmpLE, false, 0)}, 1}, // never holds
		{CorrEventCount, []Bound{b(CmpEqual, true, 1)}, 2},
		{CorrEventCount, []Bound{b(CmpEqual, true, 1), b(CmpEqual, true, 2), b(CmpGE, false, 1)}, 3},
		{CorrEventCount, []Bound{b(CmpGE, false, 3), b(CmpLE, false, 5)}, 3},
		{CorrEventCount, []Bound{b(CmpGE, false, -4)}, 1},
		{CorrEventCount, []Bound{b(CmpGE, false, 1e300)}, math.MaxInt32},
		{CorrValueCount, []Bound{b(CmpGT, false, 99)}, 100},
		{CorrValueSum, []Bound{b(CmpGT, false, 99)}, 0},
		{CorrTemporal, []Bound{b(CmpGE, false, 2)}, 0},
	}
	for _, tt := range tests {
		c := &Correlation{Type: tt.typ, Cond: tt.cond}
		if got := c.Need(); got != tt.want {
			t.Errorf("%s %v: Need() = %d, want %d", tt.typ, tt.cond, got, tt.want)
		}
	}
}
