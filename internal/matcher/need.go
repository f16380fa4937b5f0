package matcher

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// Needer is implemented by the string matchers that only match values
// holding one of a known set of texts, each in a known place. The rule
// index (package match) uses it: a value whose fold holds none of them (equals
// the text, starts or ends with it, contains it, as its kind says) cannot
// match. No needs means the matcher needs nothing.
type Needer interface {
	Needs() []Need
}

// Need is a text a value must hold, folded or not, and where.
type Need struct {
	Text string
	Kind NeedKind
}

// NeedKind is where a needed text must be in a value.
type NeedKind uint8

// The places of a needed text. The rule index keys its text keys by them.
const (
	NeedContains NeedKind = iota // the folded value contains the text
	NeedExact                    // the folded value is the text
	NeedPrefix                   // the folded value starts with the text
	NeedSuffix                   // the folded value ends with the text
)

// Needs returns the text when it is valid UTF-8.
func (m *Exact) Needs() []Need {
	if !utf8.ValidString(m.text) {
		return nil
	}
	return []Need{{m.text, NeedExact}}
}

// Needs returns the prefix.
func (m *Prefix) Needs() []Need { return some(m.text, NeedPrefix) }

// Needs returns the suffix.
func (m *Suffix) Needs() []Need { return some(m.text, NeedSuffix) }

// Needs returns the text.
func (m *Contains) Needs() []Need { return some(m.text, NeedContains) }

// Needs returns the longer of the prefix and the suffix.
func (m *Both) Needs() []Need {
	if len(m.suffix) > len(m.prefix) {
		return some(m.suffix, NeedSuffix)
	}
	return some(m.prefix, NeedPrefix)
}

// Needs returns the prefix or the suffix when one is at least as long as
// every middle text, otherwise the longest middle text.
func (m *Segments) Needs() []Need {
	mid := ""
	for _, s := range m.mids {
		mid = longest(mid, s)
	}
	switch {
	case len(m.prefix) >= len(mid) && len(m.prefix) >= len(m.suffix):
		return some(m.prefix, NeedPrefix)
	case len(m.suffix) >= len(mid):
		return some(m.suffix, NeedSuffix)
	}
	return some(mid, NeedContains)
}

// Needs returns the longest literal piece. A glob over text that is not
// valid UTF-8 needs nothing: it matches code point by code point.
func (m *Glob) Needs() []Need {
	if m.rg != nil {
		return nil
	}
	return some(m.lit, NeedContains)
}

// Needs returns the literal texts one of which every match contains (see
// required), or nothing.
func (m *Regex) Needs() []Need {
	var out []Need
	for _, l := range m.lits {
		out = append(out, Need{l, NeedContains})
	}
	return out
}

// Needs returns what each member needs: a value matches some member.
func (s *Set) Needs() []Need {
	var out []Need
	for _, m := range s.members {
		out = append(out, m.(Needer).Needs()...)
	}
	return out
}

// some returns the need of a text, or none when the text is empty or not
// valid UTF-8 (a matcher given such a text compares bytes, which may lie
// inside a code point that folding changes).
func some(text string, kind NeedKind) []Need {
	if text == "" || !utf8.ValidString(text) {
		return nil
	}
	return []Need{{text, kind}}
}

// longest returns the longer of a and b (a when they are as long).
func longest(a, b string) string {
	if len(b) > len(a) {
		return b
	}
	return a
}

// regexLiterals returns texts one of which occurs in every string that the
// RE2 expression src matches, or nil when it finds none worth having.
func regexLiterals(src string) []string {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	lits, ok := required(re.Simplify())
	if !ok {
		return nil
	}
	return lits
}

// required returns texts one of which every match of re contains:
// a literal itself; the best operand of a concatenation (the set whose
// shortest text is longest); the union over an alternation; the operand
// of a capture or of x+ (re is simplified: x{2,} is xx+). Literals with
// U+FFFD are skipped: in a regular expression it also stands for an
// invalid byte.
func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if s == "" || !utf8.ValidString(s) || containsRune(re.Rune, utf8.RuneError) {
			return nil, false
		}
		return []string{s}, true
	case syntax.OpCapture, syntax.OpPlus: // Simplify leaves no OpRepeat
		return required(re.Sub[0])
	case syntax.OpConcat:
		var best []string
		for _, s := range re.Sub {
			if lits, ok := required(s); ok && shortest(lits) > shortest(best) {
				best = lits
			}
		}
		return best, best != nil
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			lits, ok := required(s)
			if !ok {
				return nil, false
			}
			all = append(all, lits...)
		}
		return all, true
	}
	return nil, false
}

// regexSequence returns steps, each a set of texts, such that every
// string that the RE2 expression src matches holds a text of each step,
// each after (and not overlapping) the text of the step before: the
// operands of a concatenation match consecutive parts of the string, and
// each part holds a text of its operand's step (required). Operands that
// need no text (x*, x?, classes, anchors) give no step; concatenations
// inside captures and x+ give theirs in place.
func regexSequence(src string) [][]string {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	return sequence(re.Simplify(), nil)
}

// sequence appends re's steps (see regexSequence) to dst.
func sequence(re *syntax.Regexp, dst [][]string) [][]string {
	switch re.Op {
	case syntax.OpConcat:
		for _, s := range re.Sub {
			dst = sequence(s, dst)
		}
		return dst
	case syntax.OpCapture, syntax.OpPlus: // x+ holds x's steps at least once
		return sequence(re.Sub[0], dst)
	}
	if lits, ok := required(re); ok {
		dst = append(dst, lits)
	}
	return dst
}

// gapped returns the number of texts of src when src is texts joined by
// .* (one may lead and one trail), each free of line breaks and U+FFFD
// and matched as regexSequence's steps are searched for: ignoring case
// (with fold, or a (?i) flag, unless a (?-i) flag turns it off for the
// text) or having no other case. A value without line breaks then matches
// exactly when it holds the texts in order: .* spans anything but a line
// break. It returns 0 for any other src.
func gapped(src string, fold bool) int {
	if fold {
		src = "(?i)" + src // as NewRegex compiles it: a (?-i) in src wins
	}
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return 0
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat {
		return 0
	}
	texts, gap := 0, true // gap: the last operand was .* (or none came yet)
	for _, s := range re.Sub {
		switch {
		case s.Op == syntax.OpStar && s.Sub[0].Op == syntax.OpAnyCharNotNL:
			gap = true
		case s.Op == syntax.OpLiteral && gap && plainText(s):
			texts++
			gap = false
		default:
			return 0
		}
	}
	return texts
}

// plainText reports whether literal re holds no line break and no U+FFFD
// (which also stands for an invalid byte), and is matched ignoring case
// (its FoldCase flag) or has no runes with another case.
func plainText(re *syntax.Regexp) bool {
	if len(re.Rune) == 0 {
		return false
	}
	for _, r := range re.Rune {
		if r == '\n' || r == utf8.RuneError {
			return false
		}
		if re.Flags&syntax.FoldCase == 0 && unicode.SimpleFold(r) != r {
			return false
		}
	}
	return true
}

// shortest returns the length of the shortest text, 0 for none.
func shortest(texts []string) int {
	n := 0
	for i, s := range texts {
		if i == 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// containsRune reports whether rs holds r.
func containsRune(rs []rune, r rune) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// Whole reports whether m matches exactly the values whose fold holds one
// of its Needs in its place: a case-insensitive Exact, Prefix, Suffix or
// Contains matcher with a valid UTF-8 text, or a Set (its members are
// such). A glob's or a regular expression's needs are only necessary;
// so are a case-sensitive matcher's, whose texts the needs fold. The
// rule index (package match) decides such a test from the keys it found.
func Whole(m Matcher) bool {
	if _, ok := m.(*Set); ok {
		return true
	}
	text, fold := matcherText(m)
	return fold && text != "" && utf8.ValidString(text)
}
