package eql

import (
	"path/filepath"
	"strings"

	"github.com/ruleforge/ruleforge/ir"
)

// Parse parses one EQL query and lowers it to an IR expression. file names
// the source in errors (may be ""). Options change the limits (see
// Limits in the package documentation). Errors are *ir.Error.
func Parse(file, query string, opts ...Option) (x *ir.Expr, err error) {
	defer recoverError(file, &err)
	x, st, start, err := parse(file, query, newConfig(opts))
	if err == nil && st != nil {
		return nil, ir.Unsupported(start, "%s outside a rule (it spans several events: use ParseRule or ParseTOML)", st.Kind())
	}
	return x, err
}

// ParseRule reads a bare query file (.eql). The rule's ID and Title are the
// file's base name without its extension, and its Source is the position
// of the query's first token. The whole file is the query, limited by
// WithMaxQuerySize. Errors are *ir.Error.
func ParseRule(file string, src []byte, opts ...Option) (r *ir.Rule, err error) {
	defer recoverError(file, &err)
	name := filepath.Base(file)
	name = strings.TrimSuffix(name, filepath.Ext(name))
	x, st, start, err := parse(file, string(src), newConfig(opts))
	if err != nil {
		return nil, ir.ForRule(err, name)
	}
	return &ir.Rule{Meta: ir.Meta{ID: name, Title: name}, Lang: ir.LangEQL, Source: start, Expr: x, State: st}, nil
}

// recoverError turns a panic, which would be a bug, into an error, so that
// none crosses the API. It must be deferred.
func recoverError(file string, err *error) {
	if r := recover(); r != nil {
		*err = ir.Errorf(ir.Pos{File: file, Line: 1, Col: 1}, "internal error: %v", r)
	}
}

// parse lexes, checks, parses and lowers query. It returns the expression,
// the State of a sequence or sample, and the position of the query's
// first token.
func parse(file, query string, cfg *config) (*ir.Expr, ir.Stateful, ir.Pos, error) {
	if len(query) > cfg.maxQuerySize {
		start := ir.Pos{File: file, Line: 1, Col: 1}
		return nil, nil, start, ir.Errorf(start, "query is %d bytes, more than the limit of %d", len(query), cfg.maxQuerySize)
	}
	toks, err := lex(file, query, cfg.maxStringLen)
	if len(toks) > 0 && toks[0].Type == tokKeyword && unsupportedQueries[toks[0].Value] {
		// Sequences, samples and joins are not parsed, whatever they hold.
		return nil, nil, toPos(toks[0].Pos), ir.Unsupported(toPos(toks[0].Pos), "%s", toks[0].Value)
	}
	if err != nil {
		return nil, nil, ir.Pos{}, err
	}
	start := toPos(toks[0].Pos)
	if err := checkLimits(toks, cfg); err != nil {
		return nil, nil, start, err
	}
	tree, err := parseQuery(toks)
	if err != nil {
		return nil, nil, start, err
	}
	x, st, err := lower(tree)
	return x, st, start, err
}

// toPos converts a token position to an ir.Pos.
func toPos(p position) ir.Pos {
	return ir.Pos{File: p.Filename, Offset: p.Offset, Line: p.Line, Col: p.Column}
}

// unsupportedQueries are the query kinds that are recognised but not
// lowered.
var unsupportedQueries = map[string]bool{"join": true}

// level is an open parenthesis, or the top level of a query.
type level struct {
	open  token  // the "(", or the first token at the top level
	call  string // the function's name, if it opens a call
	list  bool   // whether it opens a list of values
	nots  int    // the "not"s in effect at this level
	items int    // the values of a list or the arguments of a call so far
}

// checkLimits rejects nesting deeper than cfg.maxDepth and lists and calls
// longer than cfg.maxListValues. It runs before parsing, so that neither
// can exhaust the stack or make the parser allocate much.
func checkLimits(toks []token, cfg *config) error {
	// A "not" nests until the next and, or, comma or closing parenthesis
	// of its level.
	levels := []level{{open: toks[0]}}
	depth := 0
	for i, t := range toks {
		if t.Type != tokPunct && t.Type != tokKeyword {
			continue
		}
		top := &levels[len(levels)-1]
		switch t.Value {
		case "(":
			l := level{open: t, items: 1}
			if i > 0 {
				prev := toks[i-1]
				l.list = listBefore[prev.Value]
				if prev.Type == tokIdent || prev.Type == tokTildeIdent {
					l.call = prev.Value
				}
			}
			levels = append(levels, l)
			depth++
		case ")":
			if len(levels) > 1 {
				depth -= 1 + top.nots
				levels = levels[:len(levels)-1]
			}
		case "not":
			// Neither "f not in" nor a field part "a.not" nests.
			next, prev := toks[i+1].Value, ""
			if i > 0 {
				prev = toks[i-1].Value
			}
			if next != "in" && next != "in~" && prev != "." {
				top.nots++
				depth++
			}
		case ",":
			top.items++
			switch {
			case top.list && top.items > cfg.maxListValues:
				return ir.Errorf(toPos(top.open.Pos), "list has more than %d values", cfg.maxListValues)
			case top.call != "" && top.items > cfg.maxListValues:
				return ir.Errorf(toPos(top.open.Pos), "%s has more than %d arguments", top.call, cfg.maxListValues)
			}
			fallthrough
		case "and", "or", "where", "|":
			depth -= top.nots
			top.nots = 0
		}
		if depth > cfg.maxDepth {
			return ir.Errorf(toPos(t.Pos), "nesting deeper than %d", cfg.maxDepth)
		}
	}
	return nil
}

// syntaxError returns the error "unexpected X (expected want)" at
// toks[i]; an empty want is guessed by expected.
func syntaxError(toks []token, i int, want string) error {
	if want == "" {
		want = expected(toks, i)
	}
	if t := toks[i]; t.Type == tokIdent && keywords[strings.ToLower(t.Value)] {
		want += "; reserved words are lower case"
	}
	return ir.Errorf(toPos(toks[i].Pos), "unexpected %s (expected %s)", describe(toks[i]), want)
}

// valueBefore are the tokens after which an operand is expected.
var valueBefore = map[string]bool{
	"where": true, "and": true, "or": true, "not": true, "(": true, ",": true,
	"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"+": true, "-": true, "*": true, "/": true, "%": true,
	":": true, "like": true, "like~": true, "regex": true, "regex~": true,
}

// listBefore are the tokens after which "(" opens a list, not a group.
var listBefore = map[string]bool{
	"in": true, "in~": true, ":": true, "like": true, "like~": true, "regex": true, "regex~": true,
}

// expected describes what the grammar expects at toks[i], judging by the
// tokens before it.
func expected(toks []token, i int) string {
	if toks[i].Value == "=" && toks[i].Type == tokPunct {
		return `"=="`
	}
	switch i {
	case 0:
		return `an event category or "any"`
	case 1:
		return `"where"`
	}
	prev := toks[i-1]
	switch {
	case endsOperand(prev):
		return afterOperand(toks, i)
	case prev.Value == "not" && endsOperand(toks[i-2]):
		return `"in" or "in~"`
	case valueBefore[prev.Value]:
		return "a value"
	case prev.Value == "in" || prev.Value == "in~" || prev.Type == tokTildeIdent:
		return `"("`
	case prev.Value == "." || prev.Value == "?":
		return "a field name"
	case prev.Value == "[":
		return "an array index"
	case prev.Value == "|":
		return "a pipe name"
	}
	return "a value"
}

// endsOperand reports whether t may end an operand.
func endsOperand(t token) bool {
	switch t.Type {
	case tokString, tokNumber, tokIdent, tokQuotedIdent:
		return true
	}
	switch t.Value {
	case ")", "]", "true", "false", "null":
		return true
	}
	return false
}

// afterOperand describes what may follow a complete operand at toks[i]:
// it depends on the innermost open parenthesis or bracket.
func afterOperand(toks []token, i int) string {
	open := 0
	for j := i - 1; j >= 0; j-- {
		switch toks[j].Value {
		case ")", "]":
			open++
		case "(", "[":
			if open > 0 {
				open--
				continue
			}
			if toks[j].Value == "[" {
				return `"]"`
			}
			if j > 0 && (listBefore[toks[j-1].Value] || toks[j-1].Type == tokIdent || toks[j-1].Type == tokTildeIdent) {
				return `"," or ")"`
			}
			return `an operator or ")"`
		}
	}
	return "an operator or end of query"
}
