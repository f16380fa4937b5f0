package plan

import (
	"strings"
	"sync/atomic"
)

// Path is a dotted field path split once, when a ruleset is compiled, so
// that looking it up allocates nothing.
type Path struct {
	id    uint64 // unique in the process, for a ruleset's slot table
	text  string
	parts []string
	joins [][]string // joins[i][j-i-1] = strings.Join(parts[i:j], ".")
}

// NewPath splits a dotted path ("process.parent.name").
func NewPath(dotted string) *Path {
	parts := strings.Split(dotted, ".")
	joins := make([][]string, len(parts))
	for i := range parts {
		for j := i + 1; j <= len(parts); j++ {
			joins[i] = append(joins[i], strings.Join(parts[i:j], "."))
		}
	}
	return &Path{id: pathIDs.Add(1), text: dotted, parts: parts, joins: joins}
}

// String returns the dotted path.
func (p *Path) String() string { return p.text }

// Parts returns the path's components; the caller must not change them.
func (p *Path) Parts() []string { return p.parts }

// pathIDs numbers the paths NewPath makes.
var pathIDs atomic.Uint64

// ID returns the path's number, unique in the process: a ruleset's slot
// table maps paths to slots by it.
func (p *Path) ID() uint64 { return p.id }

// Joined returns the components from i up to j joined with dots, made
// once by NewPath: a lookup probes flattened keys with it.
func (p *Path) Joined(i, j int) string { return p.joins[i][j-i-1] }

// SkipPathIDs advances the numbering of paths by n, so that a test can
// make paths numbered far apart (package match's slot table keeps a
// separate map for those).
func SkipPathIDs(n uint64) { pathIDs.Add(n) }
