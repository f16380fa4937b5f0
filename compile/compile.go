package compile

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ruleforge/ruleforge/internal/eval"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/par"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
)

// Compile turns rules into an executable ruleset: for each rule it checks
// the expression, simplifies it and builds its
// evaluation tree with a matcher chosen per pattern, each rule on its own
// goroutine (one per CPU). Paths are shared across rules. A rule that
// cannot be compiled is left out: the ruleset holds the others, in their
// order (Ruleset.Rule), and the error is an ir.ErrorList with one *ir.Error
// per rule left out, naming its source and ID and wrapping the cause.
// Only an error that concerns no single rule (a bad Reads field) returns
// a nil ruleset. The rules themselves are not changed.
func Compile(rules []*ir.Rule, opts ...Option) (*match.Ruleset, error) {
	c := &compiler{cfg: defaults(), paths: map[string]*match.Path{}, tests: map[string]*plan.Test{}, keys: map[*plan.Test]string{}}
	for _, o := range opts {
		o(&c.cfg)
	}
	plans := make([]*plan.Node, len(rules))
	errs := make([]error, len(rules))
	par.For(len(rules), func(i int) { plans[i], errs[i] = c.rule(rules[i]) })
	var list ir.ErrorList
	good := rules
	if slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		good = nil
		kept := plans[:0]
		for i, err := range errs {
			if err != nil {
				list.Add(err)
				continue
			}
			good, kept = append(good, rules[i]), append(kept, plans[i])
		}
		plans = kept
	}
	if c.cfg.optimize {
		plans = share(plans, c.keys)
		evalOrder(plans)
		plans = layout(plans)
	}
	var reads []*match.Path
	for _, f := range c.cfg.reads {
		ps, err := c.fieldPaths(f)
		if err != nil {
			return nil, err
		}
		reads = append(reads, ps...)
	}
	rs, err := hooks.NewRuleset(good, plans, hooks.RulesetConfig{Unindexed: !c.cfg.index || !c.cfg.optimize, Reads: reads})
	if err != nil {
		return nil, err
	}
	return rs.(*match.Ruleset), list.Err()
}

// MustCompile is Compile for rules known to be good; it panics on error.
func MustCompile(rules []*ir.Rule, opts ...Option) *match.Ruleset {
	rs, err := Compile(rules, opts...)
	if err != nil {
		panic(err)
	}
	return rs
}

// compiler holds the state of one Compile call, shared by the goroutines
// that compile its rules.
type compiler struct {
	cfg   config
	mu    sync.Mutex             // guards paths
	paths map[string]*match.Path // interned paths

	// Optimized, a predicate that another rule has too (a log source's,
	// most of the corpus's: 110k tests, 15k distinct) is compiled once:
	// tests holds the test of each predicate key (appendPredKey), and
	// keys each such test's share key (testKey).
	tmu   sync.Mutex // guards tests and keys
	tests map[string]*plan.Test
	keys  map[*plan.Test]string
}

// rule compiles one rule.
func (c *compiler) rule(r *ir.Rule) (*plan.Node, error) {
	if r == nil {
		return nil, &ir.Error{Msg: "nil rule"}
	}
	if r.Expr == nil {
		return nil, ruleError(r, errors.New("rule has no expression"))
	}
	if err := check(r.Expr, 0, c.cfg.maxDepth); err != nil {
		return nil, ruleError(r, err)
	}
	x := r.Expr
	if c.cfg.optimize {
		x = Simplify(x)
	}
	n, err := c.node(x)
	if err != nil {
		return nil, ruleError(r, err)
	}
	if c.cfg.optimize {
		order(n)
	}
	return n, nil
}

// ruleError places err, the cause, at the rule's source and names the
// rule; an *ir.Error at a position of its own keeps it.
func ruleError(r *ir.Rule, err error) error {
	var ie *ir.Error
	if errors.As(err, &ie) && ie.Pos != (ir.Pos{}) {
		return &ir.Error{Pos: ie.Pos, Msg: ie.Msg, Rule: r.ID, Err: ie}
	}
	return &ir.Error{Pos: r.Source, Msg: fmt.Sprintf("rule %q: %v", r.ID, err), Rule: r.ID, Err: err}
}

// check validates the shape of x and its depth.
func check(x *ir.Expr, depth, max int) error {
	if depth > max {
		return fmt.Errorf("expression nested deeper than %d", max)
	}
	if x == nil {
		return errors.New("nil expression")
	}
	switch x.Op {
	case ir.OpAnd, ir.OpOr:
	case ir.OpNot:
		if len(x.Args) != 1 {
			return fmt.Errorf("not with %d operands", len(x.Args))
		}
	case ir.OpPred:
		if x.Pred == nil {
			return errors.New("predicate node without a predicate")
		}
		return nil
	case ir.OpTrue, ir.OpFalse:
		return nil
	default:
		return fmt.Errorf("invalid expression op %d", x.Op)
	}
	for _, a := range x.Args {
		if err := check(a, depth+1, max); err != nil {
			return err
		}
	}
	return nil
}

// node builds the evaluation tree of x.
func (c *compiler) node(x *ir.Expr) (*plan.Node, error) {
	switch x.Op {
	case ir.OpTrue:
		return &plan.Node{Op: ir.OpTrue}, nil
	case ir.OpFalse:
		return &plan.Node{Op: ir.OpFalse}, nil
	case ir.OpPred:
		t, err := c.sharedTest(x.Pred)
		if err != nil {
			return nil, err
		}
		return &plan.Node{Op: ir.OpPred, Test: t}, nil
	}
	n := &plan.Node{Op: x.Op, Kids: make([]*plan.Node, len(x.Args))}
	for i, a := range x.Args {
		k, err := c.node(a)
		if err != nil {
			return nil, err
		}
		n.Kids[i] = k
	}
	return n, nil
}

// sharedTest compiles p as test does, or returns the test compiled for
// an identical predicate (appendPredKey) when optimizing: tests are not
// changed once compiled, and share merges identical ones anyway.
func (c *compiler) sharedTest(p *ir.Pred) (*plan.Test, error) {
	if !c.cfg.optimize || p.Left != nil || p.Right != nil {
		return c.test(p)
	}
	kb := keyBufs.Get().(*[]byte)
	defer keyBufs.Put(kb)
	*kb = appendPredKey((*kb)[:0], p)
	c.tmu.Lock()
	t, ok := c.tests[string(*kb)]
	c.tmu.Unlock()
	if ok {
		return t, nil
	}
	t, err := c.test(p)
	if err != nil {
		return nil, err
	}
	k := testKey(t) // here, on every CPU, once per distinct test
	c.tmu.Lock()
	defer c.tmu.Unlock()
	if first, ok := c.tests[string(*kb)]; ok {
		return first, nil // another rule's goroutine compiled it meanwhile
	}
	c.tests[string(*kb)], c.keys[t] = t, k
	return t, nil
}

// keyBufs holds the buffers sharedTest makes keys in.
var keyBufs = sync.Pool{New: func() any { return new([]byte) }}

// test compiles one predicate.
func (c *compiler) test(p *ir.Pred) (*plan.Test, error) {
	t := &plan.Test{Name: p.Field.Name, Any: p.Field.Any && p.Left == nil}
	if p.Field.Any && p.Left == nil && p.Right != nil {
		return nil, errors.New("a keyword field cannot be compared with a computed value")
	}
	if p.Left != nil || p.Right != nil {
		if err := c.computed(t, p); err != nil {
			return nil, err
		}
		if p.Right != nil {
			return t, nil
		}
	} else if !p.Field.Any {
		paths, err := c.fieldPaths(p.Field)
		if err != nil {
			return nil, err
		}
		t.Paths = paths
	}
	switch {
	case p.Cmp.String() == "invalid":
		return nil, fmt.Errorf("field %q: unsupported comparison %s", p.Field.Name, p.Cmp)
	case p.Cmp == ir.CmpExists:
		t.Exists = true
		return t, nil
	case len(p.Values) == 0:
		return nil, fmt.Errorf("field %q: %s with no values", p.Field.Name, p.Cmp)
	case len(p.Values) > c.cfg.maxValues:
		return nil, fmt.Errorf("field %q: %d values, more than the limit of %d", p.Field.Name, len(p.Values), c.cfg.maxValues)
	case tooLong(p, c.cfg.maxPattern) != "":
		return nil, fmt.Errorf("field %q: %s", p.Field.Name, tooLong(p, c.cfg.maxPattern))
	case p.Cmp.IsOrder():
		return t, bounds(t, p)
	case p.Cmp == ir.CmpRegex:
		return t, c.regexps(t, p)
	case p.Cmp == ir.CmpCIDR:
		return t, cidrs(t, p)
	}
	fold := !p.CaseSensitive
	for _, v := range p.Values {
		switch v.Kind {
		case ir.KindString:
			pat := v.Pat
			if p.Cmp == ir.CmpEqual {
				text, ok := pat.Literal()
				if !ok {
					return nil, fmt.Errorf("field %q: wildcard pattern %s in an equality", p.Field.Name, v)
				}
				pat = ir.Lit(text)
			} else if p.Cmp != ir.CmpGlob {
				pat = anchor(p.Cmp, pat)
			}
			m, err := classify(pat, fold, c.cfg.specialize)
			if err != nil {
				return nil, fmt.Errorf("field %q: %w", p.Field.Name, err)
			}
			t.Strings = append(t.Strings, m)
		case ir.KindNumber:
			if p.Cmp == ir.CmpEqual {
				t.Numbers = append(t.Numbers, v.Num)
				continue
			}
			m, err := classify(anchor(p.Cmp, ir.Lit(v.Num.Text())), fold, c.cfg.specialize)
			if err != nil {
				return nil, err
			}
			t.Strings = append(t.Strings, m)
		case ir.KindBool:
			t.Bools = append(t.Bools, v.Bool)
		default:
			return nil, fmt.Errorf("field %q: %s value in a %s comparison", p.Field.Name, v.Kind, p.Cmp)
		}
	}
	if c.cfg.specialize {
		t.Strings = matcher.Merge(t.Strings)
	}
	return t, nil
}

// literals returns the text of every string value of p, or an error naming
// the first value that is not a literal string.
func literals(p *ir.Pred) ([]string, error) {
	out := make([]string, 0, len(p.Values))
	for _, v := range p.Values {
		text, ok := v.Pat.Literal()
		if v.Kind != ir.KindString || !ok {
			return nil, fmt.Errorf("field %q: %s needs literal strings, not %s", p.Field.Name, p.Cmp, v)
		}
		out = append(out, text)
	}
	return out, nil
}

// bounds adds the ordering comparisons of p to t.
func bounds(t *plan.Test, p *ir.Pred) error {
	for _, v := range p.Values {
		switch v.Kind {
		case ir.KindNumber:
			t.Bounds = append(t.Bounds, plan.Bound{Cmp: p.Cmp, Num: v.Num})
		case ir.KindString:
			text, ok := v.Pat.Literal()
			if !ok {
				return fmt.Errorf("field %q: wildcard pattern %s in a %s comparison", p.Field.Name, v, p.Cmp)
			}
			t.Bounds = append(t.Bounds, plan.Bound{Cmp: p.Cmp, Text: text, IsText: true})
		default:
			return fmt.Errorf("field %q: %s value in a %s comparison", p.Field.Name, v.Kind, p.Cmp)
		}
	}
	return nil
}

// regexps compiles the regular expressions of p into t.
func (c *compiler) regexps(t *plan.Test, p *ir.Pred) error {
	srcs, err := literals(p)
	if err != nil {
		return err
	}
	for _, src := range srcs {
		m, err := matcher.NewRegex(src, !p.CaseSensitive)
		if err != nil {
			return fmt.Errorf("field %q: bad regular expression %q: %w", p.Field.Name, src, err)
		}
		t.Strings = append(t.Strings, m)
	}
	return nil
}

// cidrs compiles the ranges of p into t.
func cidrs(t *plan.Test, p *ir.Pred) error {
	ranges, err := literals(p)
	if err != nil {
		return err
	}
	m, err := matcher.NewCIDR(ranges)
	if err != nil {
		return fmt.Errorf("field %q: bad CIDR range: %w", p.Field.Name, err)
	}
	t.Strings = append(t.Strings, m)
	return nil
}

// fieldPaths returns the interned paths of a field.
func (c *compiler) fieldPaths(f ir.Field) ([]*match.Path, error) {
	var out []*match.Path
	for _, s := range f.Lookup() {
		if s == "" {
			return nil, fmt.Errorf("field %q has an empty path", f.Name)
		}
		c.mu.Lock()
		path, ok := c.paths[s]
		if !ok {
			path = match.NewPath(s)
			c.paths[s] = path
		}
		c.mu.Unlock()
		out = append(out, path)
	}
	return out, nil
}

// computed sets up a test whose operand (Left) or comparand (Right) is a
// computed term.
func (c *compiler) computed(t *plan.Test, p *ir.Pred) error {
	if p.Left != nil {
		l, err := c.term(p.Left)
		if err != nil {
			return err
		}
		t.Left = l
		if fs := p.Left.Fields(); len(fs) == 1 {
			if t.Iter, err = c.fieldPaths(fs[0]); err != nil {
				return err
			}
		}
	} else {
		paths, err := c.fieldPaths(p.Field)
		if err != nil {
			return err
		}
		t.Paths = paths
	}
	if p.Right == nil {
		return nil
	}
	if p.Cmp != ir.CmpEqual && p.Cmp != ir.CmpPrefix && p.Cmp != ir.CmpSuffix && p.Cmp != ir.CmpContains && !p.Cmp.IsOrder() {
		return fmt.Errorf("%s: %s cannot compare with a computed value", p.Field.Name, p.Cmp)
	}
	r, err := c.term(p.Right)
	if err != nil {
		return err
	}
	t.Right, t.Cmp, t.Fold = r, p.Cmp, !p.CaseSensitive
	return nil
}

// term compiles a computed operand.
func (c *compiler) term(x *ir.Term) (*plan.Term, error) {
	t := &plan.Term{Fn: x.Fn, Fold: x.Fold, Name: x.String()}
	switch x.Fn {
	case ir.FnField:
		paths, err := c.fieldPaths(x.Field)
		if err != nil {
			return nil, err
		}
		t.Paths = paths
		return t, nil
	case ir.FnConst:
		v := x.Value
		if _, lit := v.Pat.Literal(); v.Kind == ir.KindString && !lit {
			return nil, fmt.Errorf("wildcard pattern %s in a computed value", v)
		}
		c, ok := eval.Const(v)
		if !ok && v.Kind != ir.KindNull {
			return nil, fmt.Errorf("invalid constant in a computed value")
		}
		t.Const = c
		return t, nil
	}
	if lo, hi := arity(x.Fn); len(x.Args) < lo || len(x.Args) > hi {
		return nil, fmt.Errorf("%s takes %d to %d arguments, not %d", x.Fn, lo, hi, len(x.Args))
	}
	for _, a := range x.Args {
		k, err := c.term(a)
		if err != nil {
			return nil, err
		}
		t.Args = append(t.Args, k)
	}
	return t, nil
}

// arity returns how many arguments a term function takes.
func arity(fn ir.Fn) (lo, hi int) {
	switch fn {
	case ir.FnAdd, ir.FnSub, ir.FnMul, ir.FnDiv, ir.FnMod:
		return 2, 2
	case ir.FnNeg, ir.FnLength, ir.FnString:
		return 1, 1
	case ir.FnConcat:
		return 1, 1 << 16
	case ir.FnNumber:
		return 1, 2
	case ir.FnSubstring, ir.FnIndexOf:
		return 2, 3
	case ir.FnBetween:
		return 3, 4
	}
	if fn.IsTimePart() {
		return 1, 1
	}
	return 1, 0 // invalid: never satisfied
}

// tooLong describes the first value of p longer than max bytes (as the IR
// renders it), or is "".
func tooLong(p *ir.Pred, max int) string {
	for _, v := range p.Values {
		if printedBound(v.Pat) <= max {
			continue // short: not worth printing
		}
		if n := len(v.Pat.String()); n > max {
			return fmt.Sprintf("a value of %d bytes, longer than the limit of %d", n, max)
		}
	}
	return ""
}

// printedBound bounds the length of p.String(): each byte of a literal is
// printed with at most one escape, and a wildcard (or an invalid piece,
// "<invalid>") takes at most 9 bytes.
func printedBound(p ir.Pattern) int {
	n := 0
	for _, pc := range p {
		n += 2*len(pc.Text) + 9
	}
	return n
}
