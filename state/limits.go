package state

import "github.com/ruleforge/ruleforge/compile"

// The default limits on state. Each is a named constant that an Option
// changes (n < 1 restores the default).
const (
	// MaxKeys is the most join keys (groups) one stateful rule keeps
	// pending; a new key beyond it evicts the rule's least recently
	// updated key.
	MaxKeys = 1 << 20
	// MaxPending is the most pending items one key of one rule holds
	// (partial sequences, distinct values, counted events); a new item
	// beyond it evicts the key's oldest.
	MaxPending = 1024
	// MaxValues is the most distinct values one key of a value_count
	// correlation holds (each with its newest event); a new value beyond
	// it evicts the value seen longest ago. A correlation whose condition
	// needs more distinct values holds as many as it needs.
	MaxValues = 1024
	// MaxBytes is the most memory, estimated, that the pending state of
	// all the rules of one Engine takes; a rule whose new state would go
	// over it evicts its least recently updated keys first.
	MaxBytes = 1 << 30
)

// Limits are the bounds on an Engine's state.
type Limits struct {
	MaxKeys    int   // join keys per rule (MaxKeys)
	MaxPending int   // pending items per key (MaxPending)
	MaxValues  int   // distinct values per key of value_count (MaxValues)
	MaxBytes   int64 // estimated bytes of all pending state (MaxBytes)
}

// Option configures Compile (and so the Engines of its Program).
type Option func(*config)

// config holds Compile's options.
type config struct {
	limits  Limits
	compile []compile.Option
}

// defaults returns the options Compile uses when given none.
func defaults() config {
	return config{limits: Limits{MaxKeys: MaxKeys, MaxPending: MaxPending, MaxValues: MaxValues, MaxBytes: MaxBytes}}
}

// WithMaxKeys sets the most join keys one rule keeps (default MaxKeys).
func WithMaxKeys(n int) Option {
	return func(c *config) { c.limits.MaxKeys = orDefault(n, MaxKeys) }
}

// WithMaxPending sets the most pending items per key (default
// MaxPending).
func WithMaxPending(n int) Option {
	return func(c *config) { c.limits.MaxPending = orDefault(n, MaxPending) }
}

// WithMaxValues sets the most distinct values per key of a value_count
// correlation (default MaxValues).
func WithMaxValues(n int) Option {
	return func(c *config) { c.limits.MaxValues = orDefault(n, MaxValues) }
}

// WithMaxBytes sets the most estimated bytes of pending state per Engine
// (default MaxBytes).
func WithMaxBytes(n int64) Option {
	return func(c *config) {
		if n < 1 {
			n = MaxBytes
		}
		c.limits.MaxBytes = n
	}
}

// orDefault returns n, or def when n < 1.
func orDefault(n, def int) int {
	if n < 1 {
		return def
	}
	return n
}

// WithCompile passes options to compile.Compile.
func WithCompile(opts ...compile.Option) Option {
	return func(c *config) { c.compile = append(c.compile, opts...) }
}
