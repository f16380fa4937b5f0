package sigma

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A condition is parsed into a small tree of condNodes, each with the byte
// offset in the condition text of the token that starts it, so that the
// lowerer can report names it cannot resolve where they are written.
//
//	condition = and { "or" and }
//	and       = unary { "and" unary }
//	unary     = "not" unary | primary
//	primary   = "(" condition ")" | quantifier "of" target | name
//	quantifier = "1" | "any" | "all"
//	target    = "them" | name | pattern
//
// Keywords (and, or, not, of, them, any, all) ignore case. Names are runs
// of letters, digits, "_", "-" and "."; a pattern is a name with "*"
// wildcards. "|" starts an aggregation, which is not supported.

// condKind is the kind of a condition node.
type condKind uint8

// The condition node kinds. The zero value is invalid.
const (
	condInvalid condKind = iota
	condName             // a search, by name
	condOf               // "1 of" or "all of" the searches a pattern (or "them") matches
	condAnd              // all of args
	condOr               // any of args
	condNot              // not args[0]
)

// condNode is a node of a parsed condition.
type condNode struct {
	kind condKind
	name string      // condName: the search; condOf: the pattern, or "them"
	all  bool        // condOf: "all of" rather than "1 of"
	args []*condNode // condAnd, condOr, condNot
	off  int         // byte offset of the node's first token
	at   int         // condOf: byte offset of the pattern
}

// String renders the tree as a condition in canonical form: keywords in
// lower case, every and/or in parentheses, "any of" as "1 of". It parses
// back to the same tree.
func (n *condNode) String() string {
	switch n.kind {
	case condName:
		return n.name
	case condOf:
		if n.all {
			return "all of " + n.name
		}
		return "1 of " + n.name
	case condNot:
		return "not " + n.args[0].String()
	case condAnd, condOr:
		op := " and "
		if n.kind == condOr {
			op = " or "
		}
		parts := make([]string, len(n.args))
		for i, a := range n.args {
			parts[i] = a.String()
		}
		return "(" + strings.Join(parts, op) + ")"
	}
	return "<invalid>"
}

// aggregation is the condError message of an aggregation ("| count()"),
// which the lowering reports as unsupported (ir.ErrUnsupported).
const aggregation = "unsupported: aggregation"

// condError is a syntax error at a byte offset of a condition.
type condError struct {
	off int
	msg string
}

// tokKind is the kind of a condition token.
type tokKind uint8

// The token kinds.
const (
	tokEOF    tokKind = iota
	tokWord           // a name, pattern, number or keyword
	tokLParen         // (
	tokRParen         // )
	tokPipe           // | (an aggregation follows)
)

// token is one token of a condition.
type token struct {
	kind tokKind
	text string // tokWord: the word
	off  int    // byte offset
}

// describe names the token in messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of condition"
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokPipe:
		return `"|"`
	}
	return fmt.Sprintf("%q", t.text)
}

// isNameRune reports whether r may be part of a search name or pattern.
func isNameRune(r rune) bool {
	return r == '_' || r == '-' || r == '.' || r == '*' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lexCondition splits a condition into tokens, ending with tokEOF.
func lexCondition(s string) ([]token, *condError) {
	var toks []token
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r == '(':
			toks = append(toks, token{kind: tokLParen, off: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tokRParen, off: i})
			i++
		case r == '|':
			// An aggregation follows; it is not lexed.
			return append(toks, token{kind: tokPipe, off: i}, token{kind: tokEOF, off: len(s)}), nil
		case isNameRune(r):
			j := i + w
			for j < len(s) {
				r, w := utf8.DecodeRuneInString(s[j:])
				if !isNameRune(r) {
					break
				}
				j += w
			}
			toks = append(toks, token{kind: tokWord, text: s[i:j], off: i})
			i = j
		default:
			return nil, &condError{i, fmt.Sprintf("invalid condition: unexpected character %q", r)}
		}
	}
	return append(toks, token{kind: tokEOF, off: len(s)}), nil
}

// condParser is a recursive-descent parser over the tokens of a condition.
type condParser struct {
	toks     []token
	pos      int
	depth    int
	maxDepth int // the most nesting allowed
}

// parseCondition parses a condition expression nested at most maxDepth
// deep.
func parseCondition(s string, maxDepth int) (*condNode, *condError) {
	toks, err := lexCondition(s)
	if err != nil {
		return nil, err
	}
	// An aggregation is reported before any syntax error in it.
	for _, t := range toks {
		if t.kind == tokPipe {
			return nil, &condError{t.off, aggregation}
		}
	}
	p := &condParser{toks: toks, maxDepth: maxDepth}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t, `"and", "or" or the end`)
	}
	return n, nil
}

// peek returns the next token.
func (p *condParser) peek() token { return p.toks[p.pos] }

// next consumes and returns the next token.
func (p *condParser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

// isKeyword reports whether t is the keyword kw, in any case.
func isKeyword(t token, kw string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, kw)
}

// unexpected returns the error for token t where expected was expected.
func (p *condParser) unexpected(t token, expected string) *condError {
	return &condError{t.off, fmt.Sprintf("invalid condition: unexpected %s (expected %s)", t.describe(), expected)}
}

// binary parses operands joined by the keyword op.
func (p *condParser) binary(op string, kind condKind, operand func() (*condNode, *condError)) (*condNode, *condError) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	args := []*condNode{first}
	for isKeyword(p.peek(), op) {
		p.next()
		x, err := operand()
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &condNode{kind: kind, args: args, off: first.off}, nil
}

// or parses a disjunction.
func (p *condParser) or() (*condNode, *condError) { return p.binary("or", condOr, p.and) }

// and parses a conjunction.
func (p *condParser) and() (*condNode, *condError) { return p.binary("and", condAnd, p.unary) }

// unary parses "not" and a primary.
func (p *condParser) unary() (*condNode, *condError) {
	t := p.peek()
	if isKeyword(t, "not") {
		p.next()
		if err := p.nest(t); err != nil {
			return nil, err
		}
		defer p.unnest()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &condNode{kind: condNot, args: []*condNode{x}, off: t.off}, nil
	}
	return p.primary()
}

// nest enters the level of nesting that t, a "not" or a "(", opens, or
// returns an error if it is one too many.
func (p *condParser) nest(t token) *condError {
	p.depth++
	if p.depth > p.maxDepth {
		return &condError{t.off, fmt.Sprintf("condition nested deeper than %d", p.maxDepth)}
	}
	return nil
}

// unnest leaves a level of nesting.
func (p *condParser) unnest() { p.depth-- }

// reserved reports whether a word is a keyword that cannot name a search.
func reserved(w string) bool {
	for _, kw := range []string{"and", "or", "not", "of", "them"} {
		if strings.EqualFold(w, kw) {
			return true
		}
	}
	return false
}

// primary parses a parenthesized condition, a quantifier or a name.
func (p *condParser) primary() (*condNode, *condError) {
	const expected = `a search name, "not", "(", "1 of" or "all of"`
	t := p.next()
	switch t.kind {
	case tokLParen:
		if err := p.nest(t); err != nil {
			return nil, err
		}
		defer p.unnest()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if r := p.next(); r.kind != tokRParen {
			return nil, p.unexpected(r, `")"`)
		}
		return x, nil
	case tokWord:
	default:
		return nil, p.unexpected(t, expected)
	}
	if isKeyword(p.peek(), "of") {
		return p.quantified(t)
	}
	switch {
	case reserved(t.text):
		return nil, p.unexpected(t, expected)
	case strings.Contains(t.text, "*"):
		return nil, &condError{t.off, fmt.Sprintf(`invalid condition: pattern %q needs "1 of" or "all of" before it`, t.text)}
	}
	return &condNode{kind: condName, name: t.text, off: t.off}, nil
}

// quantified parses "of" and its target after the quantifier q.
func (p *condParser) quantified(q token) (*condNode, *condError) {
	n := &condNode{kind: condOf, off: q.off}
	switch {
	case q.text == "1" || strings.EqualFold(q.text, "any"):
	case strings.EqualFold(q.text, "all"):
		n.all = true
	default:
		return nil, &condError{q.off, fmt.Sprintf(`invalid condition: unsupported quantifier %q (expected "1", "any" or "all")`, q.text)}
	}
	p.next() // of
	t := p.next()
	n.at = t.off
	switch {
	case isKeyword(t, "them"):
		n.name = "them"
	case t.kind != tokWord || reserved(t.text):
		return nil, p.unexpected(t, `a search name, a pattern or "them"`)
	default:
		n.name = t.text
	}
	return n, nil
}
