package ir

// Op is the kind of an expression node.
type Op uint8

// The expression node kinds. The zero value is invalid.
const (
	OpInvalid Op = iota
	OpAnd        // true when every argument is true (true with no arguments)
	OpOr         // true when any argument is true (false with no arguments)
	OpNot        // true when its one argument is false
	OpPred       // a predicate (Expr.Pred)
	OpTrue       // the constant true
	OpFalse      // the constant false
)

// String returns the operator's name as it appears in dumps.
func (op Op) String() string {
	switch op {
	case OpAnd:
		return "and"
	case OpOr:
		return "or"
	case OpNot:
		return "not"
	case OpPred:
		return "pred"
	case OpTrue:
		return "true"
	case OpFalse:
		return "false"
	}
	return "invalid"
}

// Expr is a node of a rule's boolean expression tree.
type Expr struct {
	Op   Op
	Args []*Expr // operands of OpAnd, OpOr (any number) and OpNot (exactly one)
	Pred *Pred   // the predicate of OpPred
}

// And returns the conjunction of args.
func And(args ...*Expr) *Expr { return &Expr{Op: OpAnd, Args: args} }

// Or returns the disjunction of args.
func Or(args ...*Expr) *Expr { return &Expr{Op: OpOr, Args: args} }

// Not returns the negation of x.
func Not(x *Expr) *Expr { return &Expr{Op: OpNot, Args: []*Expr{x}} }

// P returns a predicate node.
func P(p *Pred) *Expr { return &Expr{Op: OpPred, Pred: p} }

// Const returns OpTrue or OpFalse.
func Const(b bool) *Expr {
	if b {
		return &Expr{Op: OpTrue}
	}
	return &Expr{Op: OpFalse}
}

// Walk calls fn for x and every node below it, parents first, and stops
// descending where fn returns false.
func Walk(x *Expr, fn func(*Expr) bool) {
	if x == nil || !fn(x) {
		return
	}
	for _, a := range x.Args {
		Walk(a, fn)
	}
}

// Clone returns a deep copy of x; predicates are copied too.
func (x *Expr) Clone() *Expr {
	if x == nil {
		return nil
	}
	y := &Expr{Op: x.Op}
	if x.Pred != nil {
		p := *x.Pred
		p.Values = append([]Value(nil), x.Pred.Values...)
		p.Field.Paths = append([]string(nil), x.Pred.Field.Paths...)
		p.Left = x.Pred.Left.clone()
		p.Right = x.Pred.Right.clone()
		y.Pred = &p
	}
	if x.Args != nil {
		y.Args = make([]*Expr, len(x.Args))
		for i, a := range x.Args {
			y.Args[i] = a.Clone()
		}
	}
	return y
}

// clone returns a deep copy of t.
func (t *Term) clone() *Term {
	if t == nil {
		return nil
	}
	u := *t
	u.Field.Paths = append([]string(nil), t.Field.Paths...)
	u.Value.Pat = append(Pattern(nil), t.Value.Pat...)
	u.Args = nil
	for _, a := range t.Args {
		u.Args = append(u.Args, a.clone())
	}
	return &u
}
