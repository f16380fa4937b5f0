package eql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The regex and regex~ operators take Lucene regular expressions, which
// Elasticsearch runs as regexp queries with all optional syntax enabled.
// translateRegex parses one with the same grammar and the same quirks as
// Lucene's RegExp parser and writes the RE2 expression (Go's regexp syntax)
// that matches the same values:
//
//	Lucene                 RE2
//	whole value            ^(?s: … )$ ("." matches a newline too)
//	. ? * + {n} {n,} {n,m} the same; a repetition of a repetition is grouped
//	a|b, (a), ()           a|b, (?:a), (?:)
//	[a-z], [^a-z]          the same class, written out in ranges
//	\d \D \s \S \w \W      [0-9] [^0-9] [\t\n\r ] [^\t\n\r ] [0-9A-Z_a-z] [^0-9A-Z_a-z]
//	"text"                 text, quoted
//	\c (c not a letter)    c, quoted; \\ is a backslash, \ and a letter an error
//	#                      the empty language: [^\x00-\x{10FFFF}]
//	@                      any string: .*
//	<n-m>                  an alternation of digit classes
//
// Characters that RE2 reads as operators but Lucene as literals (^, $, }, ]
// outside a class, and | or ) where Lucene takes them as a character) are
// quoted. Intersection (&), complement (~), named automata (<name>) and
// repetition counts over 1000 have no RE2 form and are rejected.

// maxRepeat is the largest repetition count RE2 accepts.
const maxRepeat = 1000

// regexError is why a Lucene regular expression has no translation.
type regexError struct {
	msg         string
	unsupported bool // valid in Elasticsearch, but not translatable
}

// Error returns the message.
func (e *regexError) Error() string { return e.msg }

// Precedence of a translated fragment: what it may be combined with
// without parentheses.
const (
	precUnion  = iota // a|b
	precConcat        // ab
	precRepeat        // a*; a further repetition needs a group
	precAtom          // a, [ab], (?:…)
)

// frag is a translated piece of a regular expression.
type frag struct {
	re   string
	prec int
}

// group returns f as an atom.
func (f frag) group() frag {
	if f.prec == precAtom {
		return f
	}
	return frag{"(?:" + f.re + ")", precAtom}
}

// translateRegex returns the RE2 source, anchored at both ends, that
// matches the values the Lucene regular expression pat matches. Errors are
// *regexError.
func translateRegex(pat string) (string, error) {
	p := &reParser{src: []rune(pat)}
	body := frag{prec: precAtom}
	if len(p.src) > 0 {
		var err error
		if body, err = p.union(); err != nil {
			return "", err
		}
		if p.more() {
			// Only a ")" stops the top-level union early.
			return "", p.unexpected("")
		}
	}
	re := "^(?s:" + body.re + ")$"
	if _, err := regexp.Compile(re); err != nil {
		return "", &regexError{msg: "too complex for RE2 (" + err.Error() + ")", unsupported: true}
	}
	return re, nil
}

// reParser is a recursive-descent parser for Lucene's regular expression
// syntax; each method mirrors the Lucene production of the same name.
type reParser struct {
	src []rune
	pos int
}

func (p *reParser) more() bool { return p.pos < len(p.src) }

// peek reports whether the next code point is one of set.
func (p *reParser) peek(set string) bool {
	return p.more() && strings.ContainsRune(set, p.src[p.pos])
}

// match consumes c if it is next.
func (p *reParser) match(c rune) bool {
	if p.more() && p.src[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

// next consumes and returns the next code point.
func (p *reParser) next(want string) (rune, error) {
	if !p.more() {
		return 0, p.unexpected(want)
	}
	p.pos++
	return p.src[p.pos-1], nil
}

// unexpected returns the error for the code point at p.pos, or for the end
// of the expression; want, if not empty, says what was expected.
func (p *reParser) unexpected(want string) error {
	found := "end"
	if p.more() {
		found = strconv.Quote(string(p.src[p.pos]))
	}
	if want == "" {
		return &regexError{msg: "unexpected " + found}
	}
	return &regexError{msg: "unexpected " + found + " (expected " + want + ")"}
}

// union is interexp ("|" interexp)*.
func (p *reParser) union() (frag, error) {
	var alts []frag
	for {
		f, err := p.inter()
		if err != nil {
			return frag{}, err
		}
		alts = append(alts, f)
		if !p.match('|') {
			break
		}
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	res := make([]string, len(alts))
	for i, f := range alts {
		res[i] = f.re
	}
	return frag{strings.Join(res, "|"), precUnion}, nil
}

// inter is concatexp ("&" interexp)?; intersection has no RE2 form.
func (p *reParser) inter() (frag, error) {
	f, err := p.concat()
	if err != nil {
		return frag{}, err
	}
	if p.peek("&") {
		return frag{}, &regexError{msg: `intersection "&"`, unsupported: true}
	}
	return f, nil
}

// concat is repeatexp+, ending before ")", "|" and "&".
func (p *reParser) concat() (frag, error) {
	var parts []frag
	for {
		f, err := p.repeat()
		if err != nil {
			return frag{}, err
		}
		parts = append(parts, f)
		if !p.more() || p.peek(")|&") {
			break
		}
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	var b strings.Builder
	for _, f := range parts {
		if f.prec == precUnion {
			f = f.group()
		}
		b.WriteString(f.re)
	}
	return frag{b.String(), precConcat}, nil
}

// repeat is complexp followed by any number of ?, *, +, {n}, {n,}, {n,m}.
func (p *reParser) repeat() (frag, error) {
	f, err := p.compl()
	if err != nil {
		return frag{}, err
	}
	for p.peek("?*+{") {
		op := string(p.src[p.pos])
		p.pos++
		if op == "{" {
			if op, err = p.counts(); err != nil {
				return frag{}, err
			}
		}
		f = frag{f.group().re + op, precRepeat}
	}
	return f, nil
}

// counts parses the rest of a "{n}", "{n,}" or "{n,m}" repetition and
// returns it in RE2's syntax.
func (p *reParser) counts() (string, error) {
	n, err := p.count()
	if err != nil {
		return "", err
	}
	op := "{" + strconv.Itoa(n)
	if p.match(',') {
		if p.peek("0123456789") {
			m, err := p.count()
			if err != nil {
				return "", err
			}
			if n > m {
				return "", &regexError{msg: fmt.Sprintf("repetition {%d,%d} is out of order", n, m)}
			}
			op += "," + strconv.Itoa(m)
		} else {
			op += ","
		}
	}
	if !p.match('}') {
		return "", p.unexpected(`"}"`)
	}
	return op + "}", nil
}

// count parses the digits of a repetition count.
func (p *reParser) count() (int, error) {
	start := p.pos
	for p.peek("0123456789") {
		p.pos++
	}
	if start == p.pos {
		return 0, p.unexpected("a number")
	}
	digits := string(p.src[start:p.pos])
	n, err := strconv.Atoi(digits)
	if err != nil || n > maxRepeat {
		return 0, &regexError{msg: "repetition count " + digits + " (RE2 allows at most 1000)", unsupported: true}
	}
	return n, nil
}

// compl is "~" complexp or charclassexp; complement has no RE2 form.
func (p *reParser) compl() (frag, error) {
	if p.peek("~") {
		return frag{}, &regexError{msg: `complement "~" (write \~ for a literal ~)`, unsupported: true}
	}
	return p.charClassExp()
}

// charClassExp is "[" "^"? charclass+ "]" or simpleexp.
func (p *reParser) charClassExp() (frag, error) {
	if !p.match('[') {
		return p.simple()
	}
	negate := p.match('^')
	var set runeSet
	for {
		s, err := p.charClass()
		if err != nil {
			return frag{}, err
		}
		set = append(set, s...)
		if !p.more() || p.peek("]") {
			break
		}
	}
	if !p.match(']') {
		return frag{}, p.unexpected(`"]"`)
	}
	set = set.norm()
	if negate {
		set = set.complement()
	}
	return frag{set.String(), precAtom}, nil
}

// charClass is a predefined class, a character or a range c-c.
func (p *reParser) charClass() (runeSet, error) {
	set, c, err := p.predefined()
	switch {
	case err != nil || set != nil:
		return set, err
	case c >= 0:
		return runeSet{{c, c}}, nil // "\\" is never the start of a range
	}
	if c, err = p.charExp(); err != nil {
		return nil, err
	}
	if !p.match('-') {
		return runeSet{{c, c}}, nil
	}
	to, err := p.charExp()
	if err != nil {
		return nil, err
	}
	if c > to {
		return nil, &regexError{msg: fmt.Sprintf("range %c-%c is out of order", c, to)}
	}
	return runeSet{{c, to}}, nil
}

// predefined parses a backslash escape, if one is next, as Lucene does:
// it returns the set of \d, \D, \s, \S, \w or \W, or the character of
// \\, or else consumes just the backslash (the escaped character follows)
// and returns c < 0. A backslash before any other ASCII letter is an
// error.
func (p *reParser) predefined() (set runeSet, c rune, err error) {
	if !p.match('\\') {
		return nil, -1, nil
	}
	if !p.more() {
		return nil, -1, nil // charExp reports the end
	}
	switch e := p.src[p.pos]; {
	case classes[e] != nil:
		p.pos++
		return classes[e], 0, nil
	case e == '\\':
		p.pos++
		return nil, e, nil
	case e < utf8.RuneSelf && unicode.IsLetter(e):
		return nil, 0, &regexError{msg: fmt.Sprintf(`bad escape "\%c"`, e)}
	}
	return nil, -1, nil
}

// charExp is a character, after an optional backslash.
func (p *reParser) charExp() (rune, error) {
	p.match('\\')
	return p.next("a character")
}

// simple is ".", "#", "@", a "quoted string", "(" union? ")", "<n-m>", an
// escape or a character.
func (p *reParser) simple() (frag, error) {
	switch {
	case p.match('.'):
		return frag{".", precAtom}, nil
	case p.match('#'):
		return frag{runeSet{}.String(), precAtom}, nil
	case p.match('@'):
		return frag{".*", precRepeat}, nil
	case p.match('"'):
		start := p.pos
		for p.more() && !p.peek(`"`) {
			p.pos++
		}
		if !p.match('"') {
			return frag{}, p.unexpected(`'"'`)
		}
		return literal(string(p.src[start : p.pos-1])), nil
	case p.match('('):
		if p.match(')') {
			return frag{"(?:)", precAtom}, nil
		}
		f, err := p.union()
		if err != nil {
			return frag{}, err
		}
		if !p.match(')') {
			return frag{}, p.unexpected(`")"`)
		}
		return f.group(), nil
	case p.match('<'):
		return p.interval()
	}
	set, c, err := p.predefined()
	switch {
	case err != nil:
		return frag{}, err
	case set != nil:
		return frag{set.String(), precAtom}, nil
	case c < 0:
		if c, err = p.charExp(); err != nil {
			return frag{}, err
		}
	}
	return literal(string(c)), nil
}

// literal returns the fragment matching s.
func literal(s string) frag {
	var b strings.Builder
	n := 0
	for _, r := range s {
		writeRune(&b, r, false)
		n++
	}
	switch n {
	case 0:
		return frag{"(?:)", precAtom}
	case 1:
		return frag{b.String(), precAtom}
	}
	return frag{b.String(), precConcat}
}
