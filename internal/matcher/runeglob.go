package matcher

import (
	"github.com/ruleforge/ruleforge/ir"
	"unicode/utf8"
)

// runeGlob is the glob matcher for patterns that gobwas/glob cannot take
// (text that is not valid UTF-8). It matches code point by code point,
// with invalid bytes as values of their own, by dynamic programming over
// the pattern: O(len(pattern) × len(value)) time, no allocation for
// patterns of up to 64 tokens.
type runeGlob struct {
	toks []rune // folded code points, or tokStar / tokOne
	fold bool
}

// Tokens of a runeGlob that are not code points.
const (
	tokStar = -1
	tokOne  = -2
)

// newRuneGlob compiles p; with fold, literal code points are folded.
func newRuneGlob(p ir.Pattern, fold bool) *runeGlob {
	g := &runeGlob{fold: fold}
	for _, pc := range p {
		switch pc.Kind {
		case ir.PieceStar:
			g.toks = append(g.toks, tokStar)
		case ir.PieceOne:
			g.toks = append(g.toks, tokOne)
		case ir.PieceLit:
			for i := 0; i < len(pc.Text); {
				r, n := decodeRune(pc.Text[i:])
				if fold {
					r = FoldRune(r)
				}
				g.toks = append(g.toks, r)
				i += n
			}
		}
	}
	return g
}

// match reports whether s matches the whole pattern.
func (g *runeGlob) match(s string) bool {
	var small [65]bool
	var ok []bool // ok[i]: the pattern's first i tokens match what s has given so far
	if len(g.toks) < len(small) {
		ok = small[:len(g.toks)+1]
	} else {
		ok = make([]bool, len(g.toks)+1)
	}
	ok[0] = true
	for i := 0; i < len(g.toks) && g.toks[i] == tokStar; i++ {
		ok[i+1] = true
	}
	for len(s) > 0 {
		r, n := decodeRune(s)
		s = s[n:]
		if g.fold {
			r = FoldRune(r)
		}
		prev := false // ok[i] before this code point
		for i := 0; i <= len(g.toks); i++ {
			cur := ok[i]
			switch {
			case i == 0:
				ok[0] = false
			case g.toks[i-1] == tokStar:
				ok[i] = cur || ok[i-1]
			case g.toks[i-1] == tokOne || g.toks[i-1] == r:
				ok[i] = prev
			default:
				ok[i] = false
			}
			prev = cur
		}
	}
	return ok[len(g.toks)]
}

// validPattern reports whether every literal of p is valid UTF-8.
func validPattern(p ir.Pattern) bool {
	for _, pc := range p {
		if !utf8.ValidString(pc.Text) {
			return false
		}
	}
	return true
}
