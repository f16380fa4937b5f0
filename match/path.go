package match

import (
	"github.com/ruleforge/ruleforge/internal/plan"
)

// Path is a dotted field path ("process.parent.name") split once, so that
// looking it up allocates nothing. Its methods: String returns the dotted
// path, Parts its components (not to be changed).
type Path = plan.Path

// NewPath splits a dotted path ("process.parent.name").
func NewPath(dotted string) *Path { return plan.NewPath(dotted) }
