package compile

// Option configures Compile.
type Option func(*config)

// config holds the compile-time options.
type config struct {
	optimize   bool // run the IR optimizer passes
	specialize bool // pick the cheapest matcher per pattern
	maxDepth   int  // deepest expression tree accepted
}

// defaults returns the options Compile uses when given none.
func defaults() config {
	return config{optimize: true, specialize: true, maxDepth: MaxDepth}
}

// Optimize turns the IR optimizer on (the default) or off. Differential
// tests compile rules both ways and compare the results.
func Optimize(on bool) Option { return func(c *config) { c.optimize = on } }

// Specialize turns pattern classification on (the default) or off; off,
// every string comparison uses the general glob matcher.
func Specialize(on bool) Option { return func(c *config) { c.specialize = on } }

// WithMaxDepth sets the deepest expression tree Compile accepts (default
// MaxDepth).
func WithMaxDepth(n int) Option { return func(c *config) { c.maxDepth = n } }
