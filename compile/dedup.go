package compile

import (
	"encoding/binary"
	"slices"
	"sync"

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
// operand's function, fields and constants: appendTermKey) or the same
// operator over operands of the same numbers. A node's number is made once: the rounds keep the operands
// they do not change. Unlike printing whole subtrees at every level, this
// costs one short key per node.
type forms struct {
	of  map[*ir.Expr]int32 // a node's number
	ids map[string]int32   // a key's number
	buf []byte
}

// formsPool holds numberings for Simplify to reuse: their maps keep
// their room from one rule to the next.
var formsPool = sync.Pool{New: func() any {
	return &forms{of: map[*ir.Expr]int32{}, ids: map[string]int32{}}
}}

// maxPooledForms is the most nodes a numbering that formsPool keeps
// has numbered.
const maxPooledForms = 4096

// newForms returns an empty numbering; release returns it to formsPool.
func newForms() *forms { return formsPool.Get().(*forms) }

// release empties fs and returns it to formsPool, unless a large rule
// made its maps too large to clear for each small one.
func (fs *forms) release() {
	if len(fs.of) > maxPooledForms {
		return
	}
	clear(fs.of)
	clear(fs.ids)
	formsPool.Put(fs)
}

// id returns x's number.
func (fs *forms) id(x *ir.Expr) int32 {
	if id, ok := fs.of[x]; ok {
		return id
	}
	var room [8]int32
	kids := room[:0]
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
		b = appendTermKey(appendTermKey(appendPredKey(append(b, 2), p), p.Left), p.Right)
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
