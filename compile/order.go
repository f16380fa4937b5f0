package compile

import (
	"slices"

	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
)

// order sorts the operands of every and/or node by estimated cost, cheapest
// first, so that a short circuit skips the expensive ones: Sigma's
// "all of selection_*" then tests "Image endswith \mofcomp.exe" before six
// substring searches of the command line. Evaluation has no side effects,
// so the order changes only the cost. The sort is stable: operands of
// equal cost keep the rule's order. It returns n's cost.
func order(n *plan.Node) int {
	switch n.Op {
	case ir.OpPred:
		return testCost(n.Test)
	case ir.OpAnd, ir.OpOr, ir.OpNot:
		costs := make(map[*plan.Node]int, len(n.Kids))
		total := 0
		for _, k := range n.Kids {
			c := order(k)
			costs[k] = c
			total += c
		}
		slices.SortStableFunc(n.Kids, func(a, b *plan.Node) int { return costs[a] - costs[b] })
		return total
	}
	return 0
}

// matcherCost is a rough relative cost of each matcher kind.
var matcherCost = map[matcher.Kind]int{
	matcher.KindExact:    1,
	matcher.KindPrefix:   1,
	matcher.KindSuffix:   1,
	matcher.KindBoth:     2,
	matcher.KindSegments: 6,
	matcher.KindContains: 4,
	matcher.KindGlob:     8,
	matcher.KindRegex:    16,
	matcher.KindCIDR:     4,
	matcher.KindSet:      6,
}

// testCost estimates the cost of one test: its lookups and comparisons.
func testCost(t *plan.Test) int {
	c := 2 * len(t.Paths)
	if t.Left != nil || t.Right != nil {
		c += 32
	}
	if t.Any { // every value of the event
		c += 512
	}
	for _, m := range t.Strings {
		c += matcherCost[m.Kind()]
	}
	return c + len(t.Numbers) + len(t.Bools) + 2*len(t.Bounds)
}
