package sigma

import (
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"

	"github.com/ruleforge/ruleforge/ir"
)

// condition is the condition being lowered, for error positions.
type condition struct {
	line, col int // 0-based, as sigma-go reports them
}

// conditions lowers the detection's conditions; several are ORed.
func (l *lowerer) conditions(cs sigmago.Conditions) (*ir.Expr, error) {
	if len(cs) == 0 {
		return nil, l.errorf(1, 1, "detection has no condition")
	}
	xs := make([]*ir.Expr, 0, len(cs))
	for _, c := range cs {
		line, col := c.Position()
		at := condition{line, col}
		if c.Aggregation != nil {
			return nil, l.errorAt(line, col, "unsupported: aggregation")
		}
		x, err := l.cond(at, c.Search)
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	return or(xs...), nil
}

// cond lowers one node of a condition's syntax tree.
func (l *lowerer) cond(at condition, e sigmago.SearchExpr) (*ir.Expr, error) {
	switch e := e.(type) {
	case sigmago.And:
		return l.conds(at, e, and)
	case sigmago.Or:
		return l.conds(at, e, or)
	case sigmago.Not:
		x, err := l.cond(at, e.Expr)
		if err != nil {
			return nil, err
		}
		return ir.Not(x), nil
	case sigmago.SearchIdentifier:
		return l.ref(at, e.Name)
	case sigmago.OneOfIdentifier:
		return l.ref(at, e.Ident.Name)
	case sigmago.AllOfIdentifier:
		return l.ref(at, e.Ident.Name)
	case sigmago.OneOfPattern:
		return l.refs(at, "1 of", e.Pattern, or)
	case sigmago.AllOfPattern:
		return l.refs(at, "all of", e.Pattern, and)
	case sigmago.OneOfThem:
		return l.refs(at, "1 of", "them", or)
	case sigmago.AllOfThem:
		return l.refs(at, "all of", "them", and)
	}
	return nil, l.errorAt(at.line, at.col, "unsupported: condition %T", e)
}

// conds lowers the operands of an and or an or and combines them.
func (l *lowerer) conds(at condition, es []sigmago.SearchExpr, combine func(...*ir.Expr) *ir.Expr) (*ir.Expr, error) {
	args := make([]*ir.Expr, 0, len(es))
	for _, e := range es {
		x, err := l.cond(at, e)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return combine(args...), nil
}

// ref returns a copy of the named search's expression.
func (l *lowerer) ref(at condition, name string) (*ir.Expr, error) {
	if _, ok := l.search[name]; !ok {
		return nil, l.wordErrorf(at, name, "condition references undefined search %q", name)
	}
	return l.clone(at, name)
}

// clone returns a copy of the named search's expression, counting its
// nodes and values against MaxExprSize: a condition naming big searches
// many times must not make ParseRule build a huge tree.
func (l *lowerer) clone(at condition, name string) (*ir.Expr, error) {
	l.nodes += l.size[name]
	if l.nodes > MaxExprSize {
		return nil, l.errorAt(at.line, at.col, "condition expands to more than %d nodes and values", MaxExprSize)
	}
	return l.search[name].Clone(), nil
}

// refs combines the searches whose names match pattern, in name order.
// The pattern "them" matches every search whose name does not start with
// "_"; otherwise "*" in the pattern matches any run of characters.
func (l *lowerer) refs(at condition, quant, pattern string, combine func(...*ir.Expr) *ir.Expr) (*ir.Expr, error) {
	var args []*ir.Expr
	for _, n := range l.names {
		if pattern == "them" && strings.HasPrefix(n, "_") || pattern != "them" && !wildMatch(pattern, n) {
			continue
		}
		x, err := l.clone(at, n)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	if len(args) == 0 {
		return nil, l.wordErrorf(at, pattern, "%q matches no search", quant+" "+pattern)
	}
	return combine(args...), nil
}

// wordErrorf returns an error at the first whole-word occurrence of word in
// the condition's line, or at the condition when there is none there (for
// instance when the condition spans several lines).
func (l *lowerer) wordErrorf(at condition, word, format string, args ...any) error {
	line, col := at.line+1, at.col+1
	p := l.pos(line, col)
	text := l.lineText(line)
	for from := p.Col - 1; from >= 0 && from < len(text); {
		i := strings.Index(text[from:], word)
		if i < 0 {
			break
		}
		i += from
		j := i + len(word)
		if (i == 0 || !isWordByte(text[i-1])) && (j == len(text) || !isWordByte(text[j])) {
			p.Offset += i - (p.Col - 1)
			p.Col = i + 1
			break
		}
		from = j
	}
	return ir.Errorf(p, format, args...)
}

// isWordByte reports whether c can be part of a search name or pattern.
func isWordByte(c byte) bool {
	return c == '_' || c == '*' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// wildMatch reports whether name matches pattern, where "*" matches any run
// of bytes and every other byte itself.
func wildMatch(pattern, name string) bool {
	// Greedy matching with backtracking to the last star: linear in
	// practice, quadratic at worst.
	p, n := 0, 0
	star, next := -1, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, next = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			next++
			p, n = star+1, next
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
