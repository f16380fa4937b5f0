package eql

// Limits on the input. Input over a limit is an error, found before the
// work it would cause; each limit has an option to change it.
const (
	MaxDepth      = 1000    // nesting of parentheses and "not" in a query (WithMaxDepth)
	MaxQuerySize  = 1 << 18 // bytes of one query (WithMaxQuerySize)
	MaxStringLen  = 1 << 16 // bytes of one string literal, escapes decoded (WithMaxStringLen)
	MaxListValues = 100000  // values of one list, or arguments of one call (WithMaxListValues)
	MaxFileSize   = 1 << 20 // bytes of one TOML file (WithMaxFileSize)
	MaxTOMLDepth  = 16      // parts of a TOML key, nesting of TOML arrays and inline tables (WithMaxTOMLDepth)
)

// Option changes a limit of Parse, ParseRule or ParseTOML.
type Option func(*config)

// config holds the limits of one call.
type config struct {
	maxDepth      int
	maxQuerySize  int
	maxStringLen  int
	maxListValues int
	maxFileSize   int
	maxTOMLDepth  int
}

// newConfig returns the default limits changed by opts.
func newConfig(opts []Option) *config {
	c := &config{
		maxDepth:      MaxDepth,
		maxQuerySize:  MaxQuerySize,
		maxStringLen:  MaxStringLen,
		maxListValues: MaxListValues,
		maxFileSize:   MaxFileSize,
		maxTOMLDepth:  MaxTOMLDepth,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// set sets a limit to n, or to its default def when n is below 1.
func set(limit *int, n, def int) {
	if n < 1 {
		n = def
	}
	*limit = n
}

// WithMaxDepth sets how deeply a query may nest (default MaxDepth); n < 1
// restores the default. The parser recurses: each level takes about 10 KB
// of stack, and Go stops a program whose goroutine stack passes 1 GB, so
// keep n well under 100,000.
func WithMaxDepth(n int) Option {
	return func(c *config) { set(&c.maxDepth, n, MaxDepth) }
}

// WithMaxQuerySize sets the most bytes a query may have (default
// MaxQuerySize); n < 1 restores the default.
func WithMaxQuerySize(n int) Option {
	return func(c *config) { set(&c.maxQuerySize, n, MaxQuerySize) }
}

// WithMaxStringLen sets the most bytes a string literal may have once its
// escapes are decoded (default MaxStringLen); n < 1 restores the default.
func WithMaxStringLen(n int) Option {
	return func(c *config) { set(&c.maxStringLen, n, MaxStringLen) }
}

// WithMaxListValues sets the most values a list (in, in~, :, like, regex
// and their ~ forms) and the most arguments a function call may have
// (default MaxListValues); n < 1 restores the default.
func WithMaxListValues(n int) Option {
	return func(c *config) { set(&c.maxListValues, n, MaxListValues) }
}

// WithMaxFileSize sets the most bytes a TOML rule file may have (default
// MaxFileSize); n < 1 restores the default. The query in it is limited by
// WithMaxQuerySize too.
func WithMaxFileSize(n int) Option {
	return func(c *config) { set(&c.maxFileSize, n, MaxFileSize) }
}

// WithMaxTOMLDepth sets the most parts a key of a TOML file may have and
// how deeply its arrays and inline tables may nest (default MaxTOMLDepth);
// n < 1 restores the default. The TOML decoder takes time quadratic in
// both.
func WithMaxTOMLDepth(n int) Option {
	return func(c *config) { set(&c.maxTOMLDepth, n, MaxTOMLDepth) }
}
