package compile

import (
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/ir"
)

// Option configures Compile.
type Option func(*config)

// config holds the compile-time options.
type config struct {
	optimize   bool       // run the IR optimizer passes
	specialize bool       // pick the cheapest matcher per pattern
	index      bool       // build the rule index (with optimize)
	maxDepth   int        // deepest expression tree accepted
	maxValues  int        // most values in one predicate
	maxPattern int        // longest pattern in bytes
	reads      []ir.Field // fields read besides the rules' (Reads)
}

// defaults returns the options Compile uses when given none.
func defaults() config {
	return config{optimize: true, specialize: true, index: true, maxDepth: MaxDepth, maxValues: MaxValues, maxPattern: MaxPatternLen}
}

// init registers the switches that turn the optimizer, the classifier and
// the index off (internal/hooks), for the differential tests of other
// packages: every event must get the same answer either way.
func init() {
	hooks.CompileOption = func(s hooks.Switches) any { return switches(s) }
}

// switches returns the option that applies s.
func switches(s hooks.Switches) Option {
	return func(c *config) {
		c.optimize = c.optimize && !s.NoOptimize
		c.specialize = c.specialize && !s.NoSpecialize
		c.index = c.index && !s.NoIndex
	}
}

// WithMaxDepth sets the deepest expression tree Compile accepts (default
// MaxDepth).
func WithMaxDepth(n int) Option { return func(c *config) { c.maxDepth = n } }

// WithMaxValues sets the most values one predicate may hold (default
// MaxValues).
func WithMaxValues(n int) Option { return func(c *config) { c.maxValues = n } }

// WithMaxPatternLen sets the longest pattern, regular expression or CIDR
// text accepted, in bytes (default MaxPatternLen).
func WithMaxPatternLen(n int) Option { return func(c *config) { c.maxPattern = n } }

// Reads makes the ruleset read fields no rule tests:
// its records hold their values and Ruleset.Paths lists them. Package
// state compiles stateful rules with their join keys and the event time
// this way, so that workers find them in the one pass over each event.
func Reads(fields ...ir.Field) Option {
	return func(c *config) { c.reads = append(c.reads, fields...) }
}
