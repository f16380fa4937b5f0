//go:build !unix

package files

// seen is the set of directories a walk has visited.
type seen struct{ seenList }

func newSeen() *seen { return &seen{} }
