package ruleforge

import (
	"io/fs"
	"strings"

	"github.com/ruleforge/ruleforge/internal/files"
	"github.com/ruleforge/ruleforge/ir"
)

// LoadFS reads rules from fsys with the zero Loader; see Loader.LoadFS.
func LoadFS(fsys fs.FS, roots ...string) ([]*ir.Rule, ErrorList) {
	return Loader{}.LoadFS(fsys, roots...)
}

// LoadFS reads rules from the files and directories roots of fsys (all of
// it when roots is empty), as Load reads them from the file system: an
// embedded rule set (embed.FS), a zip archive (zip.Reader), a test's
// fstest.MapFS. Directories are walked in lexical order and only their
// rule files are read (IsRuleFile), entries whose names start with "."
// (".github/", ".git/") left out; at most MaxFileSize bytes of each file
// are read. Rules and errors name their files by their path in fsys.
func (l Loader) LoadFS(fsys fs.FS, roots ...string) ([]*ir.Rule, ir.ErrorList) {
	if len(roots) == 0 {
		roots = []string{"."}
	}
	var read []file
	var errs ir.ErrorList
	add := func(name string) {
		src, err := readFSRule(fsys, name, l.maxFileSize())
		if err != nil {
			errs.Add(err)
			return
		}
		read = append(read, file{name, src})
	}
	for _, root := range roots {
		err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				errs.Add(files.PathError(name, err))
			case name != root && strings.HasPrefix(d.Name(), "."):
				if d.IsDir() {
					return fs.SkipDir
				}
			case d.IsDir():
			case name == root || IsRuleFile(name):
				add(name)
			}
			return nil
		})
		if err != nil {
			errs.Add(files.PathError(root, err))
		}
	}
	set, errs := l.parseFiles(read, errs)
	return l.withCorrelations(set), errs
}
