package compile

import (
	"cmp"
	"math"
	"slices"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// evalOrder gives every and/or node of plans (shared nodes once) the
// order its operands are evaluated in (plan.Node.Run), so that a short
// circuit skips as much work as it can: Sigma's "all of selection_*" then
// tests "Image endswith \mofcomp.exe" before a regular expression over
// the command line. The nodes' Kids keep order's order, which explanations
// follow. Evaluation has no side effects and plans are two-valued
// (internal/plan), so the order changes only the cost.
//
// Each node gets an estimate: the expected cost of evaluating it and the
// odds that it holds, guessed per test from its comparisons (testNanos,
// testOdds) and combined as for independent operands. An and stops at its
// first false operand, so its operands go by cost over the odds of being
// false, lowest first; an or by cost over the odds of being true: the
// order that minimizes the expected cost of independent tests (Smith's
// ratio rule, as query optimizers order predicates). The sort is stable:
// operands of equal rank keep Kids' order.
func evalOrder(plans []*plan.Node) {
	est := map[*plan.Node]estimate{}
	for _, p := range plans {
		estimateNode(p, est)
	}
}

// estimateNode returns n's estimate, setting the Run of n and of the
// nodes under it on first visit (est memoizes them).
func estimateNode(n *plan.Node, est map[*plan.Node]estimate) estimate {
	if e, ok := est[n]; ok {
		return e
	}
	var e estimate
	switch n.Op {
	case ir.OpPred:
		e = estimate{cost: testNanos(n.Test), odds: testOdds(n.Test)}
	case ir.OpTrue:
		e = estimate{odds: 1}
	case ir.OpNot:
		k := estimateNode(n.Kids[0], est)
		e = estimate{cost: k.cost, odds: 1 - k.odds}
	case ir.OpAnd, ir.OpOr:
		and := n.Op == ir.OpAnd
		for _, k := range n.Kids {
			estimateNode(k, est)
		}
		run := slices.Clone(n.Kids)
		slices.SortStableFunc(run, func(a, b *plan.Node) int {
			return cmp.Compare(est[a].rank(and), est[b].rank(and))
		})
		if !slices.Equal(run, n.Kids) {
			n.Run = run
		}
		// The cost of each operand counts as often as the evaluation
		// reaches it: an and's while its operands hold, an or's while
		// they fail.
		reach := 1.0
		for _, k := range run {
			ke := est[k]
			e.cost += reach * ke.cost
			if and {
				reach *= ke.odds
			} else {
				reach *= 1 - ke.odds
			}
		}
		e.odds = reach
		if !and {
			e.odds = 1 - reach
		}
	}
	est[n] = e
	return e
}

// estimate is what evalOrder guesses of a node: the expected cost of
// evaluating it (roughly in nanoseconds) and the odds that it holds.
type estimate struct {
	cost float64
	odds float64 // in [0, 1]
}

// rank is the cost of an operand of an and (and true) or an or per unit
// of its odds of ending the evaluation there; an operand that never ends
// it goes last.
func (e estimate) rank(and bool) float64 {
	stop := e.odds
	if and {
		stop = 1 - e.odds
	}
	if stop <= 0 {
		return math.Inf(1)
	}
	return e.cost / stop
}

// Rough costs, in nanoseconds, of a test's parts on the corpus's Windows
// records (measured with the SigmaHQ Windows rules): a field's lookup,
// each comparison by matcher kind (a substring search runs over values
// such as command lines, a regular expression costs microseconds), a
// number, a boolean or a bound, a computed operand, and a keyword test,
// which reads every value of the event.
const (
	lookupNanos   = 20
	pathNanos     = 2 // each path after the first
	numberNanos   = 10
	boolNanos     = 5
	boundNanos    = 10
	computedNanos = 300
	anyNanos      = 5000
)

// matcherNanos is the rough cost of each matcher kind, in nanoseconds.
var matcherNanos = map[matcher.Kind]float64{
	matcher.KindExact:    10,
	matcher.KindPrefix:   10,
	matcher.KindSuffix:   10,
	matcher.KindBoth:     15,
	matcher.KindSegments: 150,
	matcher.KindContains: 60,
	matcher.KindGlob:     300,
	matcher.KindRegex:    1000,
	matcher.KindCIDR:     40,
	matcher.KindSet:      80,
}

// testNanos estimates the cost of one test, in nanoseconds: its lookups
// and comparisons.
func testNanos(t *plan.Test) float64 {
	c := float64(lookupNanos + pathNanos*max(len(t.Paths)-1, 0))
	if t.Left != nil || t.Right != nil {
		c += computedNanos
	}
	if t.Any {
		c += anyNanos
	}
	for _, m := range t.Strings {
		c += matcherNanos[m.Kind()]
	}
	return c + numberNanos*float64(len(t.Numbers)) + boolNanos*float64(len(t.Bools)) + boundNanos*float64(len(t.Bounds))
}

// The guessed odds that a test holds: a presence test usually does, a
// comparison with a value rarely, and no test is taken for certain either
// way. Each value adds its odds: an exact text or a number is rarest; a
// text a prefix, suffix or substring needs is as common as it is short
// (textOdds: ".exe" ends most images, "\\mofcomp.exe" few), as the rule
// index's key costs assume; a pattern that needs no text is taken for a
// rare one.
const (
	existsOdds  = 0.7
	exactOdds   = 0.01
	patternOdds = 0.03
	maxOdds     = 0.9
)

// testOdds guesses the odds that t holds.
func testOdds(t *plan.Test) float64 {
	if t.Exists {
		return existsOdds
	}
	p := exactOdds * float64(len(t.Numbers)+len(t.Bools))
	for _, m := range t.Strings {
		nd, ok := m.(matcher.Needer)
		needs := []matcher.Need(nil)
		if ok {
			needs = nd.Needs()
		}
		if len(needs) == 0 || m.Kind() == matcher.KindRegex {
			p += patternOdds
			continue
		}
		for _, n := range needs {
			p += textOdds(n)
		}
	}
	p += patternOdds * float64(len(t.Bounds))
	if t.Left != nil || t.Right != nil {
		p = max(p, patternOdds)
	}
	return min(p, maxOdds)
}

// textOdds guesses the odds that a value holds a needed text: an exact
// value exactOdds; a part of a value 1/2 up to 3 bytes, then halving with
// each byte (1/4 for ".exe", 1/64 for "\\cmd.exe"), down to exactOdds.
func textOdds(n matcher.Need) float64 {
	if n.Kind == matcher.NeedExact {
		return exactOdds
	}
	return max(exactOdds, min(0.5, math.Ldexp(1, 2-len(n.Text))))
}
