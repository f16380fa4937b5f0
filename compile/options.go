package compile

import (
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

// Optimize turns the IR optimizer on (the default) or off. Differential
// tests compile rules both ways and compare the results.
func Optimize(on bool) Option { return func(c *config) { c.optimize = on } }

// Index turns the ruleset's rule index on (the default) or off (see
// match.Indexed). Optimize(false) turns it off too: the unoptimized
// ruleset evaluates every rule for every event, the reference that the
// index is tested against.
func Index(on bool) Option { return func(c *config) { c.index = on } }

// Specialize turns pattern classification on (the default) or off; off,
// every string comparison uses the general glob matcher.
func Specialize(on bool) Option { return func(c *config) { c.specialize = on } }

// WithMaxDepth sets the deepest expression tree Compile accepts (default
// MaxDepth).
func WithMaxDepth(n int) Option { return func(c *config) { c.maxDepth = n } }

// WithMaxValues sets the most values one predicate may hold (default
// MaxValues).
func WithMaxValues(n int) Option { return func(c *config) { c.maxValues = n } }

// WithMaxPatternLen sets the longest pattern, regular expression or CIDR
// text accepted, in bytes (default MaxPatternLen).
func WithMaxPatternLen(n int) Option { return func(c *config) { c.maxPattern = n } }

// Reads makes the ruleset read fields no rule tests (see match.Reads):
// its records hold their values and Ruleset.Paths lists them. Package
// state compiles stateful rules with their join keys and the event time
// this way, so that workers find them in the one pass over each event.
func Reads(fields ...ir.Field) Option {
	return func(c *config) { c.reads = append(c.reads, fields...) }
}
