package compile

import (
	"slices"

	"github.com/ruleforge/ruleforge/match"
)

// order sorts the operands of every and/or node by estimated cost, cheapest
// first, so that a short circuit skips the expensive ones: Sigma's
// "all of selection_*" then tests "Image endswith \mofcomp.exe" before six
// substring searches of the command line. Evaluation has no side effects,
// so the order changes only the cost. The sort is stable: operands of
// equal cost keep the rule's order. It returns n's cost.
func order(n *match.Node) int {
	switch n.Op {
	case match.OpTest:
		return testCost(n.Test)
	case match.OpAnd, match.OpOr, match.OpNot:
		costs := make(map[*match.Node]int, len(n.Kids))
		total := 0
		for _, k := range n.Kids {
			c := order(k)
			costs[k] = c
			total += c
		}
		slices.SortStableFunc(n.Kids, func(a, b *match.Node) int { return costs[a] - costs[b] })
		return total
	}
	return 0
}

// matcherCost is a rough relative cost of each matcher kind.
var matcherCost = map[match.Kind]int{
	match.KindExact:    1,
	match.KindPrefix:   1,
	match.KindSuffix:   1,
	match.KindBoth:     2,
	match.KindSegments: 6,
	match.KindContains: 4,
	match.KindGlob:     8,
	match.KindRegex:    16,
	match.KindCIDR:     4,
	match.KindSet:      6,
}

// testCost estimates the cost of one test: its lookups and comparisons.
func testCost(t *match.Test) int {
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
