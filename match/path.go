package match

import (
	"github.com/ruleforge/ruleforge/internal/plan"
)

// Path is a dotted field path ("process.parent.name") split once, so that
// looking it up allocates nothing. It is an alias of the compiled
// program's path type (internal/plan), because an Event's Lookup takes the
// very paths the compiled rules hold; go doc lists its methods there, not
// here, so they are these: String returns the dotted path and Parts its
// components (not to be changed); ID (the path's number in the process)
// and Joined (components joined with dots, made once) are for the engine's
// lookups.
type Path = plan.Path

// NewPath splits a dotted path ("process.parent.name").
func NewPath(dotted string) *Path { return plan.NewPath(dotted) }
