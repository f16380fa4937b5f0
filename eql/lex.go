package eql

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/ir"
)

// position is where a token starts in a query. It has the fields, names
// and order of participle's lexer.Position, so that the reference parser
// in the tests (participle, which fills a grammar struct's Pos field of
// any type lexer.Position converts to) builds the same trees, while the
// package itself does not import participle.
type position struct {
	Filename string
	Offset   int // bytes from the start of the query
	Line     int // 1-based
	Column   int // 1-based, in bytes
}

// tokenType is a token's kind: tokEOF or one of the tok… constants below.
type tokenType int

// tokEOF is the type of the token that ends every lex result. It is -1,
// as participle's lexer.EOF, for the reference parser.
const tokEOF tokenType = -1

// token is one lexed token.
type token struct {
	Type  tokenType
	Value string   // the source text
	Pos   position // where it starts
}

// eof reports whether t ends the query.
func (t token) eof() bool { return t.Type == tokEOF }

// eofToken returns the token that ends a query at pos.
func eofToken(pos position) token { return token{Type: tokEOF, Pos: pos} }

// The token types. Tokens keep their source text as their value, quotes and
// backticks included, so that a keyword, a quoted name and a string never
// compare equal in the grammar.
const (
	tokIdent       tokenType = -2 - iota // name: category, field part, function or pipe
	tokQuotedIdent                       // `backtick quoted` name
	tokTildeIdent                        // function name ending in "~", e.g. startsWith~
	tokKeyword                           // a reserved word, e.g. and, in~, where
	tokString                            // "…" or """…"""
	tokNumber                            // 12, 1.5, .5, 1e3
	tokPunct                             // an operator or punctuation, e.g. ==, (, .
)

// keywords are EQL's reserved words. Like Elasticsearch, they are lower
// case and case sensitive: "AND" is a name, not the operator.
var keywords = map[string]bool{
	"and": true, "any": true, "by": true, "false": true, "in": true,
	"in~": true, "join": true, "like": true, "like~": true, "maxspan": true,
	"not": true, "null": true, "of": true, "or": true, "regex": true,
	"regex~": true, "sample": true, "sequence": true, "true": true,
	"until": true, "where": true, "with": true,
}

// puncts are the operators and punctuation, two-byte ones first. "=" is
// only valid in a sequence's "with maxspan=…"; elsewhere the parser
// suggests "==". "![" opens a sequence's missing-event term.
var puncts = []string{
	"==", "!=", "<=", ">=", "![",
	":", "=", "<", ">", "+", "-", "*", "/", "%", ".", ",", "[", "]", "(", ")", "|", "?",
}

// scanner splits a query into tokens.
type scanner struct {
	file   string
	src    string
	maxStr int // the most bytes a string's value may have
	off    int // byte offset of the next byte
	line   int // line of the next byte, 1-based
	col    int // column of the next byte, 1-based, in bytes
	toks   []token
}

// lex returns the tokens of src, comments and white space left out, ending
// with an EOF token. A string whose value has more than maxStr bytes is an
// error. Errors are *ir.Error; the tokens before the error are returned
// with it.
func lex(file, src string, maxStr int) ([]token, error) {
	// A token takes 7.5 bytes of the corpus's queries on average, and
	// rarely fewer than 4: one allocation, most of the time.
	s := &scanner{file: file, src: src, maxStr: maxStr, line: 1, col: 1, toks: make([]token, 0, len(src)/4+1)}
	if !utf8.ValidString(src) {
		// Report the first bad byte.
		for s.off < len(src) {
			r, n := utf8.DecodeRuneInString(src[s.off:])
			if r == utf8.RuneError && n == 1 {
				return s.toks, ir.Errorf(toPos(s.pos()), "invalid UTF-8 encoding")
			}
			s.advance(n)
		}
	}
	for {
		s.skipSpace()
		if s.atComment() {
			if err := s.skipComment(); err != nil {
				return s.toks, err
			}
			continue
		}
		if s.off >= len(s.src) {
			s.toks = append(s.toks, eofToken(s.pos()))
			return s.toks, nil
		}
		if err := s.next(); err != nil {
			return s.toks, err
		}
	}
}

// pos returns the position of the next byte.
func (s *scanner) pos() position {
	return position{Filename: s.file, Offset: s.off, Line: s.line, Column: s.col}
}

// advance moves n bytes on.
func (s *scanner) advance(n int) {
	for range n {
		if s.src[s.off] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
		s.off++
	}
}

// peek returns the byte i bytes ahead, or 0 past the end.
func (s *scanner) peek(i int) byte {
	if s.off+i < len(s.src) {
		return s.src[s.off+i]
	}
	return 0
}

func (s *scanner) atSpace() bool {
	switch s.peek(0) {
	case ' ', '\t', '\r', '\n':
		return s.off < len(s.src)
	}
	return false
}

func (s *scanner) atComment() bool {
	return s.peek(0) == '/' && (s.peek(1) == '/' || s.peek(1) == '*')
}

func (s *scanner) skipSpace() {
	for s.atSpace() {
		s.advance(1)
	}
}

// skipComment skips a "//" line comment or a "/* */" comment; the latter
// nest, as in Elasticsearch.
func (s *scanner) skipComment() error {
	if s.peek(1) == '/' {
		for s.off < len(s.src) && s.src[s.off] != '\n' {
			s.advance(1)
		}
		return nil
	}
	start := s.pos()
	depth := 0
	for {
		switch {
		case s.off >= len(s.src):
			return ir.Errorf(toPos(start), `unterminated comment (expected "*/")`)
		case s.peek(0) == '/' && s.peek(1) == '*':
			depth++
			s.advance(2)
		case s.peek(0) == '*' && s.peek(1) == '/':
			depth--
			s.advance(2)
		default:
			s.advance(1)
		}
		if depth == 0 {
			return nil
		}
	}
}

// emit appends the token of n bytes at start, the current position, and
// moves past it.
func (s *scanner) emit(typ tokenType, start position, n int) {
	s.toks = append(s.toks, token{Type: typ, Value: s.src[start.Offset : start.Offset+n], Pos: start})
	s.advance(n)
}

// next scans one token.
func (s *scanner) next() error {
	start := s.pos()
	rest := s.src[s.off:]
	r, _ := utf8.DecodeRuneInString(rest)
	switch {
	case isNameStart(r):
		n := nameLen(rest)
		word := rest[:n]
		if s.peek(n) == '~' && unicode.IsLetter(r) {
			if keywords[word+"~"] {
				s.emit(tokKeyword, start, n+1)
			} else {
				s.emit(tokTildeIdent, start, n+1)
			}
			return nil
		}
		if keywords[word] {
			s.emit(tokKeyword, start, n)
		} else {
			s.emit(tokIdent, start, n)
		}
		return nil
	case isDigit(s.peek(0)) || s.peek(0) == '.' && isDigit(s.peek(1)):
		s.emit(tokNumber, start, numberLen(rest))
		return nil
	case r == '"':
		return s.scanString(start)
	case r == '`':
		return s.scanQuotedName(start)
	case r == '\'':
		return ir.Errorf(toPos(start), "unexpected single quote (strings are written in double quotes)")
	case r == '?' && (s.peek(1) == '"' || s.peek(1) == '\''):
		return ir.Errorf(toPos(start), `unexpected "?" before a string (raw strings are written """…""")`)
	}
	switch {
	case strings.HasPrefix(rest, "||"):
		return ir.Errorf(toPos(start), `unexpected "||" (expected "or")`)
	case strings.HasPrefix(rest, "&&"):
		return ir.Errorf(toPos(start), `unexpected "&&" (expected "and")`)
	case r == '&':
		return ir.Errorf(toPos(start), `unexpected "&" (expected "and")`)
	}
	for _, p := range puncts {
		if strings.HasPrefix(rest, p) {
			s.emit(tokPunct, start, len(p))
			return nil
		}
	}
	if r == '!' {
		return ir.Errorf(toPos(start), `unexpected "!" (expected "!=" or "not")`)
	}
	return ir.Errorf(toPos(start), "unexpected character %q", string(r))
}

// scanString scans a "…" or """…""" string and checks its escapes and
// length.
func (s *scanner) scanString(start position) error {
	rest := s.src[s.off:]
	n := 0
	if strings.HasPrefix(rest, `"""`) {
		// A newline is looked for inside the string only, so that a line
		// of many strings takes linear time.
		end := strings.Index(rest[3:], `"""`)
		if end < 0 || strings.ContainsAny(rest[3:3+end], "\r\n") {
			return ir.Errorf(toPos(start), `unterminated string (expected """ before the end of the line)`)
		}
		n = 3 + end + 3
		// Up to two more quotes belong to the content, as in Elasticsearch.
		for k := 0; k < 2 && n < len(rest) && rest[n] == '"'; k++ {
			n++
		}
	} else {
		for i := 1; ; i++ {
			if i >= len(rest) || rest[i] == '\n' || rest[i] == '\r' {
				return ir.Errorf(toPos(start), `unterminated string (expected " before the end of the line)`)
			}
			if rest[i] == '\\' {
				i++
				continue
			}
			if rest[i] == '"' {
				n = i + 1
				break
			}
		}
	}
	v, err := unquote(rest[:n])
	if err != nil {
		p := start
		p.Offset += err.off
		p.Column += err.off
		return ir.Errorf(toPos(p), "%s", err.msg)
	}
	if len(v) > s.maxStr {
		return ir.Errorf(toPos(start), "string is %d bytes, more than the limit of %d", len(v), s.maxStr)
	}
	s.emit(tokString, start, n)
	return nil
}

// scanQuotedName scans a `backtick quoted` name; a backtick inside is
// written twice.
func (s *scanner) scanQuotedName(start position) error {
	rest := s.src[s.off:]
	for i := 1; i < len(rest); i++ {
		if rest[i] != '`' {
			continue
		}
		if i+1 < len(rest) && rest[i+1] == '`' {
			i++
			continue
		}
		if i == 1 {
			return ir.Errorf(toPos(start), "empty quoted name (expected a name between the backticks)")
		}
		s.emit(tokQuotedIdent, start, i+1)
		return nil
	}
	return ir.Errorf(toPos(start), "unterminated quoted name (expected a closing \"`\")")
}

// isNameStart reports whether r may start a name: a letter, "_" or "@".
func isNameStart(r rune) bool { return r == '_' || r == '@' || unicode.IsLetter(r) }

// nameLen returns the length of the name at the start of s: letters,
// digits, "_" and "@".
func nameLen(s string) int {
	for i, r := range s {
		if !isNameStart(r) && !unicode.IsDigit(r) {
			return i
		}
	}
	return len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// numberLen returns the length of the number at the start of s: digits,
// an optional fraction and an optional exponent.
func numberLen(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

// describe renders a token for an error message.
func describe(t token) string {
	if t.eof() {
		return "end of query"
	}
	const maxLen = 40 // longer tokens are cut short in messages
	v := t.Value
	if len(v) > maxLen {
		cut := maxLen
		for cut > 0 && !utf8.RuneStart(v[cut]) {
			cut--
		}
		v = v[:cut] + "…"
	}
	if t.Type == tokString {
		return "string " + v
	}
	return fmt.Sprintf("%q", v)
}
