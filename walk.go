package ruleforge

import (
	"bytes"
	"io"
	"io/fs"
	"os"

	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/ir"
)

// MaxFileSize is the most bytes the Loader reads of one rule file (and
// the default of Loader.MaxFileSize): a larger file is reported and
// skipped after reading MaxFileSize+1 bytes, so a huge or sparse file
// costs no more (and a device, such as a link to /dev/zero, is not read at
// all). Each language's own limits (sigma.MaxRuleSize, eql.MaxFileSize,
// eql.MaxQuerySize) are lower by default and checked when the rule is
// parsed.
const MaxFileSize = 64 << 20

// readRule reads the rule file at path: only a regular file (a device or
// a FIFO named like a rule would never end or never answer), and at most
// max bytes of it.
func readRule(path string, max int64) ([]byte, error) {
	info, err := os.Stat(path) // before opening: opening a FIFO waits for a writer
	if err != nil {
		return nil, files.PathError(path, err)
	}
	return readRegular(path, info, max, func() (io.ReadCloser, error) { return os.Open(path) })
}

// readFSRule reads the rule file name of fsys as readRule reads a file.
func readFSRule(fsys fs.FS, name string, max int64) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, files.PathError(name, err)
	}
	return readRegular(name, info, max, func() (io.ReadCloser, error) { return fsys.Open(name) })
}

// readRegular reads at most max bytes of the file name, described by
// info, which open opens: only a regular file.
func readRegular(name string, info fs.FileInfo, max int64, open func() (io.ReadCloser, error)) ([]byte, error) {
	if !info.Mode().IsRegular() {
		return nil, files.NotRegular(name, info.Mode())
	}
	f, err := open()
	if err != nil {
		return nil, files.PathError(name, err)
	}
	defer f.Close()
	// One buffer of the size the file had when described, and room to
	// find its end: io.ReadAll would grow one from 512 bytes, a garbage
	// of about twice the corpus on every load.
	var buf bytes.Buffer
	buf.Grow(int(min(info.Size(), max)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, files.PathError(name, err)
	}
	if int64(buf.Len()) > max {
		return nil, files.Error(name, "larger than %d bytes; skipped", max)
	}
	return buf.Bytes(), nil
}

// DuplicateIDs returns a warning for each rule whose ID an earlier rule
// has: both run, and their hits share one rule ID.
func DuplicateIDs(rules []*ir.Rule) []*DuplicateID {
	first := map[string]*ir.Rule{}
	var warns []*DuplicateID
	for _, r := range rules {
		if r.ID == "" {
			continue
		}
		if f, ok := first[r.ID]; ok {
			warns = append(warns, &DuplicateID{Rule: r, First: f})
			continue
		}
		first[r.ID] = r
	}
	return warns
}

// DuplicateID is Load's warning about a rule whose ID an earlier rule
// has: both are loaded and run, and their hits carry the same ID, which
// is seldom what the author meant (a copied file, two checkouts of one
// repository).
type DuplicateID struct {
	Rule, First *ir.Rule
}

// Error says which rule repeats which one's ID.
func (d *DuplicateID) Error() string {
	return files.Error(d.Rule.Source.File, "warning: rule id %s is also the id of %s", d.Rule.ID, ir.Pos{File: d.First.Source.File}).Error()
}
