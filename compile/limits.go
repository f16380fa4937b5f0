package compile

// Limits. Each has an Option to change it.
const (
	// MaxDepth is the deepest expression tree Compile accepts; a deeper
	// one is an error, never a stack overflow (see WithMaxDepth).
	MaxDepth = 1000

	// maxPasses caps the optimizer's fixpoint loop.
	maxPasses = 16
)
