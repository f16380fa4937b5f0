package compile

import (
	"encoding/binary"
	"slices"

	"github.com/ruleforge/ruleforge/ir"
)

// dedup returns the pass that removes the operands of an and/or that
// repeat an earlier operand (the same form), keeping the first; fs
// numbers the forms.
func dedup(fs *forms) pass {
	return func(x *ir.Expr) (*ir.Expr, bool) {
		return rebuild(x, fs.dedupNode)
	}
}

// forms numbers the expressions that one Simplify compares by what they
// say: two get one number when they are the same predicate (its field,
// paths, comparison, case mode and values: appendPredKey; a computed
// operand as it prints) or the same operator over operands of the same
// numbers. A node's number is made once: the rounds keep the operands
// they do not change. Unlike printing whole subtrees at every level, this
// costs one short key per node.
type forms struct {
	of  map[*ir.Expr]int32 // a node's number
	ids map[string]int32   // a key's number
	buf []byte
}

// newForms returns an empty numbering.
func newForms() *forms {
	return &forms{of: map[*ir.Expr]int32{}, ids: map[string]int32{}}
}

// id returns x's number.
func (fs *forms) id(x *ir.Expr) int32 {
	if id, ok := fs.of[x]; ok {
		return id
	}
	var kids []int32
	for _, a := range x.Args {
		kids = append(kids, fs.id(a))
	}
	b := append(fs.buf[:0], byte(x.Op))
	switch p := x.Pred; {
	case x.Op != ir.OpPred:
		b = binary.AppendUvarint(b, uint64(len(kids)))
		for _, k := range kids {
			b = binary.AppendUvarint(b, uint64(k))
		}
	case p == nil:
		b = append(b, 0)
	case p.Left != nil || p.Right != nil:
		s := p.String()
		b = appendPredKey(append(binary.AppendUvarint(append(b, 2), uint64(len(s))), s...), p)
	default:
		b = appendPredKey(append(b, 1), p)
	}
	fs.buf = b
	id, ok := fs.ids[string(b)]
	if !ok {
		id = int32(len(fs.ids))
		fs.ids[string(b)] = id
	}
	fs.of[x] = id
	return id
}

// dedupNode deduplicates the operands of one node.
func (fs *forms) dedupNode(x *ir.Expr) (*ir.Expr, bool) {
	if (x.Op != ir.OpAnd && x.Op != ir.OpOr) || len(x.Args) < 2 {
		return x, false
	}
	var seen []int32
	var seenMap map[int32]bool // for long operand lists
	if len(x.Args) > 16 {
		seenMap = make(map[int32]bool, len(x.Args))
	}
	var args []*ir.Expr
	for i, a := range x.Args {
		id := fs.id(a)
		if slices.Contains(seen, id) || seenMap[id] {
			if args == nil {
				args = append([]*ir.Expr(nil), x.Args[:i]...)
			}
			continue
		}
		if seenMap != nil {
			seenMap[id] = true
		} else {
			seen = append(seen, id)
		}
		if args != nil {
			args = append(args, a)
		}
	}
	if args == nil {
		return x, false
	}
	return &ir.Expr{Op: x.Op, Args: args}, true
}
