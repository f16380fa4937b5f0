package compile

// Limits. Each has an Option to change it.
const (
	// MaxDepth is the deepest expression tree Compile accepts; a deeper
	// one is an error, never a stack overflow (see WithMaxDepth).
	MaxDepth = 1000

	// MaxValues is the most values one predicate may hold (see
	// WithMaxValues); merging predicates counts the merged values. It
	// admits IOC rules of several hundred thousand hashes, which compile
	// into one hash set (sigma.MaxRuleValues is as large).
	MaxValues = 1_000_000

	// MaxPatternLen is the longest pattern, regular expression or CIDR
	// text accepted, in bytes (see WithMaxPatternLen). Matching is linear
	// in the value for every pattern kind, so this bounds memory, not time.
	MaxPatternLen = 64 << 10

	// maxPasses caps the optimizer's fixpoint loop.
	maxPasses = 16
)
