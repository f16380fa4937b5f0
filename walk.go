package ruleforge

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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

// fileError is an error about a rule file as a whole, printed
// "file: message" with the name quoted as ir.Pos quotes it.
func fileError(path string, format string, args ...any) error {
	return ir.Errorf(ir.Pos{File: path}, format, args...)
}

// pathError turns an error of the os package about path into a
// fileError, its message without the path (which fileError prints,
// quoted if need be).
func pathError(path string, err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return fileError(path, "%s: %v", pe.Op, pe.Err)
	}
	return fileError(path, "%v", err)
}

// readRule reads the rule file at path: only a regular file (a device or
// a FIFO named like a rule would never end or never answer), and at most
// max bytes of it.
func readRule(path string, max int64) ([]byte, error) {
	info, err := os.Stat(path) // before opening: opening a FIFO waits for a writer
	if err != nil {
		return nil, pathError(path, err)
	}
	if !info.Mode().IsRegular() {
		return nil, fileError(path, "not a regular file (%s); skipped", kind(info.Mode()))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, pathError(path, err)
	}
	if int64(len(src)) > max {
		return nil, fileError(path, "larger than %d bytes; skipped", max)
	}
	return src, nil
}

// kind names the kind of a file that is not a regular one.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return m.Type().String()
}

// walk calls add with every rule file (IsRuleFile) under dir, in lexical
// order, and errs with every error. It follows symbolic links to
// directories, each directory once (a link back up cannot loop), and
// skips hidden entries (".github/workflows/*.yml" of a rules repository
// are no rules).
func walk(dir string, add func(path string), errs func(error)) {
	var seen []os.FileInfo
	var visit func(dir string, info os.FileInfo)
	visit = func(dir string, info os.FileInfo) {
		for _, s := range seen {
			if os.SameFile(s, info) {
				return
			}
		}
		seen = append(seen, info)
		entries, err := os.ReadDir(dir)
		if err != nil {
			errs(pathError(dir, err))
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				continue
			}
			path := filepath.Join(dir, e.Name())
			switch {
			case e.IsDir():
			case e.Type()&fs.ModeSymlink != 0:
			default:
				if IsRuleFile(path) {
					add(path)
				}
				continue
			}
			info, err := os.Stat(path) // follows a link
			switch {
			case err != nil:
				errs(pathError(path, err))
			case info.IsDir():
				visit(path, info)
			case IsRuleFile(path):
				add(path)
			}
		}
	}
	info, err := os.Stat(dir)
	if err != nil {
		errs(pathError(dir, err))
		return
	}
	visit(dir, info)
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
	return fileError(d.Rule.Source.File, "warning: rule id %s is also the id of %s", d.Rule.ID, ir.Pos{File: d.First.Source.File}).Error()
}
