package ruleforge_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeLimits checks that the README's table of limits ("Hostile
// input") names every exported constant whose name starts with Max, in
// any package of the module, as package.Name: the table promises to list
// every bound, and a new limit must not be left out of it (issue 21).
func TestReadmeLimits(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "| what is bounded |")
	if start < 0 {
		t.Fatal("README.md has no table of limits")
	}
	table := string(readme[start:])
	table = table[:strings.Index(table, "\n\n")]
	fset := token.NewFileSet()
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "examples") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					if !id.IsExported() || !strings.HasPrefix(id.Name, "Max") {
						continue
					}
					if q := f.Name.Name + "." + id.Name; !strings.Contains(table, "`"+q+"`") {
						t.Errorf("%s: %s is not in README.md's table of limits", fset.Position(id.Pos()), q)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
