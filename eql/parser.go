package eql

import (
	"strings"
)

// parser is a recursive-descent parser of the grammar in grammar.go over
// the tokens lex returns. It fills the grammar's structs, each with the
// position of its first token, as the participle parser built from their
// tags does; that parser is kept in the tests as the reference this one
// is compared with (parser_test.go).
//
// The grammar is LL(1) but for three choices, decided by peeking: a name
// followed by "(" is a call, "not" after an operand must be "not in",
// and after a join key "[" opens an array index only when a number
// follows (else the next stage). A syntax error is reported at the first
// token no query can have there: the tokens before it begin a valid
// query.
type parser struct {
	toks []token // ending with EOF
	i    int     // index of the next token
}

// bailout is the panic with which the parser abandons a parse at its first
// syntax error, at token index at, expecting want (or, if want is "",
// what expected guesses from the tokens before it, which the words of
// many pinned errors come from); parseQuery recovers it, as go/parser
// does. Recursion is bounded by checkLimits, which runs first.
type bailout struct {
	at   int
	want string
}

// parseQuery parses the tokens of a query. Errors are *ir.Error, at the
// offending token, saying what was expected there.
func parseQuery(toks []token) (q *query, err error) {
	p := &parser{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			q, err = nil, syntaxError(toks, b.at, b.want)
		}
	}()
	return p.query(), nil
}

// tok returns the next token.
func (p *parser) tok() *token { return &p.toks[p.i] }

// ahead returns the token n after the next one, or EOF.
func (p *parser) ahead(n int) *token {
	return &p.toks[min(p.i+n, len(p.toks)-1)]
}

// at reports whether the next token is the keyword or punctuation v.
// (Only keywords and punctuation have such values: names, strings and
// numbers cannot.)
func (p *parser) at(v string) bool { return p.toks[p.i].Value == v }

// atType reports whether the next token has type t.
func (p *parser) atType(t tokenType) bool { return p.toks[p.i].Type == t }

// pos returns the position of the next token.
func (p *parser) pos() position { return p.toks[p.i].Pos }

// fail abandons the parse at the next token, where want was expected ("":
// see bailout).
func (p *parser) fail(want string) { panic(bailout{p.i, want}) }

// next moves past the next token and returns its value.
func (p *parser) next() string {
	v := p.toks[p.i].Value
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return v
}

// expect moves past the keyword or punctuation v, or fails expecting
// want.
func (p *parser) expect(v, want string) {
	if !p.at(v) {
		p.fail(want)
	}
	p.next()
}

// expectType returns the value of the next token and moves past it if it
// has one of the types, or fails expecting want.
func (p *parser) expectType(want string, types ...tokenType) string {
	for _, t := range types {
		if p.atType(t) {
			return p.next()
		}
	}
	p.fail(want)
	return ""
}

// query = (sequence | sample | eventQuery) pipe* EOF
func (p *parser) query() *query {
	q := &query{}
	switch {
	case p.at("sequence"):
		q.Sequence = p.sequence()
	case p.at("sample"):
		q.Sample = p.sample()
	default:
		q.Event = p.eventQuery()
	}
	for p.at("|") {
		q.Pipes = append(q.Pipes, p.pipe())
	}
	if !p.atType(tokEOF) {
		p.fail(q.after())
	}
	return q
}

// after returns what may follow q where the parse ended short of the
// end of the query: after a sequence's or sample's last stage, a clause
// that stage lacks, another stage, until, a pipe or the end. Otherwise
// it returns "", for expected's words.
func (q *query) after() string {
	var terms []*stageTerm
	until := q.Sequence != nil && q.Sequence.Until != nil
	switch {
	case len(q.Pipes) > 0:
		return ""
	case until:
		terms = []*stageTerm{q.Sequence.Until}
	case q.Sequence != nil:
		terms = q.Sequence.Terms
	case q.Sample != nil:
		terms = q.Sample.Terms
	default:
		return ""
	}
	last := terms[len(terms)-1]
	var want []string
	if last.By == nil && last.Param == nil {
		want = append(want, `"by"`)
	}
	if last.Param == nil {
		want = append(want, `"with"`)
	}
	if !until {
		want = append(want, `"["`)
	}
	if q.Sequence != nil && !until {
		want = append(want, `"until"`)
	}
	want = append(want, `"|"`)
	return strings.Join(want, ", ") + " or end of query"
}

// sequence = "sequence" (joinKeys maxspan? | maxspan joinKeys?)?
// stageTerm+ ("until" stageTerm)?
func (p *parser) sequence() *sequence {
	s := &sequence{Pos: p.pos()}
	p.next()
	switch {
	case p.at("by"):
		s.By = p.joinKeys()
		if p.at("with") {
			s.Span = p.maxspan()
		}
	case p.at("with"):
		s.Span2 = p.maxspan()
		if p.at("by") {
			s.By2 = p.joinKeys()
		}
	}
	s.Terms = p.stageTerms()
	if p.at("until") {
		p.next()
		s.Until = p.stageTerm()
	}
	return s
}

// sample = "sample" joinKeys? stageTerm+
func (p *parser) sample() *sample {
	s := &sample{Pos: p.pos()}
	p.next()
	if p.at("by") {
		s.By = p.joinKeys()
	}
	s.Terms = p.stageTerms()
	return s
}

// joinKeys = "by" field ("," field)*
func (p *parser) joinKeys() *joinKeys {
	k := &joinKeys{Pos: p.pos()}
	p.next()
	k.Fields = append(k.Fields, p.field(true))
	for p.at(",") {
		p.next()
		k.Fields = append(k.Fields, p.field(true))
	}
	return k
}

// maxspan = "with" "maxspan" "=" Number Ident?
func (p *parser) maxspan() *maxspan {
	m := &maxspan{Pos: p.pos()}
	p.next()
	p.expect("maxspan", `"maxspan"`)
	p.expect("=", `"="`)
	m.Number = p.expectType("a number", tokNumber)
	if p.atType(tokIdent) {
		m.Unit = p.next()
	}
	return m
}

// stageTerms parses one or more stage terms.
func (p *parser) stageTerms() []*stageTerm {
	terms := []*stageTerm{p.stageTerm()}
	for p.at("[") || p.at("![") {
		terms = append(terms, p.stageTerm())
	}
	return terms
}

// stageTerm = ("[" | "![") eventQuery "]" joinKeys? ("with" Ident "=" Number)?
func (p *parser) stageTerm() *stageTerm {
	t := &stageTerm{Pos: p.pos()}
	t.Missing = p.at("![")
	if !t.Missing && !p.at("[") {
		p.fail(`"[" or "!["`)
	}
	p.next()
	t.Event = p.eventQuery()
	p.expect("]", "")
	if p.at("by") {
		t.By = p.joinKeys()
	}
	if p.at("with") {
		t.Param = &termParam{Pos: p.pos()}
		p.next()
		t.Param.Name = p.expectType(`a parameter such as "runs"`, tokIdent)
		p.expect("=", `"="`)
		t.Param.Number = p.expectType("a number", tokNumber)
	}
	return t
}

// eventQuery = ("any" | Ident | String) "where" or
func (p *parser) eventQuery() *eventQuery {
	e := &eventQuery{Pos: p.pos()}
	if p.at("any") {
		e.Any = true
		p.next()
	} else {
		e.Category = p.expectType(`an event category or "any"`, tokIdent, tokString)
	}
	p.expect("where", `"where"`)
	e.Cond = p.or()
	return e
}

// pipe = "|" (Ident | Keyword) (or ("," or)*)?
func (p *parser) pipe() *pipe {
	pp := &pipe{Pos: p.pos()}
	p.next()
	pp.Name = p.expectType("", tokIdent, tokKeyword)
	if p.startsOperand() {
		pp.Args = p.orList()
	}
	return pp
}

// startsOperand reports whether the next token may start a condition.
func (p *parser) startsOperand() bool {
	switch p.tok().Type {
	case tokString, tokNumber, tokIdent, tokQuotedIdent, tokTildeIdent:
		return true
	}
	switch p.tok().Value {
	case "not", "-", "+", "(", "?", "true", "false", "null":
		return true
	}
	return false
}

// orList parses or ("," or)*.
func (p *parser) orList() []*orExpr {
	list := []*orExpr{p.or()}
	for p.at(",") {
		p.next()
		list = append(list, p.or())
	}
	return list
}

// or = and ("or" and)*
func (p *parser) or() *orExpr {
	o := &orExpr{Pos: p.pos(), Terms: []*andExpr{p.and()}}
	for p.at("or") {
		p.next()
		o.Terms = append(o.Terms, p.and())
	}
	return o
}

// and = not ("and" not)*
func (p *parser) and() *andExpr {
	a := &andExpr{Pos: p.pos(), Terms: []*notExpr{p.not()}}
	for p.at("and") {
		p.next()
		a.Terms = append(a.Terms, p.not())
	}
	return a
}

// not = "not"* comparison
func (p *parser) not() *notExpr {
	n := &notExpr{Pos: p.pos()}
	for p.at("not") {
		n.Nots = append(n.Nots, p.next())
	}
	n.Cmp = p.comparison()
	return n
}

// comparison = arith (cmpOp arith | inList | matchOp)?
func (p *parser) comparison() *comparison {
	c := &comparison{Pos: p.pos(), Left: p.arith()}
	switch p.tok().Value {
	case "==", "!=", "<", "<=", ">", ">=":
		c.Infix = &infix{Pos: p.pos(), Op: p.next()}
		c.Infix.Right = p.arith()
	case "not", "in", "in~":
		// "not" after an operand is "not in" or "not in~".
		in := &inList{Pos: p.pos()}
		if p.at("not") {
			in.Not = true
			p.next()
		}
		if !p.at("in") && !p.at("in~") {
			p.fail("")
		}
		in.Op = p.next()
		in.Values = p.arithList()
		c.In = in
	case ":", "like", "like~", "regex", "regex~":
		// A "(" after the operator always opens a list (see matchOp).
		m := &matchOp{Pos: p.pos(), Op: p.next()}
		if p.at("(") {
			m.List = p.arithList()
		} else {
			m.One = p.arith()
		}
		c.Match = m
	}
	return c
}

// arithList parses "(" arith ("," arith)* ")".
func (p *parser) arithList() []*arith {
	p.expect("(", "")
	list := []*arith{p.arith()}
	for p.at(",") {
		p.next()
		list = append(list, p.arith())
	}
	p.expect(")", "")
	return list
}

// arith = term (("+" | "-") term)*
func (p *parser) arith() *arith {
	a := &arith{Pos: p.pos(), Left: p.term()}
	for p.at("+") || p.at("-") {
		op := &arithOp{Pos: p.pos(), Op: p.next()}
		op.Right = p.term()
		a.Ops = append(a.Ops, op)
	}
	return a
}

// term = unary (("*" | "/" | "%") unary)*
func (p *parser) term() *term {
	t := &term{Pos: p.pos(), Left: p.unary()}
	for p.at("*") || p.at("/") || p.at("%") {
		op := &termOp{Pos: p.pos(), Op: p.next()}
		op.Right = p.unary()
		t.Ops = append(t.Ops, op)
	}
	return t
}

// unary = ("-" | "+")* primary
func (p *parser) unary() *unary {
	u := &unary{Pos: p.pos()}
	for p.at("-") || p.at("+") {
		u.Signs = append(u.Signs, p.next())
	}
	u.Primary = p.primary()
	return u
}

// primary = value | call | field | "(" or ")"
func (p *parser) primary() *primary {
	pr := &primary{Pos: p.pos()}
	t := p.tok()
	switch {
	case t.Type == tokString || t.Type == tokNumber || t.Value == "true" || t.Value == "false" || t.Value == "null":
		pr.Value = p.value()
	case t.Type == tokTildeIdent || t.Type == tokIdent && p.ahead(1).Value == "(":
		pr.Call = p.call()
	case t.Type == tokIdent || t.Type == tokQuotedIdent || t.Value == "?":
		pr.Field = p.field(false)
	case t.Value == "(":
		p.next()
		pr.Paren = p.or()
		p.expect(")", "")
	default:
		p.fail("")
	}
	return pr
}

// value = String | Number | "true" | "false" | "null"
func (p *parser) value() *value {
	v := &value{Pos: p.pos()}
	switch t := p.tok(); {
	case t.Type == tokString:
		s := p.next()
		v.Str = &s
	case t.Type == tokNumber:
		s := p.next()
		v.Number = &s
	case t.Value == "null":
		v.Null = true
		p.next()
	default:
		s := p.next()
		v.Bool = &s
	}
	return v
}

// call = (Ident | TildeIdent) "(" (or ("," or)*)? ")"
func (p *parser) call() *call {
	c := &call{Pos: p.pos(), Name: p.next()}
	p.expect("(", "")
	if !p.at(")") {
		c.Args = p.orList()
	}
	p.expect(")", "")
	return c
}

// field = "?"? (Ident | QuotedIdent) ("." name | "[" Number "]")*
// key says whether the field is a join key.
func (p *parser) field(key bool) *field {
	f := &field{Pos: p.pos()}
	if p.at("?") {
		f.Optional = true
		p.next()
	}
	want := "" // after "?" or in a condition, expected's words
	if key && !f.Optional {
		want = "a field"
	}
	f.Head = p.expectType(want, tokIdent, tokQuotedIdent)
	for {
		part := &fieldPart{Pos: p.pos()}
		switch {
		case p.at("."):
			p.next()
			part.Name = p.expectType("", tokIdent, tokQuotedIdent, tokKeyword)
		case p.at("[") && (!key || p.ahead(1).Type == tokNumber):
			// After a join key a "[" opens the next stage unless a
			// number follows: a stage's category is never a number.
			p.next()
			n := p.expectType("", tokNumber)
			part.Index = &n
			p.expect("]", "")
		default:
			return f
		}
		f.Tail = append(f.Tail, part)
	}
}
