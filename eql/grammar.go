package eql

// The grammar, lowest precedence first, as parser.go parses it into the
// structs below. Their tags say the same to participle, which builds the
// reference parser the tests compare parser.go with. It follows Elasticsearch's
// EqlBase.g4 so that the constructs this package does not lower yet
// (array indexes, pipes) already parse and can be rejected with their
// position, and can later be lowered without touching the grammar. Joins
// are rejected before parsing (see parse.go).
//
//	query      = (sequence | sample | eventQuery) pipe*
//	sequence   = "sequence" (joinKeys maxspan? | maxspan joinKeys?)?
//	             stageTerm+ ("until" stageTerm)?
//	sample     = "sample" joinKeys? stageTerm+
//	joinKeys   = "by" field ("," field)*
//	maxspan    = "with" "maxspan" "=" Number Ident?
//	stageTerm  = ("[" | "![") eventQuery "]" joinKeys? ("with" Ident "=" Number)?
//	eventQuery = ("any" | Ident | String) "where" or
//	pipe       = "|" name (or ("," or)*)?
//	or         = and ("or" and)*
//	and        = not ("and" not)*
//	not        = "not"* comparison
//	comparison = arith ( cmpOp arith
//	                   | "not"? ("in" | "in~") "(" arith ("," arith)* ")"
//	                   | (":" | "like" | "like~" | "regex" | "regex~")
//	                         ( "(" arith ("," arith)* ")" | arith ) )?
//	                         (an arith here never starts with "(")
//	arith      = term (("+" | "-") term)*
//	term       = unary (("*" | "/" | "%") unary)*
//	unary      = ("-" | "+")* primary
//	primary    = value | call | field | "(" or ")"
//	call       = (Ident | TildeIdent) "(" (or ("," or)*)? ")"
//	field      = "?"? name ("." name | "[" Number "]")*
//	value      = String | Number | "true" | "false" | "null"
//
// Repetition (and, or, not, signs) is iterative; only parentheses
// recurse, and parse.go bounds their depth before parsing.

// query is a whole statement.
type query struct {
	Sequence *sequence   `parser:"( @@"`
	Sample   *sample     `parser:"| @@"`
	Event    *eventQuery `parser:"| @@ )"`
	Pipes    []*pipe     `parser:"@@*"`
}

// sequence is "sequence [by …] [with maxspan=…] [A] [B] … [until [C]]".
type sequence struct {
	Pos   position
	By    *joinKeys    `parser:"'sequence' ( @@ "`
	Span  *maxspan     `parser:"  @@? "`
	Span2 *maxspan     `parser:"| @@ "`
	By2   *joinKeys    `parser:"  @@? )?"`
	Terms []*stageTerm `parser:"@@+"`
	Until *stageTerm   `parser:"( 'until' @@ )?"`
}

// sample is "sample [by …] [A] [B] …".
type sample struct {
	Pos   position
	By    *joinKeys    `parser:"'sample' @@?"`
	Terms []*stageTerm `parser:"@@+"`
}

// joinKeys is "by f1, f2, …".
type joinKeys struct {
	Pos    position
	Fields []*field `parser:"'by' @@ ( ',' @@ )*"`
}

// maxspan is "with maxspan=N unit".
type maxspan struct {
	Pos    position
	Number string `parser:"'with' 'maxspan' '=' @Number"`
	Unit   string `parser:"@Ident?"`
}

// stageTerm is one stage of a sequence or sample: "[query] [by …] [with
// runs=N]", or a missing event "![query]".
type stageTerm struct {
	Pos     position
	Missing bool        `parser:"( @'![' | '[' )"`
	Event   *eventQuery `parser:"@@ ']'"`
	By      *joinKeys   `parser:"@@?"`
	Param   *termParam  `parser:"@@?"`
}

// termParam is a term's "with name=N" (runs).
type termParam struct {
	Pos    position
	Name   string `parser:"'with' @Ident '='"`
	Number string `parser:"@Number"`
}

// eventQuery is "<category> where <condition>" or "any where <condition>".
type eventQuery struct {
	Pos      position
	Any      bool    `parser:"( @'any'"`
	Category string  `parser:"| @(Ident | String) )"`
	Cond     *orExpr `parser:"'where' @@"`
}

// pipe is "| name args…"; no pipe is lowered yet.
type pipe struct {
	Pos  position
	Name string    `parser:"'|' @(Ident | Keyword)"`
	Args []*orExpr `parser:"( @@ ( ',' @@ )* )?"`
}

// orExpr is a disjunction; one term is just that term.
type orExpr struct {
	Pos   position
	Terms []*andExpr `parser:"@@ ( 'or' @@ )*"`
}

// andExpr is a conjunction; one term is just that term.
type andExpr struct {
	Pos   position
	Terms []*notExpr `parser:"@@ ( 'and' @@ )*"`
}

// notExpr is a comparison under any number of "not".
type notExpr struct {
	Pos  position
	Nots []string    `parser:"@'not'*"`
	Cmp  *comparison `parser:"@@"`
}

// comparison is an operand, alone or compared.
type comparison struct {
	Pos   position
	Left  *arith   `parser:"@@"`
	Infix *infix   `parser:"( @@"`
	In    *inList  `parser:"| @@"`
	Match *matchOp `parser:"| @@ )?"`
}

// infix is the operator and right operand of ==, !=, <, <=, > or >=.
type infix struct {
	Pos   position
	Op    string `parser:"@( '==' | '!=' | '<' | '<=' | '>' | '>=' )"`
	Right *arith `parser:"@@"`
}

// inList is [not] in (…) or in~ (…).
type inList struct {
	Pos    position
	Not    bool     `parser:"@'not'?"`
	Op     string   `parser:"@( 'in' | 'in~' )"`
	Values []*arith `parser:"'(' @@ ( ',' @@ )* ')'"`
}

// matchOp is ":", like, like~, regex or regex~ with one value or a list.
// A "(" after the operator always opens the list, as in EqlBase.g4's
// predicate rule (a constant, or "(" constants ")"): were a parenthesised
// operand tried as well, each "a : ((" would parse what follows twice, and
// time would double with every level (see TestParseLinear).
type matchOp struct {
	Pos  position
	Op   string   `parser:"@( ':' | 'like' | 'like~' | 'regex' | 'regex~' )"`
	List []*arith `parser:"( '(' @@ ( ',' @@ )* ')'"`
	One  *arith   `parser:"| (?! '(' ) @@ )"`
}

// arith is a sum or difference of terms.
type arith struct {
	Pos  position
	Left *term      `parser:"@@"`
	Ops  []*arithOp `parser:"@@*"`
}

// arithOp is "+ term" or "- term".
type arithOp struct {
	Pos   position
	Op    string `parser:"@( '+' | '-' )"`
	Right *term  `parser:"@@"`
}

// term is a product, quotient or remainder of unary operands.
type term struct {
	Pos  position
	Left *unary    `parser:"@@"`
	Ops  []*termOp `parser:"@@*"`
}

// termOp is "* unary", "/ unary" or "% unary".
type termOp struct {
	Pos   position
	Op    string `parser:"@( '*' | '/' | '%' )"`
	Right *unary `parser:"@@"`
}

// unary is a primary under any number of signs.
type unary struct {
	Pos     position
	Signs   []string `parser:"@( '-' | '+' )*"`
	Primary *primary `parser:"@@"`
}

// primary is a constant, a function call, a field or a parenthesised
// condition.
type primary struct {
	Pos   position
	Value *value  `parser:"@@"`
	Call  *call   `parser:"| @@"`
	Field *field  `parser:"| @@"`
	Paren *orExpr `parser:"| '(' @@ ')'"`
}

// value is a constant; each field holds the token's source text.
type value struct {
	Pos    position
	Str    *string `parser:"@String"`
	Number *string `parser:"| @Number"`
	Bool   *string `parser:"| @( 'true' | 'false' )"`
	Null   bool    `parser:"| @'null'"`
}

// call is a function call; func.go lists the functions that lower.
type call struct {
	Pos  position
	Name string    `parser:"@( Ident | TildeIdent ) '('"`
	Args []*orExpr `parser:"( @@ ( ',' @@ )* )? ')'"`
}

// field is a field reference: a name and its dotted parts, each name a
// plain or backtick-quoted name. After a dot a keyword is a name too.
type field struct {
	Pos      position
	Optional bool         `parser:"@'?'?"`
	Head     string       `parser:"@( Ident | QuotedIdent )"`
	Tail     []*fieldPart `parser:"@@*"`
}

// fieldPart is ".name" or an array index "[n]".
type fieldPart struct {
	Pos   position
	Name  string  `parser:"'.' @( Ident | QuotedIdent | Keyword )"`
	Index *string `parser:"| '[' @Number ']'"`
}
