package eql

import (
	"errors"
	"io"
	"sort"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/ruleforge/ruleforge/ir"
)

// The reference parser: participle reading grammar.go's struct tags, an
// implementation of the grammar independent of parser.go's (it was the
// package's parser until parser.go replaced it for speed). The
// differential tests in parser_test.go compare the two.

// refLookahead is how many tokens the reference parser may read before
// committing to an alternative: two tell "not in" from "not", and a call
// from a field.
const refLookahead = 2

// refParser parses a query from the tokens lex produces.
var refParser = participle.MustBuild[query](
	participle.Lexer(refDefinition{}),
	participle.UseLookahead(refLookahead),
)

// refParse parses toks with the reference parser. Errors are worded by
// syntaxError at the token participle reports, as parseQuery words them.
func refParse(toks []token) (*query, error) {
	peek, err := lexer.Upgrade(&refTokens{toks: toks})
	if err != nil {
		return nil, err
	}
	q, err := refParser.ParseFromLexer(peek)
	if err != nil {
		return nil, refError(toks, err)
	}
	return q, nil
}

// refError rewords a participle error as syntaxError does, at the
// offending token.
func refError(toks []token, err error) error {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return ir.Errorf(toPos(toks[0].Pos), "%s", err)
	}
	pos := perr.Position()
	i := sort.Search(len(toks), func(i int) bool { return toks[i].Pos.Offset >= pos.Offset })
	if i == len(toks) || toks[i].Pos.Offset != pos.Offset {
		return ir.Errorf(toPos(position(pos)), "%s", perr.Message())
	}
	return syntaxError(toks, i, "")
}

// refDefinition is the participle lexer definition over lex.
type refDefinition struct{}

// Symbols returns the token types by name, for the grammar's @Type
// references.
func (refDefinition) Symbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF":         lexer.EOF,
		"Ident":       lexer.TokenType(tokIdent),
		"QuotedIdent": lexer.TokenType(tokQuotedIdent),
		"TildeIdent":  lexer.TokenType(tokTildeIdent),
		"Keyword":     lexer.TokenType(tokKeyword),
		"String":      lexer.TokenType(tokString),
		"Number":      lexer.TokenType(tokNumber),
		"Punct":       lexer.TokenType(tokPunct),
	}
}

// Lex lexes r with lex and the default limits. (refParse gives the parser
// tokens lexed already; this is never called.)
func (refDefinition) Lex(file string, r io.Reader) (lexer.Lexer, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	toks, err := lex(file, string(src), MaxStringLen)
	if err != nil {
		return nil, err
	}
	return &refTokens{toks: toks}, nil
}

// refTokens replays lexed tokens as participle's; it returns EOF once
// they run out.
type refTokens struct {
	toks []token
	i    int
}

// Next returns the next token.
func (t *refTokens) Next() (lexer.Token, error) {
	if t.i >= len(t.toks) {
		var end lexer.Position
		if len(t.toks) > 0 {
			end = lexer.Position(t.toks[len(t.toks)-1].Pos)
		}
		return lexer.EOFToken(end), nil
	}
	t.i++
	tok := t.toks[t.i-1]
	return lexer.Token{Type: lexer.TokenType(tok.Type), Value: tok.Value, Pos: lexer.Position(tok.Pos)}, nil
}
