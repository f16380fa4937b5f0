package compile

import (
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/ir"
)

// anchor turns a prefix, suffix or contains pattern into the equivalent
// whole-value glob: p*, *p, *p*.
func anchor(cmp ir.Cmp, p ir.Pattern) ir.Pattern {
	star := ir.Piece{Kind: ir.PieceStar}
	out := make(ir.Pattern, 0, len(p)+2)
	if cmp == ir.CmpSuffix || cmp == ir.CmpContains {
		out = append(out, star)
	}
	out = append(out, p...)
	if cmp == ir.CmpPrefix || cmp == ir.CmpContains {
		out = append(out, star)
	}
	return out.Norm()
}

// classify returns the cheapest matcher for a whole-value glob: exact for
// literal text, prefix for "x*", suffix for "*x", contains for "*x*",
// prefix+suffix for "x*y", segments for any other glob without "?"
// ("x*y*z"), and a general glob for anything else. With
// specialize off it always returns a general glob.
func classify(p ir.Pattern, fold, specialize bool) (matcher.Matcher, error) {
	p = p.Norm()
	if !specialize || !validUTF8(p) {
		// Text that is not valid UTF-8 goes to the general glob, which
		// matches it code point by code point: byte-wise prefix and
		// substring tests would let an invalid byte match inside a
		// valid multi-byte code point.
		return matcher.NewGlob(p, fold)
	}
	lit := func(i int) bool { return p[i].Kind == ir.PieceLit }
	star := func(i int) bool { return p[i].Kind == ir.PieceStar }
	switch {
	case len(p) == 0:
		return matcher.NewExact("", fold), nil
	case len(p) == 1 && lit(0):
		return matcher.NewExact(p[0].Text, fold), nil
	case len(p) == 1 && star(0):
		return matcher.NewPrefix("", fold), nil
	case len(p) == 2 && lit(0) && star(1):
		return matcher.NewPrefix(p[0].Text, fold), nil
	case len(p) == 2 && star(0) && lit(1):
		return matcher.NewSuffix(p[1].Text, fold), nil
	case len(p) == 3 && star(0) && lit(1) && star(2):
		return matcher.NewContains(p[1].Text, fold), nil
	case len(p) == 3 && lit(0) && star(1) && lit(2):
		return matcher.NewBoth(p[0].Text, p[2].Text, fold), nil
	}
	if m := segments(p, fold); m != nil {
		return m, nil
	}
	return matcher.NewGlob(p, fold)
}

// segments returns a Segments matcher for a pattern of literals and stars
// with at least one star, or nil when p has a "?".
func segments(p ir.Pattern, fold bool) matcher.Matcher {
	var prefix, suffix string
	var mids []string
	for i, pc := range p {
		switch {
		case pc.Kind == ir.PieceOne:
			return nil
		case pc.Kind != ir.PieceLit:
		case i == 0:
			prefix = pc.Text
		case i == len(p)-1:
			suffix = pc.Text
		default:
			mids = append(mids, pc.Text)
		}
	}
	return matcher.NewSegments(prefix, mids, suffix, fold)
}

// validUTF8 reports whether every literal of p is valid UTF-8.
func validUTF8(p ir.Pattern) bool {
	for _, pc := range p {
		if !utf8.ValidString(pc.Text) {
			return false
		}
	}
	return true
}
